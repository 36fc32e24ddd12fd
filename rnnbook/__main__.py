"`python -m rnnbook` (and `accelerate launch -m rnnbook`): the `rnnbook` command"
import sys
from rnnbook.cli import main

if __name__ == '__main__': sys.exit(main())
