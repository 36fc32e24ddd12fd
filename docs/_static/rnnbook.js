// rnnbook's site: small aids to the reader. Nothing here fetches anything.
(() => {
  // A display equation wider than its column is set in a smaller size until it fits (down to 70%: on a phone the
  // widest still scroll, in their `div.math`), so that at desktop widths no equation needs a horizontal scrollbar.
  const MIN_SCALE = 0.7;
  function fitMath() {
    document.querySelectorAll('mjx-container[display="true"]').forEach(m => {
      m.style.fontSize = '';
      const box = m.closest('div.math') || m.parentElement;
      const avail = box.clientWidth, need = m.scrollWidth;
      if (!avail || need <= avail) return;
      const scale = Math.max(MIN_SCALE, (avail - 2) / need);
      m.style.fontSize = `${parseFloat(getComputedStyle(m).fontSize) * scale}px`;
      m.dataset.rnnbookScale = scale.toFixed(3);
    });
  }
  const M = window.MathJax;
  if (M && M.startup && M.startup.promise) M.startup.promise.then(fitMath);  // this script runs after MathJax's
  let pending = null;
  window.addEventListener('resize', () => { clearTimeout(pending); pending = setTimeout(fitMath, 100); });

  // the download button saves the notebook under its own name (00_data.ipynb) rather than opening it
  document.querySelectorAll('a.btn-download-notebook-button').forEach(a => {
    a.setAttribute('download', decodeURIComponent(a.getAttribute('href').split('/').pop()));
    a.removeAttribute('target');
  });
})();
