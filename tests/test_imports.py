"The package's shape: no import cycle, notebooks that import only what precedes them, an `all` that changes no global state, `python -m rnnbook`"
import ast, json, os, re, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT/'rnnbook'

def imports(f):
    "The rnnbook modules that `f` imports at module level (`from .x import`, `from rnnbook.x import`, `import rnnbook.x`)"
    res = set()
    for node in ast.parse(f.read_text()).body:
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ''
            if node.level == 1: res.add(mod.split('.')[0])
            elif mod.startswith('rnnbook.'): res.add(mod.split('.')[1])
        elif isinstance(node, ast.Import):
            res |= {a.name.split('.')[1] for a in node.names if a.name.startswith('rnnbook.')}
    return res - {''}

GRAPH = {f.stem: imports(f) for f in PKG.glob('*.py') if f.stem not in ('_modidx', '__init__')}

def test_no_import_cycle():
    state = {}
    def visit(m, path):
        if state.get(m) == 'done': return
        assert state.get(m) != 'active', f"import cycle: {' -> '.join(path + [m])}"
        state[m] = 'active'
        for d in GRAPH.get(m, ()): visit(d, path + [m])
        state[m] = 'done'
    for m in GRAPH: visit(m, [])

def test_library_does_not_import_the_shell():
    "The command line and the benchmark sit on top: nothing in the library imports them"
    for m,deps in GRAPH.items():
        if m not in ('cli', '__main__'): assert 'cli' not in deps, m
        if m not in ('cli', 'bench', '__main__'): assert 'bench' not in deps, m
    assert not {'cli', 'bench', 'distributed'} & GRAPH['all']

def _nb_order():
    return sorted(p for p in (ROOT/'nbs').glob('[0-9]*.ipynb'))

def _default_exp(nb):
    for c in nb['cells']:
        m = re.match(r'#\|\s*default_exp\s+(\S+)', ''.join(c['source']))
        if m: return m.group(1)

def test_notebooks_import_only_what_precedes_them():
    "A notebook can't lean on a later module (the miniai habit)"
    seen = set()
    for p in _nb_order():
        nb = json.loads(p.read_text())
        mod = _default_exp(nb)
        for c in nb['cells']:
            if c['cell_type'] != 'code': continue
            for m in re.findall(r'^\s*(?:from|import) rnnbook\.(\w+)', ''.join(c['source']), flags=re.M):
                assert m in seen or m == mod, f"{p.name} imports rnnbook.{m}, which comes later in the series"
        if mod: seen.add(mod)

def _run(code):
    return subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env={**os.environ, 'PYTHONWARNINGS': ''}, timeout=300)

def test_all_changes_no_global_state():
    "`import rnnbook.all` leaves the warning filters as `import fastai.text.all` leaves them, and torch's thread count alone"
    code = ("import warnings, torch; n = torch.get_num_threads(); import fastai.text.all; before = list(warnings.filters); "
            "import rnnbook.all; assert list(warnings.filters) == before, [f for f in warnings.filters if f not in before]; "
            "assert torch.get_num_threads() == n; print('ok')")
    p = _run(code)
    assert p.returncode == 0 and 'ok' in p.stdout, p.stderr[-2000:]

def test_python_m_rnnbook():
    p = subprocess.run([sys.executable, '-m', 'rnnbook', '--help'], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and 'complete PROMPT' in p.stdout, p.stderr[-2000:]

def test_cli_is_a_thin_shell():
    n = len((PKG/'cli.py').read_text().splitlines())
    assert n <= 150, f"cli.py has {n} lines: the library's work belongs in the library"

def test_gated_and_check_have_one_home():
    "The gated base (appendix 03b) and the checking and timing tools (03c) are defined once, and `rnnbook.all` exports them as before"
    for f in PKG.glob('*.py'):
        if f.stem in ('gated', 'check', '_modidx'): continue
        for name in ('class GatedWeights', 'class GatedRNN', 'class GatedCell', 'def rnn_diffs', 'def fwd_bwd', 'def time_ratio', 'def ratio_str'):
            assert name not in f.read_text(), f"{f.name} defines {name}"
    assert {'gated'} <= GRAPH['lstm'] and 'gated' in GRAPH['gru'] and 'check' in GRAPH['fast'] and 'check' in GRAPH['bench']
    assert not {'lstm', 'gru', 'fast'} & (GRAPH['gated'] | GRAPH['check'])
    code = ("from rnnbook.all import *; import rnnbook.gated as g, rnnbook.check as c; "
            "assert (GatedWeights, GatedRNN, GatedCell) == (g.GatedWeights, g.GatedRNN, g.GatedCell); "
            "assert (rnn_diffs, fwd_bwd, time_ratio, ratio_str) == (c.rnn_diffs, c.fwd_bwd, c.time_ratio, c.ratio_str); "
            "g_ = globals(); assert all(n in g_ for n in ('LSTM', 'LSTMCell', 'GRU', 'GRUCell', 'FastLSTM', 'machine_info')); print('ok')")
    p = _run(code)
    assert p.returncode == 0 and 'ok' in p.stdout, p.stderr[-2000:]

def _defs():
    "Top-level functions and classes by name, and methods by (class, name), with where each is written (`@patch` counts as the class's)"
    top,meths = {},{}
    for f in sorted(PKG.glob('*.py')):
        if f.stem == '_modidx': continue
        for n in ast.parse(f.read_text()).body:
            if isinstance(n, ast.FunctionDef) and any(getattr(d, 'id', None) == 'patch' for d in n.decorator_list):
                meths.setdefault((ast.unparse(n.args.args[0].annotation), n.name), []).append(f.stem)
            elif isinstance(n, (ast.FunctionDef, ast.ClassDef)):
                top.setdefault(n.name, []).append(f.stem)
                for m in (n.body if isinstance(n, ast.ClassDef) else []):
                    if isinstance(m, ast.FunctionDef): meths.setdefault((n.name, m.name), []).append(f.stem)
    return top,meths

def test_each_idea_written_once():
    "No function or class written in two modules, no method defined twice (a `@patch` adds a method, it never replaces one)"
    top,meths = _defs()
    assert not {k:v for k,v in top.items() if len(v) > 1}
    assert not {k:v for k,v in meths.items() if len(v) > 1}

def test_first_lm_holds_its_models():
    "The training setup lives in `learner`; `first_lm` exports LMModel1 and LMModel2 only"
    import rnnbook.first_lm as m
    assert m.__all__ == ['LMModel1', 'LMModel2']

def test_models_register_themselves():
    "Each model joins the registry (low in the tree, in `learner`) beside its spec; `learner` imports no model"
    p = _run("import rnnbook.learner as l; print(len(l.series_models)); import rnnbook.series; print(' '.join(l.series_models)); "
             "import rnnbook.scan; print(' '.join(l.series_models))")
    assert p.returncode == 0, p.stderr[-2000:]
    n,series,scan = p.stdout.strip().splitlines()
    assert n == '0' and series.split() == ['LMModel1', 'LMModel2', 'LMModel3', 'LMModel4', 'LMModel5', 'LSTMLM', 'GRULM', 'LMModel6', 'LMModel7', 'PointerLM']
    assert scan.split()[-2:] == ['MinGRULM', 'MinLSTMLM']
    assert not GRAPH['learner'] - {'data'}

def test_no_import_cell_twice():
    "Issue 24: a notebook shows its imports once: no code cell only repeats imports its `#| export` cells already make"
    twice = []
    for p in sorted((Path(__file__).parents[1]/'nbs').glob('*.ipynb')):
        cs = [''.join(c['source']) for c in json.loads(p.read_text())['cells'] if c['cell_type'] == 'code']
        exported = {l for s in cs if s.startswith('#| export') for l in s.splitlines() if l.startswith(('from ', 'import '))}
        for s in cs:
            ls = [l for l in s.splitlines() if l.strip() and not l.startswith(('#', '%'))]
            if not s.startswith('#| export') and ls and all(l in exported for l in ls): twice.append(f"{p.name}: {ls[0]} ...")
    assert not twice, '\n'.join(twice)
