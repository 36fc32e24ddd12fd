import os, stat, pytest
from hypothesis import given, strategies as st
from fastai.data.external import untar_data, URLs, fastai_path
from rnnbook.data import *

@given(st.integers(1, 999_999))
def test_words_roundtrip(n):
    w = words(n)
    assert parse_words(w) == n
    assert ' and ' not in w and '-' not in w and 'zero' not in w

@pytest.mark.parametrize('bad', [0, -1, 1_000_000, 2.5, '12', None, True])
def test_words_rejects(bad):
    with pytest.raises(ValueError, match=repr(bad).replace('(', r'\(').replace('.', r'\.')): words(bad)

def test_spelling():
    assert words(8101) == 'eight thousand one hundred one'
    assert words(9999) == 'nine thousand nine hundred ninety nine'
    assert words(10) == 'ten' and words(110) == 'one hundred ten' and words(7000) == 'seven thousand'

def test_files_and_figures(tmp_path):
    p = human_numbers(tmp_path/'hn')
    tr,va = (p/'train.txt').read_text(),(p/'valid.txt').read_text()
    assert tr.count('\n') == 7999 and va.count('\n') == 1999
    assert tr.startswith('one \ntwo \n') and tr.endswith('seven thousand nine hundred ninety nine \n')
    assert va.startswith('eight thousand one \n') and va.endswith('nine thousand nine hundred ninety nine \n')
    assert 'eight thousand \n' not in tr + va
    lines = read_lines(p)
    assert len(lines) == 9998
    assert len(', '.join(l.strip() for l in lines[:7999])) == 280597
    assert len(', '.join(l.strip() for l in lines[7999:])) == 74882
    tokens,vocab,nums = hn_data(p)
    assert len(tokens) == 63095 and len(vocab) == 30 and len(nums) == 63095
    assert ' '.join(tokens[:5]) == 'one . two . three'

def test_default_location_is_untar_data():
    p = human_numbers()
    assert p == fastai_path('data')/'human_numbers'
    assert untar_data(URLs.HUMAN_NUMBERS) == p  # found locally, no download

def test_reuse_and_repair(tmp_path):
    p = human_numbers(tmp_path)
    f = p/'train.txt'
    t0 = f.stat().st_mtime_ns
    human_numbers(tmp_path)
    assert f.stat().st_mtime_ns == t0, 'an intact copy is reused'
    f.write_text('one \ntwo \n')
    human_numbers(tmp_path)
    assert f.read_text().count('\n') == 7999, 'a damaged copy is rewritten'
    (p/'valid.txt').unlink()
    human_numbers(tmp_path)
    assert (p/'valid.txt').read_text().count('\n') == 1999

@pytest.mark.skipif(os.geteuid() == 0, reason='root can write anywhere')
def test_unwritable_nonroot(tmp_path):
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    with pytest.raises(OSError, match='cannot write HUMAN_NUMBERS'): human_numbers(tmp_path/'x')

def test_unwritable(tmp_path):
    f = tmp_path/'a_file'; f.write_text('')
    with pytest.raises(OSError, match=f'cannot write HUMAN_NUMBERS to {f}'): human_numbers(f/'sub')

def test_seqs_and_loaders():
    tokens,vocab,nums = hn_data()
    assert len(make_seqs(nums, 3)) == 21031
    s16 = make_seqs(nums, 16, seq_y=True)
    assert len(s16) == 3943
    dls = hn_dls(16, 64)
    assert (len(dls.train), len(dls.valid)) == (49, 12)
    d3 = hn_dls(3, 64, seq_y=False, chunks=False)
    assert (len(d3.train_ds), len(d3.valid_ds)) == (16824, 4207)
    assert baseline(d3.valid, vocab) == ('thousand', 0.15165200855716662)

def test_stream_order():
    "row j of batch i+1 continues row j of batch i, in train and valid"
    for bs in (1, 7, 64):
        dls = hn_dls(16, bs)
        for dl in (dls.train, dls.valid):
            bats = list(dl)
            for (x0,y0),(x1,_) in zip(bats, bats[1:]): assert (x1[:,0] == y0[:,-1]).all()

def test_group_chunks():
    assert group_chunks(list(range(7)), 1) == list(range(7))
    assert group_chunks(list(range(9)), 3) == [0,3,6,1,4,7,2,5,8]

@pytest.mark.parametrize('kw,msg', [(dict(sl=0), 'sl must be'), (dict(bs=0), 'bs must be'), (dict(bs=-2), 'bs must be'),
    (dict(sl=1.5), 'sl must be'), (dict(bs=5000), 'larger than the data'), (dict(sl=70000), 'too long')])
def test_loaders_reject(kw, msg):
    with pytest.raises(ValueError, match=msg): hn_dls(**kw)

def test_group_chunks_rejects():
    with pytest.raises(ValueError, match='larger than the data'): group_chunks([1,2], 3)
    with pytest.raises(ValueError, match='bs must be'): group_chunks([1,2], 0)

def test_numericalize_unknown():
    _,vocab,_ = hn_data()
    with pytest.raises(ValueError, match="'eleventy'.*vocabulary is: one \\. two"): numericalize(['one', 'eleventy'], vocab)
    assert decode(numericalize('nine thousand'.split(), vocab), vocab) == 'nine thousand'
