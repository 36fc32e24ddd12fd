"Data-parallel training: how the `group_chunks` streams are split over ranks, and a real 2-process run on CPU (gloo)"
import os, re, sys, subprocess
import pytest, torch
from fastcore.foundation import L
from rnnbook.data import group_chunks, hn_dls
from rnnbook.distributed import rank_streams, rank_dls
from rnnbook.series import train_model, final_acc, load_lm

def test_rank_streams_small():
    ds = group_chunks(L(range(24)), 6)  # 6 streams of 4 chunks: stream j is 4j..4j+3
    for ws in (1, 2, 3, 6):
        parts = [rank_streams(ds, 6, r, ws) for r in range(ws)]
        assert sorted(sum(map(list, parts), [])) == list(range(24))  # together: every item once
        b = 6//ws
        for r,p in enumerate(parts):
            rows = [p[i::b] for i in range(b)]  # row j of this rank over its batches
            for j,row in enumerate(rows):
                assert list(row) == list(range(4*(r*b+j), 4*(r*b+j)+4))  # a whole stream, in order
    with pytest.raises(ValueError, match='multiple'): rank_streams(ds, 6, 0, 4)
    with pytest.raises(ValueError, match='rank'): rank_streams(ds, 6, 2, 2)

@pytest.mark.parametrize('ws', [2, 4])
def test_rank_dls_continue_streams(ws):
    dls = hn_dls(16, 64)
    rk = [rank_dls(dls, r, ws) for r in range(ws)]
    for dl in ('train', 'valid'):
        full = list(getattr(dls, dl))
        parts = [list(getattr(d, dl)) for d in rk]
        assert all(len(p) == len(full) for p in parts)  # as many steps as one process
        for i,(x,y) in enumerate(full):
            assert torch.equal(torch.cat([p[i][0] for p in parts]), x)  # the ranks' rows make the global batch
            for p in parts:
                assert p[i][0].shape == (64//ws, 16)
                if i: assert torch.equal(p[i][0][:, 0], p[i-1][1][:, -1])  # each row continues its own stream

def test_two_processes_match_one(tmp_path):
    "`rnnbook train` under torchrun with 2 CPU processes trains the same model as one process"
    pytest.importorskip('accelerate')  # fastai's `distrib_ctx` needs it: `pip install "rnnbook[dist]"`
    args = ['train', 'LMModel4', '--recipe', 'book', '--epochs', '2', '--n-hidden', '32', '--cpu', '--seed', '0', '--out', str(tmp_path/'two.pth')]
    env = {**os.environ, 'FASTAI_HOME': os.environ.get('FASTAI_HOME', str(tmp_path)), 'OMP_NUM_THREADS': '1'}
    p = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', '-m', 'rnnbook', *args],
                       capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    assert 'in 2 processes' in p.stdout
    acc2 = float(re.search(r'validation accuracy ([0-9.]+)', p.stdout).group(1))
    nt = torch.get_num_threads()
    torch.set_num_threads(1)  # as in the subprocesses (and faster for a model this small)
    try: one = train_model('LMModel4', n_epoch=2, seed=0, n_hidden=32, cpu=True, quiet=True)
    finally: torch.set_num_threads(nt)
    acc1 = final_acc(one)
    print(f"accuracy: one process {acc1:.4f}, two processes {acc2:.4f}")
    assert abs(acc1 - acc2) < 0.02
    two = load_lm(tmp_path/'two.pth').model
    # the split keeps the global batch and the steps: DDP's averaged gradient is the single-process one
    assert max((a-b).abs().max().item() for a,b in zip(one.model.parameters(), two.parameters())) < 1e-3
