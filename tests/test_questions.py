"""Issue 25: every chapter ends with a questionnaire, each question followed by a short answer the reader can reveal.

The questionnaire is a markdown cell that starts `## Questionnaire`, among the chapter's last three cells (not counting
the cells of a `### Further research` section after it): a line of introduction, then numbered questions, each
followed by its answer in an HTML `details` element, closed, indented to the question's text:

    1. What does ...?

       <details><summary>Answer</summary>

       The answer, in markdown.

       </details>

The blank lines around the answer make CommonMark (Jupyter, Colab, myst-nb on the site) render it as markdown, and
the indentation keeps it in its list item (4 spaces under `10.`: with 3 the list would end there). The site shows the
answers collapsed (tests/test_docs.py, `test_questionnaire_answers`). The checks read the notebooks' JSON with plain
Python; `test_questionnaire_renders` also renders each questionnaire with markdown-it (CommonMark)."""
import json, re
from html.parser import HTMLParser
from pathlib import Path
import pytest

NBS = Path(__file__).resolve().parent.parent/'nbs'

# The chapters: the notebooks a reader works through, each ending with a questionnaire. The appendices (03b_gated,
# 03c_check, 04b_lstm_dropin, 05b_gru_dropin, 06b_distributed, 06c_series, 09b_bench) and the home page have none.
CHAPTERS = ['00_data', '00b_learner', '01_first_lm', '02_stateful', '03_multilayer', '04_lstm', '05_gru', '05c_counting',
            '06_regularized', '06a_pointer', '07_lesson7', '08_explore', '09_fast', '09c_scan', '10_cli', '11_play']

OPEN_TAG = '<details><summary>Answer</summary>'
_item = re.compile(r'^(\d+)\.[ \t]+(?=\S)', re.M)  # a numbered question starts at the beginning of a line

def _src(cell): return ''.join(cell['source'])

def _is_questionnaire(cell): return cell['cell_type'] == 'markdown' and _src(cell).lstrip().startswith('## Questionnaire')

def _tail(cells, i):
    "The cells after cell `i`, leaving out those of a `### Further research` section that follows it"
    res, further = [], False
    for c in cells[i+1:]:
        s = _src(c).lstrip()
        if c['cell_type'] == 'markdown' and s.startswith('### Further research'): further = True; continue
        if further and c['cell_type'] == 'markdown' and not re.match(r'#{1,2} ', s): continue
        further = False
        res.append(c)
    return res

def questionnaire_text(md):
    "The questionnaire part of the markdown `md` of its cell: from its heading to the next heading (`### Further research`)"
    lines = md.strip('\n').split('\n')
    end = next((i for i, l in enumerate(lines[1:], 1) if re.match(r'#{1,6} ', l)), len(lines))
    return '\n'.join(lines[:end])

def questions(md):
    "`[(number, question block)]` of the questionnaire text `md`: each block runs from its number to the next one"
    ms = list(_item.finditer(md))
    return [(int(m.group(1)), md[m.start():(ms[k+1].start() if k+1 < len(ms) else len(md))]) for k, m in enumerate(ms)]

_answer = re.compile(r'<details\b[^>]*>\s*<summary>.*?</summary>(.*?)</details>', re.S)

def answers(md):
    "The text of each question's answer in the questionnaire cell's markdown `md`, in order ('' where it has none): what the site must reveal"
    return [m.group(1).strip() if (m := _answer.search(b)) else '' for _, b in questions(questionnaire_text(md))]

def check_block(n, block)->list:
    "Problems of question `n`'s block: exactly one closed answer block after the question, not empty, rendered as markdown"
    where = f'question {n} ({" ".join(block.split())[:60]!r})'
    marker = len(re.match(r'\d+\.[ \t]+', block).group(0))  # the column of the question's text
    if re.search(r'<details\b[^>]*\bopen\b', block): return [f'{where}: its answer is open (`<details open>`): it must be closed']
    n_open, n_close = len(re.findall(r'<details\b', block)), block.count('</details>')
    if (n_open, n_close, block.count(OPEN_TAG)) != (1, 1, 1):
        return [f'{where}: {n_open} `<details>`, {n_close} `</details>`: want exactly one `{OPEN_TAG}` ... `</details>`']
    bad = []
    q, rest = block.split(OPEN_TAG)
    a, after = rest.split('</details>')
    if not q.strip() or len(q.strip()) < 8: bad.append(f'{where}: no question before its answer')
    if not a.strip(): bad.append(f'{where}: the answer is empty')
    if after.strip(): bad.append(f'{where}: text after `</details>` (the answer must end the question): {after.strip()[:60]!r}')
    lines = block.split('\n')
    i = next(k for k, l in enumerate(lines) if OPEN_TAG in l)
    j = next(k for k, l in enumerate(lines) if '</details>' in l)
    ind = lambda l: len(l) - len(l.lstrip(' '))
    if lines[i].strip() != OPEN_TAG or lines[j].strip() != '</details>':
        bad.append(f'{where}: `{OPEN_TAG}` and `</details>` each go on a line of their own')
    if ind(lines[i]) < marker or ind(lines[j]) < marker or any(l.strip() and ind(l) < marker for l in lines[i:j+1]):
        bad.append(f'{where}: the answer is not indented to the question\'s text ({marker} spaces): it falls out of the list')
    if lines[i+1].strip() or lines[j-1].strip():
        bad.append(f'{where}: no blank line after `<summary>` or before `</details>`: the answer would not be rendered as markdown')
    return bad

def check_questionnaire(nb_path)->list:
    "Problems of the questionnaire of notebook `nb_path`, one string each (empty: it has a good one)"
    name = Path(nb_path).name
    cells = json.loads(Path(nb_path).read_text())['cells']
    qs = [i for i, c in enumerate(cells) if _is_questionnaire(c)]
    if len(qs) != 1: return [f'{name}: {len(qs)} markdown cells start with `## Questionnaire`, want one']
    i = qs[0]
    bad = []
    after = _tail(cells, i)
    if len(after) > 2:
        bad.append(f'{name}: the questionnaire is not among the last three cells: {len(after)} cells follow it '
                   f'(besides its Further research), the first {" ".join(_src(after[0]).split())[:60]!r}')
    md = questionnaire_text(_src(cells[i]))
    qb = questions(md)
    if len(qb) < 6: bad.append(f'{name}: {len(qb)} numbered questions, want at least 6')
    intro = md[len('## Questionnaire'):(_item.search(md).start() if qb else len(md))]
    if '<details' in intro: bad.append(f'{name}: an answer block before the first question')
    for n, b in qb: bad += [f'{name}: {p}' for p in check_block(n, b)]
    return bad

@pytest.mark.parametrize('name', CHAPTERS)
def test_questionnaire(name):
    bad = check_questionnaire(NBS/f'{name}.ipynb')
    assert not bad, '\n'.join(bad)

def test_chapters_exist():
    "The list above names notebooks of the series (a renamed chapter must be renamed here too)"
    missing = [n for n in CHAPTERS if not (NBS/f'{n}.ipynb').exists()]
    assert not missing, missing

def _nb(tmp_path, md, extra=()):
    "A notebook in `tmp_path` whose last cells are a code cell, the markdown `md` and `extra` cells"
    cells = [dict(cell_type='code', source='x = 1', metadata={}, outputs=[], execution_count=None),
             dict(cell_type='markdown', source=md, metadata={})] + list(extra)
    p = tmp_path/'nb.ipynb'
    p.write_text(json.dumps(dict(cells=cells, metadata={}, nbformat=4, nbformat_minor=5)))
    return p

_good = '\n\n'.join(f'{i}. Question {i}, does it?\n\n{" "*(len(str(i))+2)}{OPEN_TAG}\n\n{" "*(len(str(i))+2)}Answer {i}.\n\n'
                    f'{" "*(len(str(i))+2)}</details>' for i in range(1, 11))
GOOD = f'## Questionnaire\n\nTry them.\n\n{_good}\n\n### Further research\n\n1. Something to try, with no answer.'

def test_the_check_can_fail(tmp_path):
    "The check is not one that cannot fail: a good questionnaire passes, and each kind of fault is named"
    assert check_questionnaire(_nb(tmp_path, GOOD)) == []
    further = [dict(cell_type='markdown', source='### Further research', metadata={}),
               dict(cell_type='markdown', source='1. Try this.', metadata={}),
               dict(cell_type='code', source='#| hide\nimport nbdev; nbdev.nbdev_export()', metadata={}, outputs=[], execution_count=None)]
    assert check_questionnaire(_nb(tmp_path, GOOD.split('### Further')[0], further)) == []  # a Further research section of its own
    faults = {'is open': GOOD.replace(f'1. Question 1, does it?\n\n   {OPEN_TAG}', '1. Question 1, does it?\n\n   <details open><summary>Answer</summary>'),
              'answer is empty': GOOD.replace('Answer 2.', ''),
              '0 `<details>`': GOOD.replace(f'   {OPEN_TAG}\n\n   Answer 3.\n\n   </details>', ''),
              '2 `<details>`': GOOD.replace('Answer 4.', f'Answer 4.\n\n   {OPEN_TAG}\n\n   More.\n\n   </details>'),
              '0 `</details>`': GOOD.replace('Answer 5.\n\n   </details>', 'Answer 5.'),
              'falls out of the list': GOOD.replace(f'    {OPEN_TAG}\n\n    Answer 10.\n\n    </details>', f'   {OPEN_TAG}\n\n   Answer 10.\n\n   </details>'),
              'rendered as markdown': GOOD.replace(f'{OPEN_TAG}\n\n   Answer 6.', f'{OPEN_TAG}\n   Answer 6.'),
              'numbered questions, want at least 6': GOOD.split('6. Question 6')[0]}
    for what, md in faults.items():
        assert md != GOOD, what
        bad = check_questionnaire(_nb(tmp_path, md))
        assert len(bad) == 1 and what in bad[0], (what, bad)
    late = [dict(cell_type='markdown', source='More prose.', metadata={})]*3
    assert 'not among the last three cells' in check_questionnaire(_nb(tmp_path, GOOD, late))[0]
    assert '0 markdown cells start with' in check_questionnaire(_nb(tmp_path, '## Questions\n\n' + _good))[0]

class _Items(HTMLParser):
    "For each item of the first top-level `<ol>`: its `details` elements, the paragraphs in them, their summaries"
    def __init__(self):
        super().__init__()
        self.stack, self.items, self.done = [], [], False
    def handle_starttag(self, tag, attrs):
        if self.done: return
        self.stack.append(tag)
        if tag == 'li' and self.stack.count('ol') == 1 and self.stack.count('li') == 1: self.items.append(dict(details=0, p=0, open=0, summary=''))
        elif self.items and 'li' in self.stack:
            if tag == 'details': self.items[-1]['details'] += 1; self.items[-1]['open'] += 'open' in dict(attrs)
            if tag == 'p' and 'details' in self.stack: self.items[-1]['p'] += 1
    def handle_endtag(self, tag):
        if self.done or tag not in self.stack: return
        while self.stack.pop() != tag: pass
        if tag == 'ol' and 'ol' not in self.stack and self.items: self.done = True
    def handle_data(self, d):
        if self.items and self.stack and self.stack[-1] == 'summary': self.items[-1]['summary'] += d

def render_problems(md)->list:
    "Problems of the questionnaire markdown `md` as CommonMark renders it: each question one list item with one closed answer, rendered"
    from markdown_it import MarkdownIt
    text = questionnaire_text(md)
    p = _Items(); p.feed(MarkdownIt('commonmark').render(text))
    n = len(questions(text))
    if not n: return ['no numbered questions']
    bad = [] if len(p.items) == n else [f'{n} questions render as {len(p.items)} list items']
    bad += [f'item {i}: {it}' for i, it in enumerate(p.items, 1)
            if it['details'] != 1 or it['p'] < 1 or it['open'] or it['summary'].strip() != 'Answer']
    return bad

@pytest.mark.parametrize('name', CHAPTERS)
def test_questionnaire_renders(name):
    "Rendered as CommonMark (markdown-it, which myst-nb uses for the site), each question is a list item holding its closed answer, whose text is rendered"
    pytest.importorskip('markdown_it', reason='markdown-it-py missing: pip install -e ".[docs]"')
    cells = [c for c in json.loads((NBS/f'{name}.ipynb').read_text())['cells'] if _is_questionnaire(c)]
    assert len(cells) == 1, f'{name}: {len(cells)} questionnaires'
    bad = render_problems(_src(cells[0]))
    assert not bad, f'{name}:\n' + '\n'.join(bad)

def test_render_check_can_fail():
    pytest.importorskip('markdown_it', reason='markdown-it-py missing: pip install -e ".[docs]"')
    assert render_problems(GOOD) == []
    three = GOOD.replace(f'    {OPEN_TAG}\n\n    Answer 10.\n\n    </details>', f'   {OPEN_TAG}\n\n   Answer 10.\n\n   </details>')
    assert render_problems(three)  # item 10's answer falls out of the list
    assert render_problems(GOOD.replace(f'{OPEN_TAG}\n\n   Answer 6.', f'{OPEN_TAG}\n   Answer 6.'))  # not rendered as markdown
