// The page "Play with the model" (notebook 11): the prompt box, the continuation, each word's five likeliest next
// words, and heatmaps of the gates and the hidden state. The models run in play_rnn.js; their weights come from
// play_lstm.js and play_gru.js, loaded by <script> tags before this one. Nothing is fetched.
(() => {
  const root = document.getElementById('rnnbook-play');
  if (!root || typeof RNNBook === 'undefined') return;
  const $ = id => document.getElementById(id);
  const el = {prompt: $('play-prompt'), temp: $('play-temperature'), tempOut: $('play-temperature-value'), n: $('play-n'),
              again: $('play-again'), layer: $('play-layer'), completion: $('completion'), message: $('play-message'),
              read: $('play-read'), results: $('play-results'), vocab: $('play-vocab'), topk: $('play-topk'), maps: $('play-maps'), about: $('play-about')};
  const models = {};
  for (const [k, f] of Object.entries(window.rnnbookModels || {})) models[k] = RNNBook.load(f);
  const names = {lstm: 'LSTM', gru: 'GRU'};
  const picked = () => (root.querySelector('input[name="play-model"]:checked') || {}).value;
  const temperature = () => Number(el.temp.value);

  // the words of a prompt: lower case, and "one. two" read as "one . two"
  const words = text => text.toLowerCase().replace(/\./g, ' . ').split(/\s+/).filter(Boolean);
  const esc = s => s.replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'})[c]);
  const fmt = p => p < 0.005 ? '<1%' : `${Math.round(100 * p)}%`;

  function clear(msg) {
    el.message.textContent = msg || '';
    el.message.hidden = !msg;
    el.results.hidden = !!msg;  // nothing to show but the message
    for (const e of [el.completion, el.topk, el.maps, el.read]) e.textContent = '';
  }

  // each word read, with the five words the model finds likeliest after it (the one written next in bold)
  function showTopk(m, steps, nPrompt, next) {
    el.topk.innerHTML = steps.map((s, j) => {
      const p = RNNBook.softmax(s.logits), top = Array.from(p.keys()).sort((a, b) => p[b] - p[a]).slice(0, 5);
      const chosen = next[j];
      return `<div class="play-step${j < nPrompt ? '' : ' play-written'}"><span class="play-word">${esc(m.vocab[s.tok])}</span>` +
        top.map(k => `<span class="play-cand${k === chosen ? ' play-chosen' : ''}" title="${esc(m.vocab[k])}: ${p[k].toFixed(4)}">` +
          `<span class="play-bar" style="width:${(100 * p[k]).toFixed(1)}%"></span><code>${esc(m.vocab[k])}</code> ${esc(fmt(p[k]))}</span>`).join('') + '</div>';
    }).join('');
  }

  // one heatmap per gate and for the hidden state: a row for each word read, a column for each unit
  const GATES = {lstm: [['i', 'input gate'], ['f', 'forget gate'], ['g', 'cell input'], ['o', 'output gate'], ['h', 'hidden state']],
                 gru: [['r', 'reset gate'], ['z', 'update gate'], ['n', 'new state'], ['h', 'hidden state']]};
  const SIGMOID = new Set(['i', 'f', 'o', 'r', 'z']);  // in (0, 1); the others in (-1, 1)
  function colour(v, unit) {
    if (unit) { const a = Math.round(255 * (1 - v)); return `rgb(${a},${a},255)`; }  // 0 white, 1 blue
    const a = Math.round(255 * (1 - Math.min(1, Math.abs(v))));
    return v >= 0 ? `rgb(${a},${a},255)` : `rgb(255,${a},${a})`;  // -1 red, 0 white, 1 blue
  }
  function showMaps(m, steps, nPrompt) {
    const l = Math.min(Number(el.layer.value) || 0, m.n_layers - 1), cw = 4, rh = 10, left = 78;
    el.maps.textContent = '';
    for (const [g, title] of GATES[m.kind]) {
      const fig = document.createElement('div'), cv = document.createElement('canvas'), cap = document.createElement('div');
      const nh = m.n_hidden;
      cv.width = left + nh * cw; cv.height = steps.length * rh + 2;
      const cx = cv.getContext('2d');
      cx.font = '10px sans-serif'; cx.textBaseline = 'middle'; cx.textAlign = 'right';
      steps.forEach((s, j) => {
        cx.fillStyle = j < nPrompt ? '#222' : '#777';
        cx.fillText(m.vocab[s.tok], left - 6, j * rh + rh / 2 + 1);
        const v = s.layers[l][g];
        for (let k = 0; k < nh; k++) { cx.fillStyle = colour(v[k], SIGMOID.has(g)); cx.fillRect(left + k * cw, j * rh + 1, cw, rh); }
      });
      if (nPrompt < steps.length) { cx.fillStyle = '#000'; cx.fillRect(left, nPrompt * rh, nh * cw, 1); }  // the prompt ends
      cap.innerHTML = `<b>${g}</b> ${title}${SIGMOID.has(g) ? ' (0 white, 1 blue)' : ' (-1 red, 0 white, 1 blue)'}`;
      fig.className = 'play-map'; cap.className = 'play-caption';
      fig.append(cap, cv);
      el.maps.append(fig);
    }
  }

  function render() {
    el.tempOut.textContent = temperature() > 0 ? temperature().toFixed(1) : 'greedy';
    const m = models[picked()];
    if (!m) return clear("This model's weights did not load.");
    if (el.layer.options.length !== m.n_layers) {  // a choice of layer, the last one first
      el.layer.innerHTML = Array.from({length: m.n_layers}, (_, l) => `<option value="${l}">${l + 1}</option>`).join('');
      el.layer.value = String(m.n_layers - 1);
    }
    el.about.textContent = `${m.model}, recipe '${m.recipe}', seed ${m.seed}: ${m.n_layers} layers of ${m.n_hidden} units, ` +
      `validation accuracy ${Number(m.accuracy).toFixed(3)}`;
    const ws = words(el.prompt.value);
    if (!ws.length) return clear('Type the start of a count for the model to continue, e.g. "eight thousand one hundred".');
    const toks = RNNBook.encode(m, ws), bad = ws.filter((w, j) => toks[j] < 0);
    el.vocab.hidden = !bad.length;
    if (bad.length) {
      clear(`${[...new Set(bad)].map(w => `"${w}"`).join(', ')} ${bad.length > 1 ? 'are' : 'is'} not among the model's ` +
            `${m.vocab.length} words (listed below): it can read only those.`);
      el.read.innerHTML = ws.map((w, j) => toks[j] < 0 ? `<mark class="play-unknown">${esc(w)}</mark>` : esc(w)).join(' ');
      return;
    }
    clear();
    const n = Math.max(0, Math.min(200, Math.floor(Number(el.n.value)) || 0));
    const res = RNNBook.complete(m, toks, n, temperature());
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
  for (const [e, ev] of [[el.prompt, 'input'], [el.temp, 'input'], [el.n, 'input'], [el.layer, 'change']]) e.addEventListener(ev, render);
  root.querySelectorAll('input[name="play-model"]').forEach(r => r.addEventListener('change', render));
  el.again.addEventListener('click', render);
  $('play-form').addEventListener('submit', e => { e.preventDefault(); render(); });
  window.rnnbookPlay = {models, words, render};
  render();
})();
