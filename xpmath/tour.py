"""The foundations tour: the standard math-for-deep-learning curriculum, run with xpmath on
one backend. Each step shows its code, runs it, prints the result and checks it against the
known answer (where a well-known tutorial prints a wrong value, the correct one is used and
the step says so). ``xpmath tour --backend jax`` or ``python examples/foundations.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._tour_steps import STEPS, Step

__all__ = ["STEPS", "Step", "StepResult", "run_tour"]


@dataclass
class StepResult:
    step: Step
    value: Any
    ok: bool
    detail: str = ""


def _numpy(value: Any) -> Any:
    from ._convert import to_numpy

    if isinstance(value, (tuple, list)):
        return type(value)(_numpy(v) for v in value)
    if isinstance(value, (str, int, float)) or value is None:
        return value
    try:
        out = to_numpy(value)
    except Exception:
        return value
    return out.item() if out.ndim == 0 else out


def _matches(got: Any, want: Any, tol: float) -> bool:
    if isinstance(want, (tuple, list)) and not _is_numeric_nest(want):
        return len(got) == len(want) and all(_matches(g, w, tol) for g, w in zip(got, want))
    if (
        isinstance(want, (tuple, list))
        and isinstance(got, tuple)
        and len(got) == len(want)
        and (np.ndim(want[0]) != np.ndim(np.asarray(want)))
    ):
        return all(_matches(g, w, tol) for g, w in zip(got, want))
    try:
        return bool(
            np.allclose(
                np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=tol, atol=tol
            )
        )
    except (TypeError, ValueError):
        return got == want


def _is_numeric_nest(v: Any) -> bool:
    try:
        np.asarray(v, dtype=float)
        return True
    except (TypeError, ValueError):
        return False


def _format(value: Any) -> str:
    if isinstance(value, tuple):
        inner = ", ".join(_format(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(_format(v) for v in value) + "]"
    if isinstance(value, np.ndarray):
        return str(np.round(value, 10).tolist())
    if isinstance(value, float):
        return f"{value:.10g}"
    return repr(value) if isinstance(value, str) else str(value)


def _check_arguments(
    backend: str, plot_dir: str | None, *, plot_dir_name: str = "run_tour: plot_dir"
) -> Any:
    """The tour's argument checks, made before its first step; returns the backend object.

    ``run_tour`` and ``xpmath tour`` (which names the argument ``--plot-dir``) share them, so a
    bad argument is the same error either way.
    """
    import os

    from ._backends import get_backend
    from ._errors import InvalidArgumentError

    b = get_backend(backend)
    b.require()
    if plot_dir is not None and os.path.exists(plot_dir) and not os.path.isdir(plot_dir):
        raise InvalidArgumentError(
            f"{plot_dir_name} {plot_dir!r} is a file; expected a folder to write plots in"
        )
    if plot_dir is not None:  # made, and asked for a file, before the first step
        from .bench.results import probe_folder

        try:
            os.makedirs(plot_dir, exist_ok=True)
            probe_folder(plot_dir)
        except OSError as exc:
            raise InvalidArgumentError(
                f"{plot_dir_name} {plot_dir!r}: cannot write plots there "
                f"({exc.strerror or exc}); expected a folder that takes new files"
            ) from None
    return b


def run_tour(
    backend: str = "numpy",
    *,
    plot_dir: str | None = None,
    out: Callable[[str], None] | None = print,
) -> list[StepResult]:
    """Run every step on ``backend``; print code and results when ``out`` is given.

    Parameters
    ----------
    backend : str
        Backend name. On JAX float64 is switched on explicitly (and said so).
    plot_dir : str, optional
        Directory for plots (needs matplotlib), made if missing; none are drawn otherwise.
    out : callable or None
        Where lines go (``print`` by default; None for silence).

    Returns
    -------
    list of StepResult
        One per step, with ``ok`` telling whether the value matched the known answer.

    Raises
    ------
    xpmath.InvalidArgumentError
        ``backend`` is not a backend's name, or ``plot_dir`` names a file or a folder that
        cannot be made or written (checked before the first step).
    xpmath.BackendUnavailableError
        ``backend`` is not usable here.

    Examples
    --------
    >>> from xpmath.tour import run_tour
    >>> results = run_tour("numpy", out=None)
    >>> all(r.ok for r in results)
    True
    """
    import os

    import xpmath
    from xpmath import calculus, linalg, nn, optimize, random, stats

    b = _check_arguments(backend, plot_dir)
    say = out or (lambda _s: None)
    if b.float64_reason():
        xpmath.enable_x64()
        say("[JAX] float64 enabled explicitly with xpmath.enable_x64(); the tour uses float64")

    def A(data: Any) -> Any:
        return xpmath.asarray(
            np.asarray(list(data) if isinstance(data, range) else data, dtype=float),
            dtype="float64",
            backend=backend,
        )

    def plot(stem: str, f: Callable[[Any], Any], lo: float, hi: float) -> None:
        if plot_dir is None:
            return
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            say("  (matplotlib not installed: no plot)")
            return
        import io

        from .bench.results import atomic_write_bytes

        os.makedirs(plot_dir, exist_ok=True)
        xs = np.linspace(lo, hi, 200)
        ys = xpmath.to_numpy(f(A(xs)))
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.plot(xs, ys)
        ax.fill_between(xs, ys, alpha=0.3)
        ax.set_title(stem.replace("_", " "))
        path = os.path.join(plot_dir, f"{stem}.png")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        plt.close(fig)
        atomic_write_bytes(path, buf.getvalue())  # (never a half-written file)
        say(f"  plot written to {path}")

    ns: dict[str, Any] = {
        "xpmath": xpmath,
        "linalg": linalg,
        "calculus": calculus,
        "optimize": optimize,
        "stats": stats,
        "random": random,
        "nn": nn,
        "xp": b.xp,
        "A": A,
        "name": backend,
        "rng": random.default_rng(0, backend=backend),
        "plot": plot,
        "dtype_name": lambda a: xpmath.to_numpy(a).dtype.name,
    }
    results = []
    section = None
    for step in STEPS:
        if step.section != section:
            section = step.section
            say(f"\n== {section} ({backend}) ==")
        say(f"\n-- {step.title}")
        for i, line in enumerate(step.code.splitlines()):
            cont = i and (line[:1].isspace() or line.split(" ")[0] in ("except", "else:"))
            say(("   ... " if cont else "   >>> ") + line)
        try:
            ns.pop("result", None)  # a step that sets nothing must not reuse the last value
            exec(step.code, ns)  # the tour's own fixed source
            value = _numpy(ns["result"])
            ok = (
                step.expect(value)
                if callable(step.expect)
                else _matches(value, step.expect, step.tol)
            )
            detail = ""
        except Exception as exc:  # a failing step is reported, and the tour goes on
            value, ok, detail = None, False, f"{type(exc).__name__}: {exc}"
        say(f"   = {_format(value)}" if not detail else f"   ! {detail}")
        if step.note:
            say(f"   note: {step.note}")
        if not ok and not detail:
            say(f"   ! expected {step.expect!r}")
        results.append(StepResult(step, value, bool(ok), detail))
    passed = sum(r.ok for r in results)
    say(f"\n{passed}/{len(results)} steps match the known answers on {backend}")
    return results
