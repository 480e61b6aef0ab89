"""``xpmath bench``: argument parsing and orchestration."""

from __future__ import annotations

import argparse
import sys


def _csv(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--backend",
        type=_csv,
        default=None,
        help="comma-separated backends (default: every usable one)",
    )
    p.add_argument("--op", type=_csv, default=None, help="matmul,norm,gd (default: all)")
    p.add_argument(
        "--size",
        type=_csv,
        default=None,
        help="sizes for the chosen ops: n for matmul, elements for norm, MxD for gd",
    )
    p.add_argument("--dtype", type=_csv, default=None, help="float32,float64 (default: both)")
    p.add_argument("--quick", action="store_true", help="small sizes, short runs (< 1 min)")
    p.add_argument("--steps", type=int, default=50, help="gradient-descent steps per call")
    p.add_argument("--json", default=None, metavar="FILE", help="write rows + environment")
    p.add_argument("--plot", default=None, metavar="FILE", help="throughput plot (matplotlib)")
    p.add_argument(
        "--fast-matmul",
        action="store_true",
        help="allow TF32-style fast matmul (labelled in the output)",
    )
    p.add_argument(
        "--dask-scheduler",
        default=None,
        metavar="SPEC",
        help="run the dask backend on 'local' / 'local:N' (a LocalCluster of N worker "
        "processes, default 2) or on an existing scheduler address such as "
        "tcp://scheduler:8786 (default: Dask's threaded scheduler)",
    )
    p.add_argument(
        "--compare",
        nargs=2,
        metavar=("OLD", "NEW"),
        default=None,
        help="print new/old throughput per row of two --json files",
    )


def _parse_sizes(ops: list[str], raw: list[str] | None) -> dict[str, list[object]] | None:
    if not raw:
        return None
    sizes: dict[str, list[object]] = {}
    for op in ops:
        vals: list[object] = []
        for tok in raw:
            if op == "gd":
                m, _, d = tok.lower().partition("x")
                if d:
                    vals.append((int(float(m)), int(float(d))))
            elif "x" not in tok.lower():
                vals.append(int(float(tok)))
        if vals:
            sizes[op] = vals
    return sizes


def run(args: argparse.Namespace) -> int:
    from .._errors import InvalidArgumentError
    from . import report, runner
    from .cluster import dask_scheduler
    from .env import environment

    if args.compare:
        print(
            report.compare(report.read_json(args.compare[0]), report.read_json(args.compare[1])),
            end="",
        )
        return 0
    import xpmath

    ops = args.op or list(runner.OPS)
    dtypes = args.dtype or list(runner.DTYPES)
    names = args.backend or runner.default_backends()
    if "float64" in dtypes and "jax" in names:
        xpmath.enable_x64()  # JAX float64 rows need x64; float32 rows are unaffected
    if args.fast_matmul:
        xpmath.set_matmul_precision("fast")
    if args.dask_scheduler is not None and "dask" not in names:
        raise InvalidArgumentError(
            "bench: --dask-scheduler applies to the dask backend, which is not in --backend"
        )
    with dask_scheduler(args.dask_scheduler) as scheduler:
        rows = runner.run(
            names,
            ops,
            dtypes,
            quick=args.quick,
            sizes=_parse_sizes(ops, args.size),
            gd_steps=args.steps,
            progress=runner.stderr_progress if sys.stderr.isatty() else None,
        )
    data = runner.rows_as_dicts(rows)
    env = environment(names)
    if "dask" in names:
        env["dask_scheduler"] = scheduler
    print(
        f"xpmath bench on {env['cpu']} ({env['threads']} threads), matmul precision "
        f"{env['matmul_precision']}"
    )
    if "dask" in names:
        print("dask scheduler: " + ", ".join(f"{k} {v}" for k, v in scheduler.items()))
    print(report.tables(data), end="")
    if args.json:
        report.write_json(args.json, data, env, sys.argv)
        print(f"wrote {args.json}")
    if args.plot:
        report.plot(args.plot, data)
        print(f"wrote {args.plot}")
    return 0
