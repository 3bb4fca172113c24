"""``python -m galien``: the command line (see :mod:`galien.cli`).

A build is confined (:mod:`galien.sandbox.build`) before the command line is
imported: importing it (Sphinx) took a second, which the confined build spends
again.
"""

import sys

if __name__ == '__main__':
    from galien.sandbox.build import run

    status = run(sys.argv[1:])
    if status is None:
        from galien.cli import main

        status = main()
    sys.exit(status)
