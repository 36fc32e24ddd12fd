"FastLSTM/FastGRU against PyTorch (the sweep of test_lstm_gru), state_dicts shared with the teaching layers, training, the benchmark"
import json, subprocess, sys, pytest, torch
from torch import nn
from torch.testing import assert_close
from layer_checks import assert_same, check_layer, layer_sweep, _state, NI, NH, SL
from rnnbook.lstm import LSTM, LSTMLM
from rnnbook.gru import GRU, GRULM
from rnnbook.fast import FastLSTM, FastGRU, FastLSTMLM, FastGRULM, CompiledLSTM

FAST = {'lstm': (FastLSTM, LSTM, nn.LSTM), 'gru': (FastGRU, GRU, nn.GRU)}

@layer_sweep
def test_fast_layer_equal(kind, dtype, num_layers, batch_first, init, bs): check_layer(FAST, kind, dtype, num_layers, batch_first, init, bs)

@pytest.mark.parametrize('kind', ['lstm', 'gru'])
def test_fast_unbatched_no_bias_dropout(kind):
    torch.manual_seed(0)
    fast,_,theirs = FAST[kind]
    assert_same(fast(NI, NH, 2), theirs(NI, NH, 2), torch.randn(SL, NI), _state(kind, (2, NH), torch.float32, True))
    assert_same(fast(NI, NH, 2, bias=False), theirs(NI, NH, 2, bias=False), torch.randn(SL, 2, NI))
    a,b = fast(NI, NH, 3, dropout=0.5).eval(),theirs(NI, NH, 3, dropout=0.5).eval()
    assert_same(a, b, torch.randn(SL, 2, NI))

@pytest.mark.parametrize('kind', ['lstm', 'gru'])
@pytest.mark.parametrize('num_layers', [1, 2])
def test_fast_course_size(kind, num_layers):
    "The size the series trains at (16 steps, batch 64, 64 units), float32: no further from the float64 truth than PyTorch's own layer"
    torch.manual_seed(0)
    fast,_,theirs = FAST[kind]
    a,b = fast(64, 64, num_layers),theirs(64, 64, num_layers)
    a.load_state_dict(b.state_dict())
    truth = theirs(64, 64, num_layers).double(); truth.load_state_dict(b.state_dict())
    x = torch.randn(16, 64, 64)
    outs = {}
    for m in (a, b, truth):
        out = m(x.to(next(m.parameters()).dtype))[0]
        out.backward(torch.linspace(-1, 1, out.numel(), dtype=out.dtype).view_as(out))
        outs[m] = out.double()
    assert_close(outs[a], outs[b], atol=1e-5, rtol=0)
    for (k,p),q,t in zip(a.named_parameters(), b.parameters(), truth.parameters()):
        err,ref_err = (p.grad.double()-t.grad).abs().max(),(q.grad.double()-t.grad).abs().max()
        assert err <= 2*ref_err + 1e-5, (k, err, ref_err)  # weight gradients are sums of 1024 terms: fp32 rounding, ours and PyTorch's

def test_fast_gru_reset_before():
    "The paper's GRU has no fast path: it falls back to the teaching loop, still the same function"
    torch.manual_seed(0)
    a,b = FastGRU(NI, NH, 2, reset_after=False),GRU(NI, NH, 2, reset_after=False)
    b.load_state_dict(a.state_dict())
    x = torch.randn(SL, 2, NI)
    assert_close(a(x)[0], b(x)[0])

@pytest.mark.parametrize('kind', ['lstm', 'gru'])
def test_fast_state_dict(kind):
    "One state_dict for the fast, the teaching and PyTorch's layer: same keys and shapes, loads every way, same seed same weights"
    fast,teach,theirs = FAST[kind]
    torch.manual_seed(1); a = fast(NI, NH, 2)
    torch.manual_seed(1); b = teach(NI, NH, 2)
    torch.manual_seed(1); c = theirs(NI, NH, 2)
    for m in (b, c):
        assert list(a.state_dict()) == list(m.state_dict())
        for k,v in m.state_dict().items(): assert torch.equal(a.state_dict()[k], v)
        m.load_state_dict(a.state_dict()); a.load_state_dict(m.state_dict())

def test_fast_no_input_grad():
    "A layer whose input needs no gradient (inference, frozen embedding) skips that product"
    a,b = FastLSTM(NI, NH),nn.LSTM(NI, NH)
    a.load_state_dict(b.state_dict())
    x = torch.randn(SL, 2, NI)
    a(x)[0].sum().backward(); b(x)[0].sum().backward()
    assert_close(a.weight_hh_l0.grad, b.weight_hh_l0.grad)
    with torch.no_grad(): assert_close(a(x)[0], b(x)[0])

@pytest.mark.parametrize('fast,teach', [(FastLSTMLM, LSTMLM), (FastGRULM, GRULM)])
def test_fast_lm_trains(fast, teach, tmp_path):
    "The LMs on the fast layers equal the teaching ones at any batch size, train under Learner + ModelResetter, export and load"
    from rnnbook.data import hn_dls, hn_data
    from rnnbook.learner import series_learner, export_lm, load_lm, LMConfig
    from fastai.callback.training import ShortEpochCallback
    torch.manual_seed(0); a = fast(30, 8, 2)
    torch.manual_seed(0); b = teach(30, 8, 2)
    for bs in (64, 1, 7):
        x = torch.randint(0, 30, (bs, 16))
        assert_close(a(x), b(x), atol=1e-5, rtol=0)
    dls = hn_dls(16, 64)
    learn = series_learner(dls, fast(len(hn_data()[1]), 16, 2))
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(1, 1e-2, cbs=ShortEpochCallback(0.3))  # seconds, not a full epoch
    assert learn.recorder.losses[-1] < learn.recorder.losses[0]
    cfg = LMConfig(fast.__name__, dict(n_hidden=16, n_layers=2), hn_data()[1], 16)  # not a registered model: its config is ours to give
    learn2 = load_lm(export_lm(learn, tmp_path/'fast.pth', config=cfg), cls=fast)
    assert type(learn2.model) is fast
    x = dls.one_batch()[0]
    m1,m2 = learn.model.eval(),learn2.model.eval()
    m1.reset(); m2.reset()
    assert_close(m1(x), m2(x))

@pytest.mark.parametrize('kind', ['lstm', 'gru'])
def test_fast_grads_accumulate(kind):
    "Gradients add up over backward calls as PyTorch's do (a backward returning one tensor for two biases must not count it twice)"
    torch.manual_seed(0)
    fast,_,theirs = FAST[kind]
    a,b = fast(NI, NH, 2),theirs(NI, NH, 2)
    for bs in (3, 5, 3): assert_same(a, b, torch.randn(SL, bs, NI))

def test_compiled_lstm():
    "`CompiledLSTM` equals `nn.LSTM` (outputs and gradients), compiles once for a new batch size and no more after it"
    import torch._dynamo
    torch.manual_seed(0)
    a,b = CompiledLSTM(NI, NH, 2),nn.LSTM(NI, NH, 2)
    torch._dynamo.utils.counters.clear()
    assert_same(a, b, torch.randn(SL, 3, NI))
    n = torch._dynamo.utils.counters['stats']['unique_graphs']
    for bs in (5, 6, 3): assert_same(a, b, torch.randn(SL, bs, NI))  # gradients accumulate over the calls, as in training
    assert torch._dynamo.utils.counters['stats']['unique_graphs'] <= n + 2  # at most once more per layer
    assert_same(a, b, torch.randn(SL, 1, NI))  # a batch of one, as when a stateful LM completes a prompt
    assert_same(CompiledLSTM(NI, NH, bias=False), nn.LSTM(NI, NH, bias=False), torch.randn(SL, 2, NI))  # no biases: the eager loop

def test_bench_quick(tmp_path):
    "`python -m rnnbook.bench --quick` runs and writes JSON with the machine, the micro-benchmarks and the models"
    out = tmp_path/'bench.json'
    res = subprocess.run([sys.executable, '-m', 'rnnbook.bench', '--quick', '--out', str(out)], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    d = json.loads(out.read_text())
    assert {'machine', 'micro', 'models', 'series_wall_s'} <= set(d)
    assert d['machine']['torch'] == torch.__version__
    kinds = {(r['kind'], r['impl']) for r in d['micro']}
    assert {('lstm', 'fast'), ('gru', 'fast'), ('lstm', 'teaching')} <= kinds
    assert all(r['ratio'] > 0 for r in d['micro'])
    assert d['models'] and all(r['sec_per_epoch'] > 0 and r['train_tok_s'] > 0 and r['infer_tok_s'] > 0 for r in d['models'])
    assert all(r['peak_mem_mb'] is None or r['peak_mem_mb'] >= 0 for r in d['models'])
    assert 'ratio' in res.stdout

def test_time_notebooks(tmp_path):
    "The series timer runs each notebook with nbdev-test: a passing one is timed, a failing one is marked with its error"
    import nbformat
    from rnnbook.bench import time_notebooks
    for name,src in (('a.ipynb', 'assert 1 + 1 == 2'), ('b.ipynb', 'assert False, "broken on purpose"')):
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src)]), tmp_path/name)
    res = time_notebooks(tmp_path)
    assert res['a.ipynb']['passed'] and res['a.ipynb']['seconds'] > 0 and 'error' not in res['a.ipynb']
    assert not res['b.ipynb']['passed'] and 'broken on purpose' in res['b.ipynb']['error']
