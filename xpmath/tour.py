"""The foundations tour: the standard math-for-deep-learning curriculum, run with xpmath on
one backend. Each step shows its code, runs it, prints the result and checks it against the
known answer (where a well-known tutorial prints a wrong value, the correct one is used and
the step says so). ``xpmath tour --backend jax`` or ``python examples/foundations.py``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["STEPS", "Step", "StepResult", "run_tour"]


@dataclass(frozen=True)
class Step:
    """One step: ``code`` sets ``result``; ``expect`` is a value (compared to ``tol``) or a
    predicate on the NumPy form of ``result``."""

    section: str
    title: str
    code: str
    expect: Any
    tol: float = 1e-6
    note: str = ""


@dataclass
class StepResult:
    step: Step
    value: Any
    ok: bool
    detail: str = ""


S1, S2, S3, S4, S5 = (
    "1. Linear algebra",
    "2. Calculus",
    "3. Probability and statistics",
    "4. Numerical computing",
    "5. Neural-network math",
)

STEPS: tuple[Step, ...] = (
    Step(
        S1,
        "Horizontal and vertical vectors",
        "h = A([1, 2, 3])\nv = xp.reshape(h, (3, 1))\nresult = (tuple(h.shape), tuple(v.shape))",
        ((3,), (3, 1)),
    ),
    Step(S1, "A 2x3 matrix", "M = A([[1, 2, 3], [4, 5, 6]])\nresult = tuple(M.shape)", (2, 3)),
    Step(
        S1,
        "A (2, 3, 3) tensor: rank and shape",
        "T = xp.reshape(A(range(18)), (2, 3, 3))\nresult = (T.ndim, tuple(T.shape))",
        (3, (2, 3, 3)),
    ),
    Step(
        S1,
        "dtypes",
        "result = [dtype_name(xpmath.asarray([1, 2], dtype=d, backend=name))\n"
        "          for d in ('float32', 'float64', 'int32', 'int64', 'uint8')]",
        ["float32", "float64", "int32", "int64", "uint8"],
    ),
    Step(
        S1,
        "Element-wise product vs matrix product",
        "a = A([[1, 2], [3, 4]]); b = A([[5, 6], [7, 8]])\nresult = (a * b, linalg.matmul(a, b))",
        ([[5, 12], [21, 32]], [[19, 22], [43, 50]]),
    ),
    Step(
        S1,
        "Incompatible shapes raise a clear error",
        "try:\n    linalg.matmul(A([[1, 2, 3]]), A([[1, 2, 3]]))\n"
        "except xpmath.ShapeError as err:\n    result = str(err)",
        lambda r: isinstance(r, str) and "matmul" in r,
    ),
    Step(S1, "Dot product", "result = linalg.dot(A([1, 2, 3]), A([4, 5, 6]))", 32.0),
    Step(
        S1,
        "L1 norm of [-1, 2, 3, 4, -5]",
        "result = linalg.norm(A([-1, 2, 3, 4, -5]), ord=1)",
        15.0,
    ),
    Step(
        S1,
        "L2 norm of [-1, 2, 3, 4, -5]",
        "result = linalg.norm(A([-1, 2, 3, 4, -5]))",
        math.sqrt(55),
        1e-4,
    ),
    Step(
        S1,
        "Frobenius norm of [[1, 2, 3], [-1, -2, -3]]",
        "result = linalg.norm(A([[1, 2, 3], [-1, -2, -3]]), 'fro')",
        math.sqrt(28),
    ),
    Step(
        S1,
        "Inverse of [[-1, 2], [-3, 4]]",
        "result = linalg.inv(A([[-1, 2], [-3, 4]]))",
        [[2.0, -1.0], [1.5, -0.5]],
    ),
    Step(
        S1, "Determinant of [[-1, 2], [3, -4]]", "result = linalg.det(A([[-1, 2], [3, -4]]))", -2.0
    ),
    Step(
        S1,
        "Eigenvalues and eigenvectors of [[-1, 2], [2, -1]]",
        "w, V = linalg.eigh(A([[-1, 2], [2, -1]]))\nresult = (w, V)",
        lambda r: (
            np.allclose(r[0], [-3.0, 1.0])
            and np.allclose(np.array([[-1, 2], [2, -1]]) @ r[1], r[1] * r[0])
        ),
    ),
    Step(
        S1,
        "Checks: trace = sum of eigenvalues, det = product",
        "M = A([[-1, 2], [2, -1]]); w = linalg.eigvalsh(M)\n"
        "result = (linalg.trace(M), xp.sum(w), linalg.det(M), xp.prod(w))",
        (-2.0, -2.0, -3.0, -3.0),
    ),
    Step(
        S2,
        "The limit of sin(x)/x at 0",
        "result = calculus.limit(lambda x: xp.sin(x) / x, 0.0, backend=name).value",
        1.0,
    ),
    Step(
        S2,
        "Derivative of y = [0, 10, 40, 90, 160] sampled at x = [0, 1, 2, 3, 4]",
        "result = calculus.gradient(A([0, 10, 40, 90, 160]), A([0, 1, 2, 3, 4]))",
        [10.0, 20.0, 40.0, 60.0, 70.0],
        1e-12,
        "second-order differences inside, first-order at the ends (numpy.gradient); "
        "a frequently copied tutorial prints a different array here",
    ),
    Step(
        S2,
        "Product rule: (f g)' = f' g + f g' with f = sin, g = exp, at x = 0.7",
        "x = A([0.7])\n"
        "lhs = calculus.grad(lambda t: xp.sum(xp.sin(t) * xp.exp(t)))(x)\n"
        "rhs = xp.cos(x) * xp.exp(x) + xp.sin(x) * xp.exp(x)\nresult = (lhs, rhs)",
        lambda r: np.allclose(r[0], r[1], rtol=1e-8),
    ),
    Step(
        S2,
        "Chain rule: d/dx sin(x^2) = 2x cos(x^2), at x = 1.3",
        "x = A([1.3])\nlhs = calculus.grad(lambda t: xp.sum(xp.sin(t * t)))(x)\n"
        "result = (lhs, 2 * x * xp.cos(x * x))",
        lambda r: np.allclose(r[0], r[1], rtol=1e-8),
    ),
    Step(
        S2,
        "Gradient descent on x^2 - 2x + 1 from 5",
        "res = optimize.gradient_descent(lambda x: xp.sum(x * x - 2 * x + 1), A([5.0]),\n"
        "                                lr=0.1, steps=100)\nresult = res.x",
        [1.0],
        1e-8,
    ),
    Step(
        S2,
        "Area under x^2 on [0, 1]",
        "area = calculus.quad(lambda x: x * x, 0.0, 1.0, backend=name)\n"
        "plot('area_under_x2', lambda x: x * x, 0.0, 1.0)\nresult = (area.value, area.error)",
        lambda r: abs(float(r[0]) - 1 / 3) < 1e-14 and float(r[1]) < 1e-12,
    ),
    Step(
        S3,
        "A uniform random variable on [0, 1): mean of 10,000 draws",
        "result = xp.mean(rng.uniform(0.0, 1.0, 10_000))",
        0.5,
        0.02,
    ),
    Step(
        S3,
        "Normal and gamma samples: mean and std",
        "z = rng.normal(0.0, 1.0, 10_000); g = rng.gamma(2.0, 2.0, 10_000)\n"
        "result = (xp.mean(z), stats.std(z), xp.mean(g))",
        lambda r: abs(r[0]) < 0.05 and abs(r[1] - 1) < 0.05 and abs(r[2] - 4) < 0.2,
    ),
    Step(
        S3,
        "Bayes' theorem: 1% prevalence, 99% sensitivity, 5% false positives",
        "post = stats.bayes(A([0.01, 0.99]), A([0.99, 0.05]))\n"
        "result = (post.posterior[0], post.evidence)",
        (0.16667, 0.0594),
        1e-3,
    ),
    Step(
        S3,
        "Mean and variance of [1, 2, 3, 4, 5]",
        "x = A([1, 2, 3, 4, 5])\nresult = (stats.mean(x), stats.var(x))",
        (3.0, 2.0),
    ),
    Step(
        S3,
        "Covariance of x = [1, 2, 30, 4, 5], y = [2, 4, 60, 18, 10]",
        "result = stats.cov(A([1, 2, 30, 4, 5]), A([2, 4, 60, 18, 10]))",
        [[148.3, 285.6], [285.6, 569.2]],
        1e-9,
        "numpy.cov agrees; a widely copied tutorial shows 145.3 for var(x)",
    ),
    Step(
        S3,
        "Correlation of a perfect linear pair",
        "x = A([1, 2, 3, 4, 5])\nresult = stats.corrcoef(x, 2 * x + 1)[0, 1]",
        1.0,
    ),
    Step(
        S3,
        "Gaussian, Bernoulli (p = 0.7) and Poisson (lambda = 5) samples: means",
        "result = (xp.mean(rng.normal(size=20_000)), xp.mean(rng.bernoulli(0.7, 20_000)),\n"
        "          xp.mean(xp.astype(rng.poisson(5.0, 20_000), xp.float64)))",
        lambda r: abs(r[0]) < 0.04 and abs(r[1] - 0.7) < 0.02 and abs(r[2] - 5) < 0.08,
    ),
    Step(
        S3,
        "Two-sample t-test and the decision at alpha = 0.05",
        "a = A([5.1, 4.9, 5.6, 5.8, 6.0]); b = A([6.5, 6.8, 7.1, 6.9, 7.4])\n"
        "r = stats.ttest_ind(a, b)\n"
        "result = (r.statistic, r.pvalue, 'reject H0' if float(r.pvalue) < 0.05 else 'keep H0')",
        lambda r: (
            abs(r[0] + 5.683042) < 1e-5 and abs(r[1] - 4.6336e-4) < 1e-7 and r[2] == "reject H0"
        ),
    ),
    Step(
        S4,
        "0.1 + 0.2 in float64 and float32",
        "d = xpmath.asarray(0.1, dtype='float64', backend=name)\n"
        "s = xpmath.asarray(0.1, dtype='float32', backend=name)\n"
        "result = (repr(float(d + 2 * d)), repr(float(s + 2 * s)))",
        lambda r: r[0] == "0.30000000000000004" and r[1] != r[0],
    ),
    Step(
        S4,
        "Machine epsilon of float32 and float64",
        "result = (linalg.eps('float32', backend=name), linalg.eps('float64', backend=name))",
        (2.0**-23, 2.0**-52),
        1e-12,
    ),
    Step(
        S4,
        "Conditioning: a nearly singular matrix amplifies a tiny change in b",
        "M = A([[1, 1], [1, 1 + 1e-10]])\n"
        "x1 = linalg.solve(M, A([2, 2 + 1e-10])); x2 = linalg.solve(M, A([2, 2 + 2e-10]))\n"
        "result = (linalg.cond(M), x1, x2)",
        lambda r: (
            r[0] > 1e9
            and np.allclose(r[1], [1, 1], atol=1e-5)
            and np.allclose(r[2], [0, 2], atol=1e-5)
        ),
    ),
    Step(
        S4,
        "Normalisation: [[1, 2], [3, 4]] divided by its norm",
        "M = A([[1, 2], [3, 4]])\nresult = (linalg.norm(M), M / linalg.norm(M))",
        lambda r: (
            abs(r[0] - math.sqrt(30)) < 1e-12
            and np.allclose(r[1], np.array([[1, 2], [3, 4]]) / math.sqrt(30))
        ),
    ),
    Step(
        S4,
        "Integral of exp(-x^2) over [-10, 10] = sqrt(pi)",
        "result = calculus.quad(lambda x: xp.exp(-x * x), -10.0, 10.0, n=100,\n"
        "                       backend=name).value",
        math.sqrt(math.pi),
        1e-12,
    ),
    Step(
        S4,
        "Minimising x0^2 + x1^2 + x2^2 from [1, 22, 30]",
        "res = optimize.minimize(lambda x: xp.sum(x * x), A([1, 22, 30]))\nresult = res.x",
        [0.0, 0.0, 0.0],
        1e-8,
    ),
    Step(
        S5,
        "Sigmoid, ReLU and a stable softmax",
        "result = (nn.sigmoid(A([-1000, 0, 1000])), nn.relu(A([-2, 0, 3])),\n"
        "          nn.softmax(A([1000, 1001])))",
        ([0.0, 0.5, 1.0], [0.0, 0.0, 3.0], [0.26894142, 0.73105858]),
        1e-8,
    ),
    Step(
        S5,
        "A 2-layer network: forward pass, loss, backward pass checked against autodiff",
        "x, y = nn.make_blobs(60, 2, 3, backend=name)\n"
        "params = nn.init_mlp(2, 8, 3, backend=name)\n"
        "loss, grads = nn.mlp_backward(params, x, y)\n"
        "auto = calculus.grad(lambda W: nn.mlp_loss({**params, 'W1': W}, x, y))(params['W1'])\n"
        "result = (loss, xp.max(xp.abs(grads['W1'] - auto)))",
        lambda r: r[0] > 0 and r[1] < 1e-7,
    ),
    Step(
        S5,
        "Gradient-descent updates: the loss falls",
        "x, y = nn.make_blobs(150, 2, 3, spread=0.7, backend=name)\n"
        "params, losses = nn.train_mlp(nn.init_mlp(2, 16, 3, backend=name), x, y,\n"
        "                              lr=0.5, steps=100)\n"
        "result = [round(v, 4) for v in losses[::20]]",
        lambda r: all(b < a for a, b in itertools.pairwise(r)) and r[-1] < 0.5 * r[0],
    ),
)


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
        Directory for plots (needs matplotlib); none are drawn otherwise.
    out : callable or None
        Where lines go (``print`` by default; None for silence).

    Returns
    -------
    list of StepResult
        One per step, with ``ok`` telling whether the value matched the known answer.

    Examples
    --------
    >>> from xpmath.tour import run_tour
    >>> results = run_tour("numpy", out=None)
    >>> all(r.ok for r in results)
    True
    """
    import xpmath
    from xpmath import calculus, linalg, nn, optimize, random, stats

    from ._backends import get_backend

    b = get_backend(backend)
    b.require()
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
        import os

        os.makedirs(plot_dir, exist_ok=True)
        xs = np.linspace(lo, hi, 200)
        ys = xpmath.to_numpy(f(A(xs)))
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.plot(xs, ys)
        ax.fill_between(xs, ys, alpha=0.3)
        ax.set_title(stem.replace("_", " "))
        path = os.path.join(plot_dir, f"{stem}.png")
        fig.savefig(path, dpi=100, bbox_inches="tight")
        plt.close(fig)
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
