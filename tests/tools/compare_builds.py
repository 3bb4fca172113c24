"""Compare the editions built by two checkouts, file by file.

Used when the extension is reorganised: ``python tests/tools/compare_builds.py
OLD/_build NEW/_build`` lists every output file whose bytes differ (HTML pages,
scripts such as ``searchindex.js``, images, the published PDFs, LaTeX sources,
the ePub's members, the e-mails' parts, the text edition) and the files present
in only one of the two. Build dates and MIME boundaries, which differ on every
build, and the versions of the environment's code in ``searchindex.js`` (the
extension's is a digest of its source, which any reorganisation changes) are the
only differences it forgives. Build both checkouts from the same folder into the
same build folder (moving each aside in turn): a few files name them (the LaTeX
``Makefile``, ``.buildinfo``'s digest of the configuration). It leaves out only:

* ``doctrees/``: Sphinx's pickled state and the builders' records, not an output;
* each ``.epub`` file as a whole: its zip headers hold the build time, so each of
  its members is compared instead;
* in ``latex/``, what ``make latexpdf`` compiles from each ``galien-NNN.tex``
  (its ``.pdf``, ``.aux``, ``.log``...): LaTeX stamps them with the time and the
  paths of the run, and a build that stops at the ``.tex`` has none; the tests
  compare the PDFs themselves (page count, text).
"""

from __future__ import annotations

import difflib
import re
import sys
import zipfile
from pathlib import Path

VOLATILE = [
    re.compile(rb'boundary="?[=\w.-]+"?|--=+\w+=*'),
    re.compile(rb'^(Date|Message-ID): .*$', re.MULTILINE),
    re.compile(rb'<dc:date>[^<]*</dc:date>|<meta property="dcterms:modified">[^<]*</meta>'),
    re.compile(rb'(?<="envversion":)\{[^}]*\}'),
]
#: Folders of the build folder that hold no output.
NOT_OUTPUTS = frozenset({'doctrees'})


def normalised(data: bytes) -> bytes:
    for pattern in VOLATILE:
        data = pattern.sub(b'', data)
    return data


def compiled_from_tex(path: Path) -> bool:
    """Whether ``path`` is what LaTeX made from a ``.tex`` beside it (``galien-020.pdf``)."""
    stem = path.name.split('.', 1)[0]
    return path.suffix != '.tex' and (path.parent / f'{stem}.tex').is_file()


def outputs(build: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(build.rglob('*')):
        name = path.relative_to(build)
        if not path.is_file() or name.parts[0] in NOT_OUTPUTS:
            continue
        if name.parts[0] == 'latex' and compiled_from_tex(path):
            continue
        if path.suffix == '.epub':
            with zipfile.ZipFile(path) as book:
                for member in book.namelist():
                    files[f'{path.name}!{member}'] = normalised(book.read(member))
            continue
        files[str(name)] = normalised(path.read_bytes())
    return files


def main(old: Path, new: Path) -> int:
    before, after = outputs(old), outputs(new)
    differ = 0
    for name in sorted(before.keys() | after.keys()):
        if name not in after or name not in before:
            print(f'only in {"old" if name in before else "new"}: {name}')
            differ += 1
        elif before[name] != after[name]:
            differ += 1
            print(f'differs: {name}')
            diff = difflib.unified_diff(
                before[name].decode(errors='replace').splitlines(),
                after[name].decode(errors='replace').splitlines(),
                lineterm='',
                n=0,
            )
            print('\n'.join(list(diff)[2:12]))
    print(f'{len(before.keys() | after.keys())} files compared, {differ} differ')
    return 1 if differ else 0


if __name__ == '__main__':
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
