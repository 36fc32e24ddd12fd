"The equality sweep shared by the layer tests: ours against PyTorch's with `rnn_diffs` (appendix 03c, `rnnbook.check`), over shapes, dtypes and states"
import pytest, torch
from rnnbook.check import rnn_diffs, _flat

TOL = {torch.float32: 1e-5, torch.float64: 1e-10}
NI,NH,SL = 3,4,5  # ni != nh on purpose

def assert_same(ours, ref, *args):
    "`ours` computes what PyTorch's `ref` computes on `args` (with `ref`'s weights): the same shapes, results and every gradient"
    d = rnn_diffs(ours, ref, *args)  # copies ref's weights into ours
    with torch.no_grad(): s1,s2 = [[t.shape for t in _flat(m(*args))] for m in (ours, ref)]
    assert s1 == s2, (s1, s2)
    assert list(dict(ours.named_parameters())) == list(dict(ref.named_parameters()))
    tol = TOL[next(ref.parameters()).dtype]
    assert max(d.values()) < tol, d

def _state(kind, shape, dtype, init):
    if not init: return None
    if kind == 'lstm': return (torch.randn(shape, dtype=dtype), torch.randn(shape, dtype=dtype))
    return torch.randn(shape, dtype=dtype)

SWEEP = dict(kind=['lstm', 'gru'], dtype=[torch.float32, torch.float64], num_layers=[1, 2, 3], batch_first=[False, True],
             init=[False, True], bs=[1, 3])

def layer_sweep(f):
    "Parametrize test `f` over `SWEEP`: every layer implementation is checked against PyTorch's at these shapes"
    for k,v in reversed(SWEEP.items()): f = pytest.mark.parametrize(k, v)(f)
    return f

def check_layer(layers, kind, dtype, num_layers, batch_first, init, bs):
    "`layers[kind][0]` against PyTorch's `layers[kind][-1]` at one point of the sweep"
    torch.manual_seed(0)
    ours,theirs = layers[kind][0],layers[kind][-1]
    kw = dict(num_layers=num_layers, batch_first=batch_first, dtype=dtype)
    x = torch.randn((bs, SL, NI) if batch_first else (SL, bs, NI), dtype=dtype)
    assert_same(ours(NI, NH, **kw), theirs(NI, NH, **kw), x, _state(kind, (num_layers, bs, NH), dtype, init))

