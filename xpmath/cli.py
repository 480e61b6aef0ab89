"""The ``xpmath`` command: ``info``, ``bench`` and ``tour``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn


def _info(args: argparse.Namespace) -> int:
    import xpmath

    print(xpmath.info())
    return 0


def _bench(args: argparse.Namespace) -> int:
    from xpmath.bench.cli import run

    return run(args)


def _tour(args: argparse.Namespace) -> int:
    from xpmath._errors import XpmathError
    from xpmath.tour import _check_arguments, run_tour

    try:  # a bad argument: one line and status 2 before the first step, as bench does
        _check_arguments(args.backend, args.plot_dir, plot_dir_name="--plot-dir")
    except XpmathError as exc:
        print(f"xpmath tour: error: {exc}", file=sys.stderr)
        return 2
    results = run_tour(args.backend, plot_dir=args.plot_dir)
    return 0 if all(r.ok for r in results) else 1


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``xpmath bench: error: ...`` and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="xpmath", description="Backend-agnostic math for deep learning.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
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


def discard_stdout() -> None:
    """Point stdout at /dev/null, so Python's flush at exit does not fail on the pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # (no file descriptor: a test's capture)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"info": _info, "bench": _bench, "tour": _tour}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        print(f"xpmath {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left (``| head``): stop quietly, as Unix tools do
        discard_stdout()
        return 141  # (128 + SIGPIPE, the status a shell reports for such a tool)
    except Exception as exc:  # the CLI never shows a traceback unless asked to
        if os.environ.get("XPMATH_DEBUG"):
            raise
        print(
            f"xpmath {args.command}: error: {exc.__class__.__name__}: {exc} "
            "(set XPMATH_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
