"minGRU and minLSTM (notebook 09c): the parallel log-space scan against the loop, outputs and gradients, float64 and float32, from a given state; bad input; the language models"
import pytest, torch
from torch import nn
from rnnbook.scan import scan_seq, scan_log, g, log_g, MinGRU, MinLSTM, MinGRULM, MinLSTMLM, gpu_check, saved_mb

def _pair(cls, ni, nh, dtype, chunk=64):
    torch.manual_seed(0)
    s = cls(ni, nh, 'scan', chunk).to(dtype)
    q = cls(ni, nh, 'seq').to(dtype); q.load_state_dict(s.state_dict())
    return s,q

def _outs_grads(m, x, h0):
    x = x.clone().requires_grad_()
    h0 = None if h0 is None else h0.clone().requires_grad_()
    y,h = m(x, h0)
    (y * torch.linspace(-1, 1, y.shape[-1], dtype=y.dtype)).sum().backward()
    return [y, h, x.grad] + ([] if h0 is None else [h0.grad]) + [p.grad for p in m.parameters()]

def _err(a, b):
    "Largest difference over outputs and gradients, relative to each tensor's largest value"
    return max(float((u.detach().double()-v.detach().double()).abs().max() / v.detach().double().abs().max().clamp_min(1e-30)) for u,v in zip(a, b))

@pytest.mark.parametrize('cls', [MinGRU, MinLSTM])
@pytest.mark.parametrize('ni,nh', [(3, 5), (8, 16)])
@pytest.mark.parametrize('sl', [1, 9, 130])
@pytest.mark.parametrize('h0', [False, True])
def test_scan_equals_loop_float64(cls, ni, nh, sl, h0):
    s,q = _pair(cls, ni, nh, torch.float64)
    x = torch.randn(3, sl, ni, dtype=torch.float64)
    h = torch.randn(3, nh, dtype=torch.float64) if h0 else None
    assert _err(_outs_grads(s, x, h), _outs_grads(q, x, h)) < 1e-10

@pytest.mark.parametrize('cls', [MinGRU, MinLSTM])
@pytest.mark.parametrize('sl', [16, 300])
def test_scan_equals_loop_float32(cls, sl):
    "Chunked (the default, 64 steps) the float32 scan stays within 1e-5 of the float64 loop at any length"
    s,_ = _pair(cls, 8, 16, torch.float32)
    _,q = _pair(cls, 8, 16, torch.float64)
    x,h = torch.randn(4, sl, 8, dtype=torch.float64),torch.rand(4, 16, dtype=torch.float64)
    assert _err(_outs_grads(s, x.float(), h.float()), _outs_grads(q, x, h)) < 1e-5

def test_one_chunk_error_grows():
    "In one piece the float32 scan's error grows with the length (why `chunk` exists), within the notebook's tolerance"
    errs = []
    for sl in (16, 256):
        s,_ = _pair(MinGRU, 8, 16, torch.float32, chunk=None)
        _,q = _pair(MinGRU, 8, 16, torch.float64)
        x,h = torch.randn(4, sl, 8, dtype=torch.float64),torch.rand(4, 16, dtype=torch.float64)
        errs.append(_err(_outs_grads(s, x.float(), h.float()), _outs_grads(q, x, h)))
        assert errs[-1] < 4e-5 * max(1, sl/64)**2
    assert errs[1] > errs[0]

def test_scan_functions_by_hand():
    a,b = torch.full((1, 4, 1), 0.5, dtype=torch.float64),torch.ones(1, 4, 1, dtype=torch.float64)
    assert scan_seq(a, b).flatten().tolist() == [1, 1.5, 1.75, 1.875]
    torch.testing.assert_close(scan_log(a.log(), b.log(), chunk=3).flatten(), torch.tensor([1, 1.5, 1.75, 1.875], dtype=torch.float64))
    h0 = -torch.ones(1, 1, dtype=torch.float64)  # any sign: h0 needs no log
    torch.testing.assert_close(scan_log(a.log(), b.log(), h0), scan_seq(a, b, h0))

def test_g_positive_and_log_finite():
    x = torch.linspace(-300, 300, 2001)
    assert (g(torch.linspace(-30, 30, 601)) > 0).all() and log_g(x).isfinite().all()
    assert g(torch.tensor([0.])).item() == 0.5
    torch.testing.assert_close(log_g(torch.linspace(-5, 5, 101)), g(torch.linspace(-5, 5, 101)).log())

def test_shapes():
    for cls in (MinGRU, MinLSTM):
        m = cls(4, 6)
        y,h = m(torch.randn(2, 7, 4))
        assert y.shape == (2, 7, 6) and h.shape == (2, 6)
        torch.testing.assert_close(h, y[:, -1])

@pytest.mark.parametrize('bad,exc,msg', [
    (lambda m: m(torch.randn(2, 5)), ValueError, 'expected x of shape'),
    (lambda m: m(torch.randn(2, 5, 3)), RuntimeError, 'input_size 4'),
    (lambda m: m(torch.randint(0, 9, (2, 5, 4))), TypeError, 'floating point'),
    (lambda m: m([[1.]]), TypeError, 'must be a tensor'),
    (lambda m: m(torch.randn(2, 5, 4), torch.zeros(3, 8)), RuntimeError, 'h0 of shape'),
    (lambda m: MinLSTM(4, 8, mode='parallel'), ValueError, "mode must be 'scan'"),
    (lambda m: scan_log(torch.zeros(2, 3, 4), torch.zeros(2, 3, 5)), RuntimeError, 'same shape'),
    (lambda m: scan_seq(torch.zeros(3, 4), torch.zeros(3, 4)), ValueError, 'shape (bs, sl, nh)'),
])
def test_bad_input(bad, exc, msg):
    with pytest.raises(exc, match=msg.replace('(', r'\(').replace(')', r'\)')): bad(MinGRU(4, 8))

@pytest.mark.parametrize('cls', [MinGRULM, MinLSTMLM])
@pytest.mark.parametrize('mlp', [True, False])
def test_lm_forward_state_reset(cls, mlp):
    torch.manual_seed(0)
    m = cls(30, 16, 2, mlp=mlp)
    xb = torch.randint(0, 30, (3, 10))
    assert m(xb).shape == (3, 10, 30)
    assert m.h.shape == (2, 3, 16) and not m.h.requires_grad
    m.reset(); whole = m(torch.cat([xb, xb], 1))
    m.reset(); halves = torch.cat([m(xb), m(xb)], 1)  # the state carried: two batches are one sequence
    torch.testing.assert_close(halves, whole, atol=1e-5, rtol=1e-5)
    m.reset(); assert m.h is None
    m(xb[:2]); assert m.h.shape == (2, 2, 16)  # a new batch size: a fresh state

def test_lm_trains_a_step():
    torch.manual_seed(0)
    m = MinGRULM(30, 16, 2)
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    xb = torch.randint(0, 30, (4, 8))
    loss = nn.functional.cross_entropy(m(xb).flatten(0, 1), xb.roll(-1, 1).flatten())
    loss.backward(); opt.step()
    assert all(p.grad is not None and p.grad.isfinite().all() for p in m.parameters())

def test_registered():
    "Importing `rnnbook.scan` registers its models beside their specs: the series' tools know them by name"
    from rnnbook import series
    assert series.series_models['MinGRULM'] is MinGRULM and series.series_models['MinLSTMLM'] is MinLSTMLM
    assert series.default_recipe('MinGRULM') == 'ours'

def test_saved_mb():
    m = MinGRU(4, 8)
    assert saved_mb(lambda: m(torch.randn(2, 5, 4))[0]) > 0

@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU behaviour')
def test_gpu_check_skips_on_cpu(capsys):
    assert gpu_check() is None
    assert 'no GPU' in capsys.readouterr().out
