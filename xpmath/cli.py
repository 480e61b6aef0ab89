"""The ``xpmath`` command: ``info`` and ``bench``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _info(args: argparse.Namespace) -> int:
    import xpmath
    from xpmath.bench.env import blas_info, cpu_name, thread_count

    rows = [("backend", "installed", "usable", "version", "devices / reason")]
    for b in xpmath.backends():
        detail = ", ".join(b.devices) if b.usable else b.reason
        rows.append(
            (
                b.name,
                "yes" if b.installed else "no",
                "yes" if b.usable else "no",
                b.version or "-",
                detail,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4])
    blas = blas_info()
    print()
    print(f"cpu: {cpu_name()}  threads: {thread_count()}")
    print(f"numpy BLAS: {blas.get('name')} {blas.get('version') or ''}".rstrip())
    jax = xpmath._backends.BACKENDS["jax"]
    if jax.status()[0]:
        import jax as _jax

        print(
            f"jax x64: {'enabled' if _jax.config.jax_enable_x64 else 'disabled'} "
            f"(platform {_jax.default_backend()})"
        )
    print(
        f"default backend: {xpmath.current_backend()}  matmul precision: "
        f"{xpmath._precision.get_matmul_precision()}"
    )
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
