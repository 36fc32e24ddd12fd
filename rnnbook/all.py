"Everything a notebook or a user needs: `from rnnbook.all import *` (like `fastai.text.all`)"
from fastai.text.all import *
from .data import *
