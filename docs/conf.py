"""Sphinx configuration of the rnnbook site. Build it with `python docs/build.py` (stages nbs/ into docs/nbs first)."""
import inspect, json, re, shutil, sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS))
from build import project_info, colab_url, source_url, TWINS, DOWNLOADS, ROOT

info = project_info()
project = info['name']
author = f"{info['name']} contributors"
copyright = author
html_title = info['name']
html_baseurl = info['doc_url']

extensions = ['myst_nb', 'sphinx.ext.autodoc', 'sphinx.ext.mathjax', 'sphinx.ext.githubpages', 'sphinx_copybutton']
exclude_patterns = ['_build', '**.ipynb_checkpoints']

# notebooks: shown with their committed outputs, never executed here
nb_execution_mode = 'off'
nb_merge_streams = False  # True would print every stream of a cell before its tables and plots
nb_ipywidgets_js = {}  # no widget JS from a CDN
myst_enable_extensions = ['dollarmath', 'amsmath', 'colon_fence', 'deflist', 'html_image']
myst_heading_anchors = 3
suppress_warnings = ['mystnb.unknown_mime_type']
toc_object_entries = False  # the page's contents panel lists the lesson's sections, not every API entry
html_copy_source = False  # the staged notebooks are not the reader's: the download button gives the one in nbs/
smartquotes_action = 'qe'  # quotes and ellipses, but `--quick` in a docstring stays a command-line flag, not an en dash

# a copy button on every code block (sphinx-copybutton: its JS and CSS are bundled, nothing from a CDN); the `$ `
# prompt of a shell example is not copied
copybutton_prompt_text = '$ '
copybutton_exclude = '.linenos, .gp, .go'

# API docs from the package's docstrings (fastai style: `name` in backticks refers to an object)
default_role = 'py:obj'
add_module_names = False
autodoc_typehints = 'signature'
autodoc_member_order = 'bysource'
autodoc_inherit_docstrings = False  # a method without its own docstring is not documented (e.g. every `forward`)
python_maximum_signature_line_length = 90  # a longer signature is shown one parameter a line, as its table lists them

# maths typeset offline: MathJax 3 from the `django-static-mathjax` package, copied into the site
MATHJAX_DIR = DOCS/'_build'/'mathjax_static'
mathjax_path = 'mathjax/tex-chtml.js'

def _copy_mathjax(dest=MATHJAX_DIR):
    "A trimmed MathJax 3 (TeX input, CommonHTML output, menu) under `dest/mathjax`"
    import mathjax
    src = Path(mathjax.__file__).parent/'static'/'mathjax'/'es5'
    d = dest/'mathjax'
    if (d/'tex-chtml.js').exists(): return dest
    d.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src/'tex-chtml.js', d)
    for sub in ['input/tex/extensions', 'output/chtml/fonts/woff-v2', 'ui', 'a11y', 'sre', 'adaptors']:
        if (src/sub).exists(): shutil.copytree(src/sub, d/sub, dirs_exist_ok=True)
    return dest

html_theme = 'sphinx_book_theme'
html_static_path = ['_static', str(_copy_mathjax())]
html_css_files = ['rnnbook.css']
html_js_files = [('rnnbook.js', {'defer': 'defer', 'priority': 600})]  # after MathJax, whose typesetting it awaits
html_favicon = '_static/favicon.svg'
html_context = {'default_mode': 'light'}
html_extra_path = [str(TWINS), str(DOWNLOADS)] + ([str(ROOT/'nbs'/'llms.txt')] if (ROOT/'nbs'/'llms.txt').exists() else [])
html_theme_options = {
    'repository_url': info['repo_url'],
    'repository_branch': info['branch'],
    'use_download_button': True,
    'use_fullscreen_button': False,
    'home_page_in_toc': True,
    'show_toc_level': 2,
    'navigation_with_keys': False,
}

def _page_context(app, pagename, templatename, context, doctree):
    """The sidebar's first entry is "Home"; header buttons "Colab" and "Source" for the notebook this page was made
    from, and the download button gives that notebook as it is in nbs/ (build.py copies it to `nbs/` in the site)"""
    context['root_title'] = 'Home'
    nb = Path(app.srcdir)/f'{pagename}.ipynb'
    if not nb.exists() or 'header_buttons' not in context: return
    src = json.loads(nb.read_text()).get('metadata', {}).get('rnnbook', {}).get('source')
    if not src: return
    for group in context['header_buttons']:
        for b in group.get('buttons', []) if group.get('label') == 'download-buttons' else []:
            if b.get('label') == 'download-source-button':
                b.update(url=context['pathto'](f'nbs/{src}', 1), text='.ipynb', icon='fas fa-code',
                         tooltip=f'Download the notebook (nbs/{src})', label='download-notebook-button')
    context['header_buttons'][:0] = [
        dict(type='group', tooltip='Launch interactive content', icon='fas fa-rocket', label='launch-buttons',
             buttons=[dict(type='link', text='Colab', tooltip='Open in Colab', url=colab_url(src, info),
                           icon='_static/images/logo_colab.png', label='colab-button')]),
        dict(type='group', tooltip='Source repositories', icon='fab fa-github', label='source-buttons',
             buttons=[dict(type='link', text='Repository', tooltip='Source repository', url=info['repo_url'],
                           icon='fab fa-github', label='source-repository-button'),
                      dict(type='link', text='Source notebook', tooltip=f'Source: nbs/{src}', url=source_url(src, info),
                           icon='fas fa-code', label='source-file-button')])]

def _link_figures(app, doctree, docname):
    "Every plot of a cell output links to its image file, so that a figure shrunk to the column opens full size on click"
    from docutils import nodes
    for img in list(doctree.findall(nodes.image)):
        if isinstance(img.parent, nodes.reference): continue
        anc = img.parent
        while anc is not None and 'cell_output' not in anc.get('classes', []): anc = anc.parent
        uri = img['uri']
        if anc is None or uri not in app.env.images: continue
        ref = nodes.reference('', '', internal=True, refuri=f'_images/{app.env.images[uri][1]}',
                              classes=['rnnbook-figure'], reftitle='Open the figure full size')
        img.replace_self(ref)
        ref.append(img)

_re_seg = re.compile(r'(``.+?``|`[^`]+`|(?<![\\$\w])\$[^$\n]+?\$(?![\w$]))')
_re_name = re.compile(r'[A-Za-z_][\w.]*(\(\))?')  # `name`, `mod.name`, `name()`: a reference to an object (py:obj)
_PRE, _POST = set(' \t-:/\'"<([{'), set(' \t-.,:;!?\\/\'")]}>')  # rST: what may stand right before/after inline markup

def _md_line(l):
    """One docstring line, written like markdown (fastai style), made safe rST: `$x$` -> :math:, `name` stays a
    reference, any other code span (`.`, `(a, b)`) a literal, markup glued to words (`Learner`s) set off with `\\ `,
    rST specials escaped"""
    segs = _re_seg.split(l)
    for i, seg in enumerate(segs):
        if i % 2 and seg.startswith('$'): segs[i] = f':math:`{seg[1:-1]}`'
        elif i % 2 and not seg.startswith('``') and not _re_name.fullmatch(seg[1:-1]): segs[i] = f'``{seg[1:-1]}``'
        elif not i % 2: segs[i] = re.sub(r'(\|)|(\*)|(_)(?!\w)', r'\\\1\2\3', seg)
    for i in range(1, len(segs), 2):
        if segs[i-1] and segs[i-1][-1] not in _PRE: segs[i-1] += '\\ '
        if segs[i+1] and segs[i+1][0] not in _POST: segs[i+1] = '\\ ' + segs[i+1]
    return ''.join(segs)

def _anno(a):
    "An annotation as a reader writes it: `int`, `L`, `str | None`"
    if a is inspect.Parameter.empty: return ''
    return re.sub(r'\b(?:[a-z_]\w*\.)+(?=\w)', '', inspect.formatannotation(a))

def default_repr(v):
    """A default as a reader writes it: a function or class by its name (`store_true`, not `<function store_true at
    0x7f...>`), and never a memory address"""
    if inspect.isfunction(v) or inspect.isclass(v) or inspect.isbuiltin(v) or inspect.ismethod(v):
        q = getattr(v, '__qualname__', None) or ''
        return (q if q and '<locals>' not in q else getattr(v, '__name__', None)) or repr(v)
    r = repr(v)
    r = re.sub(r'<(?:function|built-in function|bound method|class) ([\w.<>]+)(?: of .*?)? at 0x[0-9a-fA-F]+>', r'\1', r)
    r = re.sub(r'<([\w.]+) object at 0x[0-9a-fA-F]+>', r'\1()', r)
    return re.sub(r'(?:\w+\.)*<locals>\.', '', r)  # a function made in a function: its own name

def param_rows(obj):
    """`(name, type, default, comment)` of each parameter of `obj` (its `__init__` for a class), the comment being the
    `# comment` after it that fastcore's `docments` reads; `[]` when no parameter has one. A last row `Returns`
    when the return annotation has a comment"""
    from fastcore.docments import docments
    try: docs, sig = docments(obj, full=True), inspect.signature(obj)
    except (TypeError, ValueError, OSError, SyntaxError): return []
    if not any(d.get('docment') for d in docs.values()): return []
    rows = []
    for n, p in sig.parameters.items():
        if n in ('self', 'cls'): continue
        star = {p.VAR_POSITIONAL: '*', p.VAR_KEYWORD: '**'}.get(p.kind, '')
        dflt = '' if p.default is p.empty else default_repr(p.default)
        rows.append((star + n, _anno(p.annotation), dflt, (docs.get(n) or {}).get('docment') or ''))
    ret = docs.get('return') or {}
    if ret.get('docment'): rows.append(('Returns', _anno(sig.return_annotation), '', ret['docment']))
    return rows

def _lit(s): return f'``{s}``' if s.strip() and '`' not in s else s.replace('`', "'")

def param_table(obj):
    "rST lines of the table of `obj`'s parameters (nbdev's show_doc table: name, type, default, details), or `[]`"
    rows = param_rows(obj)
    if not rows: return []
    res = ['', '.. list-table::', '   :header-rows: 1', '   :class: rnnbook-params', '',
           '   * - Parameter', '     - Type', '     - Default', '     - Details']
    for n, t, d, c in rows:
        res += [f'   * - {_lit(n) if n != "Returns" else "**Returns**"}', f'     - {_lit(t)}'.rstrip(),
                f'     - {_lit(d)}'.rstrip(), f'     - {_md_line(c)}'.rstrip()]
    return res + ['']

def _docstring_md(app, what, name, obj, options, lines):
    """Docstrings are fastai-style markdown-ish text, not rST: `$...$` maths typeset, `|x|`, `*`, `word_` kept literal;
    then the table of the parameters' comments"""
    for i, l in enumerate(lines):
        if not l.lstrip().startswith(('..', ':')): lines[i] = _md_line(l)
    if what in ('function', 'method', 'class'): lines.extend(param_table(obj))

def setup(app):
    app.connect('autodoc-process-docstring', _docstring_md)
    app.connect('html-page-context', _page_context, priority=502)
    app.connect('doctree-resolved', _link_figures)
