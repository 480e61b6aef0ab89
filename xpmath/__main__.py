"""``python -m xpmath``: the ``xpmath`` command (``info``, ``bench``, ``tour``) where the
console script is not on ``PATH``."""

import sys

from xpmath.cli import main

if __name__ == "__main__":
    sys.exit(main())
