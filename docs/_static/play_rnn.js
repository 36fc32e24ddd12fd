// rnnbook's language models in plain JavaScript: the forward pass of notebooks 04 (LSTM), 05 (GRU) and 06a (the
// pointer), written once more, for the page "Play with the model" (notebook 11). No library. The weights come in the files that
// `rnnbook.play.export_web` writes (float16 or int8, base64), in PyTorch's layout: `W x + b` with `W` of shape (out, in).
const RNNBook = (() => {
  // ---- the weights: base64 text -> bytes -> float16 (or int8 times its row's scale) -> numbers ----
  function half(u) {  // the float16 whose 16 bits are the integer u: sign, 5 bits of exponent, 10 of mantissa
    const s = u & 0x8000 ? -1 : 1, e = (u >> 10) & 0x1f, m = u & 0x3ff;
    if (e === 0) return s * m * 2 ** -24;                 // subnormal
    if (e === 31) return m ? NaN : s * Infinity;
    return s * (1 + m / 1024) * 2 ** (e - 15);
  }
  function bytesOf(b64) { return Uint8Array.from(atob(b64), ch => ch.charCodeAt(0)); }
  function load(file) {  // the model of a weights file: its description, and each tensor as {shape, data}
    const view = new DataView(bytesOf(file.data).buffer), int8 = file.dtype === 'int8';
    const scales = int8 ? new DataView(bytesOf(file.scales).buffer) : null;  // int8: one float32 scale per row
    const t = {};
    let at = 0, row = 0;
    for (const [name, shape] of file.tensors) {
      const n = shape.reduce((a, b) => a * b, 1), rows = shape.length > 1 ? shape[0] : 1, data = new Float64Array(n);
      for (let i = 0; i < n; i++) data[i] = int8 ? view.getInt8(at + i) * scales.getFloat32(4 * (row + Math.floor(i * rows / n)), true)
                                                 : half(view.getUint16(2 * (at + i), true));  // little-endian
      t[name] = {shape, data};
      at += n; row += rows;
    }
    return {...file, data: undefined, scales: undefined, t};
  }

  // ---- the maths of nn.Linear, the gates' activations, softmax ----
  const sigmoid = x => 1 / (1 + Math.exp(-x));
  const map = (v, f) => v.map(f);  // a Float64Array in, a Float64Array out
  function linear(x, W, b) {  // F.linear(x, W, b) for one vector x: W (out, in), stored row by row
    const [nOut, nIn] = W.shape, y = new Float64Array(nOut);
    for (let r = 0; r < nOut; r++) {
      let s = b ? b.data[r] : 0;
      for (let c = 0; c < nIn; c++) s += W.data[r * nIn + c] * x[c];
      y[r] = s;
    }
    return y;
  }
  const add = (a, b) => a.map((v, k) => v + b[k]);
  const dot = (a, b) => a.reduce((s, v, k) => s + v * b[k], 0);
  const chunk = (v, n) => Array.from({length: n}, (_, k) => v.slice(k * v.length / n, (k + 1) * v.length / n));
  function softmax(logits, temperature = 1) {  // probabilities; the largest logit is taken off first (no overflow)
    const mx = Math.max(...logits), e = logits.map(l => Math.exp((l - mx) / temperature));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map(v => v / sum);
  }

  // ---- one step of a layer: notebook 04's `lstm_cell`, notebook 05's `gru_cell` ----
  // LSTM, PyTorch's gate order i, f, g, o: one product for the four gates, then c = f*c + i*g, h = o*tanh(c)
  function lstmCell(x, [h, c], w) {
    const [gi, gf, gg, go] = chunk(add(linear(x, w.w_ih, w.b_ih), linear(h, w.w_hh, w.b_hh)), 4);
    const i = map(gi, sigmoid), f = map(gf, sigmoid), g = map(gg, Math.tanh), o = map(go, sigmoid);
    const c2 = f.map((fk, k) => fk * c[k] + i[k] * g[k]);
    const h2 = o.map((ok, k) => ok * Math.tanh(c2[k]));
    return {state: [h2, c2], h: h2, gates: {i, f, g, o, c: c2}};
  }
  // GRU, PyTorch's gate order r, z, n and its variant (`reset_after=True`): r scales `W_hn h + b_hn`
  function gruCell(x, [h], w) {
    const [xr, xz, xn] = chunk(linear(x, w.w_ih, w.b_ih), 3), [hr, hz, hn] = chunk(linear(h, w.w_hh, w.b_hh), 3);
    const r = map(add(xr, hr), sigmoid), z = map(add(xz, hz), sigmoid);
    const n = xn.map((v, k) => Math.tanh(v + r[k] * hn[k]));
    const h2 = n.map((nk, k) => (1 - z[k]) * nk + z[k] * h[k]);
    return {state: [h2], h: h2, gates: {r, z, n}};
  }

  // ---- the language model: embedding, stacked layers, decoder (tied: the embedding itself) ----
  function layerWeights(m, l) {
    const w = {};
    for (const k of ['w_ih', 'w_hh', 'b_ih', 'b_hh']) w[k] = m.t[`${k}${l}`] || null;
    return w;
  }
  function initState(m) {  // zeros, as the stateful models start after `reset()`: (h, c) per LSTM layer, h per GRU layer,
    const z = () => new Float64Array(m.n_hidden);  // and for the pointer its memory: the initial state, output zeros, which read `bos`
    return {layers: Array.from({length: m.n_layers}, () => m.kind === 'lstm' ? [z(), z()] : [z()]), mem: [{h: z(), word: -1, read: m.bos}]};
  }
  // PointerLM (notebook 06a): one softmax over a score for each state in memory and the sentinel's; the vocabulary path
  // reads a word: the one the pointer would copy, or with `induct` the one after the newest state that read `tok` and,
  // where one did, the most of the `induct` - 1 words before it
  function pointer(m, h, mem, tok) {
    const t = m.t, n = h.length, q = linear(h, t.q_w, t.q_b), s = mem.map(e => dot(q, linear(e.h, t.k_w, t.k_b)) / Math.sqrt(n));
    const a = softmax([...s, linear(h, t.g_w, t.g_b)[0]]), row = w => t.emb.data.slice(w * n, (w + 1) * n);
    let v = h;
    if (m.induct) {
      let e = null, most = 0;
      mem.forEach((f, j) => {  // k: how many of the last words read match, from `tok` back, inside the memory
        let k = f.read === tok ? 1 : 0;
        while (k && k < m.induct && j - k >= 0 && mem[j - k].read === mem[mem.length - k].read) k++;
        if (k && k >= most) { e = f; most = k; }
      });
      const w = e ? row(e.word) : new Float64Array(n);  // zeros: no such state
      v = add(h, linear(linear(Float64Array.from([...h, ...w]), t.c0_w, t.c0_b).map(Math.tanh), t.c2_w, t.c2_b));
    } else if (t.c_w) {
      const ctx = new Float64Array(n);
      if (mem.length) softmax(s).forEach((b, j) => row(mem[j].word).forEach((x, k) => { ctx[k] += b * x; }));
      v = add(h, linear(ctx, t.c_w, t.c_b));
    }
    const p = softmax(linear(v, t.emb, t.dec_b || null)).map(x => x * a[mem.length]);
    mem.forEach((e, j) => { p[e.word] += a[j]; });
    return p.map(x => Math.log(Math.max(x, 1e-9)));  // log-probabilities, as PointerLM returns
  }
  function step(m, state, tok) {  // read word `tok` from `state`: the new state, the logits of the next word, the gates
    const emb = m.t.emb, nh = emb.shape[1];
    let x = emb.data.slice(tok * nh, (tok + 1) * nh);  // the embedding: row `tok`
    const cell = m.kind === 'lstm' ? lstmCell : gruCell, next = [], layers = [];
    for (let l = 0; l < m.n_layers; l++) {
      const out = cell(x, state.layers[l], layerWeights(m, l));
      next.push(out.state); layers.push({h: out.h, ...out.gates});
      x = out.h;  // a layer's output is the next layer's input (dropout is off when the model runs)
    }
    if (!m.pointer) return {state: {layers: next}, logits: linear(x, m.tied ? emb : m.t.dec_w, m.t.dec_b || null), layers};
    const mem = state.mem.map((e, j) => j === state.mem.length - 1 ? {...e, word: tok} : e);  // `tok` followed the newest state
    return {state: {layers: next, mem: [...mem, {h: x, word: -1, read: tok}].slice(-m.mem)}, logits: pointer(m, x, mem, tok), layers};
  }
  function encode(m, words) {  // word -> token index, -1 for a word outside the vocabulary
    return words.map(w => m.vocab.indexOf(w));
  }
  function pick(logits, temperature, random = Math.random) {  // greedy if temperature is 0, else a sample
    if (!(temperature > 0)) return logits.indexOf(Math.max(...logits));
    const p = softmax(logits, temperature);
    let u = random(), k = 0;
    while (k < p.length - 1 && (u -= p[k]) > 0) k++;
    return k;
  }
  // read the prompt's tokens one at a time from a fresh state, then write `n` words, each read in its turn:
  // the state is carried from word to word, as `complete` carries the stateful models' state
  function complete(m, toks, n = 30, temperature = 0, random = Math.random) {
    let state = initState(m), out = null;
    const steps = [], res = [];
    for (const tok of toks) { out = step(m, state, tok); state = out.state; steps.push({tok, ...out}); }
    for (let i = 0; i < n; i++) {
      const nxt = pick(out.logits, temperature, random);
      res.push(nxt);
      if (i < n - 1) { out = step(m, state, nxt); state = out.state; steps.push({tok: nxt, ...out}); }
    }
    return {tokens: res, words: res.map(k => m.vocab[k]), steps};
  }
  return {half, load, linear, softmax, lstmCell, gruCell, initState, pointer, step, encode, pick, complete};
})();
