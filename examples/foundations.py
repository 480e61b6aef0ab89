"""The foundations tour as a script: ``python examples/foundations.py [--backend NAME]
[--plot-dir DIR]``. The same as ``xpmath tour``."""

from __future__ import annotations

import argparse
import sys

from xpmath.tour import run_tour

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="numpy")
    parser.add_argument("--plot-dir", default=None)
    args = parser.parse_args()
    results = run_tour(args.backend, plot_dir=args.plot_dir)
    sys.exit(0 if all(r.ok for r in results) else 1)
