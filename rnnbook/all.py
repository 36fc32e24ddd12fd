"Everything a notebook or a user needs: `from rnnbook.all import *` (like `fastai.text.all`). The library only: the command line (`rnnbook.cli`), the benchmark (`rnnbook.bench`), data-parallel training (`rnnbook.distributed`, which needs accelerate) and the parallel-scan chapter (`rnnbook.scan`, whose models join the registry when it is imported) are imported where they are used. Importing it changes no global state."
from fastai.text.all import *
from .data import *
from .learner import *
from .first_lm import *
from .stateful import *
from .multilayer import *
from .gated import *
from .check import *
from .lstm import *
from .gru import *
from .regularized import *
from .counting import *
from .series import *
from .lesson7 import *
from .explore import *
from .fast import *
from .play import *
