"Robustness of the series' models (issue 3): no globals, any batch size, state device/dtype, truncated BPTT, reset, export, AR/TAR, tying"
import pytest, torch, torch.nn.functional as F
from fastai.callback.core import Callback, CancelFitException
from fastai.callback.rnn import rnn_cbs, RNNRegularizer, ModelResetter
from fastai.learner import load_learner
from fastai.torch_core import set_seed
from rnnbook.data import hn_dls
from helpers import short_fit
from rnnbook.learner import series_learner, fit_seeds
from rnnbook.first_lm import LMModel1, LMModel2
from rnnbook.stateful import Stateful, LMModel3, LMModel4, detach_h
from rnnbook.multilayer import LMModel5
from rnnbook.regularized import LMModel6, LMModel7

V, NH = 30, 16
STATEFUL = {'LMModel3': lambda: LMModel3(V, NH), 'LMModel4': lambda: LMModel4(V, NH), 'LMModel5': lambda: LMModel5(V, NH, 2),
            'LMModel6': lambda: LMModel6(V, NH, 2), 'LMModel7': lambda: LMModel7(V, NH, 2, 0.4)}
ALL = {'LMModel1': lambda: LMModel1(V, NH), 'LMModel2': lambda: LMModel2(V, NH), **STATEFUL}

@pytest.fixture(scope='module')
def dls16(): return hn_dls(16, 64, num_workers=0)

@pytest.fixture(scope='module')
def dls3(): return hn_dls(3, 64, seq_y=False, chunks=False, num_workers=0)

@pytest.fixture(scope='module')
def dls3c(): return hn_dls(3, 64, seq_y=False, num_workers=0)

def logits(out): return out[0] if isinstance(out, tuple) else out
def xent(out, y):
    "Cross-entropy of `out` (one prediction per sequence, or one per position) against the shifted targets `y`"
    out = logits(out)
    return F.cross_entropy(out, y[:,-1]) if out.ndim == 2 else F.cross_entropy(out.flatten(0, 1), y.flatten())
def state(m): return m.h[0] if isinstance(m.h, tuple) else m.h
def cbs_for(name): return rnn_cbs(alpha=2, beta=1) if name == 'LMModel7' else None


@pytest.mark.parametrize('name', list(ALL))
def test_no_globals(name):
    "A model's forward reads no notebook-level name for sizes"
    names = set(type(ALL[name]()).forward.__code__.co_names)
    assert not names & {'bs', 'sl', 'vocab', 'vocab_sz', 'n_hidden', 'nh', 'n_layers'}, names

@pytest.mark.parametrize('name', list(ALL))
def test_any_batch_size_after_training(name, dls3, dls3c, dls16):
    dls = dls3 if name in ('LMModel1', 'LMModel2') else dls3c if name == 'LMModel3' else dls16
    set_seed(0)
    learn = series_learner(dls, ALL[name](), cbs=cbs_for(name))
    short_fit(learn)
    x,_ = dls.one_batch()
    m = learn.model.eval()
    with torch.no_grad():
        for bs in 64, 1, 7, 1:
            out = logits(m(x[:bs]))
            assert out.shape[0] == bs and out.shape[-1] == V
            if isinstance(m, Stateful): assert state(m).shape[-2] == bs

@pytest.mark.parametrize('name', list(STATEFUL))
def test_state_follows_params_dtype(name, dls16):
    x,_ = dls16.one_batch()
    m = STATEFUL[name]()
    logits(m(x))                                 # a float32 state is kept...
    m.double()
    out = logits(m(x))                           # ...and follows the model to float64
    assert out.dtype == torch.float64
    for h in (m.h if isinstance(m.h, tuple) else (m.h,)): assert h.dtype == torch.float64 and h.device == next(m.parameters()).device
    m.reset(); logits(m(x[:3]))                  # a fresh state is made in float64 too
    assert state(m).dtype == torch.float64

@pytest.mark.parametrize('name', list(STATEFUL))
def test_truncated_bptt(name, dls16):
    "The kept state has no history; batch 2's backward never reaches batch 1's graph"
    it = iter(dls16.train)
    (x1,y1),(x2,y2) = next(it),next(it)
    m = STATEFUL[name]()
    embs = []
    hook = m.i_h.register_forward_hook(lambda mod, inp, out: embs.append(out))
    loss1 = xent(m(x1), y1)
    for h in (m.h if isinstance(m.h, tuple) else (m.h,)): assert h.grad_fn is None and not h.requires_grad
    loss2 = xent(m(x2), y2)
    hook.remove()
    assert torch.autograd.grad(loss2, embs[0], retain_graph=True, allow_unused=True) == (None,)  # no path into batch 1
    loss2.backward()
    loss1.backward()  # batch 1's graph was not freed by batch 2's backward

def test_no_detach_would_fail():
    "The check above has teeth: without detach, batch 2's backward runs into batch 1's freed graph"
    class NoDetach(LMModel3):
        def keep_h(self, h): self.h = h
    m,x = NoDetach(V, NH),torch.randint(0, V, (4, 3))
    m(x).sum().backward()
    with pytest.raises(RuntimeError, match='second time'): m(x).sum().backward()

@pytest.mark.parametrize('name', list(STATEFUL))
def test_reset(name):
    m = STATEFUL[name]()
    logits(m(torch.randint(0, V, (5, 4))))
    assert m.h is not None
    m.reset()
    assert m.h is None

def test_series_learner_adds_resetter_once(dls16):
    assert sum(isinstance(c, ModelResetter) for c in series_learner(dls16, LMModel4(V, NH)).cbs) == 1
    assert sum(isinstance(c, ModelResetter) for c in series_learner(dls16, LMModel7(V, NH, 2, .4), cbs=rnn_cbs(2, 1)).cbs) == 1
    assert not any(isinstance(c, ModelResetter) for c in series_learner(dls16, LMModel2(V, NH)).cbs)

def test_bad_input():
    with pytest.raises(ValueError, match='batch'): LMModel4(V, NH)(torch.tensor([1, 2, 3]))
    with pytest.raises(ValueError, match='make_learner'): fit_seeds(LMModel2(V, NH), 1, 1e-2)
    with pytest.raises(ValueError, match='must return a Learner'): fit_seeds(lambda: LMModel2(V, NH), 1, 1e-2)

@pytest.mark.parametrize('name', ['LMModel4', 'LMModel7'])
def test_export_round_trip(name, dls16, tmp_path):
    if not hasattr(dls16.train.dataset, 'new_empty'): pytest.xfail("hn_dls' datasets are plain `L`s without the `new_empty` that `Learner.export` needs")
    set_seed(0)
    learn = series_learner(dls16, STATEFUL[name](), cbs=cbs_for(name))
    short_fit(learn)
    learn.export(tmp_path/'m.pkl')
    loaded = load_learner(tmp_path/'m.pkl')
    with learn.no_bar(), loaded.no_bar(): p1,p2 = learn.get_preds()[0],loaded.get_preds(dl=dls16.valid)[0]
    assert p1.shape == (len(dls16.valid_ds)//64*64, 16, V)
    assert torch.equal(p1, p2)
    if name == 'LMModel7': assert loaded.model.h_o.weight is loaded.model.i_h.weight

class _Peek(Callback):
    order = RNNRegularizer.order + 1
    def after_loss(self):
        if self.training: self.first_loss,self.first_grad = self.learn.loss.item(),self.learn.loss_grad.item(); raise CancelFitException()

@pytest.mark.parametrize('alpha,beta', [(2, 1), (2, 0), (0, 1)])
def test_ar_tar_change_the_loss(alpha, beta, dls16):
    res = {}
    for ab in (alpha, beta), (0, 0):
        set_seed(0)
        learn,p = series_learner(dls16, LMModel7(V, NH, 2, 0.4), cbs=rnn_cbs(*ab)),_Peek()
        with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-2, cbs=p)
        res[ab] = p
    reg,plain = res[(alpha, beta)],res[(0, 0)]
    assert plain.first_grad == plain.first_loss
    assert reg.first_loss == pytest.approx(plain.first_loss)
    assert reg.first_grad > reg.first_loss + 1e-6

def test_weight_tying(dls16):
    m = LMModel7(V, NH, 2, 0.4)
    assert m.h_o.weight is m.i_h.weight
    learn = series_learner(dls16, m, cbs=rnn_cbs(2, 1))
    short_fit(learn)
    assert learn.model.h_o.weight is learn.model.i_h.weight
    assert sum(p.numel() for p in m.parameters()) == sum(p.numel() for p in LMModel6(V, NH, 2).parameters()) - V*NH

def test_detach_h_tuple():
    a = torch.ones(2, requires_grad=True) * 2
    h = detach_h((a, (a, a)))
    assert not h[0].requires_grad and not h[1][1].requires_grad
