"""Check every ``xpmath bench`` argument before any work starts.

Each fault raises :class:`BenchUsageError` naming the option, what it takes and what it was
given; the command prints that one line on stderr and exits with status 2.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

from .._errors import InvalidArgumentError


class BenchUsageError(InvalidArgumentError):
    """A bad ``xpmath bench`` argument (exit status 2)."""


@dataclass
class Options:
    backends: list[str]
    ops: list[str]
    dtypes: list[str]
    sizes: dict[str, list[Any]] | None
    steps: int
    dask_scheduler: str | None = None
    quick: bool = False
    device: str = "auto"
    json: str | None = None
    plot: str | None = None
    report: str | None = None
    baseline: dict[str, Any] | None = None
    fail_on_slower: float | None = None
    threshold: float = 5.0
    cache: dict[str, int] | None = None


def _csv(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [t.strip() for t in str(text).split(",") if t.strip()]


def _choice(
    option: str, given: list[str] | None, valid: list[str], default: list[str]
) -> list[str]:
    if given is None:
        return default
    if not given:
        raise BenchUsageError(f"{option}: expected one or more of {', '.join(valid)}; got nothing")
    for g in given:
        if g not in valid:
            raise BenchUsageError(f"{option}: unknown value {g!r}; valid: {', '.join(valid)}")
    return list(dict.fromkeys(given))


def _positive_int(option: str, token: str, text: str) -> int:
    try:
        v = float(text)
    except ValueError:
        raise BenchUsageError(f"--size: {token!r} is not a size ({option})") from None
    if not math.isfinite(v) or v != int(v) or v < 1:
        raise BenchUsageError(f"--size: {token!r} must be a positive whole number ({option})")
    return int(v)


_FORMS = (
    "n for matmul (e.g. 1024), an element count for norm (e.g. 1e7), MxD for gd (e.g. 2000x500)"
)


def parse_sizes(raw: str | None, ops: list[str]) -> dict[str, list[Any]] | None:
    """``--size`` tokens by op. A number goes to matmul and norm, ``MxD`` to gd; ``op:size``
    (``norm:1e8``) names the op. A token that fits none of the chosen ops is an error."""
    tokens = _csv(raw)
    if tokens is None:
        return None
    if not tokens:
        raise BenchUsageError(f"--size: expected sizes ({_FORMS}); got nothing")
    sizes: dict[str, list[Any]] = {}
    for tok in tokens:
        prefix, sep, body = tok.partition(":")
        named = prefix.strip().lower() if sep else None
        body = (body if sep else tok).strip().lower()
        if named is not None and named not in ("matmul", "norm", "gd"):
            raise BenchUsageError(f"--size: unknown op {named!r} in {tok!r}; ops: matmul, norm, gd")
        if "x" in body:
            m, _, d = body.partition("x")
            value: Any = (_positive_int("M of MxD", tok, m), _positive_int("D of MxD", tok, d))
            fits = ["gd"]
        else:
            value = _positive_int(_FORMS, tok, body)
            fits = ["matmul", "norm"]
        targets = [op for op in fits if op in ops and named in (None, op)]
        if not targets:
            wanted = named or "/".join(fits)
            raise BenchUsageError(
                f"--size: {tok!r} is a size for {wanted}, which "
                + ("does not take that form" if named and named not in fits else "is not in --op")
                + f" ({', '.join(ops)}); sizes are {_FORMS}"
            )
        for op in targets:
            sizes.setdefault(op, []).append(value)
    return sizes


def writable_file(option: str, path: str | None) -> str | None:
    """``path`` if a file can be written there (its folder exists and is writable)."""
    if path is None:
        return None
    if not path or os.path.isdir(path):
        raise BenchUsageError(f"{option}: expected a file path to write; got {path!r} (a folder)")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise BenchUsageError(f"{option}: the folder {folder!r} does not exist")
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise BenchUsageError(f"{option}: cannot write {path!r} (permission denied)")
    from .results import probe_folder

    try:
        probe_folder(folder)
    except OSError as exc:
        raise BenchUsageError(
            f"{option}: cannot write {path!r}: the folder {folder!r} refused a new file "
            f"({exc.strerror or exc})"
        ) from None
    return path


def need_matplotlib(option: str) -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise BenchUsageError(
            f"{option} needs matplotlib, which is not installed: pip install 'xpmath[plot]'"
        ) from None


#: the figure formats ``--plot`` writes, by the file's extension (none: PNG)
PLOT_FORMATS = {"": "png", ".png": "png", ".svg": "svg", ".pdf": "pdf"}


def plot_format(path: str) -> str:
    """The figure format for a ``--plot`` path, from its extension; an unknown extension is a
    usage error (rather than PNG bytes in a file named for something else)."""
    ext = os.path.splitext(str(path))[1].lower()
    if ext not in PLOT_FORMATS:
        raise BenchUsageError(
            f"--plot: writes PNG, SVG or PDF, chosen by the extension (.png, .svg, .pdf); "
            f"got {path!r}"
        )
    return PLOT_FORMATS[ext]


def percent(option: str, value: Any) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise BenchUsageError(f"{option}: expected a percentage such as 5; got {value!r}") from None
    if not math.isfinite(v) or v < 0:
        raise BenchUsageError(f"{option}: expected a percentage >= 0; got {value!r}")
    return v


def parse_cache_size(raw: str | None) -> dict[str, int] | None:
    """``--cache-size``: MiB for every device (``64``) or per device (``cpu:480,gpu:50``),
    as bytes keyed by device (``"*"``: every device)."""
    if raw is None:
        return None
    out: dict[str, int] = {}
    for token in _csv(raw) or [""]:
        dev, _, text = token.rpartition(":")
        dev = dev.strip() or "*"
        if dev not in ("*", "cpu", "gpu"):
            raise BenchUsageError(f"--cache-size: expected cpu:MiB or gpu:MiB; got {token!r}")
        try:
            mib = float(text)
        except ValueError:
            mib = math.nan
        if not math.isfinite(mib) or mib <= 0:
            raise BenchUsageError(
                f"--cache-size: expected a positive number of MiB (64, or cpu:64,gpu:50); "
                f"got {raw!r}"
            )
        out[dev] = max(int(mib * 2**20), 1)
    return out


def check_backends(opts: Options, dask_scheduler: str | None = None) -> None:
    """Second phase (imports the backends, about a second): with no ``--backend``, every
    usable one."""
    from .._backends.bench_support import SCHEDULED
    from .runner import default_backends

    if not opts.backends and opts.device == "gpu":
        from .._backends import BACKENDS
        from .._backends.bench_support import bench_device

        opts.backends = [
            n for n in default_backends() if bench_device(BACKENDS[n], "gpu") != "none"
        ]
        if not opts.backends:
            raise BenchUsageError("--device gpu: no installed backend has a GPU here")
    opts.backends = opts.backends or default_backends()
    if opts.device != "auto":
        from .._backends import BACKENDS
        from .._backends.bench_support import bench_device

        for n in opts.backends:
            if bench_device(BACKENDS[n], opts.device) == "none":
                raise BenchUsageError(f"--device {opts.device}: backend {n} has none here")
    if dask_scheduler is not None and SCHEDULED not in opts.backends:
        raise BenchUsageError("--dask-scheduler: the dask backend is not usable here")


def validate(args: Any) -> Options:
    """Turn parsed command-line arguments into checked :class:`Options` (first phase: only
    the backends named by ``--backend`` are imported, so a bad value is reported at once)."""
    from .._backends import BACKENDS
    from .._backends.bench_support import SCHEDULED
    from . import results
    from .runner import DTYPES, OPS

    ops = _choice("--op", _csv(args.op), list(OPS), list(OPS))
    dtypes = _choice("--dtype", _csv(args.dtype), list(DTYPES), list(DTYPES))
    names = _choice("--backend", _csv(args.backend), list(BACKENDS), [])
    for n in names:  # the backends asked for by name: checked now (the defaults later)
        ok, reason = BACKENDS[n].status()
        if not ok:
            raise BenchUsageError(f"--backend: {n} is not usable here: {reason}")
    if args.device not in ("auto", "cpu", "gpu"):
        raise BenchUsageError(f"--device: expected auto, cpu or gpu; got {args.device!r}")
    steps = args.steps
    if steps is not None:
        try:
            steps = int(steps)
        except ValueError:
            raise BenchUsageError(
                f"--steps: expected a positive whole number; got {args.steps!r}"
            ) from None
        if steps < 1:
            raise BenchUsageError(f"--steps: expected a positive whole number; got {args.steps!r}")
    if args.dask_scheduler is not None and names and SCHEDULED not in names:
        raise BenchUsageError(
            "--dask-scheduler applies to the dask backend, which is not in --backend"
        )
    if args.plot is not None:
        plot_format(args.plot)
        need_matplotlib("--plot")
    fail = percent("--fail-on-slower", args.fail_on_slower)
    threshold = percent("--threshold", args.threshold)
    for option, value in (("--fail-on-slower", fail), ("--threshold", threshold)):
        if value is not None and args.baseline is None:
            raise BenchUsageError(
                f"{option}: applies to a comparison, with --baseline FILE or --compare OLD NEW; "
                "neither was given"
            )
    baseline = None
    if args.baseline is not None:
        baseline = results.read_json(args.baseline, option="--baseline")
    return Options(
        backends=names,
        ops=ops,
        dtypes=dtypes,
        sizes=parse_sizes(args.size, ops),
        steps=steps or 50,
        dask_scheduler=args.dask_scheduler,
        quick=args.quick,
        device=args.device,
        json=writable_file("--json", args.json),
        plot=writable_file("--plot", args.plot),
        report=writable_file("--report", args.report),
        baseline=baseline,
        fail_on_slower=fail,
        threshold=5.0 if threshold is None else threshold,
        cache=parse_cache_size(args.cache_size),
    )
