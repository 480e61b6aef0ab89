"""The ``xpmath`` command: ``info`` and ``bench``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _info(args: argparse.Namespace) -> int:
    import xpmath

    print(xpmath.info())
    return 0


def _bench(args: argparse.Namespace) -> int:
    from xpmath.bench.cli import run

    return run(args)


def _tour(args: argparse.Namespace) -> int:
    from xpmath.tour import run_tour

    results = run_tour(args.backend, plot_dir=args.plot_dir)
    return 0 if all(r.ok for r in results) else 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="xpmath", description="Backend-agnostic math for deep learning."
    )
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="backends, versions, devices, BLAS, threads, x64 state")
    try:
        from xpmath.bench.cli import add_arguments
    except ModuleNotFoundError:
        add_arguments = None
    if add_arguments is not None:
        add_arguments(sub.add_parser("bench", help="matmul, norm and gradient-descent throughput"))
    tour = sub.add_parser("tour", help="the math-for-deep-learning curriculum, step by step")
    tour.add_argument("--backend", default="numpy", help="backend to run on (default numpy)")
    tour.add_argument("--plot-dir", default=None, help="write plots here (needs matplotlib)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"info": _info, "bench": _bench, "tour": _tour}[args.command]
    return handler(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
