#!/usr/bin/env python
"""Build the docs site offline: `python docs/build.py` -> docs/_build/html.

1. Stage every notebook in `nbs/` (`index.ipynb`, then `NN_*.ipynb` in series order) into `docs/nbs/`, processed with
   nbdev's own processors: `#| hide` cells dropped, `#| hide_line` lines dropped, directive comments removed, so
   `#| export` code is shown without its `#|` line. The page name strips the number prefix as nbdev does
   (`00_data.ipynb` -> `data.html`). Each page gets an "Open in Colab" / source line, and API docs (autodoc: signature,
   docstring, and a table of the parameters' `# comments`, added by conf.py) after each `#| export` cell for the public
   functions and classes it defines. Links to notebooks become links to their pages. The home page gets the sidebar's
   toctree, each chapter labelled with its number and title ("00 The data: HUMAN_NUMBERS"). Each notebook is also
   copied as it is to `_build/downloads/nbs/`, which the site serves at `nbs/NAME.ipynb` for the download button.
   The markdown pages of `nbs/` (`develop.md`, the maintainers' page: releases, building this site, developing) are
   published as they are after the series, under their own caption in the sidebar; the home page links them.
2. Run Sphinx (myst-nb, notebooks NOT executed, sphinx-book-theme; config in docs/conf.py).
3. Write a markdown twin `name.html.md` of every page (nbdev 3's module docstrings link to `.../data.html.md`, the
   commonmark copy nbdev's Quarto site publishes next to each page).

Nothing here touches the network. A notebook that can't be read (e.g. being written) is skipped with a warning."""
import ast, json, re, shutil, sys, tomllib, warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT/'docs'
NBS, STAGE, OUT = ROOT/'nbs', DOCS/'nbs', DOCS/'_build'/'html'
TWINS = DOCS/'_build'/'twins'  # markdown twins, copied into the site by conf.py (html_extra_path)
DOWNLOADS = DOCS/'_build'/'downloads'  # `nbs/NAME.ipynb`: the notebooks as they are in nbs/, for the download button

def project_info(root=ROOT):
    "`dict` of name, description, GitHub user/repo/url, branch and docs URL, read once from pyproject.toml"
    p = tomllib.loads((root/'pyproject.toml').read_text())['project']
    repo_url = p['urls']['Repository'].rstrip('/').removesuffix('.git')
    user, repo = repo_url.split('/')[-2:]
    doc_url = p['urls'].get('Documentation', f'https://{user}.github.io/{repo}/').rstrip('/') + '/'
    return dict(name=p['name'], description=p.get('description', ''), user=user, repo=repo, repo_url=repo_url,
                branch='main', doc_url=doc_url)

def page_name(nb_path):
    "Page name of a notebook, nbdev's rule: `00_data.ipynb` -> `data`"
    from nbdev.doclinks import nbpath2html
    return nbpath2html(Path(nb_path).name).stem

def series(nbs=NBS):
    "The notebooks to publish, in series order: `index.ipynb` first, then `NN_*.ipynb` sorted"
    nbs = Path(nbs)
    res = sorted(p for p in nbs.glob('[0-9]*.ipynb') if not p.name.startswith(('_', '.')))
    return ([nbs/'index.ipynb'] if (nbs/'index.ipynb').exists() else []) + res

def extra_pages(nbs=NBS):
    "Markdown pages of `nbs/` (`develop.md`: the maintainers' page), published as they are, after the series"
    return sorted(p for p in Path(nbs).glob('*.md') if not p.name.startswith(('_', '.')))

def colab_url(nb_name, info):
    return f"https://colab.research.google.com/github/{info['user']}/{info['repo']}/blob/{info['branch']}/nbs/{nb_name}"

def source_url(nb_name, info): return f"{info['repo_url']}/blob/{info['branch']}/nbs/{nb_name}"

# ---- processing with nbdev's processors -------------------------------------------------------------------------
def _drop_empty(cell):
    "Drop code cells left empty once their directives are removed (e.g. the `#| default_exp` cell)"
    if cell.cell_type == 'code' and not cell.source.strip() and not cell.get('outputs'): del(cell['source'])

def _quarto_opts(cell):
    "Honour nbdev/Quarto's `echo: false`, `output: false`, `include: false` with myst-nb's cell tags, and `fig-alt` as the figures' alt text"
    d, tags = cell.directives_, []
    def off(k): return k in d and str(d[k]).strip().lower() in ('false', "'false'", '"false"')
    if off('include'): del(cell['source']); return
    if off('echo'): tags.append('remove-input')
    if off('output'): tags.append('remove-output')
    if tags: cell.metadata['tags'] = sorted(set(cell.metadata.get('tags', [])) | set(tags))
    if d.get('fig-alt'): cell.metadata.setdefault('mystnb', {}).setdefault('image', {})['alt'] = d['fig-alt'].strip()  # Quarto's option

def proc_nb(path):
    "Notebook at `path` as a reader sees it: nbdev's `hide_`, `hide_line`, `strip_ansi`, `clean_magics`, directives removed"
    from nbdev.process import NBProcessor
    from nbdev.processors import hide_, hide_line, strip_ansi, clean_magics, rm_header_dash, strip_hidden_metadata
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        p = NBProcessor(path, procs=[hide_, hide_line, strip_ansi, rm_header_dash, clean_magics, strip_hidden_metadata,
                                     _quarto_opts], rm_directives=False)
        p.process()
    for c in p.nb.cells:  # remove the directive comments from what is shown (nbdev's `rm_directives`)
        if c.cell_type == 'code': c.remove_directives()
        _drop_empty(c)
    p.nb.cells = [c for c in p.nb.cells if c.get('source') is not None]
    return p.nb

def default_exp(nb):
    for c in nb.cells:
        m = re.search(r'^\s*#\|\s*default_exp\s+(\S+)', c.source, re.M) if c.cell_type == 'code' else None
        if m: return m.group(1)

# ---- markdown ---------------------------------------------------------------------------------------------------
_re_nblink = re.compile(r'(\]\(|href=["\'])(?:\./)?(?:nbs/)?((?:\d+[a-zA-Z0-9]*_)?[\w-]+)\.(ipynb|md)(#[^)"\']*)?')
_re_mdnblink = re.compile(r'\[([^\]]+)\]\((?:\./)?(?:nbs/)?([\w-]+)\.ipynb(?:#[^)]*)?\)')

def relink(md, to, existing=None):
    """Rewrite links to notebooks (and to the markdown pages of `nbs/`, `develop.md`) in `md`: `to(page_name, anchor)`
    gives the new target. With `existing` (the names of the notebooks there are), a markdown link to any other notebook
    keeps its words and loses its link"""
    if existing is not None:  # first, so that a link just rewritten (to `data.ipynb`, say) is never taken for one
        md = _re_mdnblink.sub(lambda m: m.group(0) if m.group(2) + '.ipynb' in existing else m.group(1), md)
    mds = {p.name for p in extra_pages()}
    def sub(m):
        pre, stem, ext, anchor = m.group(1), m.group(2), m.group(3), m.group(4) or ''
        if ext == 'md' and stem + '.md' not in mds: return m.group(0)  # a markdown file that is no page of the site
        if ext == 'ipynb' and existing is not None and stem + '.ipynb' not in existing: return m.group(0)
        return pre + to(page_name(f'{stem}.{ext}'), anchor)
    return _re_nblink.sub(sub, md)

def _text_out(o):
    "Plain text of a code cell output, or None (images, HTML-only outputs)"
    if o.get('output_type') == 'stream': return ''.join(o.get('text', ''))
    if o.get('output_type') in ('execute_result', 'display_data'):
        d = o.get('data', {})
        if 'text/markdown' in d: return None
        if 'text/plain' in d and not {'text/html', 'image/png', 'image/svg+xml', 'image/jpeg'} & set(d):
            return ''.join(d['text/plain'])
    if o.get('output_type') == 'error': return '\n'.join(o.get('traceback', []))

def nb2md(nb, link=lambda name, anchor: f'{name}.html{anchor}'):
    "Markdown of processed notebook `nb`: markdown cells as they are, code fenced, text outputs fenced"
    parts = []
    for c in nb.cells:
        if c.cell_type == 'markdown': parts.append(relink(c.source.strip(), link))
        elif c.cell_type == 'code':
            tags = c.metadata.get('tags', [])
            if 'remove-input' not in tags: parts.append(f'```python\n{c.source.strip()}\n```')
            if 'remove-output' in tags: continue
            for o in c.get('outputs', []):
                txt = _text_out(o)
                if txt is not None and txt.strip():
                    txt = re.sub(r'\x1b\[[0-9;]*[A-Za-z]', '', txt).rstrip()
                    parts.append(f'    {txt}'.replace('\n', '\n    ') if '```' in txt else f'```\n{txt}\n```')
                elif 'text/markdown' in o.get('data', {}): parts.append(relink(''.join(o['data']['text/markdown']).strip(), link))
    return '\n\n'.join(p for p in parts if p) + '\n'

# ---- staging ----------------------------------------------------------------------------------------------------
def _api_targets(src, mod):
    "`(directive, dotted name)` for the public functions and classes a code cell defines"
    try: tree = ast.parse(src)
    except SyntaxError: return []
    res = []
    for o in tree.body:
        if not isinstance(o, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) or o.name.startswith('_'): continue
        if isinstance(o, ast.ClassDef): res.append(('autoclass', f'{mod}.{o.name}')); continue
        decos = [getattr(d, 'id', getattr(d, 'attr', '')) for d in o.decorator_list]
        ann = o.args.args[0].annotation if 'patch' in decos and o.args.args else None
        cls = getattr(ann, 'id', None) or getattr(ann, 'attr', None)
        res.append(('automethod', f'{mod}.{cls}.{o.name}') if cls else ('autofunction', f'{mod}.{o.name}'))
    return res

def _api_cell(targets, seen):
    from nbformat.v4 import new_markdown_cell
    lines = ['```{eval-rst}']
    for kind, nm in targets:
        lines.append(f'.. {kind}:: {nm}')
        if kind == 'autoclass': lines.append('   :members:')
        if nm in seen: lines.append('   :no-index:')
        seen.add(nm)
        lines.append('')
    return new_markdown_cell('\n'.join(lines).rstrip() + '\n```', metadata={'rnnbook': 'api'})

def cell_api(cell, dflt):
    "`(directive, dotted name)` to document for code `cell` (with its `directives_`), `dflt` the `default_exp` module"
    d = getattr(cell, 'directives_', None) or {}
    if cell.cell_type != 'code' or not ({'export', 'exports'} & set(d)): return []
    args = str(d.get('export') or d.get('exports') or '').split()
    mod = args[0] if args else dflt
    return _api_targets(cell.source, f'rnnbook.{mod}') if mod else []

def add_api_docs(nb, raw_nb):
    "Insert autodoc cells after every `#| export` cell for the public names it defines, in module `rnnbook.<default_exp>`"
    dflt, seen, cells = default_exp(raw_nb), set(), []
    for c in nb.cells:
        cells.append(c)
        tgts = cell_api(c, dflt)
        if tgts: cells.append(_api_cell(tgts, seen))
    nb.cells = cells

def nb_number(nb_name):
    "The series number of a notebook, as its file name gives it: `09b_bench.ipynb` -> `09b`; `None` for `index.ipynb`"
    m = re.match(r'(\d+[a-zA-Z0-9]*)_', Path(nb_name).name)
    return m.group(1) if m else None

def _plain_title(t): return re.sub(r'[`*]|(?<!\w)_|_(?!\w)', '', re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', t)).strip()

def nb_title(nb):
    "The plain text of a (processed) notebook's `# Title`, or `None`"
    i = _title_idx(nb)
    if i is None: return None
    return _plain_title(nb.cells[i].source.lstrip().splitlines()[0][2:])

def toc_label(nb_name, nb):
    "The sidebar's label of a chapter: its number and title, `00 The data: HUMAN_NUMBERS`"
    num, title = nb_number(nb_name), nb_title(nb) or page_name(nb_name)
    return f'{num} {title}' if num else title

def _title_idx(nb):
    return next((i for i, c in enumerate(nb.cells) if c.cell_type == 'markdown' and c.source.lstrip().startswith('# ')), None)

def stage(nbs=NBS, dest=STAGE, twins=TWINS, downloads=DOWNLOADS, info=None, verbose=True):
    """Process the notebooks in `nbs` into `dest` (only rewriting what changed), the markdown twins into `twins`, and
    copy each notebook as it is into `downloads/nbs/` (the page's download button gives that copy)"""
    import nbformat
    from nbformat.v4 import new_markdown_cell
    from fastcore.nbio import read_nb
    info = info or project_info()
    dest, twins, dl = Path(dest), Path(twins), Path(downloads)/'nbs'
    for d in (dest, twins, dl): d.mkdir(parents=True, exist_ok=True)
    pages, written = [], {}
    nb_paths, md_paths = series(nbs), extra_pages(nbs)
    existing = {p.name for p in nb_paths}
    staged = {page_name(p): f'{page_name(p)}{p.suffix}' for p in nb_paths + md_paths}  # page -> its staged file
    to_staged = lambda n, a: f'{staged.get(n, n + ".ipynb")}{a}'
    for p in nb_paths:
        try:
            raw = read_nb(p)
            nb = proc_nb(p)
        except Exception as e:
            print(f'docs: skipping {p.name} (cannot read it: {type(e).__name__}: {e})', file=sys.stderr)
            continue
        name = page_name(p)
        if any(n == name for _, n, _ in pages):
            print(f'docs: skipping {p.name}: its page name {name!r} is taken by another notebook', file=sys.stderr)
            continue
        for c in nb.cells:
            if c.cell_type == 'markdown': c.source = relink(c.source, to_staged, existing)
            for o in c.get('outputs', []):  # markdown a cell printed (e.g. a results table made from a results file)
                d = o.get('data', {})
                if 'text/markdown' in d: d['text/markdown'] = relink(''.join(d['text/markdown']), lambda n, a: f'{n}.html{a}', existing)  # myst leaves output links as they are
        written[twins/f'{name}.html.md'] = nb2md(nb)
        add_api_docs(nb, raw)
        links = (f'[Open in Colab]({colab_url(p.name, info)}) · '
                 f'[Source: `nbs/{p.name}`]({source_url(p.name, info)})')
        i = _title_idx(nb)
        at = 0 if i is None else i + 1
        nb.cells.insert(at, new_markdown_cell(f':::{{container}} rnnbook-links\n{links}\n:::', metadata={'rnnbook': 'links'}))
        pages.append((p, name, nb))
    mds = []  # the markdown pages (the maintainers'): links rewritten, a source line under the title
    for p in md_paths:
        try: txt = p.read_text()
        except (OSError, UnicodeDecodeError) as e:
            print(f'docs: skipping {p.name} (cannot read it: {type(e).__name__}: {e})', file=sys.stderr); continue
        name = page_name(p)
        if name in staged and staged[name] != p.name or any(n == name for _, n, _ in pages):
            print(f'docs: skipping {p.name}: its page name {name!r} is taken by a notebook', file=sys.stderr); continue
        written[twins/f'{name}.html.md'] = relink(txt, lambda n, a: f'{n}.html{a}').rstrip() + '\n'
        txt = relink(txt, to_staged, existing)
        m = re.search(r'^# .*$', txt, re.M)
        title = _plain_title(m.group(0)[2:]) if m else name
        links = f':::{{container}} rnnbook-links\n[Source: `nbs/{p.name}`]({source_url(p.name, info)})\n:::\n'
        if m:
            rest = txt[m.end():].lstrip('\n')
            q = re.match(r'(>[^\n]*\n(?:>[^\n]*\n)*)\n*', rest)  # the summary quote stays under the title
            at = m.end() + (txt[m.end():].index(rest) if rest else 0) + (q.end() if q else 0)
            txt = txt[:at].rstrip('\n') + '\n\n' + links + '\n' + txt[at:].lstrip('\n')
        written[dest/f'{name}.md'] = txt
        mds.append((p, name, title))
    if pages and pages[0][1] == 'index':  # the sidebar: every other page, in series order, numbered ("00 The data")
        toc = '\n'.join(f"{re.sub(r'[<>]', '', toc_label(p.name, nb))} <{n}>" for p, n, nb in pages[1:])
        pages[0][2].cells.append(new_markdown_cell(f'```{{toctree}}\n:hidden:\n:caption: The series\n\n{toc}\n```',
                                                   metadata={'rnnbook': 'toc'}))
        if mds:  # then the maintainers' page(s), under their own caption
            toc = '\n'.join(f"{re.sub(r'[<>]', '', t)} <{n}>" for _, n, t in mds)
            pages[0][2].cells.append(new_markdown_cell(f'```{{toctree}}\n:hidden:\n:caption: Maintainers\n\n{toc}\n```',
                                                       metadata={'rnnbook': 'toc-maintainers'}))
    for p, name, nb in pages:
        nb.metadata.setdefault('rnnbook', {})['source'] = p.name
        # the first line of each cell: myst-nb otherwise numbers cell i from (i+1)*10000, and pads every {eval-rst}
        # block with that many blank lines (minutes of docutils time on a long notebook)
        smap, n = [], 1
        for c in nb.cells: smap.append(n); n += len(c.source.splitlines()) + 1
        nb.metadata['source_map'] = smap
        for i, c in enumerate(nb.cells):  # nbdev's bookkeeping attributes are not notebook JSON
            for k in [k for k in c if k.endswith('_')]: del c[k]
            if 'rnnbook' in c.get('metadata', {}) or not c.get('id'): c['id'] = f'rnnbook-{i}'  # stable: no rebuild
        written[dest/f'{name}.ipynb'] = nbformat.writes(nbformat.from_dict(json.loads(json.dumps(nb))))
        written[dl/p.name] = p.read_bytes()  # byte for byte: the reader downloads the notebook of the repository
    stale = [f for f in list(dest.glob('*.ipynb')) + list(dest.glob('*.md')) + list(twins.glob('*.html.md')) + list(dl.glob('*'))
             if f not in written]
    for f in stale: f.unlink()
    for f, txt in written.items():
        data = txt if isinstance(txt, bytes) else txt.encode()
        if not f.exists() or f.read_bytes() != data: f.write_bytes(data)
    if verbose: print(f'docs: staged {len(pages)} notebooks: ' + ', '.join(f'{p.name}->{n}.html' for p, n, _ in pages)
                      + ''.join(f', {p.name}->{n}.html' for p, n, _ in mds))
    return pages

def build(out=OUT, quiet=True, fresh=False):
    """Stage the notebooks and run Sphinx into `out` (`fresh`: re-read every page); returns Sphinx's exit status.
    Warnings are errors (`-W --keep-going`): Sphinx still writes every page, prints each warning to stderr, and then
    exits with 1 (2: Sphinx itself failed)"""
    stage()
    if fresh and Path(out).exists(): shutil.rmtree(out)  # and nothing left over from an earlier build (a page, _sources)
    from sphinx.cmd.build import build_main
    args = ['-b', 'html', '-W', '--keep-going', '-c', str(DOCS), '-d', str(DOCS/'_build'/'doctrees'), str(STAGE), str(out)]
    return build_main(args + (['-q'] if quiet else []) + (['-E'] if fresh else []))

if __name__ == '__main__':  # python docs/build.py [-v: Sphinx's progress] [--fresh: rebuild every page, all warnings]
    rc = build(quiet='-v' not in sys.argv, fresh='--fresh' in sys.argv)
    site = f'{OUT.relative_to(ROOT)}/index.html'
    if rc == 0: print(f'docs: built {site}')
    elif rc == 1: print(f'docs: built {site}, but Sphinx reported warnings (errors under -W, listed above)', file=sys.stderr)
    else: print(f'docs: Sphinx failed (exit status {rc})', file=sys.stderr)
    sys.exit(rc)
