"""Compare the editions built by two checkouts, file by file.

Used when the extension is reorganised: ``python tests/tools/compare_builds.py
OLD/_build NEW/_build`` lists every output file whose bytes differ (HTML pages,
LaTeX sources, the ePub's documents, the e-mails' parts, the text edition) and
the files present in only one of the two. Build dates and MIME boundaries,
which differ on every build, are the only differences it forgives.
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
]
PATTERNS = (
    'html/**/*.html',
    'html/**/*.xml',
    'html/**/*.css',
    'latex/*.tex',
    'latex/*.sty',
    'latex/*.cls',
    'email/*.html',
    'email/*.txt',
    'email/*.eml',
    'text/**/*.txt',
)


def normalised(data: bytes) -> bytes:
    for pattern in VOLATILE:
        data = pattern.sub(b'', data)
    return data


def outputs(build: Path) -> dict[str, bytes]:
    files = {}
    for pattern in PATTERNS:
        for path in build.glob(pattern):
            files[str(path.relative_to(build))] = normalised(path.read_bytes())
    for epub in build.glob('epub/*.epub'):
        with zipfile.ZipFile(epub) as book:
            for name in book.namelist():
                if not name.endswith(('.png', '.jpg')):
                    files[f'{epub.name}!{name}'] = normalised(book.read(name))
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
