"""Sphinx configuration of the rnnbook site. Build it with `python docs/build.py` (stages nbs/ into docs/nbs first)."""
import json, re, shutil, sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS))
from build import project_info, colab_url, source_url, TWINS, ROOT

info = project_info()
project = info['name']
author = f"{info['name']} contributors"
copyright = author
html_title = info['name']
html_baseurl = info['doc_url']

extensions = ['myst_nb', 'sphinx.ext.autodoc', 'sphinx.ext.mathjax', 'sphinx.ext.githubpages']
exclude_patterns = ['_build', '**.ipynb_checkpoints']

# notebooks: shown with their committed outputs, never executed here
nb_execution_mode = 'off'
nb_merge_streams = True
nb_ipywidgets_js = {}  # no widget JS from a CDN
myst_enable_extensions = ['dollarmath', 'amsmath', 'colon_fence', 'deflist', 'html_image']
myst_heading_anchors = 3
suppress_warnings = ['mystnb.unknown_mime_type']

# API docs from the package's docstrings (fastai style: `name` in backticks refers to an object)
default_role = 'py:obj'
add_module_names = False
autodoc_typehints = 'signature'
autodoc_member_order = 'bysource'
autodoc_inherit_docstrings = False  # a method without its own docstring is not documented (e.g. every `forward`)

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
html_favicon = '_static/favicon.svg'
html_context = {'default_mode': 'light'}
html_extra_path = [str(TWINS)] + ([str(ROOT/'nbs'/'llms.txt')] if (ROOT/'nbs'/'llms.txt').exists() else [])
html_theme_options = {
    'repository_url': info['repo_url'],
    'repository_branch': info['branch'],
    'use_download_button': True,
    'use_fullscreen_button': False,
    'home_page_in_toc': True,
    'show_toc_level': 2,
    'navigation_with_keys': False,
}

def _header_links(app, pagename, templatename, context, doctree):
    "Header buttons 'Open in Colab' and 'Source' for the notebook this page was made from"
    nb = Path(app.srcdir)/f'{pagename}.ipynb'
    if not nb.exists() or 'header_buttons' not in context: return
    src = json.loads(nb.read_text()).get('metadata', {}).get('rnnbook', {}).get('source')
    if not src: return
    context['header_buttons'][:0] = [
        dict(type='group', tooltip='Launch interactive content', icon='fas fa-rocket', label='launch-buttons',
             buttons=[dict(type='link', text='Colab', tooltip='Open in Colab', url=colab_url(src, info),
                           icon='_static/images/logo_colab.png', label='colab-button')]),
        dict(type='group', tooltip='Source repositories', icon='fab fa-github', label='source-buttons',
             buttons=[dict(type='link', text='Repository', tooltip='Source repository', url=info['repo_url'],
                           icon='fab fa-github', label='source-repository-button'),
                      dict(type='link', text='Source notebook', tooltip=f'Source: nbs/{src}', url=source_url(src, info),
                           icon='fas fa-code', label='source-file-button')])]

_re_seg = re.compile(r'(``.+?``|`[^`]+`|(?<![\\$\w])\$[^$\n]+?\$(?![\w$]))')

def _md_line(l):
    "One docstring line, written like markdown (fastai style), made safe rST: `$x$` -> :math:, rST specials escaped"
    out = []
    for i, seg in enumerate(_re_seg.split(l)):
        if i % 2 and seg.startswith('$'): out.append(f':math:`{seg[1:-1]}`')
        elif i % 2: out.append(seg)
        else: out.append(re.sub(r'(\|)|(\*)|(_)(?!\w)', r'\\\1\2\3', seg))
    return ''.join(out)

def _docstring_md(app, what, name, obj, options, lines):
    "Docstrings are fastai-style markdown-ish text, not rST: `$...$` maths typeset, `|x|`, `*`, `word_` kept literal"
    for i, l in enumerate(lines):
        if not l.lstrip().startswith(('..', ':')): lines[i] = _md_line(l)

def setup(app):
    app.connect('autodoc-process-docstring', _docstring_md)
    app.connect('html-page-context', _header_links, priority=502)
