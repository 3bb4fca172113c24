"""``python -m one_process_build SOURCE BUILD BUILDER...``: ``sphinx-build -M`` per builder.

One interpreter for all the editions of a reference build: where a test compares an
incremental build made as ``make`` makes it (a process per edition) with a clean build,
the clean side need not pay for starting Python and importing Sphinx and the extension
once per edition (about a second each on the test machines).
"""

from __future__ import annotations

import sys

from sphinx.cmd.build import main as sphinx_main


def build_all(source: str, build_dir: str, builders: list[str]) -> int:
    for builder in builders:
        status = sphinx_main(['-M', builder, source, build_dir, '-q'])
        if status:
            print(f'{builder}: status {status}', file=sys.stderr)
            return status
    return 0


if __name__ == '__main__':
    source, build_dir, *builders = sys.argv[1:]
    raise SystemExit(build_all(source, build_dir, builders))
