"""``xpmath bench``: arguments, orchestration, exit statuses.

Exit status: 0 done; 1 a regression under ``--fail-on-slower`` or a failure while measuring;
2 a bad argument or unusable file (one line on stderr, before any work); 130 interrupted
(the cells that finished are written, marked partial). A reader that leaves (``| head``)
ends the output, not the run: the files are still written.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from typing import Any

from .options import BenchUsageError, Options


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--backend", default=None, help="comma-separated backends (default: every usable one)"
    )
    p.add_argument("--op", default=None, help="matmul,norm,gd (default: all)")
    p.add_argument(
        "--size",
        default=None,
        help="sizes: n for matmul (1024), elements for norm (1e7), MxD for gd (2000x500); "
        "a number goes to matmul and norm, or name the op: norm:1e8",
    )
    p.add_argument("--dtype", default=None, help="float32,float64 (default: both)")
    p.add_argument(
        "--device", default="auto", help="auto (GPU where a backend has one), cpu or gpu"
    )
    p.add_argument("--quick", action="store_true", help="small sizes, short runs (about 30 s)")
    p.add_argument(
        "--steps", default=None, help="gradient-descent steps per timed call (default 50)"
    )
    p.add_argument(
        "--json", default=None, metavar="FILE", help="write rows, ceilings and environment"
    )
    p.add_argument(
        "--plot",
        default=None,
        metavar="FILE",
        help="figures per op and a roofline (PNG; .svg or .pdf by the extension)",
    )
    p.add_argument("--report", default=None, metavar="FILE", help="one self-contained HTML report")
    p.add_argument(
        "--baseline", default=None, metavar="FILE", help="compare this run with a --json file"
    )
    p.add_argument(
        "--compare",
        nargs=2,
        metavar=("OLD", "NEW"),
        default=None,
        help="compare two --json files: FASTER / SLOWER / SAME / NOISY per cell",
    )
    p.add_argument(
        "--fail-on-slower",
        default=None,
        metavar="PCT",
        help="exit 1 when a cell is SLOWER by more than PCT percent (with --compare/--baseline)",
    )
    p.add_argument(
        "--threshold",
        default=None,
        metavar="PCT",
        help="smallest change called FASTER/SLOWER (default 5)",
    )
    p.add_argument(
        "--cache-size",
        default=None,
        metavar="MIB",
        help="the last-level cache the ceilings assume, in MiB, for every device (64) or per "
        "device (cpu:64,gpu:50); default: detected (sysfs, a GPU's L2; a VM may report its "
        "host's whole cache)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar or progress lines")
    p.add_argument(
        "--fast-matmul", action="store_true", help="allow TF32-style fast matmul (labelled)"
    )
    p.add_argument(
        "--dask-scheduler",
        default=None,
        metavar="SPEC",
        help="run the dask backend on 'local' / 'local:N' (a LocalCluster of N worker processes, "
        "default 2) or an existing scheduler address such as tcp://scheduler:8786",
    )


def run(args: argparse.Namespace) -> int:
    """Run ``xpmath bench``; bad arguments print one line on stderr and return 2."""
    from .._errors import XpmathError
    from .results import ResultsFileError

    try:
        if args.compare:
            return _compare_files(args)
        from .options import validate

        return _run(validate(args), args)
    except (BenchUsageError, ResultsFileError) as exc:
        print(f"xpmath bench: error: {exc}", file=sys.stderr)
        return 2
    except XpmathError as exc:
        print(f"xpmath bench: error: {exc}", file=sys.stderr)
        return 1


def _compare_files(args: argparse.Namespace) -> int:
    from . import compare, results
    from .options import percent, writable_file

    given = percent("--threshold", args.threshold)
    threshold = (5.0 if given is None else given) / 100
    fail = percent("--fail-on-slower", args.fail_on_slower)
    report = writable_file("--report", args.report)
    old = results.read_json(args.compare[0], option="--compare")
    new = results.read_json(args.compare[1], option="--compare")
    verdicts = compare.compare_rows(old, new, threshold)
    print(compare.format_verdicts(verdicts, threshold), end="")
    if report:
        _write_report(report, new, verdicts, args.compare[0])
        print(f"wrote {report}")
    return _regression_status(verdicts, fail)


def _regression_status(verdicts: list[Any], fail: float | None) -> int:
    if fail is None:
        return 0
    from .compare import regressions

    bad = regressions(verdicts, fail)
    if bad:
        print(f"{len(bad)} cell(s) slower by more than {fail:g}%", file=sys.stderr)
        return 1
    return 0


class _Interrupt:
    """First Ctrl-C: stop after the cell being measured. Second: drop that cell too."""

    def __init__(self) -> None:
        self.requested = False
        self.previous: Any = None

    def __enter__(self) -> _Interrupt:
        self.previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def _handler(self, signum: int, frame: Any) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        sys.stderr.write("\ninterrupted: stopping after this cell (Ctrl-C again to stop now)\n")
        sys.stderr.flush()

    def __exit__(self, *exc: Any) -> None:
        signal.signal(signal.SIGINT, self.previous)


def _run(opts: Options, args: argparse.Namespace) -> int:
    import xpmath

    from .._backends import BACKENDS, bench_support
    from .._backends.bench_support import SCHEDULED
    from .._backends.dask_cluster import dask_scheduler
    from . import compare, report, results, runner
    from .env import environment
    from .options import check_backends

    show = not args.no_progress
    if show:
        print("xpmath bench: checking backends ...", file=sys.stderr, flush=True)
    check_backends(opts, args.dask_scheduler)
    names = opts.backends
    for name in names:  # e.g. JAX's float64 rows need x64 (float32 rows are unaffected)
        bench_support.allow_dtypes(BACKENDS[name], list(opts.dtypes))
    if args.fast_matmul:
        xpmath.set_matmul_precision("fast")
    t0 = time.perf_counter()
    with dask_scheduler(args.dask_scheduler) as scheduler:
        cells, skipped = runner.plan(
            names, opts.ops, opts.dtypes, quick=opts.quick, sizes=opts.sizes, device=opts.device
        )
        if not any(c.kind == "op" for c in cells):
            raise BenchUsageError("--size: no cell fits in memory: " + "; ".join(skipped[:3]))
        if show:
            print(
                f"xpmath bench: {len(cells)} cells on {', '.join(names)} "
                f"({', '.join(opts.ops)}; {', '.join(opts.dtypes)}), ceilings first",
                file=sys.stderr,
                flush=True,
            )
        from .progress import make_progress

        weights = [c.estimate(opts.quick, opts.steps) for c in cells]
        progress = make_progress(len(cells), weights, enabled=show)
        with _Interrupt() as stop:
            try:
                result = runner.execute(
                    cells,
                    quick=opts.quick,
                    gd_steps=opts.steps,
                    on_cell=(lambda i, c, s: progress.cell(i, c.label, s)) if progress else None,
                    should_stop=lambda: stop.requested,
                    cache=opts.cache,
                )
            finally:
                if progress:
                    progress.close()
    data = runner.rows_as_dicts(result.rows)
    devices = {k: d.as_dict() for k, d in result.devices.items()}
    env = environment(names)
    if SCHEDULED in names:
        env["dask_scheduler"] = scheduler
    env["wall_seconds"] = time.perf_counter() - t0
    say = _Say()  # (``| head`` must not cost the files still to be written)
    say(
        f"xpmath bench on {env['cpu']} ({env['threads']} threads), "
        f"matmul precision {env['matmul_precision']}"
    )
    if SCHEDULED in names:
        say("dask scheduler: " + ", ".join(f"{k} {v}" for k, v in scheduler.items()))
    say(report.ceilings_text(devices))
    say(report.tables(data), end="")
    for s in skipped:
        say(f"skipped {s}")
    doc = results.document(
        data, env, sys.argv, devices=devices, partial=result.partial, skipped=skipped
    )
    verdicts = None
    if opts.baseline is not None:
        verdicts = compare.compare_rows(opts.baseline, doc, opts.threshold / 100)
        say("\ncompared with --baseline " + str(args.baseline))
        say(compare.format_verdicts(verdicts, opts.threshold / 100), end="")
    if opts.json:
        results.write_json(
            opts.json, data, env, sys.argv, devices=devices, partial=result.partial, skipped=skipped
        )
        say(f"wrote {opts.json}" + (" (partial)" if result.partial else ""))
    if opts.plot:
        from .plots import plot

        for path in plot(opts.plot, data, devices):
            say(f"wrote {path}")
    if opts.report:
        _write_report(opts.report, doc, verdicts, args.baseline)
        say(f"wrote {opts.report}")
    if result.partial:
        print(f"interrupted: {len(data)} rows from the cells that finished", file=sys.stderr)
        return 130
    return _regression_status(verdicts or [], opts.fail_on_slower)


class _Say:
    """``print`` that outlives a reader who left (``xpmath bench | head``): the rest of the
    output is dropped, and the files still to be written are written."""

    def __init__(self) -> None:
        self.broken = False

    def __call__(self, text: str = "", end: str = "\n") -> None:
        if self.broken:
            return
        try:
            sys.stdout.write(text + end)
            sys.stdout.flush()
        except BrokenPipeError:
            from ..cli import discard_stdout

            self.broken = True
            discard_stdout()


def _write_report(path: str, doc: dict[str, Any], verdicts: Any, baseline: str | None) -> None:
    from . import html_report, results

    images = None
    try:
        from .plots import figures, png_bytes

        images = {k: png_bytes(f) for k, f in figures(doc["rows"], doc.get("ceilings")).items()}
    except BenchUsageError:  # no matplotlib: the report says so instead of showing plots
        images = None
    results.atomic_write_text(path, html_report.render(doc, images, verdicts, baseline))
