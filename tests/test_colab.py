"""What a Colab reader gets: every notebook's hidden first cell installs rnnbook from its repository, and the package so
installed (a wheel, not this checkout) is all a notebook needs.

`test_wheel_installs_like_colab` builds the wheel from a copy of the sources (nothing is written into the checkout),
installs it into a fresh venv with the Colab cell's `pip install -Uqq`, and runs notebook import cells in that venv from
a directory outside the repository. The venv sees the running interpreter's site-packages (torch, fastai, ...) through a
plain `.pth` file, so nothing is downloaded or reinstalled; the editable install of this checkout stays hidden, because
the `.pth` files of those directories (among them setuptools' editable finder) are not processed. Skips (with the
reason) where a venv or the wheel can't be made."""
import ast, json, os, re, shutil, site, subprocess, sys, textwrap, tomllib, venv
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/'docs'))
import build as docs  # docs/build.py

NBS = sorted((ROOT/'nbs').glob('[0-9]*.ipynb'))

def expected_install():
    "The requirement the Colab cell must install: `name @ git+Repository@branch` (pyproject.toml, docs' Colab branch)"
    p = tomllib.loads((ROOT/'pyproject.toml').read_text())['project']
    repo = p['urls']['Repository'].rstrip('/')
    return f"{p['name']} @ git+{repo}@{docs.project_info(ROOT)['branch']}"

def _src(cell): s = cell.get('source', ''); return ''.join(s) if isinstance(s, list) else s

def _cells(nb_path): return json.loads(Path(nb_path).read_text())['cells']

_re_pip = re.compile(r'''^!\s*\[\s+-e\s+/content\s+\]\s*&&\s*pip\s+install\s+-Uqq\s+(["'])(?P<req>[^"']+)\1\s*$''')

def test_install_cell():
    "The first cell of every `NN_*.ipynb` is a hidden code cell that pip-installs rnnbook from its repository on Colab"
    assert NBS, 'no nbs/NN_*.ipynb found'
    req = expected_install()
    line = f'! [ -e /content ] && pip install -Uqq "{req}"'
    errs = []
    for nb in NBS:
        cells = _cells(nb)
        if not cells: errs.append(f'{nb.name}: no cells; its first cell should be:\n#| hide\n{line}'); continue
        c, src = cells[0], _src(cells[0])
        lines = [l.strip() for l in src.splitlines()]
        if c['cell_type'] != 'code': errs.append(f"{nb.name}: first cell is {c['cell_type']}, not code (expected `{line}`)")
        if not any(re.fullmatch(r'#\|\s*hide', l) for l in lines): errs.append(f'{nb.name}: first cell has no `#| hide`')
        pips = [l for l in lines if 'pip install' in l and not l.startswith('#')]
        if len(pips) != 1: errs.append(f'{nb.name}: first cell has {len(pips)} pip lines, expected exactly `{line}`'); continue
        m = _re_pip.match(pips[0])
        if not m: errs.append(f'{nb.name}: pip line `{pips[0]}` is not guarded/shaped as expected: `{line}`')
        elif m['req'] != req: errs.append(f"{nb.name}: installs `{m['req']}`, expected `{req}` (line: `{line}`)")
    assert not errs, '\n'.join(errs)

# ---- the wheel, installed as Colab installs it --------------------------------------------------------------------
def import_cells(nb_path):
    "Sources of the code cells of `nb_path` made only of imports (directive lines and comments aside)"
    res = []
    for c in _cells(nb_path):
        if c['cell_type'] != 'code': continue
        src = '\n'.join(l for l in _src(c).splitlines() if not l.lstrip().startswith('#')).strip()
        if not src.startswith(('from ', 'import ')): continue
        try: tree = ast.parse(src)
        except SyntaxError: continue
        if all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in tree.body): res.append(src)
    return res

def _run(cmd, **kw):
    r = subprocess.run([str(o) for o in cmd], capture_output=True, text=True, **kw)
    assert r.returncode == 0, f"`{' '.join(map(str, cmd))}` failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r

def _build_wheel(dest, tmp):
    "Wheel of this checkout, built from a copy of its sources so no `build/` or egg-info lands in the repo"
    src = tmp/'src'
    src.mkdir()
    for f in ('pyproject.toml', 'README.md', 'LICENSE'):
        if (ROOT/f).exists(): shutil.copy2(ROOT/f, src/f)
    shutil.copytree(ROOT/'rnnbook', src/'rnnbook', ignore=shutil.ignore_patterns('__pycache__', '*.pyc', '*.egg-info'))
    try: no_iso = int(metadata.version('setuptools').split('.')[0]) >= 77  # the build backend pyproject.toml asks for
    except metadata.PackageNotFoundError: no_iso = False
    cmd = [sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '-w', dest, src] + (['--no-build-isolation'] if no_iso else [])
    if no_iso: _run(cmd)
    else:  # pip must fetch the build backend: no index reachable is a reason to skip, not a failure
        r = subprocess.run([str(o) for o in cmd], capture_output=True, text=True)
        if r.returncode: pytest.skip(f'setuptools>=77 not installed and pip could not fetch it: {r.stderr.strip()[-500:]}')
    whls = list(Path(dest).glob('rnnbook-*.whl'))
    assert len(whls) == 1, f'expected one rnnbook wheel, got {whls}'
    return whls[0]

def _parent_site_dirs():
    "site-packages of the running interpreter (not this checkout), for the fresh venv to import torch, fastai, ... from"
    dirs = list(site.getsitepackages())
    if site.ENABLE_USER_SITE: dirs.append(site.getusersitepackages())
    dirs += [p for p in sys.path if Path(p).name in ('site-packages', 'dist-packages')]
    res = []
    for d in dirs:
        p = Path(d).resolve()
        if p.is_dir() and p != ROOT and p not in res: res.append(p)  # a venv inside the checkout (as CI makes) is fine
    return res

def _venv_python(env_dir):
    d = Path(env_dir)/('Scripts' if os.name == 'nt' else 'bin')
    return d/('python.exe' if os.name == 'nt' else 'python')

def test_wheel_installs_like_colab(tmp_path):
    "The wheel, `pip install -Uqq`'d into a fresh venv, runs 00_data's import cells and `rnnbook` from site-packages"
    whl = _build_wheel(tmp_path/'dist', tmp_path)
    env = tmp_path/'venv'
    try: venv.create(env, with_pip=True, clear=True)
    except Exception as e: pytest.skip(f'cannot create a venv with pip here ({type(e).__name__}: {e})')
    py = _venv_python(env)
    if not py.exists(): pytest.skip(f'venv created but it has no python at {py}')
    clean = {k: v for k, v in os.environ.items() if not k.startswith(('PYTHON', 'PIP_', 'VIRTUAL_ENV', '__PYVENV'))}
    clean.update(PIP_DISABLE_PIP_VERSION_CHECK='1', PIP_NO_INDEX='1', FASTAI_HOME=str(tmp_path/'fastai_home'),
                 PYTHONNOUSERSITE='1', MPLBACKEND='Agg', OMP_NUM_THREADS='1')
    # As the Colab cell does, from the local wheel; before the parent's packages are visible, so pip sees only this venv
    _run([py, '-m', 'pip', 'install', '-Uqq', '--no-deps', whl], env=clean, cwd=tmp_path)
    purelib = Path(_run([py, '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], env=clean).stdout.strip())
    # plain directory lines: the parent's `.pth` files (the editable finder of this checkout) are NOT processed
    (purelib/'_parent_env.pth').write_text(''.join(f'{d}\n' for d in _parent_site_dirs()))
    cells = import_cells(ROOT/'nbs'/'00_data.ipynb')
    assert cells, 'nbs/00_data.ipynb has no import cells'
    # first where `rnnbook` comes from (a clear failure if the checkout shadows the wheel), then the notebook's cells
    code = textwrap.dedent(f'''
        import sys, rnnbook
        from pathlib import Path
        f = Path(rnnbook.__file__).resolve()
        assert 'site-packages' in str(f) and not f.is_relative_to({str(ROOT)!r}), f'rnnbook imported from {{f}}'
    ''') + '\n'.join(cells) + '\n' + textwrap.dedent('''
        from rnnbook.all import *
        from rnnbook.data import words, hn_data
        assert Path(sys.modules['rnnbook.data'].__file__).resolve().parent == f.parent
        assert words(8101) == 'eight thousand one hundred one', words(8101)
        tokens, vocab, nums = hn_data()
        assert len(vocab) == 30 and len(tokens) == len(nums) > 60_000, (len(vocab), len(tokens))
        print('OK', f, rnnbook.__version__)
    ''')
    work = tmp_path/'work'
    work.mkdir()
    r = _run([py, '-c', code], env=clean, cwd=work)
    assert 'OK' in r.stdout
    assert str(purelib.resolve()) in r.stdout, f'rnnbook not imported from the fresh venv: {r.stdout}'
