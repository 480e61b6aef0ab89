"""The steps of the foundations tour (``xpmath.tour``): each one's code, the answer it is
checked against and, where a well-known tutorial prints a wrong value, a note saying so."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["STEPS", "Step"]


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
