"The fastai-course lesson 7 pipeline and models: loaders from fastai's text pipeline, Model0-Model7, the AWD-LSTM learner"
import pytest, torch
from torch import nn
from fastai.text.all import AWD_LSTM, awd_lstm_lm_config, language_model_learner, RNNRegularizer, accuracy
from rnnbook.lesson7 import hn_lm_dls, with_seq_len, loss4, acc4, rnn_loop, Model0, Model1, Model2, Model3, Model4, Model5, Model6, Model7
from rnnbook.gru import GRUCell

@pytest.fixture(scope='module')
def dls(): return hn_lm_dls()

def test_pipeline(dls):
    v = dls.vocab
    assert len(v) == 40 and v[:3] == ['xxunk', 'xxpad', 'xxbos'] and v[-1] == 'xxfake'
    assert (len(dls.train_ds[0][0]), len(dls.valid_ds[0][0])) == (50079, 13017)
    assert (len(dls.train), len(dls.valid), dls.valid.seq_len) == (12, 3, 70)
    (x1,y1),(x2,y2) = list(dls.valid)[:2]
    assert v[x1[0, 0]] == 'xxbos'
    assert torch.equal(x1[:, 1:], y1[:, :-1])  # the target is the input shifted by one
    assert torch.equal(x2[:, 0], y1[:, -1])    # batch 2 continues batch 1, row by row

def test_with_seq_len(dls):
    d3 = with_seq_len(dls, 3)
    x,y = d3.one_batch()
    assert x.shape == (64, 3) and d3.vocab == dls.vocab
    with pytest.raises(ValueError, match='seq_len'): with_seq_len(dls, 0)
    with pytest.raises(ValueError, match='bs'): hn_lm_dls(bs=0)

def test_loss4_acc4():
    inp,tgt = torch.randn(5, 40),torch.randint(0, 40, (5, 3))
    assert torch.allclose(loss4(inp, tgt), nn.functional.cross_entropy(inp, tgt[:, -1]))
    assert acc4(torch.nn.functional.one_hot(tgt[:, -1], 40).float(), tgt) == 1

@pytest.mark.parametrize('M', [Model0, Model1])
def test_models_3(M):
    m = M(40, 8).eval()
    for bs in (64, 1):
        assert m(torch.randint(0, 40, (bs, 3))).shape == (bs, 40)

@pytest.mark.parametrize('M', [Model2, Model3, Model4, Model5, Model6, Model7])
def test_models_seq(M):
    "Every model works for any batch size (state made from the input), and the stateful ones carry and reset their state"
    m = M(40, 8).eval()
    for bs in (64, 1, 7):
        assert m(torch.randint(0, 40, (bs, 20))).shape == (bs, 20, 40)
    if hasattr(m, 'reset'):
        assert m.h is not None and not m.h.requires_grad
        m.reset(); assert m.h is None

def test_model6_model7_equal():
    torch.manual_seed(0); a = Model6(40, 8).eval()
    torch.manual_seed(0); b = Model7(40, 8).eval()
    assert isinstance(b.rnnc, GRUCell) and isinstance(a.rnnc, nn.GRUCell)
    x = torch.randint(0, 40, (1, 20))
    torch.testing.assert_close(a(x), b(x), atol=1e-5, rtol=0)

def test_rnn_loop():
    cell,x = nn.GRUCell(3, 4),torch.randn(1, 6, 3)
    res = rnn_loop(cell, torch.zeros(1, 4), x)
    assert res.shape == (1, 6, 4)
    gru = nn.GRU(3, 4, batch_first=True)
    gru.load_state_dict({k+'_l0': v for k,v in cell.state_dict().items()})
    torch.testing.assert_close(res, gru(x)[0], atol=1e-6, rtol=0)

def test_awd_lstm_learner(dls):
    "From scratch, no download; AR/TAR get the alpha and beta we pass"
    config = awd_lstm_lm_config | dict(emb_sz=16, n_hid=32, n_layers=2)
    learn = language_model_learner(with_seq_len(dls, 20), AWD_LSTM, config=config, pretrained=False, metrics=accuracy, alpha=2., beta=1.)
    assert [(c.alpha, c.beta) for c in learn.cbs if isinstance(c, RNNRegularizer)] == [(2., 1.)]
    x,_ = learn.dls.one_batch()
    out = learn.model(x)
    assert out[0].shape == (64, 20, 40)
