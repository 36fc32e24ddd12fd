#!/usr/bin/env bash
# The GPU checks, in one command (about 10 minutes on one GPU): the `#| cuda` cells of every notebook that has them
# (with the rest of each notebook, as `nbdev-test --flags cuda` runs it), an epoch of every series model on the GPU,
# and the scan benchmark of notebook 09c on the GPU, written to nbs/bench_results/scan-cuda-torch*.json.
# Without a GPU it says so and exits 0. Run from anywhere: bash tools/gpu_check.sh
set -uo pipefail
cd "$(dirname "$0")/.."
if ! python -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)'; then
    echo "gpu_check: no GPU here (torch.cuda.is_available() is False): skipping the GPU checks"
    exit 0
fi
fail=0
for nb in $(grep -l '"#| cuda' nbs/[0-9]*.ipynb); do
    echo "== nbdev-test --flags cuda $nb"
    timeout 120 nbdev-test --flags cuda "$nb" || { echo "FAILED: $nb"; fail=1; }
done
echo "== one epoch of every series model on the GPU, and the scan benchmark there"
timeout 240 python -c 'import warnings; warnings.filterwarnings("ignore")
from rnnbook.scan import gpu_check
import pandas as pd
res = gpu_check(n_epoch=1)
lay = pd.DataFrame(res["layers"])
print(lay.pivot_table(index=["nh", "sl"], columns="layer", values="ms").round(2).to_string())
print(lay.pivot_table(index=["nh", "sl"], columns="layer", values="vs_gru").round(2).to_string())' || { echo "FAILED: gpu_check"; fail=1; }
exit $fail
