"Helpers shared by the test modules (a test module never imports another)"
from fastai.callback.training import ShortEpochCallback

def short_fit(learn):
    "A few real training steps on batches of 64 (a fraction of one epoch)"
    with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-2, cbs=ShortEpochCallback(pct=0.05, short_valid=True))
