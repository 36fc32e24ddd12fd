"Where every tensor lives: loaders on `default_device()`, model, hidden state and batches on one device after `fit`; the `cuda` tests run the same on a GPU"
import pytest, torch
from fastai.torch_core import default_device, one_param, set_seed
from helpers import short_fit
from rnnbook.data import hn_dls
from rnnbook.lesson7 import hn_lm_dls
from rnnbook.series import series_models, model_learner, export_lm, load_lm, complete
from rnnbook.explore import hidden_states, gate_by_word

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a GPU (cuda)')

def _states(m):
    h = getattr(m, 'h', None)
    return [] if h is None else list(h) if isinstance(h, tuple) else [h]


def test_loaders_on_default_device():
    for dls in hn_dls(16, 64), hn_dls(3, 64, seq_y=False, chunks=False), hn_lm_dls(bs=16, seq_len=8):
        assert dls.device == default_device()
        assert all(dl.fake_l.num_workers == 0 for dl in dls.loaders)  # in-memory data: no worker processes (`dl.num_workers` is the shard count)
        x,y = dls.one_batch()
        assert x.device.type == y.device.type == default_device().type

def _check_fit(name, device):
    set_seed(0)
    learn = model_learner(name, device=device)
    assert torch.device(learn.dls.device) == torch.device(device)
    short_fit(learn)
    p = one_param(learn.model)
    assert p.device.type == torch.device(device).type
    x,_ = learn.dls.one_batch()
    assert x.device == p.device
    learn.model.eval(); learn.model(x)
    for h in _states(learn.model): assert h.device == p.device
    return learn

@pytest.mark.parametrize('name', list(series_models))
def test_fit_one_device_cpu(name): _check_fit(name, 'cpu')

def test_probes_follow_the_model():
    "The helpers that feed a model put their inputs on the model's device (here a model of another dtype stands in for another device)"
    learn = model_learner('LSTMLM', n_hidden=8)
    nums = list(range(20))
    assert hidden_states(learn.model, nums).shape == (20, 8)
    assert gate_by_word(learn.model, nums, list(map(str, range(30))) , 'forget').shape[0] == 2
    assert len(complete(learn, 'eight thousand one hundred', 4).split()) == 4

@cuda
@pytest.mark.parametrize('name', list(series_models))
def test_fit_one_device_cuda(name, tmp_path):
    "On a GPU: one epoch on cuda, every tensor there, export on the GPU, load on the CPU, completion on both"
    learn = _check_fit(name, 'cuda')
    want = complete(learn, 'eight thousand one hundred', 8)
    fn = export_lm(learn, tmp_path/'m.pth')
    loaded = load_lm(fn)  # load_lm loads on the CPU
    assert one_param(loaded.model).device.type == 'cpu'
    assert complete(loaded, 'eight thousand one hundred', 8) == want
