"""The page "Play with the model" (nbs/11_play.ipynb), as the docs command builds it, in headless Chromium.

The page runs the LSTM and the GRU whose weights `rnnbook.play.export_web` wrote to `docs/_static/play_*.js`; the same
weights in PyTorch are `rnnbook.play.web_model(file)`. Its logits equal PyTorch's to 1e-4, its greedy continuation is
`complete`'s, an unknown word and an empty prompt get a message and no error, and it works from `file://` with nothing
fetched. The built site, its server and the browser are test_docs.py's fixtures (the site is built once a session)."""
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
        assert (d['model'], d['kind']) == {'lstm': ('LMModel7', 'lstm'), 'gru': ('GRULM', 'gru')}[k]
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
    browser.viewport(400, td.HEIGHT)
    try:
        w = page_state(browser)['width']
        assert w[0] <= w[1], f'the page scrolls sideways at 400 px: {w}'
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
