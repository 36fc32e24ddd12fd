"""The docs site, tested as a reader sees it: built with `python docs/build.py`, opened in headless Chromium.

The build runs Sphinx with `-W --keep-going`, so a Sphinx warning is a build error (exit status 1, every warning
reported). Chromium is driven with Selenium 4 through Debian's `chromium` and `chromium-driver` (found on PATH, never
downloaded); the site is served on 127.0.0.1. Skips (with the reason) when the docs tools, Selenium, Chromium or
chromedriver are missing. Screenshots go to `test-artifacts/`."""
import html, json, os, re, shutil, subprocess, sys, threading, time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/'docs'))
import build as docs  # docs/build.py
from readme import render_readme

SITE, ARTIFACTS = docs.OUT, ROOT/'test-artifacts'
NBS = docs.series()
PAGES = [docs.page_name(p) for p in NBS]
INFO = docs.project_info()

def test_readme_in_sync():
    "README.md is generated from nbs/index.ipynb (`python docs/readme.py`); this fails when they drift"
    readme = ROOT/'README.md'
    assert readme.exists(), 'README.md is missing: run `python docs/readme.py`'
    assert readme.read_text() == render_readme(), 'README.md differs from nbs/index.ipynb: run `python docs/readme.py`'

def test_page_names():
    "Pages are named as nbdev names them, so the modules' `Docs:` links are right"
    assert docs.page_name('00_data.ipynb') == 'data' and docs.page_name('index.ipynb') == 'index'
    assert docs.page_name('10_cli.ipynb') == 'cli'
    assert docs.relink('[a](01_first_lm.ipynb#x) [b](nbs/99_none.ipynb)', lambda n, a: f'{n}.html{a}',
                       existing={'01_first_lm.ipynb'}) == '[a](first_lm.html#x) b'

# ---- what each notebook should show, read from its JSON ------------------------------------------------------------
_re_math = re.compile(r'(?<![\\$])\$\$?[^$\n]+\$\$?|\\begin\{(equation|align)')

def _plain(md):
    "Text of one line of markdown, as a browser shows it"
    return re.sub(r'[`*]|(?<!\w)_|_(?!\w)', '', re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', md)).strip()

def _strip_code(md): return re.sub(r'`[^`\n]*`', '', re.sub(r'```.*?```', '', md, flags=re.S))

def expect(nb_path):
    "What the page of `nb_path` must show (or not), from the notebook itself"
    from fastcore.nbio import read_nb
    nb = read_nb(nb_path)
    shown = [c for c in nb.cells if 'hide' not in c.directives]
    outs = [o for c in shown if c.cell_type == 'code' for o in c.get('outputs', [])]
    htmls = [''.join(o.get('data', {}).get('text/html', '')) for o in outs]
    hidden = [l.strip() for c in nb.cells if 'hide' in c.directives for l in c.source.splitlines()]
    visible_src = '\n'.join(c.source for c in shown)
    title = next((_plain(c.source.strip().splitlines()[0][2:]) for c in nb.cells
                  if c.cell_type == 'markdown' and c.source.lstrip().startswith('# ')), None)
    api = [n for c in docs.proc_nb(nb_path).cells for _, n in docs.cell_api(c, docs.default_exp(nb))]
    return dict(
        title=title,
        train_table=any('<table' in h and '>epoch<' in h for h in htmls),
        table=any('<table' in h for h in htmls),
        plot=any({'image/png', 'image/svg+xml', 'image/jpeg'} & set(o.get('data', {})) for o in outs),
        maths=any(_re_math.search(_strip_code(c.source)) for c in shown if c.cell_type == 'markdown'),
        hidden=[l for l in hidden if len(l) > 12 and not l.startswith('#') and l not in visible_src],
        api=api)

# ---- fixtures: the built site, a server, a browser -----------------------------------------------------------------
@pytest.fixture(scope='session')
def site():
    for m in ('sphinx', 'myst_nb', 'sphinx_book_theme', 'mathjax'):
        pytest.importorskip(m, reason=f'docs tools missing ({m}): pip install -e ".[docs]"')
    r = subprocess.run([sys.executable, str(ROOT/'docs'/'build.py'), '--fresh'], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    # Sphinx runs with -W --keep-going: it writes every page even when it warns, then exits with 1 (2: it crashed)
    assert r.returncode in (0, 1) and (SITE/'index.html').exists(), \
        f'docs build failed (exit status {r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-5000:]}'
    _build.append(r)
    return SITE

_build = []

def test_build_clean(site):
    "The site builds without a Sphinx warning or error (an API name that can't be imported, a bad link, bad rST...)"
    r = _build[0]
    # Sphinx's own verdict (-W): exit status 1 when it warned; each warning is in stderr (tracebacks shortened here)
    warnings = '\n'.join(l for l in r.stderr.splitlines() if l.strip() and not l.startswith(' '))
    assert r.returncode == 0, f'Sphinx warnings (errors under -W):\n{warnings[:6000]}'
    # build.py skips a notebook it cannot read (or whose page name is taken): every notebook must have been staged
    unstaged = [p.name for p in NBS if not (docs.STAGE/f'{docs.page_name(p)}.ipynb').exists()]
    assert not unstaged, f'notebooks not published (see "docs: skipping" in the build output): {unstaged}\n{r.stderr[-3000:]}'

class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args): pass

@pytest.fixture(scope='session')
def server(site):
    srv = ThreadingHTTPServer(('127.0.0.1', 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{srv.server_address[1]}'
    srv.shutdown(); srv.server_close()

def _which(*names): return next((p for p in map(shutil.which, names) if p), None)

WIDTH, HEIGHT = 1280, 900  # the viewport every page is looked at in

class Browser:
    "A Selenium `driver` on headless Chromium, with `goto`: open a page, wait for its maths, collect its errors and requests"
    def __init__(self, driver): self.driver, self.requests = driver, []

    def js(self, expr): return self.driver.execute_script(f'return {expr}')

    def logs(self, kind):
        "Entries of chromedriver's `kind` log ('browser': the console; 'performance': DevTools events) since the last call"
        return self.driver.get_log(kind)

    def viewport(self, width=WIDTH, height=HEIGHT):
        "Size the window so that the page itself gets `width` x `height` CSS pixels"
        self.driver.set_window_size(width, height)
        w, h = self.js('[window.innerWidth, window.innerHeight]')
        if (w, h) != (width, height): self.driver.set_window_size(2*width - w, 2*height - h)

    def goto(self, url):
        "Open `url`, wait for it to load and MathJax to finish; the console errors and failed loads it produced"
        self.logs('browser'); self.logs('performance')  # drop what earlier pages left
        self.driver.get(url)  # returns once the load event has fired
        self.js('(async () => { const M = window.MathJax; if (M && M.startup && M.startup.promise) '
                'await M.startup.promise; await document.fonts.ready; return 1 })()')  # WebDriver awaits the promise
        time.sleep(0.2)
        # console.error/assert, uncaught exceptions, resources that failed to load (source 'network')
        errs = [f"{e['message']} ({e.get('source', '')})" for e in self.logs('browser') if e['level'] == 'SEVERE']
        events = [json.loads(e['message'])['message'] for e in self.logs('performance')]
        for e in events:
            p = e.get('params', {})
            if e.get('method') == 'Network.loadingFailed' and not p.get('canceled'):
                errs.append(f"load failed: {p.get('errorText')}")
        self.requests = [e['params']['request']['url'] for e in events if e.get('method') == 'Network.requestWillBeSent']
        return errs

    def screenshot(self, fn): assert self.driver.get_screenshot_as_file(str(fn)), f'could not write {fn}'

@pytest.fixture(scope='session')
def browser(server):
    pytest.importorskip('selenium', minversion='4.13', reason='selenium>=4.13 missing: pip install -e ".[docs]"')
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    exe, drv = _which('chromium', 'chromium-browser', 'google-chrome'), _which('chromedriver')
    if not exe: pytest.skip('chromium not installed (apt-get install -y chromium chromium-driver)')
    if not drv: pytest.skip('chromedriver not installed (apt-get install -y chromium-driver)')
    opts = webdriver.ChromeOptions()
    opts.binary_location = exe  # with the driver's path in `Service` too, Selenium Manager is never run
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
              '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
              '--hide-scrollbars', f'--window-size={WIDTH},{HEIGHT}'):
        opts.add_argument(a)
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL', 'performance': 'ALL'})
    old = os.environ.get('SE_OFFLINE')
    os.environ['SE_OFFLINE'] = 'true'  # should Selenium Manager run after all, it must not download a browser or driver
    try: driver = webdriver.Chrome(options=opts, service=Service(executable_path=drv, log_output=subprocess.DEVNULL))
    except Exception as e: pytest.fail(f'chromium did not start through {drv} ({exe}): {e}')
    try:
        driver.set_page_load_timeout(60); driver.set_script_timeout(30)
        b = Browser(driver)
        b.viewport()
        yield b
    finally:
        driver.quit()
        if old is None: os.environ.pop('SE_OFFLINE', None)
        else: os.environ['SE_OFFLINE'] = old

_PAGE_JS = r'''(() => {
  const art = document.querySelector('article') || document.body;
  const h1 = art.querySelector('h1'); let title = null;
  if (h1) { const c = h1.cloneNode(true); c.querySelectorAll('.headerlink').forEach(e => e.remove()); title = c.textContent.trim(); }
  const outs = Array.from(art.querySelectorAll('.cell_output'));
  const tables = outs.flatMap(o => Array.from(o.querySelectorAll('table')));
  const imgs = outs.flatMap(o => Array.from(o.querySelectorAll('img')));
  const mathText = Array.from(art.querySelectorAll('.math')).map(e => e.textContent);
  const clone = art.cloneNode(true); clone.querySelectorAll('pre, code, mjx-container, script').forEach(e => e.remove());
  return {
    title, text: art.innerText, prose: clone.innerText,
    code: Array.from(art.querySelectorAll('div.highlight pre')).map(e => e.innerText).join('\n'),
    hrefs: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
    train_tables: tables.filter(t => Array.from(t.querySelectorAll('th')).some(th => th.textContent.trim() == 'epoch') && t.offsetHeight > 0).length,
    tables: tables.filter(t => t.offsetHeight > 0).length,
    plots: imgs.filter(i => i.complete && i.naturalWidth > 0 && i.offsetHeight > 0).length,
    broken_imgs: Array.from(document.images).filter(i => i.complete && i.naturalWidth == 0).map(i => i.src),
    mjx: document.querySelectorAll('mjx-container').length,
    empty_code: Array.from(art.querySelectorAll('div.highlight pre')).filter(e => !e.innerText.trim()).length,
    mathjax_errors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
    sidebar: Array.from(document.querySelectorAll('.bd-sidebar-primary a.reference.internal')).map(a => a.getAttribute('href')),
    prev: (document.querySelector('a.left-prev') || {}).href || null,
    next: (document.querySelector('a.right-next') || {}).href || null,
    colab: Array.from(document.querySelectorAll('a[href^="https://colab.research.google.com"]')).map(a => a.href),
    api_ids: Array.from(art.querySelectorAll('dl.py > dt[id]')).map(d => d.id),
  };
})()'''

_cache = {}
def visit(browser, server, name):
    if name not in _cache:
        errs = browser.goto(f'{server}/{name}.html')
        _cache[name] = dict(errors=errs, requests=browser.requests, **browser.js(_PAGE_JS))
    return _cache[name]

def _resolves(url, server):
    "Whether a link to this site points at an existing file (and, with a #fragment, an existing id in it)"
    u = urlsplit(url)
    path = unquote(u.path).lstrip('/') or 'index.html'
    f = SITE/path
    if f.is_dir(): f = f/'index.html'
    if not f.exists(): return False
    if u.fragment and f.suffix == '.html':
        frag = html.escape(unquote(u.fragment), quote=True)
        return re.search(rf'''\bid=["']{re.escape(frag)}["']''', f.read_text()) is not None
    return True

@pytest.mark.parametrize('nb', NBS, ids=[p.name for p in NBS])
def test_page(nb, browser, server):
    "Every notebook's page, as a reader sees it"
    name, exp = docs.page_name(nb), expect(nb)
    pg = visit(browser, server, name)
    assert not pg['errors'], f'console errors on {name}.html: {pg["errors"]}'
    remote = [u for u in pg['requests'] if not u.startswith((server, 'data:', 'blob:', 'about:'))]
    assert not remote, f'{name}.html fetches from the network: {remote}'
    assert pg['title'] == exp['title'], (pg['title'], exp['title'])
    broken = sorted({h for h in pg['hrefs'] if h.startswith(server) and not _resolves(h, server)})
    assert not broken, f'broken internal links on {name}.html: {broken}'
    assert not pg['broken_imgs'], pg['broken_imgs']
    if exp['train_table']: assert pg['train_tables'] >= 1, f'{name}: no fastai training table shown'
    if exp['table']: assert pg['tables'] >= 1, f'{name}: no table shown'
    if exp['plot']: assert pg['plots'] >= 1, f'{name}: no plot shown'
    if exp['maths']:
        assert pg['mjx'] >= 1 and not pg['mathjax_errors'], f'{name}: maths not typeset ({pg["mjx"]} MathJax elements)'
        raw = re.findall(r'\$[^$\n]{1,80}\$|\\\(|\\\[', pg['prose'])
        assert not raw, f'{name}: raw maths in the page: {raw[:5]}'
    # hidden cells are gone, directives are not shown
    assert 'pip install -Uqq rnnbook' not in pg['text']
    assert 'nbdev_export()' not in pg['code'] and not re.search(r'^\s*#\|', pg['code'], re.M), f'{name}: directives shown'
    assert not pg['empty_code'], f'{name}: {pg["empty_code"]} empty code blocks'
    leaked = [l for l in exp['hidden'] if l in pg['code']]
    assert not leaked, f'{name}: hidden-cell code shown: {leaked}'
    # API docs: every public function/class of an export cell has its entry on this page
    missing = [n for n in exp['api'] if n not in pg['api_ids']]
    assert not missing, f'{name}: no API docs for {missing}'
    # Open in Colab points at this notebook in the repository named in pyproject.toml, and the file exists
    want = f"https://colab.research.google.com/github/{INFO['user']}/{INFO['repo']}/blob/main/nbs/{nb.name}"
    assert pg['colab'] and set(pg['colab']) == {want}, pg['colab']
    assert (ROOT/want.split('/blob/main/', 1)[1]).exists()
    assert f"{INFO['repo_url']}/blob/main/nbs/{nb.name}" in pg['hrefs']
    # the sidebar lists the whole series in order; prev/next chain the pages in that order
    side = [h.split('#')[0] or f'{name}.html' for h in pg['sidebar']]
    assert list(dict.fromkeys(side)) == [f'{p}.html' for p in PAGES], f'{name}: sidebar {side}, series {PAGES}'
    i = PAGES.index(name)
    if i + 1 < len(PAGES): assert pg['next'] and pg['next'].endswith(f'/{PAGES[i+1]}.html'), pg['next']
    if i > 0: assert pg['prev'] and pg['prev'].endswith(f'/{PAGES[i-1]}.html'), pg['prev']
    # the markdown twin that the modules' `Docs:` links name
    assert (SITE/f'{name}.html.md').exists()

def test_no_remote_assets(site):
    "The site loads no script or style from the network: maths, fonts, icons are all bundled"
    bad = {}
    for f in site.rglob('*.html'):
        t = f.read_text()
        refs = re.findall(r'<script[^>]*\bsrc=["\'](https?:)?//[^"\']+', t) + \
               re.findall(r'<link[^>]*\brel=["\']stylesheet["\'][^>]*\bhref=["\'](?:https?:)?//[^"\']+', t) + \
               re.findall(r'@import\s+url\(["\']?https?://', t)
        if refs: bad[f.name] = refs
    assert not bad, bad

def test_module_docs_links(site):
    "Every module's `Docs: .../name.html.md` link names a page of this site"
    for f in (ROOT/'rnnbook').glob('*.py'):
        m = re.search(r"Docs: ([^\s\x27\"]+)", f.read_text())
        if not m: continue
        assert m.group(1).startswith(INFO['doc_url']), m.group(1)
        page = m.group(1)[len(INFO['doc_url']):]
        nb_exists = any(docs.page_name(p) == page.split('.')[0] for p in NBS)
        if nb_exists: assert (site/page).exists(), f'{f.name}: {page} not in the site'

def test_search(browser, server):
    "Sphinx's offline search finds an exported function"
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait
    browser.goto(f'{server}/search.html?q=group_chunks')
    try: WebDriverWait(browser.driver, 10, poll_frequency=0.1).until(
        lambda d: d.execute_script("return document.querySelectorAll('#search-results li').length"))
    except TimeoutException: pytest.fail('no search results for group_chunks')

def test_screenshots(browser, server):
    "Screenshots of the home page and a model page (one with a training table) for a person to look at"
    ARTIFACTS.mkdir(exist_ok=True)
    for f in ARTIFACTS.glob('docs-*.png'): f.unlink()
    assert not browser.goto(f'{server}/index.html')
    browser.screenshot(ARTIFACTS/'docs-home.png')
    exps = {p: expect(p) for p in NBS}  # a model page: with a training table, else with maths, else the last one
    model = next((p for p in NBS if exps[p]['train_table']), None) or next((p for p in NBS if exps[p]['maths']), NBS[-1])
    name = docs.page_name(model)
    assert not browser.goto(f'{server}/{name}.html')
    browser.screenshot(ARTIFACTS/f'docs-{name}.png')
    if browser.js("(() => { const t = document.querySelector('.cell_output table') || document.querySelector('mjx-container'); "
                  "if (!t) return false; t.scrollIntoView({block: 'center'}); return true })()"):
        time.sleep(0.2)
        browser.screenshot(ARTIFACTS/f'docs-{name}-2.png')
    assert (ARTIFACTS/'docs-home.png').stat().st_size > 10_000
