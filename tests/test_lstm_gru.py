"Our LSTMCell/LSTM/GRUCell/GRU against PyTorch's: outputs, states and every gradient, over a sweep of shapes"
import pytest, torch
from torch import nn
from torch.testing import assert_close
from rnnbook.lstm import LSTMCell, LSTM, LSTMLM
from rnnbook.gru import GRUCell, GRU, GRULM
from layer_checks import TOL, NI, NH, SL, assert_same, _state, SWEEP, layer_sweep, check_layer

LAYERS = {'lstm': (LSTM, nn.LSTM), 'gru': (GRU, nn.GRU)}
CELLS = {'lstm': (LSTMCell, nn.LSTMCell), 'gru': (GRUCell, nn.GRUCell)}

@layer_sweep
def test_layer_equal(kind, dtype, num_layers, batch_first, init, bs): check_layer(LAYERS, kind, dtype, num_layers, batch_first, init, bs)

@pytest.mark.parametrize('kind', ['lstm', 'gru'])
@pytest.mark.parametrize('dtype', [torch.float32, torch.float64])
@pytest.mark.parametrize('init', [False, True])
@pytest.mark.parametrize('bs', [1, 3])
@pytest.mark.parametrize('bias', [True, False])
def test_cell_equal(kind, dtype, init, bs, bias):
    torch.manual_seed(0)
    ours,theirs = CELLS[kind]
    x = torch.randn(bs, NI, dtype=dtype)
    assert_same(ours(NI, NH, bias, dtype=dtype), theirs(NI, NH, bias, dtype=dtype), x, _state(kind, (bs, NH), dtype, init))

@pytest.mark.parametrize('kind', ['lstm', 'gru'])
def test_unbatched_and_no_bias(kind):
    torch.manual_seed(0)
    (ours,theirs),(cour,cref) = LAYERS[kind],CELLS[kind]
    assert_same(ours(NI, NH, 2), theirs(NI, NH, 2), torch.randn(SL, NI), _state(kind, (2, NH), torch.float32, True))
    assert_same(ours(NI, NH, 2, bias=False), theirs(NI, NH, 2, bias=False), torch.randn(SL, 2, NI))
    assert_same(cour(NI, NH), cref(NI, NH), torch.randn(NI), _state(kind, (NH,), torch.float32, True))

@pytest.mark.parametrize('kind', ['lstm', 'gru'])
def test_state_dict_and_init(kind):
    "Same keys, shapes and order as PyTorch; the same seed gives the same weights; state_dicts load both ways"
    for (ours,theirs),args in ((LAYERS[kind], (NI, NH, 3)), (CELLS[kind], (NI, NH))):
        torch.manual_seed(1); a = ours(*args)
        torch.manual_seed(1); b = theirs(*args)
        sa,sb = a.state_dict(),b.state_dict()
        assert list(sa) == list(sb)
        for k in sb: assert torch.equal(sa[k], sb[k])
        b.load_state_dict(ours(*args).state_dict())
        a.load_state_dict(theirs(*args).state_dict())

@pytest.mark.parametrize('kind', ['lstm', 'gru'])
def test_dropout(kind):
    ours,theirs = LAYERS[kind]
    a,b = ours(NI, NH, 3, dropout=0.5),theirs(NI, NH, 3, dropout=0.5)
    a.eval(); b.eval()
    assert_same(a, b, torch.randn(SL, 2, NI))  # dropout is off in eval mode
    a.train()
    x = torch.randn(SL, 2, NI)
    assert not torch.equal(a(x)[0], a(x)[0])

def _gru_cho(x, h, cell):
    "Cho et al. 2014 / Wikipedia's fully gated GRU, gate by gate: the reset gate scales h *before* the hidden matmul"
    (wir,wiz,win),(whr,whz,whn) = cell.weight_ih.chunk(3),cell.weight_hh.chunk(3)
    (bir,biz,bin_),(bhr,bhz,bhn) = cell.bias_ih.chunk(3),cell.bias_hh.chunk(3)
    r = torch.sigmoid(x@wir.T + bir + h@whr.T + bhr)
    z = torch.sigmoid(x@wiz.T + biz + h@whz.T + bhz)
    n = torch.tanh(x@win.T + bin_ + (r*h)@whn.T + bhn)
    return (1-z)*n + z*h

def test_gru_reset_before():
    "`reset_after=False` is the other published GRU: same weights and shapes, different function"
    torch.manual_seed(0)
    cell = GRUCell(NI, NH, reset_after=False)
    x,h = torch.randn(2, NI, dtype=torch.float64),torch.randn(2, NH, dtype=torch.float64)
    cell = cell.double()
    assert_close(cell(x, h), _gru_cho(x, h, cell), atol=1e-12, rtol=0)
    after = GRUCell(NI, NH).double()
    after.load_state_dict(cell.state_dict())
    assert (after(x, h) - cell(x, h)).abs().max() > 1e-3
    layer = GRU(NI, NH, 1, reset_after=False).double()
    layer.load_state_dict({k+'_l0':v for k,v in cell.state_dict().items()})
    xs,h = torch.randn(SL, 2, NI, dtype=torch.float64),torch.zeros(2, NH, dtype=torch.float64)
    out,h_n = layer(xs)
    for t in range(SL): h = _gru_cho(xs[t], h, cell); assert_close(out[t], h, atol=1e-12, rtol=0)
    assert_close(h_n[0], h, atol=1e-12, rtol=0)

@pytest.mark.parametrize('kind', ['lstm', 'gru'])
def test_bad_input(kind):
    "Clear messages, with the exception classes PyTorch raises (tests/test_torch_rnn.py checks them against PyTorch's, case by case)"
    (ours,_),(cell,_) = LAYERS[kind],CELLS[kind]
    m = ours(NI, NH, 2)
    with pytest.raises(RuntimeError, match='input_size=3'): m(torch.randn(SL, 2, NI+1))
    with pytest.raises(ValueError, match='2 or 3 dimensions'): m(torch.randn(NI))
    with pytest.raises(RuntimeError, match=r'\(2, 2, 4\)'): m(torch.randn(SL, 2, NI), _state(kind, (2, 3, NH), torch.float32, True))
    with pytest.raises(ValueError, match='float64'): m(torch.randn(SL, 2, NI, dtype=torch.float64))
    with pytest.raises(ValueError, match='num_layers'): ours(NI, NH, 0)
    with pytest.raises(ValueError, match='hidden_size'): ours(NI, 0)
    with pytest.raises(ValueError, match='dropout'): ours(NI, NH, 2, dropout=1.5)
    with pytest.raises(TypeError, match='bias'): ours(NI, NH, bias=1)
    with pytest.raises(TypeError, match='batch_first'): ours(NI, NH, batch_first='False')
    with pytest.raises(RuntimeError, match='batch'): cell(NI, NH)(torch.randn(2, NI), _state(kind, (1, NH), torch.float32, True))
    with pytest.raises(RuntimeError, match='input_size=3'): cell(NI, NH)(torch.randn(2, NI+1))

@pytest.mark.parametrize('lm,rnn', [(LSTMLM, nn.LSTM), (GRULM, nn.GRU)])
def test_lm_twins(lm, rnn):
    "The LM on our layer and on PyTorch's start from the same weights for the same seed and compute the same thing, any batch size"
    torch.manual_seed(0); a = lm(30, 8, 2)
    torch.manual_seed(0); b = lm(30, 8, 2, rnn=rnn)
    for bs in (64, 1, 7):
        x = torch.randint(0, 30, (bs, 16))
        assert_close(a(x), b(x), atol=1e-5, rtol=0)
        assert_close(a(x), b(x), atol=1e-5, rtol=0)  # and with the state each carried over
    a.reset()
    assert a.h is None
