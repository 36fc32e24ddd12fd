"""The page "Play with the model" (nbs/11_play.ipynb), as the docs command builds it, in headless Chromium.

The page runs the LSTM and the GRU whose weights `rnnbook.play.export_web` wrote to `docs/_static/play_*.js`; the same
weights in PyTorch are `rnnbook.play.web_model(file)`. Its logits equal PyTorch's to 1e-4, its greedy continuation is
`complete`'s, an unknown word and an empty prompt get a message and no error, and it works from `file://` with nothing
fetched. The built site, its server and the browser are test_docs.py's fixtures (the site is built once a session).

On every screen and in both modes (#24, `test_screens`: 390, 1280, 1920 px, light and dark, and a screen of 2 device
pixels a CSS pixel): its text and bars in the theme's colours with a contrast of 4.5:1 (bars 3:1), the heatmaps drawn at
the screen's pixel density with readable labels, a text alternative for each and a <label> for the layer, headings in
order, and a top-5 panel that shows all five words and percentages, none cut. `test_typing`: no error for the word
being typed, a height that does not jump, "thousand," and "twenty-one" read as the words they are; `test_word_count`:
a bad number of words (negative, not a number, over the maximum) is told, with the allowed range."""
import json, re, subprocess, sys
from pathlib import Path
from urllib.parse import quote

import pytest
import test_docs as td
from test_docs import server, browser  # noqa: F401 (fixtures: the site served on 127.0.0.1, headless Chromium)

ROOT = td.ROOT
STATIC = ROOT/'docs'/'_static'
FILES = {k: STATIC/f'play_{k}.js' for k in ('lstm', 'gru')}
PROMPTS = ['eight thousand one hundred', 'one', 'nine thousand nine hundred ninety nine .', 'two . three . four . five',
           'seven hundred twelve', 'thousand hundred .']
MAX_KB = 300

@pytest.fixture(scope='session')
def site():
    "The site as `python docs/build.py` builds it (test_docs' build when that ran first in this session)"
    for m in ('sphinx', 'myst_nb', 'sphinx_book_theme', 'mathjax'):
        pytest.importorskip(m, reason=f'docs tools missing ({m}): pip install -e ".[docs]"')
    if not td._build:
        r = subprocess.run([sys.executable, str(ROOT/'docs'/'build.py')], cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, f'docs build failed (exit status {r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-5000:]}'
    assert (td.SITE/'play.html').exists(), 'no play.html in the site'
    return td.SITE

@pytest.fixture(scope='module')
def play():
    "{key: (PyTorch model with the page's weights, the file's description)} for the page's two models"
    from rnnbook.play import web_model, read_web
    return {k: (web_model(f), read_web(f)) for k, f in FILES.items()}

def url(server, prompt=None, **kw):
    q = ([f'prompt={quote(prompt)}'] if prompt is not None else []) + [f'{k}={quote(str(v))}' for k, v in kw.items()]
    return f'{server}/play.html' + ('?' + '&'.join(q) if q else '')

def open_page(browser, u):
    "Open the page; its console errors and the requests it made to anything but the site"
    errs = browser.goto(u)
    base = u.split('/play.html')[0]
    remote = [r for r in browser.requests if not r.startswith((base, 'data:', 'blob:', 'about:'))]
    return errs, remote

def page_state(browser):
    return browser.js("""(() => { const g = id => document.getElementById(id);
      return {completion: g('completion').textContent, message: g('play-message').hidden ? '' : g('play-message').textContent,
              unknown: Array.from(document.querySelectorAll('#play-read mark.play-unknown')).map(e => e.textContent),
              read: g('play-read').textContent, vocab_shown: !g('play-vocab').hidden && g('play-vocab').offsetHeight > 0,
              reads_shown: Array.from(document.querySelectorAll('#rnnbook-play h2, #rnnbook-play h3, #rnnbook-play h4'))
                .some(h => /model reads/.test(h.textContent) && h.offsetHeight > 0),
              n_message: g('play-n-message') && !g('play-n-message').hidden ? g('play-n-message').textContent : '',
              height: g('rnnbook-play').offsetHeight,
              vocab: Array.from(document.querySelectorAll('#play-vocab code')).map(e => e.textContent),
              maps: Array.from(document.querySelectorAll('#play-maps .play-caption b')).map(e => e.textContent),
              topk: document.querySelectorAll('#play-topk .play-step').length,
              width: [document.documentElement.scrollWidth, window.innerWidth]}; })()""")

# ---- the weight files -----------------------------------------------------------------------------------------------
def test_weight_files(play):
    "Both files are committed-size (under 300 KB), hold the series' models and vocabulary, and load in PyTorch"
    from rnnbook.data import hn_data
    for k, f in FILES.items():
        assert f.exists(), f'{f.name} missing: run nbs/11_play.ipynb (or rnnbook.play.play_models)'
        assert f.stat().st_size < MAX_KB*1024, f'{f.name}: {f.stat().st_size/1024:.0f} KB'
        m, d = play[k]
        assert (d['model'], d['kind']) == {'lstm': ('PointerLM', 'lstm'), 'gru': ('GRULM', 'gru')}[k]
        assert d['vocab'] == list(hn_data()[1])
        assert d['accuracy'] > 0.8, d['accuracy']

def test_forward_pass_is_short_and_quoted():
    "play_rnn.js stays a readable 100-150 lines, and the notebook quotes it as it is"
    js = (STATIC/'play_rnn.js').read_text()
    assert 80 <= len(js.splitlines()) <= 150, len(js.splitlines())
    nb = json.loads((ROOT/'nbs'/'11_play.ipynb').read_text())
    blocks = [b for c in nb['cells'] if c['cell_type'] == 'markdown' for b in re.findall(r'```js\n(.*?)```', ''.join(c['source']), re.S)]
    assert blocks, 'the notebook quotes no JavaScript'
    for b in blocks:
        assert '\n'.join('  ' + l if l else l for l in b.rstrip('\n').splitlines()) in js, f'not in play_rnn.js:\n{b}'

# ---- the page -------------------------------------------------------------------------------------------------------
def _py_logits(model, toks):
    "PyTorch's logits after each token of `toks`, from a fresh state"
    import torch
    model.reset()
    with torch.no_grad(): out = model(torch.tensor(toks)[None])
    model.reset()
    return (out[0] if isinstance(out, tuple) else out)[0].double()

@pytest.mark.parametrize('key', list(FILES))
def test_logits_equal_pytorch(browser, server, play, key):
    "For several prompts, the page's logits after each word read (prompt, then its own words) are PyTorch's to 1e-4"
    import torch
    assert not open_page(browser, url(server))[0]
    model, d = play[key]
    for p in PROMPTS:
        toks = [d['vocab'].index(w) for w in p.split()]
        got = browser.js(f"""(() => {{ const m = rnnbookPlay.models[{json.dumps(key)}];
          const r = RNNBook.complete(m, {json.dumps(toks)}, 12, 0);
          return {{tokens: r.tokens, logits: r.steps.map(s => Array.from(s.logits))}}; }})()""")
        read = toks + got['tokens'][:-1]  # the page reads its own words back in, but the last
        want = _py_logits(model, read)
        js = torch.tensor(got['logits'], dtype=torch.float64)
        assert js.shape == want.shape, (js.shape, want.shape)
        diff = (js - want).abs().max().item()
        assert diff < 1e-4, f'{key}, {p!r}: logits differ by {diff:.2e}'
        assert got['tokens'][0] == int(want[len(toks)-1].argmax())

@pytest.mark.parametrize('key', list(FILES))
def test_greedy_is_complete(browser, server, play, key):
    "Opened with `?prompt=`, the page writes into #completion what `complete` writes for the same model"
    from rnnbook.series import complete
    model, d = play[key]
    for p in PROMPTS[:4]:
        errs, remote = open_page(browser, url(server, p, model=key))
        assert not errs and not remote, (errs, remote)
        st = page_state(browser)
        assert st['completion'] == complete(model, p, vocab=d['vocab']), (key, p)
        assert st['maps'] == (['i', 'f', 'g', 'o', 'h'] if key == 'lstm' else ['r', 'z', 'n', 'h'])
        assert st['topk'] == len(p.split()) + 30 - 1  # every word read: the prompt's, then its own but the last
        assert not st['message'] and not st['unknown']

def test_done_when(browser, server, play):
    "The issue's test: the built page with `?prompt=eight thousand one hundred` shows `complete`'s continuation (the LSTM)"
    from rnnbook.series import complete
    errs, remote = open_page(browser, f'{server}/play.html?prompt=eight thousand one hundred')
    assert not errs and not remote, (errs, remote)
    model, d = play['lstm']
    assert page_state(browser)['completion'] == complete(model, 'eight thousand one hundred', vocab=d['vocab'])
    # and without a prompt in the address, the same default
    assert not open_page(browser, url(server))[0]
    assert page_state(browser)['completion'] == complete(model, 'eight thousand one hundred', vocab=d['vocab'])

@pytest.mark.parametrize('p', [  # the default, the link example and README's
    'eight thousand one hundred', 'nine thousand nine hundred ninety', 'eight thousand one hundred ninety eight . eight thousand one hundred ninety nine .'])
def test_page_prompts_carry_on(browser, server, play, p):
    "Issue 20: the page's own prompts and README's, as they were before any model was chosen, continue the count on the page (the LSTM)"
    from rnnbook.counting import count_continues
    errs, remote = open_page(browser, f'{server}/play.html?prompt={p}')
    assert not errs and not remote, (errs, remote)
    wrote = page_state(browser)['completion']
    assert count_continues(p, wrote), (p, wrote)

def test_unknown_word(browser, server, play):
    "A word outside the vocabulary is marked, the vocabulary shown, nothing written, and no error"
    errs, remote = open_page(browser, url(server, 'eight thousand and one zillion'))
    assert not errs and not remote, (errs, remote)
    st = page_state(browser)
    assert st['unknown'] == ['and', 'zillion'] and '"and"' in st['message'] and '"zillion"' in st['message'], st
    assert st['vocab_shown'] and st['vocab'] == play['lstm'][1]['vocab']
    assert st['completion'] == '' and st['topk'] == 0 and st['maps'] == []

def test_empty_prompt(browser, server, play):
    "An empty prompt (in the address, or typed) gets a message, not an exception"
    from rnnbook.series import complete
    for p in ('', '   '):
        errs, remote = open_page(browser, url(server, p))
        assert not errs and not remote, (errs, remote)
        st = page_state(browser)
        assert st['message'] and 'eight thousand one hundred' in st['message'] and st['completion'] == '', st
    # typing: a prompt, then nothing, then a prompt again
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    box = browser.driver.find_element(By.ID, 'play-prompt')
    box.send_keys('one')
    assert page_state(browser)['completion'] == complete(play['lstm'][0], 'one', vocab=play['lstm'][1]['vocab'])
    box.send_keys(Keys.BACK_SPACE * 3)
    st = page_state(browser)
    assert st['message'] and st['completion'] == ''
    assert not st['reads_shown'], 'an empty prompt leaves "The model reads" over nothing'
    assert not [e for e in browser.logs('browser') if e['level'] == 'SEVERE']

def test_switch_and_sample(browser, server, play):
    "The model switch runs the GRU; a temperature samples words of the vocabulary; the page fits a phone"
    from rnnbook.series import complete
    from selenium.webdriver.common.by import By
    assert not open_page(browser, url(server))[0]
    browser.driver.find_element(By.CSS_SELECTOR, 'input[name="play-model"][value="gru"]').click()
    gru, d = play['gru']
    assert page_state(browser)['completion'] == complete(gru, 'eight thousand one hundred', vocab=d['vocab'])
    errs, _ = open_page(browser, url(server, 'one . two', t=1.5))
    assert not errs
    ws = page_state(browser)['completion'].split()
    assert len(ws) == 30 and set(ws) <= set(d['vocab'])
    assert browser.js("document.getElementById('play-temperature-value').textContent") == '1.5'
    browser.viewport(390, td.HEIGHT)
    try:
        w = page_state(browser)['width']
        assert w[0] <= w[1], f'the page scrolls sideways at 390 px: {w}'
    finally: browser.viewport()

def test_file_url(browser, site, play):
    "Saved to disk and opened from file://, the page works the same, and fetches nothing"
    from rnnbook.series import complete
    u = (site/'play.html').as_uri() + '?prompt=' + quote('nine thousand nine hundred')
    errs = browser.goto(u)
    assert not errs, errs
    remote = [r for r in browser.requests if not r.startswith(('file:', 'data:', 'blob:', 'about:'))]
    assert not remote, remote
    assert page_state(browser)['completion'] == complete(play['lstm'][0], 'nine thousand nine hundred', vocab=play['lstm'][1]['vocab'])

def test_screenshot(browser, server):
    "A screenshot of the page for a person to look at"
    td.ARTIFACTS.mkdir(exist_ok=True)
    assert not open_page(browser, url(server))[0]
    browser.screenshot(td.ARTIFACTS/'play.png')
    for part in ('completion', 'play-maps'):
        browser.js(f"document.getElementById('{part}').scrollIntoView()")
        browser.screenshot(td.ARTIFACTS/f'play-{part}.png')
    with td.mode(browser, server, 'dark'):  # dark mode, and a phone in dark mode
        assert not open_page(browser, url(server))[0]
        browser.js("document.getElementById('rnnbook-play').scrollIntoView()")
        browser.screenshot(td.ARTIFACTS/'play-dark.png')
        browser.js("document.getElementById('play-maps').scrollIntoView()")
        browser.screenshot(td.ARTIFACTS/'play-dark-maps.png')
        browser.viewport(390, td.SIZES[390])
        try:
            assert not open_page(browser, url(server))[0]
            browser.js("document.getElementById('play-topk').scrollIntoView()")
            browser.screenshot(td.ARTIFACTS/'play-dark-phone.png')
        finally: browser.viewport()

# ---- #24: every screen, light and dark; typing; the number of words ----------------------------------------------
_SCREEN_JS = td.CONTRAST_JS + r"""return (() => {
  const C = window.__rnnbookContrast, root = document.getElementById('rnnbook-play'), bad = [];
  const shown = e => e.offsetWidth > 0 && e.offsetHeight > 0;
  const what = e => `<${e.tagName.toLowerCase()} id="${e.id}" class="${e.className}"> ${(e.textContent || '').trim().slice(0, 30)}`;
  // text: 4.5:1 (3:1 when large)
  const texts = Array.from(root.querySelectorAll('*')).filter(e => shown(e) && e.tagName != 'CANVAS' &&
    Array.from(e.childNodes).some(n => n.nodeType == 3 && n.textContent.trim()));
  for (const e of texts) {
    const cs = getComputedStyle(e), size = parseFloat(cs.fontSize), r = C.text(e);
    if (r < (size >= 24 || (size >= 18.66 && +cs.fontWeight >= 700) ? 3 : 4.5)) bad.push(`text ${r.toFixed(2)}:1 ${what(e)}`);
  }
  for (const e of root.querySelectorAll('input[type=text], input[type=number], select')) {
    const r = C.text(e); if (r < 4.5) bad.push(`field ${r.toFixed(2)}:1 ${what(e)}`);
  }
  // the probability bars: 3:1 against what is behind them (WCAG's non-text contrast)
  const bars = Array.from(root.querySelectorAll('.play-bar')).filter(b => b.offsetWidth > 2);
  for (const b of bars.slice(0, 50)) {
    const r = C.ratio(C.over(C.parse(getComputedStyle(b).backgroundColor), C.bg(b.parentElement)), C.bg(b.parentElement));
    if (r < 3) { bad.push(`a bar ${r.toFixed(2)}:1`); break; }
  }
  // the top-5 panel: five words and percentages after every word read, none cut off or hidden
  const steps = Array.from(root.querySelectorAll('#play-topk .play-step'));
  for (const s of steps) {
    const cands = Array.from(s.querySelectorAll('.play-cand'));
    if (cands.filter(shown).length != 5) { bad.push(`a step shows ${cands.filter(shown).length} of 5 words: ${s.textContent}`); break; }
    const cut = cands.filter(c => c.scrollWidth > c.clientWidth + 1 || getComputedStyle(c).textOverflow == 'ellipsis' && getComputedStyle(c).overflow == 'hidden' ||
                                  c.getBoundingClientRect().right > s.getBoundingClientRect().right + 1);
    if (cut.length) { bad.push(`cut off: ${cut.map(c => c.textContent.trim()).join(', ')} (${cut[0].scrollWidth} px in ${cut[0].clientWidth} px)`); break; }
  }
  // the heatmaps: at the screen's pixel density, each with a text alternative, their labels readable
  const dpr = window.devicePixelRatio, bg = C.bg(document.getElementById('play-maps'));
  const canvases = Array.from(root.querySelectorAll('#play-maps canvas'));
  for (const cv of canvases) {
    const css = parseFloat(cv.style.maxWidth) || cv.getBoundingClientRect().width;
    if (Math.abs(cv.width - Math.round(css * dpr)) > 1) bad.push(`a canvas of ${cv.width} pixels for ${css} CSS px at ${dpr} pixels a px`);
    if (cv.getAttribute('role') != 'img' || (cv.getAttribute('aria-label') || '').length < 20 || !cv.textContent.trim())
      bad.push(`a canvas without a text alternative: ${cv.getAttribute('aria-label')}`);
    // the labels: the most contrasted pixel of the label column, over the page's background
    const d = cv.getContext('2d').getImageData(0, 0, Math.round(70 * dpr), Math.min(cv.height, Math.round(60 * dpr))).data;
    let best = 1;
    for (let i = 0; i < d.length; i += 4) best = Math.max(best, C.ratio(C.over([d[i], d[i + 1], d[i + 2], d[i + 3] / 255], bg), bg));
    if (best < 4.5) bad.push(`heatmap labels at ${best.toFixed(2)}:1`);
  }
  // headings in order (h1, then h2...), a label for every field
  const hs = Array.from(document.querySelectorAll('article h1, article h2, article h3, article h4, article h5, article h6')).map(h => +h.tagName[1]);
  hs.forEach((l, i) => { if (i && l > hs[i - 1] + 1) bad.push(`a heading jumps from h${hs[i - 1]} to h${l}`); });
  for (const f of root.querySelectorAll('input, select'))
    if (!(f.labels && f.labels.length) && !f.closest('label') && !f.getAttribute('aria-label')) bad.push(`a field without a label: ${what(f)}`);
  if (document.documentElement.scrollWidth > innerWidth) bad.push(`the page is ${document.documentElement.scrollWidth} px wide`);
  return {theme: document.documentElement.dataset.theme, dpr, steps: steps.length, canvases: canvases.length, bad};
})()"""

@pytest.mark.parametrize('width,which,dpr', [(390, 'light', 1), (390, 'dark', 2), (1280, 'light', 1), (1280, 'dark', 1),
                                             (1920, 'dark', 2)])
def test_screens(browser, server, width, which, dpr):
    "Readable in light and dark, on a phone and wide screens, crisp on a dense screen; and so is an unknown word's message"
    browser.driver.execute_cdp_cmd('Emulation.setDeviceMetricsOverride',
                                   {'width': width, 'height': td.SIZES[width], 'deviceScaleFactor': dpr, 'mobile': False})
    try:
        with td.mode(browser, server, which):
            assert not open_page(browser, url(server))[0]
            r = browser.driver.execute_script(_SCREEN_JS)
            assert r['theme'] == which and r['dpr'] == dpr, r
            assert r['steps'] > 30 and r['canvases'] == 5, r
            assert not r['bad'], f'{width} px, {which}, {dpr}x:\n' + '\n'.join(r['bad'][:12])
            if width == 390 or which == 'dark':
                assert not open_page(browser, url(server, 'eight thousand and one zillion'))[0]
                r = browser.driver.execute_script(_SCREEN_JS)
                assert not r['bad'], f'an unknown word, {width} px, {which}:\n' + '\n'.join(r['bad'][:12])
                assert page_state(browser)['unknown'] == ['and', 'zillion']
    finally:
        browser.driver.execute_cdp_cmd('Emulation.clearDeviceMetricsOverride', {})
        browser.viewport()

def test_typing(browser, server, play):
    """Typed a key at a time, the prompt gets no error for the word being typed and the box does not jump; a word is
    judged once complete (a space after it, or the box left); "thousand," and "twenty-one" are read as their words"""
    from rnnbook.series import complete
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    model, d = play['lstm']
    assert not open_page(browser, url(server))[0]
    box = browser.driver.find_element(By.ID, 'play-prompt')
    box.send_keys(Keys.CONTROL, 'a'); box.send_keys(Keys.BACK_SPACE)
    prompt, heights = 'eight thousand one hundred two', []
    for i, ch in enumerate(prompt):
        box.send_keys(ch)
        st = page_state(browser)
        assert not st['unknown'] and 'not among' not in st['message'], f'an error while typing {prompt[:i+1]!r}: {st["message"]}'
        if i >= 5: heights.append(st['height'])  # "eight" and on: the model reads
    jumps = [b - a for a, b in zip(heights, heights[1:])]
    assert max(map(abs, jumps)) < 80, f'the box jumps while typing: heights {heights}'
    assert page_state(browser)['completion'] == complete(model, prompt, vocab=d['vocab'])
    box.send_keys(' zillio')
    assert 'not among' not in page_state(browser)['message'], 'an error for a word being typed'
    box.send_keys('n', Keys.TAB)  # the box left: the word is complete
    st = page_state(browser)
    assert st['unknown'] == ['zillion'] and '"zillion"' in st['message'], st
    # punctuation and hyphens: the words they are
    for typed, read in [('eight thousand, one hundred twenty-one', 'eight thousand one hundred twenty one'),
                        ('Nine thousand. Twenty\u2013two', 'nine thousand . twenty two')]:
        box.send_keys(Keys.CONTROL, 'a'); box.send_keys(typed, Keys.ENTER)
        st = page_state(browser)
        assert not st['message'] and not st['unknown'] and st['read'] == read, (typed, st)
        assert st['completion'] == complete(model, read, vocab=d['vocab'])
    assert not [e for e in browser.logs('browser') if e['level'] == 'SEVERE']

def test_word_count(browser, server, play):
    "A bad number of words (negative, not a number, none, over the maximum) is told with the allowed range; a good one writes that many"
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    assert not open_page(browser, url(server))[0]
    n = browser.driver.find_element(By.ID, 'play-n')
    lo, hi = n.get_attribute('min'), n.get_attribute('max')
    for typed, why in [('-3', 'fewer than'), ('abc', 'number'), ('', 'no number'), ('500', 'more than'), ('2.5', 'whole number')]:
        n.send_keys(Keys.CONTROL, 'a'); n.send_keys(Keys.BACK_SPACE)
        if typed: n.send_keys(typed)
        n.send_keys(Keys.TAB)
        st = page_state(browser)
        assert why in st['n_message'] and f'from {lo} to {hi}' in st['n_message'], (typed, st['n_message'])
        assert not st['message'], st['message']
    n.send_keys(Keys.CONTROL, 'a'); n.send_keys('5', Keys.TAB)
    st = page_state(browser)
    assert not st['n_message'] and len(st['completion'].split()) == 5, st
