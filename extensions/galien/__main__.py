"""``python -m galien``: the command line (see :mod:`galien.cli`)."""

import sys

from galien.cli import main

if __name__ == '__main__':
    sys.exit(main())
