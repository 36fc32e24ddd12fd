"""The figures of the series' prose and where each comes from (issue 23).

A figure is a decimal number (0.896), a percentage (46%) or a ratio (2.2x, 2.2×) in a markdown cell. Each one is tied
to its source by an HTML comment right after it, which readers don't see:
- `0.896<!--cell:3bcf3787-->`: the outputs of the code cell with that id, in the same notebook, hold a number that
  rounds to it (as written: 0.896 ties 0.8957; 46% ties 0.4612 or 46.1; 2.2x ties 2.23);
- `0.1<!--code:5b3a8c2e-->`: a setting, written in the code of that cell (`wd=0.1`): what the notebook ran with;
- `0.965<!--json:count_results/report.json:runs.best.0.w10 8xxx-->`: a results file (relative to nbs/) and a key path;
- `0.494<!--cite-->`: a cited figure (the book's, a paper's, another notebook's run), which the same sentence names
  for the reader (it says the book, fastbook, the paper, the course, et al. or the notebook the figure is from).
Code spans, maths, links, HTML tags and version numbers (torch 2.14.1, arXiv 2410.01201) are not figures."""
import json, re
from pathlib import Path

NBS = Path(__file__).resolve().parent.parent/'nbs'
_skip = re.compile(r'`[^`]*`|\$\$.*?\$\$|\$[^$\n]*\$|\]\([^)]*\)|<!--.*?-->|<[a-zA-Z/][^>]*>|https?://\S+', re.S)  # HTML tags too (the play page's widget)
FIG = re.compile(r'(?<![\w.$/-])(\d+(?:\.\d+)?)(%|×|x(?![a-zA-Z]))?(?![\w.]*\d)')
TIE = re.compile(r'\**<!--((?:cell|code):[\w-]+|json:[^:]+:[^>]+?|cite)-->')  # after the figure, or after its bold
_version = re.compile(r'(?:torch|fastai|fastcore|nbdev|Python|python|arXiv|version|v)\s*$')
CITED = re.compile(r"\b(book|fastbook|paper|course|et al|notebooks? \d\d\w?|notebook this series|seed notebook|LSTM notebook|GRU notebook|lesson|fastai|PyTorch)\b", re.I)
_num = re.compile(r'-?\d+(?:\.\d+)?(?:e-?\d+)?')

def figures(md):
    "The figures of markdown `md`: (start, end, text, number, kind, tie or None), `kind` one of '', '%', 'x'"
    blank = _skip.sub(lambda m: m.group(0) if m.group(0).startswith('<!--') else ' '*len(m.group(0)), md)
    res = []
    for m in FIG.finditer(blank):
        num,kind = m.group(1),(m.group(2) or '').replace('×', 'x')
        if not kind and '.' not in num: continue  # whole numbers (15 epochs, 64 streams) are counts, not figures
        if _version.search(blank[max(0, m.start()-12):m.start()]): continue
        t = TIE.match(md, m.end())
        res.append((m.start(), m.end(), m.group(0), num, kind, t.group(1) if t else None))
    return res

def _texts(cell):
    "The text of a code cell's outputs: streams, plain text, markdown, HTML without its tags"
    res = []
    for o in cell.get('outputs', []):
        if 'text' in o: res.append(''.join(o['text']))
        d = o.get('data', {})
        for k in ('text/plain', 'text/markdown'):
            if k in d: res.append(''.join(d[k]))
        if 'text/html' in d: res.append(re.sub(r'<[^>]+>', ' ', ''.join(d['text/html'])))
    return '\n'.join(res)

def ties(num, kind, value:float)->bool:
    "Does `value` (a number in an output or a results file) give the figure `num` (with `kind`) as written?"
    d = len(num.split('.')[1]) if '.' in num else 0
    cands = [value] + ([value*100] if kind == '%' and abs(value) <= 1 else [])
    return any(f'{abs(v):.{d}f}' == num for v in cands)

def _key(obj, path):
    for k in path.split('.'):
        obj = obj[int(k)] if isinstance(obj, list) else obj[k]
    return obj

def check_notebook(p)->list:
    "Problems of notebook `p`'s figures: one string each (the figure, its context, and what is wrong)"
    nb = json.loads(Path(p).read_text())
    cells = {c.get('id'): c for c in nb['cells']}
    bad = []
    for c in nb['cells']:
        if c['cell_type'] != 'markdown': continue
        md = ''.join(c['source'])
        for s,e,text,num,kind,tie in figures(md):
            ctx = ' '.join(md[max(0, s-60):e+20].split())
            if tie is None: bad.append(f'{Path(p).name}: {text!r} has no source: ...{ctx}...'); continue
            if tie == 'cite':
                sent = re.split(r'(?<=[.!?])\s', md[:s])[-1] + md[s:].split('. ')[0]
                if not CITED.search(sent): bad.append(f'{Path(p).name}: {text!r} is marked cited, but its sentence names no source: ...{ctx}...')
            elif tie.startswith(('cell:', 'code:')):
                src = cells.get(tie[5:])
                if src is None or src['cell_type'] != 'code': bad.append(f'{Path(p).name}: {text!r} ties to {tie}, not a code cell here'); continue
                where = _texts(src) if tie.startswith('cell:') else ''.join(src['source'])
                if not any(ties(num, kind, float(v)) for v in _num.findall(where)):
                    bad.append(f'{Path(p).name}: {text!r} is not in the {"outputs" if tie.startswith("cell:") else "code"} of {tie}: ...{ctx}...')
            else:
                _,f,path = tie.split(':', 2)
                try: v = _key(json.loads((NBS/f).read_text()), path)
                except (OSError, KeyError, IndexError, ValueError) as ex: bad.append(f'{Path(p).name}: {text!r}: {tie}: {ex!r}'); continue
                if not ties(num, kind, float(v)): bad.append(f'{Path(p).name}: {text!r} is not {tie} ({v})')
    return bad
