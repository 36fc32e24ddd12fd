"Issue 23: every figure a reader sees in the prose is tied to the output or results file it comes from (tests/figures.py)"
import json, shutil
import pytest
from figures import NBS, check_notebook, figures, ties

TIED = sorted(p.stem for p in NBS.glob('*.ipynb'))  # every notebook of the series, and the home page (README is made from it)

@pytest.mark.parametrize('name', TIED)
def test_figures_tied(name):
    bad = check_notebook(NBS/f'{name}.ipynb')
    assert not bad, '\n'.join(bad)

def test_a_figure_changed_by_hand_fails(tmp_path):
    "The check is not one that cannot fail: change a tied figure in the prose, and it names it"
    nb = json.loads((NBS/'04_lstm.ipynb').read_text())
    c = next(c for c in nb['cells'] if c['cell_type'] == 'markdown' and '0.694<!--cell:' in ''.join(c['source']))
    c['source'] = ''.join(c['source']).replace('0.694<!--cell:', '0.704<!--cell:')
    (tmp_path/'04_lstm.ipynb').write_text(json.dumps(nb))
    bad = check_notebook(tmp_path/'04_lstm.ipynb')
    assert len(bad) == 1 and "'0.704' is not in the outputs" in bad[0]

def test_what_counts_as_a_figure():
    found = [(f[2], f[5]) for f in figures("0.896<!--cell:ab12--> and 46% of `0.5` at $0.3$, torch 2.14.1, 2.2x faster, 15 epochs, "
                                           "[a](x/0.4.html) <b id='0.1'>, 0.494<!--cite-->")]
    assert found == [('0.896', 'cell:ab12'), ('46%', None), ('2.2x', None), ('0.494', 'cite')]
    assert ties('0.90', '', 0.8991) and not ties('0.90', '', 0.8941) and ties('46', '%', 0.4612) and ties('2.2', 'x', 2.23)

def test_figures_are_sharp():
    "Issue 24: every figure is stored at twice the size it is shown (IPython's retina format), so it stays sharp on dense screens"
    import base64
    soft = []
    for p in sorted(NBS.glob('*.ipynb')):
        for c in json.loads(p.read_text())['cells']:
            for o in c.get('outputs', []):
                if 'image/png' not in o.get('data', {}): continue
                png = base64.b64decode(o['data']['image/png'])
                w,shown = int.from_bytes(png[16:20], 'big'),o.get('metadata', {}).get('image/png', {}).get('width')
                if not shown or w < 2*shown - 1: soft.append(f"{p.name} cell {c['id']}: {w} px shown at {shown or w} px")
    assert not soft, "figures not in retina format: run the notebook with `%config InlineBackend.figure_formats = ['retina']`\n" + '\n'.join(soft)
