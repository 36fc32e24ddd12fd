// rnnbook's site: small aids to the reader. Nothing here fetches anything.
(() => {
  // A display equation wider than its column is set in a smaller size until it fits (down to 70%: on a phone the
  // widest still scroll, in their `div.math`, with a hint), so that at desktop widths no equation needs a scrollbar.
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
    markScrollers();
  }

  // A block that scrolls sideways (code keeps its lines; a wide equation on a phone) fades out on the side where there
  // is more, and a wide equation says so under it; a long output is shown in a box, with a button to show it all
  const SCROLLERS = '.bd-article div.highlight pre, .bd-article dl.py pre, .bd-article div.math';
  function markScroller(e) {
    const more = e.scrollWidth > e.clientWidth + 1;
    e.classList.toggle('rnnbook-more-right', more && e.scrollLeft + e.clientWidth < e.scrollWidth - 1);
    e.classList.toggle('rnnbook-more-left', more && e.scrollLeft > 1);
    if (more && !e.hasAttribute('tabindex')) e.tabIndex = 0;  // reachable with the keyboard, to scroll with the arrows
    if (e.matches('div.math')) {
      let hint = e.nextElementSibling && e.nextElementSibling.matches('.rnnbook-scroll-hint') ? e.nextElementSibling : null;
      if (more && !hint) {
        hint = document.createElement('span');
        hint.className = 'rnnbook-scroll-hint';
        hint.textContent = 'scroll sideways for the whole equation \u2192';
        e.after(hint);
      }
      if (hint) hint.hidden = !more;
    }
  }
  function markOutput(o) {
    const long = o.scrollHeight > o.clientHeight + 1 || o.classList.contains('rnnbook-expanded');
    o.classList.toggle('rnnbook-more-below', long && !o.classList.contains('rnnbook-expanded') &&
                       o.scrollTop + o.clientHeight < o.scrollHeight - 1);
    let btn = o.nextElementSibling && o.nextElementSibling.matches('button.rnnbook-expand') ? o.nextElementSibling : null;
    if (!long) { if (btn) btn.remove(); return; }
    if (!btn) {
      btn = document.createElement('button');
      btn.type = 'button';
      btn.className = 'rnnbook-expand';
      btn.addEventListener('click', () => {
        const open = o.classList.toggle('rnnbook-expanded');
        markOutput(o);
        if (!open) o.scrollIntoView({block: 'nearest'});
      });
      o.after(btn);
    }
    const open = o.classList.contains('rnnbook-expanded');
    btn.textContent = open ? 'Show less' : 'Show all of this output';
    btn.setAttribute('aria-expanded', String(open));
  }
  function markScrollers() {
    document.querySelectorAll(SCROLLERS).forEach(markScroller);
    document.querySelectorAll('.bd-article .cell_output > .output').forEach(markOutput);
  }
  document.addEventListener('scroll', e => {
    const t = e.target;
    if (t.matches && t.matches(SCROLLERS)) markScroller(t);
    else if (t.matches && t.matches('.bd-article .cell_output > .output')) markOutput(t);
  }, {capture: true, passive: true});

  const M = window.MathJax;
  if (M && M.startup && M.startup.promise) M.startup.promise.then(fitMath);  // this script runs after MathJax's
  else document.addEventListener('DOMContentLoaded', markScrollers);
  let pending = null;
  window.addEventListener('resize', () => { clearTimeout(pending); pending = setTimeout(fitMath, 100); });
  window.addEventListener('load', markScrollers);  // once the fonts and figures are in

  // The ☰ and contents buttons: pydata-sphinx-theme (and sphinx-book-theme's wide-screen fix) wire only the first
  // `.primary-toggle` and `.secondary-toggle` of the page, in the header bar that rnnbook.css hides; the visible ones,
  // in the article's header, pass their clicks on to those. Without the tooltip a tap used to leave behind
  function wireToggles() {
    for (const [kind, label] of [['primary', 'Chapters (site navigation)'], ['secondary', 'Contents of this page']]) {
      const all = Array.from(document.querySelectorAll(`button.${kind}-toggle`)), wired = all[0];
      all.forEach(b => {
        b.removeAttribute('data-bs-toggle');
        b.setAttribute('aria-label', label);
        b.setAttribute('title', label);
      });
      all.slice(1).forEach(b => {
        if (b.dataset.rnnbookWired) return;
        b.dataset.rnnbookWired = '1';
        b.addEventListener('click', e => { e.preventDefault(); e.stopPropagation(); b.blur(); wired.click(); });
      });
    }
  }
  wireToggles();
  // a link in the navigation dialog closes it (on a phone the page behind it would otherwise stay covered when the
  // link is to a section of this page)
  document.addEventListener('click', e => {
    const a = e.target.closest && e.target.closest('dialog[open] a[href]');
    if (a && a.closest('#pst-primary-sidebar-modal, #pst-secondary-sidebar-modal')) a.closest('dialog').close();
  });

  // The download button saves the notebook under its own name (00_data.ipynb) rather than opening it
  document.querySelectorAll('a.btn-download-notebook-button').forEach(a => {
    a.setAttribute('download', decodeURIComponent(a.getAttribute('href').split('/').pop()));
    a.removeAttribute('target');
  });

  // Search results: Sphinx's excerpt is the text of the page's `[role=main]`, which holds the theme's buttons (their
  // words "System Settings Light Dark ..." began every excerpt); the excerpt is taken from the article alone
  if (typeof Search !== 'undefined' && Search.htmlToText && !Search.rnnbookClean) {
    const htmlToText = Search.htmlToText;
    Search.htmlToText = (htmlString, anchor) => {
      const doc = new DOMParser().parseFromString(htmlString, 'text/html');
      doc.querySelectorAll('.bd-header-article, .header-article-items, .rnnbook-links, button, .dropdown-menu, ' +
                           '.theme-switch-container, .prev-next-area, .bd-footer-article, .bd-sidebar-secondary, ' +
                           '.headerlink, script, style').forEach(e => e.remove());
      return htmlToText(doc.documentElement.outerHTML, anchor);
    };
    Search.rnnbookClean = true;
  }
})();
