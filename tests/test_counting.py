"The whole-number measure (notebook 05c): the numbers it checks, and teacher forcing equal to the greedy decoding of `complete`"
import pytest, torch
from fastai.torch_core import set_seed
from rnnbook.data import hn_data, words
from rnnbook.first_lm import LMModel1
from rnnbook.stateful import LMModel3, LMModel4
from rnnbook.regularized import LMModel7
from rnnbook.gru import GRULM
from rnnbook.counting import count_sample, count_checks, count_report, count_prompt, _next_logits, _logits, complete

V = 30
MODELS = {'LMModel1': lambda: LMModel1(V, 16), 'LMModel3': lambda: LMModel3(V, 16), 'LMModel4': lambda: LMModel4(V, 16),
          'LMModel7': lambda: LMModel7(V, 16, 2, 0.4), 'GRULM': lambda: GRULM(V, 16, 2)}

def test_sample():
    s = count_sample()
    assert list(s) == ['train', '8xxx', '9xxx', '8999 → 9000']
    assert s['8xxx'][0] == 8084 and s['8xxx'][-1] == 8999 and s['9xxx'] == list(range(9001, 10000)) and s['8999 → 9000'] == [9000]
    assert len(s['train']) == 300 and max(s['train']) < 8082 and s == count_sample()
    s3 = count_sample(sl=3)  # the cut moves with the sequence length (inside 8084 for sl=3), the 9xxx don't
    assert s3['8xxx'][0] == 8085 and s3['9xxx'] == s['9xxx']

@pytest.mark.parametrize('name', MODELS)
def test_teacher_forcing_is_greedy_decoding(name):
    "The logits `count_checks` reads at each word are the logits `complete` acts on, having read the same words"
    set_seed(0); m = MODELS[name]().eval()
    nums = hn_data()[2]
    p,t = torch.tensor(list(nums[500:530]))[None],torch.tensor(list(nums[530:536]))[None]
    with torch.no_grad():
        tf = _next_logits(m, p, t, 3)[0]
        for i in range(t.shape[1]):
            ctx = list(p[0]) + list(t[0, :i])
            if hasattr(m, 'reset'): m.reset()
            torch.testing.assert_close(tf[i], _logits(m, ctx if hasattr(m, 'reset') else ctx[-3:]), atol=1e-5, rtol=1e-5)

def test_checks_agree_with_complete():
    "On an untrained model both say no, on the same numbers; and the report is a share per range"
    set_seed(0); m = LMModel4(V, 16)
    for n in (20, 8123, 9500):
        assert count_checks(m, [n])[0] == (complete(m, count_prompt(n), len(words(n).split())+1) == words(n) + ' .')
    r = count_report(m, n=20)
    assert set(r) == {'train', '8xxx', '9xxx', '8999 → 9000'} and all(0 <= v <= 1 for v in r.values())

def test_bad_numbers():
    with pytest.raises(ValueError, match='no 8000'): count_checks(LMModel4(V, 16), [8000])
    with pytest.raises(ValueError, match='10 numbers before'): count_checks(LMModel4(V, 16), [3])
    with pytest.raises(ValueError, match='warmup must be'): count_checks(LMModel4(V, 16), [30], warmup=0)
    with pytest.raises(ValueError, match='no 8000'): count_prompt(8000)

def test_dev_sample():
    "The dev split's sample: the training range before 7000, then every number from 7001 to the book's cut"
    s = count_sample(split='dev')
    assert list(s) == ['train', '7000-8082', '6999 → 7000']
    assert max(s['train']) < 7000 and s['7000-8082'][0] == 7001 and s['7000-8082'][-1] == 8082 and s['6999 → 7000'] == [7000]
    assert count_sample(warmup=1)['train'] == count_sample()['train']  # one sample for every warm-up
    with pytest.raises(ValueError, match="split must be"): count_sample(split='test')

@pytest.mark.parametrize('prompt,wrote,ok', [
    ('eight thousand one hundred', 'two . eight thousand one hundred three . eight thousand one hundred four .', True),
    ('nine thousand nine hundred ninety', '. nine thousand nine hundred ninety one . nine thousand nine hundred ninety two .', True),
    ('eight thousand one hundred ninety eight . eight thousand one hundred ninety nine .', 'eight thousand two hundred . eight thousand two hundred one .', True),
    ('eight thousand one hundred', 'fifty two . five thousand one hundred fifty three . five', False),  # the play page's old failure
    ('nine thousand nine hundred ninety', '. two thousand nine hundred ninety one . two', False),
    ('eight thousand', 'one . eight thousand two', False),  # too little written
    ('one', 'hundred thousand . two . three .', False),  # not a number
])
def test_continues(prompt, wrote, ok):
    from rnnbook.counting import count_continues
    assert count_continues(prompt, wrote) == ok

def test_prompt_checks_are_complete():
    "`prompt_checks` judges the words `complete` writes (greedy), prompt by prompt"
    from rnnbook.counting import prompt_checks, count_continues, prompt_sample
    set_seed(0); m = LMModel7(V, 16, 2, 0.4).eval()
    ps = prompt_sample()['8xxx'][:12]
    assert prompt_checks(m, ps) == [count_continues(p, complete(m, p, n=24)) for p in ps]
    with pytest.raises(ValueError, match='needs a stateful model'): prompt_checks(LMModel1(V, 16), ps)
