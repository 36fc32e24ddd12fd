#!/usr/bin/env python
"""README.md is generated from nbs/index.ipynb, the site's home page, so the two say the same thing.

`python docs/readme.py` writes README.md; `python docs/readme.py --check` exits 1 (and shows the diff) when README.md
is not what the notebook gives. nbdev's own `nbdev-readme` needs Quarto; this does the same with nbdev's processors:
markdown cells as they are, code cells (hidden ones dropped, `#|` directives removed) fenced with their text outputs.
Links to notebooks (`00_data.ipynb`) become links to their page on the docs site."""
import difflib, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import ROOT, NBS, nb2md, proc_nb, project_info

HEADER = '<!-- WARNING: generated from nbs/index.ipynb by `python docs/readme.py`; edit the notebook, not this file -->'

def render_readme(nb_path=NBS/'index.ipynb', info=None):
    "The README.md text for the home notebook `nb_path`"
    info = info or project_info()
    return HEADER + '\n\n' + nb2md(proc_nb(nb_path), link=lambda name, anchor: f"{info['doc_url']}{name}.html{anchor}")

def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    dest, txt = ROOT/'README.md', render_readme()
    cur = dest.read_text() if dest.exists() else ''
    if '--check' in argv:
        if cur == txt: return 0
        sys.stderr.writelines(difflib.unified_diff(cur.splitlines(True), txt.splitlines(True), 'README.md',
                                                   'from nbs/index.ipynb'))
        print('README.md is out of date with nbs/index.ipynb: run `python docs/readme.py`', file=sys.stderr)
        return 1
    if cur != txt: dest.write_text(txt)
    print(f"README.md {'written' if cur != txt else 'unchanged'} from nbs/index.ipynb")
    return 0

if __name__ == '__main__': sys.exit(main())
