"Everything a notebook or a user needs: `from rnnbook.all import *` (like `fastai.text.all`)"
from fastai.text.all import *
from .data import *
from .first_lm import *
from .stateful import *
from .multilayer import *
from .regularized import *
from .lstm import *
from .gru import *
from .lesson7 import *
from .explore import *
from .fast import *
from .bench import *
from .cli import *
