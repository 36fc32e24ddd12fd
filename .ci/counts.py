"Issue 16's check: the learners `rnnbook train LMModel7 --recipe best` saved for seeds 0, 1, 2 count, on the median"
import sys, warnings
warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)  # fastai's import on torch>=2.14
import pandas as pd
from rnnbook.series import load_lm
from rnnbook.counting import count_report
reports = pd.DataFrame([count_report(load_lm(f)) for f in sys.argv[1:]])
print(reports.round(3).to_string()); med = reports.median()
print(f"median: 8xxx {med['8xxx']:.3f} (goal 0.99), 9xxx {med['9xxx']:.3f} (goal 0.95)")
assert len(reports) == 3 and med['8xxx'] >= 0.99 and med['9xxx'] >= 0.95, "the best recipe does not meet the counting goal"
