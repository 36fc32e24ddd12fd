// The page "Play with the model" (notebook 11): the prompt box, the continuation, each word's five likeliest next
// words, and heatmaps of the gates and the hidden state. The models run in play_rnn.js; their weights come from
// play_lstm.js and play_gru.js, loaded by <script> tags before this one. Nothing is fetched.
(() => {
  const root = document.getElementById('rnnbook-play');
  if (!root || typeof RNNBook === 'undefined') return;
  const $ = id => document.getElementById(id);
  const make = (tag, props = {}) => Object.assign(document.createElement(tag), props);

  // ---- the widget's markup (in the notebook), made accessible here: headings in the page's order, a <label> for the
  // layer, live messages, and "The model reads" in a section of its own that goes when there is nothing read
  const prevHeading = (() => {  // the level of the last heading before the widget (the page's h1)
    const hs = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'));
    const before = hs.filter(h => !root.contains(h) && (h.compareDocumentPosition(root) & Node.DOCUMENT_POSITION_FOLLOWING));
    return before.length ? Number(before[before.length - 1].tagName[1]) : 1;
  })();
  const level = Math.min(6, prevHeading + 1);
  root.querySelectorAll('h1, h2, h3, h4, h5, h6').forEach(h => {
    if (Number(h.tagName[1]) === level) return;
    const n = make(`h${level}`, {className: `${h.className} play-heading`.trim()});
    for (const a of h.attributes) if (a.name !== 'class') n.setAttribute(a.name, a.value);
    n.append(...h.childNodes);
    h.replaceWith(n);
  });
  const heads = Array.from(root.querySelectorAll(`h${level}`));
  heads.forEach(h => h.classList.add('play-heading'));
  const layerSel = $('play-layer');
  const layerHead = layerSel && layerSel.closest('h1, h2, h3, h4, h5, h6');
  if (layerHead) {  // "Inside, layer <select>: ..." -> the heading, then a labelled choice of layer
    layerHead.textContent = 'Inside the model: a row for each word read, a column for each unit';
    const row = make('div', {className: 'play-row'});
    row.append(make('label', {className: 'play-label', htmlFor: 'play-layer', textContent: 'Layer'}), layerSel);
    layerHead.after(row);
  }
  const readHead = heads.find(h => /model reads/.test(h.textContent));
  if (readHead && !$('play-reads')) {  // the heading, the words read and the vocabulary: one section, shown or not
    const sec = make('div', {id: 'play-reads'});
    readHead.before(sec);
    sec.append(readHead, $('play-read'), $('play-vocab'));
  }
  if (!$('play-n-message')) $('play-n').closest('.play-row').after(make('div', {id: 'play-n-message', hidden: true}));
  for (const id of ['play-message', 'play-n-message']) { $(id).setAttribute('role', 'status'); $(id).setAttribute('aria-live', 'polite'); }
  $('play-topk').setAttribute('tabindex', '0');  // it scrolls: reachable with the keyboard
  $('play-topk').setAttribute('aria-label', "The model's five likeliest next words after each word it reads");

  const el = {prompt: $('play-prompt'), temp: $('play-temperature'), tempOut: $('play-temperature-value'), n: $('play-n'),
              again: $('play-again'), layer: layerSel, completion: $('completion'), message: $('play-message'),
              nMessage: $('play-n-message'), reads: $('play-reads'), read: $('play-read'), results: $('play-results'),
              vocab: $('play-vocab'), topk: $('play-topk'), maps: $('play-maps'), about: $('play-about')};
  const models = {};
  for (const [k, f] of Object.entries(window.rnnbookModels || {})) models[k] = RNNBook.load(f);
  const picked = () => (root.querySelector('input[name="play-model"]:checked') || {}).value;
  const temperature = () => Number(el.temp.value);

  // the words of a prompt: lower case, "one. two" read as "one . two", "thousand," as "thousand", "twenty-one" as
  // "twenty one" (the words the model knows: the data has no commas or hyphens)
  const words = text => text.toLowerCase().replace(/[\u2010-\u2015-]/g, ' ').replace(/[,;:!?"'()\u201c\u201d\u2018\u2019]/g, ' ')
    .replace(/\./g, ' . ').split(/\s+/).filter(Boolean);
  const esc = s => s.replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'})[c]);
  const fmt = p => p < 0.005 ? '<1%' : `${Math.round(100 * p)}%`;

  function say(box, msg) { box.textContent = msg || ''; box.hidden = !msg; }
  function clear(msg, {reads = false} = {}) {
    say(el.message, msg);
    el.results.hidden = !!msg;  // nothing to show but the message
    el.reads.hidden = !reads;   // no "The model reads" over nothing
    for (const e of [el.completion, el.topk, el.maps, el.read]) e.textContent = '';
  }

  // each word read, with the five words the model finds likeliest after it (the one written next in bold), each with
  // its probability as a bar under it
  function showTopk(m, steps, nPrompt, next) {
    el.topk.innerHTML = steps.map((s, j) => {
      const p = RNNBook.softmax(s.logits), top = Array.from(p.keys()).sort((a, b) => p[b] - p[a]).slice(0, 5);
      const chosen = next[j];
      return `<div class="play-step${j < nPrompt ? '' : ' play-written'}"><span class="play-word">${esc(m.vocab[s.tok])}</span>` +
        '<span class="play-cands">' +
        top.map(k => `<span class="play-cand${k === chosen ? ' play-chosen' : ''}" title="${esc(m.vocab[k])}: ${p[k].toFixed(4)}">` +
          `<code>${esc(m.vocab[k])}</code> ${esc(fmt(p[k]))}<span class="play-bar" style="width:${(100 * p[k]).toFixed(1)}%"></span></span>`).join('') +
        '</span></div>';
    }).join('');
  }

  // one heatmap per gate and for the hidden state: a row for each word read, a column for each unit; drawn at the
  // screen's pixel density, in the page's colours (light or dark)
  const GATES = {lstm: [['i', 'input gate'], ['f', 'forget gate'], ['g', 'cell input'], ['o', 'output gate'], ['h', 'hidden state']],
                 gru: [['r', 'reset gate'], ['z', 'update gate'], ['n', 'new state'], ['h', 'hidden state']]};
  const SIGMOID = new Set(['i', 'f', 'o', 'r', 'z']);  // in (0, 1); the others in (-1, 1)
  const rgb = c => (c.match(/[\d.]+/g) || [0, 0, 0]).slice(0, 3).map(Number);
  function pageColours() {
    const cs = getComputedStyle(el.maps), bg = (() => {
      for (let e = el.maps; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor, a = (c.match(/[\d.]+/g) || [])[3];
        if (c && c !== 'transparent' && !(a !== undefined && Number(a) === 0)) return rgb(c);
      }
      return [255, 255, 255];
    })();
    const dark = document.documentElement.dataset.theme === 'dark';
    return {text: cs.color, muted: getComputedStyle(el.about).color, bg, dark,
            pos: dark ? [110, 160, 255] : [30, 90, 220], neg: dark ? [255, 110, 110] : [210, 30, 30]};
  }
  const mix = (a, b, t) => `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * t)).join(',')})`;
  function showMaps(m, steps, nPrompt) {
    const l = Math.min(Number(el.layer.value) || 0, m.n_layers - 1), cw = 4, rh = 10, left = 78;
    const col = pageColours(), dpr = window.devicePixelRatio || 1, zero = col.dark ? 'black' : 'white';
    el.maps.textContent = '';
    el.maps.dataset.dpr = String(dpr);
    const read = steps.map(s => m.vocab[s.tok]);
    for (const [g, title] of GATES[m.kind]) {
      const fig = make('div', {className: 'play-map'}), cv = make('canvas'), cap = make('div', {className: 'play-caption'});
      const nh = m.n_hidden, w = left + nh * cw, h = steps.length * rh + 2;
      cv.width = Math.round(w * dpr); cv.height = Math.round(h * dpr);
      cv.style.maxWidth = `${w}px`;
      const cx = cv.getContext('2d');
      cx.scale(dpr, dpr);
      cx.font = '10px sans-serif'; cx.textBaseline = 'middle'; cx.textAlign = 'right';
      steps.forEach((s, j) => {
        cx.fillStyle = j < nPrompt ? col.text : col.muted;
        cx.fillText(m.vocab[s.tok], left - 6, j * rh + rh / 2 + 1);
        const v = s.layers[l][g];
        for (let k = 0; k < nh; k++) {
          const x = v[k];
          cx.fillStyle = SIGMOID.has(g) ? mix(col.bg, col.pos, Math.max(0, Math.min(1, x)))
                                        : mix(col.bg, x >= 0 ? col.pos : col.neg, Math.min(1, Math.abs(x)));
          cx.fillRect(left + k * cw, j * rh + 1, cw, rh);
        }
      });
      if (nPrompt < steps.length) { cx.fillStyle = col.text; cx.fillRect(left, nPrompt * rh, nh * cw, 1); }  // the prompt ends
      const scale = SIGMOID.has(g) ? `0 ${zero}, 1 blue` : `-1 red, 0 ${zero}, 1 blue`;
      cap.innerHTML = `<b>${g}</b> ${title} (${scale})`;
      const alt = `Heatmap of the ${title} (${g}) of layer ${l + 1}, ${scale}: a row for each of the ${steps.length} words read ` +
        `(${read.slice(0, nPrompt).join(' ')}, then the model's own: ${read.slice(nPrompt).join(' ') || 'none'}), ` +
        `a column for each of its ${nh} units.`;
      cv.setAttribute('role', 'img');
      cv.setAttribute('aria-label', alt);
      cv.textContent = alt;  // the fallback text
      fig.append(cap, cv);
      el.maps.append(fig);
    }
  }

  // the number of words to write: a whole number in the box's range, else a message that says the range
  function wordCount() {
    const lo = Number(el.n.min || 0), hi = Number(el.n.max || 200), v = el.n.value.trim(), range = `from ${lo} to ${hi}`;
    const bad = why => ({n: null, msg: `Words: ${why}. Give a whole number ${range}.`});
    if (el.n.validity && el.n.validity.badInput) return bad('that is not a number');
    if (v === '') return bad('no number given');
    if (!/^[+-]?\d+(\.\d*)?(e[+-]?\d+)?$/i.test(v)) return bad(`"${v}" is not a number`);
    const n = Number(v);
    if (!Number.isInteger(n)) return bad(`${v} is not a whole number`);
    if (n < lo) return bad(`${n} is fewer than ${lo}`);
    if (n > hi) return bad(`${n} is more than the ${hi} the page writes at most`);
    return {n, msg: ''};
  }

  let shown = null;  // what is on show: `key|prompt words|n|temperature|layer`, so that a keystroke changing nothing redraws nothing
  // `final`: judge every word of the prompt. While the reader types (`final` false) the last word, not yet followed by
  // a space, may be half a word: it is read if it is a word of the model's, and otherwise left out, without an error
  function render(final = true) {
    el.tempOut.textContent = temperature() > 0 ? temperature().toFixed(1) : 'greedy';
    const m = models[picked()];
    if (!m) return clear("This model's weights did not load.");
    if (el.layer.options.length !== m.n_layers) {  // a choice of layer, the last one first
      el.layer.innerHTML = Array.from({length: m.n_layers}, (_, l) => `<option value="${l}">${l + 1}</option>`).join('');
      el.layer.value = String(m.n_layers - 1);
    }
    el.about.textContent = `${m.model}, recipe '${m.recipe}', seed ${m.seed}: ${m.n_layers} layers of ${m.n_hidden} units, ` +
      `validation accuracy ${Number(m.accuracy).toFixed(3)}`;
    let ws = words(el.prompt.value);
    const typing = !final && ws.length && !/[\s.,;:!?-]$/.test(el.prompt.value);
    if (typing && RNNBook.encode(m, ws.slice(-1))[0] < 0) {
      ws = ws.slice(0, -1);  // half a word: not judged yet
      if (!ws.length) return;  // nothing complete to read yet: what is shown stays
    }
    const cnt = wordCount();
    say(el.nMessage, cnt.msg);
    el.n.setAttribute('aria-invalid', String(!!cnt.msg));
    if (!ws.length) { shown = null; return clear('Type the start of a count for the model to continue, e.g. "eight thousand one hundred".'); }
    const toks = RNNBook.encode(m, ws), bad = ws.filter((w, j) => toks[j] < 0);
    el.vocab.hidden = !bad.length;
    if (bad.length) {
      shown = null;
      clear(`${[...new Set(bad)].map(w => `"${w}"`).join(', ')} ${new Set(bad).size > 1 ? 'are' : 'is'} not among the model's ` +
            `${m.vocab.length} words (listed below): it can read only those.`, {reads: true});
      el.read.innerHTML = ws.map((w, j) => toks[j] < 0 ? `<mark class="play-unknown">${esc(w)}</mark>` : esc(w)).join(' ');
      return;
    }
    if (cnt.n === null) return;  // a bad word count: its message says why, and the last continuation stays
    const key = [picked(), ws.join(' '), cnt.n, temperature(), el.layer.value, document.documentElement.dataset.theme,
                 window.devicePixelRatio].join('|');
    if (key === shown && temperature() === 0) return;
    clear('', {reads: true});
    shown = key;
    const res = RNNBook.complete(m, toks, cnt.n, temperature());
    el.read.textContent = ws.join(' ');
    el.completion.textContent = res.words.join(' ');
    showTopk(m, res.steps, toks.length, res.steps.map((s, j) => j + 1 < toks.length ? toks[j + 1] : res.tokens[j + 1 - toks.length]));
    showMaps(m, res.steps, toks.length);
  }

  // the vocabulary, shown when a word is not in it
  el.vocab.innerHTML = '<span>The vocabulary:</span> ' +
    (Object.values(models)[0] || {vocab: []}).vocab.map(w => `<code>${esc(w)}</code>`).join(' ');
  // the prompt (and the model) in the address: play.html?prompt=eight thousand one hundred&model=gru
  const q = new URLSearchParams(location.search);
  if (q.has('prompt')) el.prompt.value = q.get('prompt');
  const want = root.querySelector(`input[name="play-model"][value="${q.get('model')}"]`);
  if (want) want.checked = true;
  if (q.has('t') && Number(q.get('t')) >= 0) el.temp.value = q.get('t');
  el.prompt.addEventListener('input', () => render(false));
  el.prompt.addEventListener('change', () => render(true));
  el.prompt.addEventListener('blur', () => render(true));
  el.n.addEventListener('input', () => { if (!wordCount().msg) render(true); });  // a bad count is told on change
  el.n.addEventListener('change', () => render(true));
  el.temp.addEventListener('input', () => render(true));
  el.layer.addEventListener('change', () => render(true));
  root.querySelectorAll('input[name="play-model"]').forEach(r => r.addEventListener('change', () => render(true)));
  el.again.addEventListener('click', () => { shown = null; });
  $('play-form').addEventListener('submit', e => { e.preventDefault(); shown = null; render(true); });
  // the heatmaps follow the page's light or dark mode, and the screen's pixel density
  new MutationObserver(() => render(true)).observe(document.documentElement, {attributes: true, attributeFilter: ['data-theme']});
  window.addEventListener('resize', () => render(true));
  window.rnnbookPlay = {models, words, render, wordCount};
  render(true);
})();
