"The `rnnbook` command run as a user runs it: a subprocess, its output and its exit status"
import os, sys, shutil, subprocess
from pathlib import Path
import pytest
import json, torch
from rnnbook.series import series_models, model_class, load_lm, complete
from rnnbook.data import hn_data

MODEL = 'LMModel4'  # small and stateful: exercises the warm-up of `complete`

def rnnbook(*args, home):
    "Run `python -m rnnbook ARGS` with FASTAI_HOME=`home`; return the completed process"
    env = {**os.environ, 'FASTAI_HOME': str(home), 'OMP_NUM_THREADS': '1'}  # small models: one thread is fastest, and the machine may be shared
    return subprocess.run([sys.executable, "-m", "rnnbook", *map(str, args)], capture_output=True, text=True, env=env, timeout=300)

def fails(p, *contains):
    "`p` exited non-zero with a one-line message on stderr, no traceback, containing each of `contains`"
    assert p.returncode != 0, p.stdout
    assert 'Traceback' not in p.stderr, p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    for c in contains: assert c in lines[0], lines[0]
    return lines[0]

@pytest.fixture(scope='module')
def home(tmp_path_factory): return tmp_path_factory.mktemp('fastai_home')

@pytest.fixture(scope='module')
def learner_file(home, tmp_path_factory):
    "A learner trained for one epoch by `rnnbook train`"
    fn = tmp_path_factory.mktemp('models')/'m.pth'
    p = rnnbook('train', MODEL, '--epochs', 1, '--n-hidden', 32, '--cpu', '--seed', 0, '--out', fn, home=home)
    assert p.returncode == 0, p.stderr
    assert f'saved the model to {fn}' in p.stdout
    assert 'accuracy' in p.stdout and 'epoch' in p.stdout  # fastai's per-epoch table
    assert fn.is_file()
    return fn

def test_registry():
    "Each model's spec is the one home of its book figure and schedules"
    assert MODEL in series_models and model_class('LMModel7') is series_models['LMModel7']
    book = series_models['LMModel7'].spec.recipe('book')
    assert (book.acc, book.wd, book.moms, book.ar_tar) == (0.869, 0.1, (0.8, 0.7, 0.8), (2, 1))
    own = {'rnnbook.scan': {'ours'}, 'rnnbook.pointer': {'best'}}  # models the book has not: the scan chapter's, notebook 06a's pointer
    for name,cls in series_models.items():
        assert own.get(cls.__module__, {'book', 'ours'}) <= set(cls.spec.recipes) <= {'book', 'ours', 'best'}, name
        if cls.spec.book is not None: assert cls.spec.recipe('book').acc == cls.spec.book

@pytest.mark.parametrize('cmd,says', [(['train'], 'recipe'), (['series'], 'board'), (['complete'], 'temperature')])
def test_help(cmd, says, home):
    p = rnnbook(*cmd, '--help', home=home)
    assert p.returncode == 0, p.stderr
    assert says in p.stdout and (not cmd or 'default' in p.stdout), p.stdout

def test_console_script(home):
    exe = shutil.which('rnnbook') or shutil.which('rnnbook', path=str(Path(sys.executable).parent))
    if exe is None: pytest.skip('the rnnbook console script is not installed')
    p = subprocess.run([exe, '--help'], capture_output=True, text=True, env={**os.environ, 'FASTAI_HOME': str(home)})
    assert p.returncode == 0 and 'complete PROMPT' in p.stdout and 'LMModel7' in p.stdout

def test_wrong_model(home):
    fails(rnnbook('train', 'LMModel99', home=home), 'unknown model', 'LMModel7', 'LMModel1')

def test_wrong_command(home):
    fails(rnnbook('fly', home=home), 'unknown command', 'train')

def test_complete_greedy(learner_file, home):
    p = rnnbook('complete', 'eight thousand one hundred', '--n', 12, '--model-file', learner_file, home=home)
    assert p.returncode == 0, p.stderr
    out = p.stdout.split()
    assert len(out) == 12 and set(out) <= set(hn_data()[1])
    assert complete(load_lm(learner_file), 'eight thousand one hundred', 12) == p.stdout.strip()  # greedy is deterministic

def test_unknown_word(learner_file, home):
    fails(rnnbook('complete', 'eight thousand and one', '--model-file', learner_file, home=home), "'and'", 'vocabulary is', 'thousand')

def test_empty_prompt(learner_file, home):
    fails(rnnbook('complete', '  ', '--model-file', learner_file, home=home), 'prompt is empty')

def test_load_without_the_series(learner_file):
    "A saved model loads from `rnnbook.learner` alone: its config names the module that defines (and registers) the class"
    code = f"from rnnbook.learner import load_lm; print(type(load_lm({str(learner_file)!r}).model).__name__)"
    p = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and p.stdout.split()[-1] == MODEL, p.stderr[-2000:]

def test_negative_n(learner_file, home):
    fails(rnnbook('complete', 'one', '--n', -3, '--model-file', learner_file, home=home), 'n must be', '-3')

def test_missing_file(home, tmp_path):
    fails(rnnbook('complete', 'one', '--model-file', tmp_path/'nothing.pth', home=home), 'no saved model')

def test_corrupt_file(home, tmp_path):
    (tmp_path/'bad.pth').write_bytes(b'this is not a learner')
    fails(rnnbook('complete', 'one', '--model-file', tmp_path/'bad.pth', home=home), 'cannot load a model')

def test_series_board_json(home, tmp_path):
    "`rnnbook series --out board.json`: one record per model and recipe, with the keys the board promises"
    fn = tmp_path/'board.json'
    p = rnnbook('series', '--models', MODEL, '--seeds', 2, '--epochs', 1, '--cpu', '--out', fn, home=home)
    assert p.returncode == 0, p.stderr
    board = json.loads(fn.read_text())
    assert board['seeds'] == [100, 101] and board['torch'].startswith(torch.__version__.split('+')[0])
    recs = board['rows']
    assert [r['recipe'] for r in recs] == ['book', 'ours']
    for r in recs:
        assert {'model', 'recipe', 'book', 'median', 'min', 'max', 'seeds', 'sec_per_epoch', 'tokens64', 'w10 train', 'w10 8xxx', 'w10 9xxx',
                'w1 train', 'w1 8xxx', 'w1 9xxx', 'inside 8xxx', 'inside 9xxx', 'w1 9xxx worst'} <= set(r)
        assert 0 <= r['w10 train'] <= 1 and r['w1 9xxx worst'] <= r['w1 9xxx']
        assert r['model'] == MODEL and r['seeds'] == 2 and r['min'] <= r['median'] <= r['max'] and r['book'] == 0.640
    assert '| LMModel4 | ours |' in p.stdout and 'meets the book' in p.stdout

def test_scan_models_on_the_board(home, tmp_path):
    "The scan chapter's models are the command's too: `--models` names them, `all` takes them, the default keeps to the book's models"
    __import__('rnnbook.cli')  # registers the scan chapter's models, as the command does (not `import rnnbook.cli`: `rnnbook` is the helper here)
    assert {'MinGRULM', 'MinLSTMLM'} <= set(series_models)
    fn = tmp_path/'board.json'
    p = rnnbook('series', '--models', 'MinGRULM', '--recipes', 'ours', '--seeds', 1, '--epochs', 1, '--cpu', '--out', fn, home=home)
    assert p.returncode == 0, p.stderr
    (r,) = json.loads(fn.read_text())['rows']
    assert r['model'] == 'MinGRULM' and r['book'] is None and 0 <= r['w10 train'] <= 1
    assert 'MinGRULM' in rnnbook('--help', home=home).stdout and 'lengths 16 to 4096' in rnnbook('bench', '--scan', '--help', home=home).stdout
    fails(rnnbook('series', '--models', 'MinGRULM', '--recipes', 'book', '--seeds', 1, home=home), 'no model has the recipes book')

def test_wrong_recipe(home):
    fails(rnnbook('train', MODEL, '--recipe', 'fastest', home=home), "no recipe 'fastest'", 'book', 'ours')
    fails(rnnbook('series', '--recipes', 'fastest', home=home), '--recipes takes some of', 'book', 'ours')
    fails(rnnbook('complete', 'one', '--recipe', 'fastest', home=home), "no recipe 'fastest'")

def test_train_saves_by_recipe(home):
    "Without --out, `rnnbook train` saves under FASTAI_HOME, one file per model and recipe"
    p = rnnbook('train', MODEL, '--recipe', 'book', '--epochs', 1, '--n-hidden', 16, '--cpu', home=home)
    assert p.returncode == 0, p.stderr
    fn = Path(home)/'models'/'rnnbook'/f'{MODEL}-book.pth'
    assert fn.is_file() and str(fn) in p.stdout

# the prompts a reader meets (issue 20), written before any model was chosen: each must carry the count on with what
# `rnnbook complete` uses when told nothing else (PointerLM, `best`, trained with `rnnbook train`'s seed). README's ends on
# a new hundred, the step notebook 06a's induction feed is for; every report run of the notebook carries all three on.
READER_PROMPTS = ['eight thousand one hundred ninety eight . eight thousand one hundred ninety nine .',
                  'eight thousand one hundred', 'nine thousand nine hundred ninety']

@pytest.fixture(scope='module')
def default_home(tmp_path_factory):
    "A FASTAI_HOME where `rnnbook complete`, told nothing else, has trained and saved its default model with its default recipe"
    from rnnbook.series import default_model, default_recipe
    home = tmp_path_factory.mktemp('default_home')
    p = rnnbook('complete', 'one', '--n', 1, home=home)
    assert p.returncode == 0 and f'no saved {default_model}' in p.stderr, p.stderr
    assert (Path(home)/'models'/'rnnbook'/f'{default_model}-{default_recipe(default_model)}.pth').is_file()
    return home

@pytest.mark.parametrize('prompt', READER_PROMPTS)
def test_reader_prompts_carry_on(default_home, prompt):
    "`rnnbook complete PROMPT` with its default model carries on the README's example and the play page's prompts"
    from rnnbook.counting import count_continues
    p = rnnbook('complete', prompt, '--n', 24, home=default_home)
    assert p.returncode == 0, p.stderr
    assert count_continues(prompt, p.stdout.strip()), (prompt, p.stdout)
