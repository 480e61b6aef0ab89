"""One small call per routine of the capability table, for the tests generated from it.

``EXAMPLES[name](rng)`` gives ``(call, arrays)``: ``call(*arrays)`` runs the routine on the
arrays (NumPy arrays here; the test converts them to each backend) and returns an array or a
tuple of arrays. Non-array parameters are closed over, so under ``jax.jit`` only the arrays are
traced. ``RANDOM`` routines draw from a backend's own generator: their values differ between
backends, so only shapes and dtypes are compared across backends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import xpmath
from xpmath import calculus, linalg, nn, optimize, random, stats
from xpmath._dispatch import backend_of

Example = tuple[Callable[..., Any], tuple[np.ndarray, ...]]


def _spd(rng: np.random.Generator, n: int = 3) -> np.ndarray:
    a = rng.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


def _sq(x: Any) -> Any:
    return linalg.vector_norm(x) ** 2


def _shifted(x: Any) -> Any:
    return xpmath.stats.mean((x - 1.5) ** 2)


def _mlp(rng: np.random.Generator) -> tuple[Any, np.ndarray, np.ndarray]:
    x = rng.standard_normal((8, 2))
    y = (x[:, 0] > 0).astype(np.int64)
    return x, y


def _params_of(x: Any) -> Any:
    return nn.init_mlp(2, 4, 2, seed=0, backend=_name(x), dtype="float64")


def _leaves(params: Any) -> tuple[Any, ...]:
    return tuple(params[k] for k in sorted(params))  # JAX returns pytrees in key order


def _opt(method: Callable[..., Any], **kw: Any) -> Callable[[np.random.Generator], Example]:
    return lambda rng: (lambda x0: method(_shifted, x0, steps=5, **kw).x, (rng.random(3),))


EXAMPLES: dict[str, Callable[[np.random.Generator], Example]] = {
    # calculus
    "calculus.cumulative_trapezoid": lambda rng: (calculus.cumulative_trapezoid, (rng.random(6),)),
    "calculus.trapezoid": lambda rng: (calculus.trapezoid, (rng.random((2, 5)),)),
    "calculus.simpson": lambda rng: (calculus.simpson, (rng.random(7),)),
    "calculus.gradient": lambda rng: (calculus.gradient, (rng.random(6),)),
    "calculus.derivative": lambda rng: (
        lambda x: calculus.derivative(nn.tanh, x).df,
        (rng.random(4),),
    ),
    "calculus.grad": lambda rng: (calculus.grad(_sq), (rng.random(3),)),
    "calculus.value_and_grad": lambda rng: (calculus.value_and_grad(_sq), (rng.random(3),)),
    "calculus.jacobian": lambda rng: (calculus.jacobian(nn.tanh), (rng.random(3),)),
    "calculus.hessian": lambda rng: (calculus.hessian(_sq), (rng.random(3),)),
    "calculus.limit": lambda rng: (
        lambda x: calculus.limit(lambda h: nn.sigmoid(h + x[0]), 0.0, backend=_name(x)).value,
        (rng.random(1),),
    ),
    "calculus.quad": lambda rng: (
        lambda x: calculus.quad(lambda t: t * t + x[0], 0.0, 1.0, backend=_name(x)).value,
        (rng.random(1),),
    ),
    "calculus.monte_carlo": lambda rng: (
        lambda x: (
            calculus.monte_carlo(
                lambda p: p[:, 0] * 0 + x[0], 0.0, 1.0, n=64, seed=0, backend=_name(x)
            ).value
        ),
        (rng.random(1),),
    ),
    # linalg
    "linalg.cholesky": lambda rng: (linalg.cholesky, (_spd(rng),)),
    "linalg.cond": lambda rng: (linalg.cond, (_spd(rng),)),
    "linalg.det": lambda rng: (linalg.det, (_spd(rng),)),
    "linalg.dot": lambda rng: (linalg.dot, (rng.random(4), rng.random(4))),
    "linalg.eig": lambda rng: (lambda a: linalg.eig(a).eigenvalues, (np.diag([1.0, 2.0, 3.0]),)),
    "linalg.eigvals": lambda rng: (linalg.eigvals, (np.diag([1.0, 2.0, 3.0]),)),
    "linalg.eigh": lambda rng: (lambda a: linalg.eigh(a)[0], (_spd(rng),)),
    "linalg.eigvalsh": lambda rng: (linalg.eigvalsh, (_spd(rng),)),
    "linalg.inner": lambda rng: (linalg.inner, (rng.random(4), rng.random(4))),
    "linalg.inv": lambda rng: (linalg.inv, (_spd(rng),)),
    "linalg.lstsq": lambda rng: (
        lambda a, b: linalg.lstsq(a, b)[0],
        (rng.standard_normal((5, 3)), rng.random(5)),
    ),
    "linalg.matmul": lambda rng: (linalg.matmul, (rng.random((3, 4)), rng.random((4, 2)))),
    "linalg.matrix_norm": lambda rng: (linalg.matrix_norm, (rng.random((2, 3, 3)),)),
    "linalg.matrix_power": lambda rng: (lambda a: linalg.matrix_power(a, 3), (rng.random((3, 3)),)),
    "linalg.matrix_rank": lambda rng: (linalg.matrix_rank, (_spd(rng),)),
    "linalg.norm": lambda rng: (linalg.norm, (rng.random((3, 3)),)),
    "linalg.normalize": lambda rng: (linalg.normalize, (rng.random((2, 3)),)),
    "linalg.outer": lambda rng: (linalg.outer, (rng.random(3), rng.random(2))),
    "linalg.pinv": lambda rng: (linalg.pinv, (rng.standard_normal((4, 3)),)),
    "linalg.qr": lambda rng: (lambda a: tuple(linalg.qr(a)), (rng.standard_normal((4, 3)),)),
    "linalg.slogdet": lambda rng: (lambda a: tuple(linalg.slogdet(a)), (_spd(rng),)),
    "linalg.solve": lambda rng: (linalg.solve, (_spd(rng), rng.random(3))),
    "linalg.standardize": lambda rng: (linalg.standardize, (rng.random((5, 2)),)),
    "linalg.svd": lambda rng: (
        lambda a: linalg.svd(a, compute_uv=False),
        (rng.standard_normal((4, 3)),),
    ),
    "linalg.tensordot": lambda rng: (
        lambda a, b: linalg.tensordot(a, b, axes=1),
        (rng.random((2, 3)), rng.random((3, 2))),
    ),
    "linalg.trace": lambda rng: (linalg.trace, (rng.random((3, 3)),)),
    "linalg.vdot": lambda rng: (linalg.vdot, (rng.random(4), rng.random(4))),
    "linalg.vector_norm": lambda rng: (linalg.vector_norm, (rng.random(5),)),
    # nn
    "nn.binary_cross_entropy": lambda rng: (
        nn.binary_cross_entropy,
        (rng.uniform(0.1, 0.9, 4), (rng.random(4) > 0.5).astype(np.float64)),
    ),
    "nn.cross_entropy": lambda rng: (nn.cross_entropy, (rng.random((4, 3)), np.arange(4) % 3)),
    "nn.elu": lambda rng: (nn.elu, (rng.standard_normal(5),)),
    "nn.gelu": lambda rng: (nn.gelu, (rng.standard_normal(5),)),
    "nn.leaky_relu": lambda rng: (nn.leaky_relu, (rng.standard_normal(5),)),
    "nn.log_sigmoid": lambda rng: (nn.log_sigmoid, (rng.standard_normal(5),)),
    "nn.log_softmax": lambda rng: (nn.log_softmax, (rng.standard_normal((2, 3)),)),
    "nn.logsumexp": lambda rng: (nn.logsumexp, (rng.standard_normal(5),)),
    "nn.softmax": lambda rng: (nn.softmax, (rng.standard_normal((2, 3)),)),
    "nn.mse": lambda rng: (nn.mse, (rng.random(4), rng.random(4))),
    "nn.one_hot": lambda rng: (lambda y: nn.one_hot(y, 3), (np.array([0, 2, 1]),)),
    "nn.relu": lambda rng: (nn.relu, (rng.standard_normal(5),)),
    "nn.sigmoid": lambda rng: (nn.sigmoid, (rng.standard_normal(5),)),
    "nn.softplus": lambda rng: (nn.softplus, (rng.standard_normal(5),)),
    "nn.tanh": lambda rng: (nn.tanh, (rng.standard_normal(5),)),
    "nn.init_mlp": lambda rng: (lambda x: _leaves(_params_of(x)), (rng.random(1),)),
    "nn.make_blobs": lambda rng: (
        lambda x: nn.make_blobs(6, seed=0, backend=_name(x)),
        (rng.random(1),),
    ),
    "nn.mlp_forward": lambda rng: (
        lambda x: tuple(nn.mlp_forward(_params_of(x), x)),
        (_mlp(rng)[0],),
    ),
    "nn.mlp_loss": lambda rng: (lambda x, y: nn.mlp_loss(_params_of(x), x, y), _mlp(rng)),
    "nn.mlp_backward": lambda rng: (
        lambda x, y: (nn.mlp_backward(_params_of(x), x, y)[0],),
        _mlp(rng),
    ),
    "nn.train_mlp": lambda rng: (
        lambda x, y: _leaves(nn.train_mlp(_params_of(x), x, y, steps=2)[0]),
        _mlp(rng),
    ),
    # optimize
    "optimize.gradient_descent": _opt(optimize.gradient_descent, lr=0.1),
    "optimize.sgd": _opt(optimize.sgd, lr=0.1),
    "optimize.adam": _opt(optimize.adam, lr=0.1),
    "optimize.rmsprop": _opt(optimize.rmsprop, lr=0.1),
    "optimize.minimize": lambda rng: (
        lambda x0: optimize.minimize(_shifted, x0, method="bfgs", maxiter=20).x,
        (rng.random(3),),
    ),
    # random
    "random.default_rng": lambda rng: (
        lambda x: random.default_rng(0, backend=_name(x)).normal(size=3) + x[0] * 0,
        (rng.random(1),),
    ),
    "random.key": lambda rng: (lambda: (random.key(0, backend=_default()),), ()),
    "random.normal": lambda rng: (lambda: random.normal(_key(), (3,)), ()),
    "random.uniform": lambda rng: (lambda: random.uniform(_key(), (3,)), ()),
    "random.split": lambda rng: (lambda: random.split(_key()), ()),
    # stats
    "stats.bayes": lambda rng: (
        lambda p, lk: (stats.bayes(p, lk).posterior,),
        (np.array([0.3, 0.7]), np.array([0.9, 0.2])),
    ),
    "stats.norm": lambda rng: (
        lambda v: (stats.norm(0.5, 2.0).cdf(v), stats.norm(0.5, 2.0).ppf(v * 0 + 0.3)),
        (rng.standard_normal(4),),
    ),
    "stats.t": lambda rng: (lambda v: (stats.t(4.0).cdf(v), stats.t(4.0).pdf(v)), (rng.random(4),)),
    "stats.uniform": lambda rng: (lambda v: stats.uniform(0.0, 2.0).cdf(v), (rng.random(4),)),
    "stats.gamma": lambda rng: (lambda v: stats.gamma(2.0).cdf(v), (rng.random(4) + 0.1,)),
    "stats.binom": lambda rng: (
        lambda v: stats.binom(5, 0.3).cdf(v),
        (np.array([0.0, 1.0, 3.0, 5.0]),),
    ),
    "stats.poisson": lambda rng: (
        lambda v: stats.poisson(2.0).pmf(v),
        (np.array([0.0, 1.0, 3.0]),),
    ),
    "stats.bernoulli": lambda rng: (
        lambda v: stats.bernoulli(0.3).pmf(v),
        (np.array([0.0, 1.0]),),
    ),
    "stats.corrcoef": lambda rng: (stats.corrcoef, (rng.random((2, 6)),)),
    "stats.cov": lambda rng: (stats.cov, (rng.random((2, 6)),)),
    "stats.mean": lambda rng: (stats.mean, (rng.random((3, 4)),)),
    "stats.var": lambda rng: (stats.var, (rng.random((3, 4)),)),
    "stats.std": lambda rng: (stats.std, (rng.random((3, 4)),)),
    "stats.median": lambda rng: (stats.median, (rng.random(7),)),
    "stats.quantile": lambda rng: (lambda x: stats.quantile(x, 0.25), (rng.random(7),)),
    "stats.skew": lambda rng: (stats.skew, (rng.random(8),)),
    "stats.kurtosis": lambda rng: (stats.kurtosis, (rng.random(8),)),
    "stats.zscore": lambda rng: (stats.zscore, (rng.random(6),)),
    "stats.ttest_1samp": lambda rng: (
        lambda a: tuple(stats.ttest_1samp(a, 0.5)),
        (rng.random(8),),
    ),
    "stats.ttest_ind": lambda rng: (
        lambda a, b: tuple(stats.ttest_ind(a, b)),
        (rng.random(8), rng.random(6)),
    ),
    "stats.ttest_rel": lambda rng: (
        lambda a, b: tuple(stats.ttest_rel(a, b)),
        (rng.random(8), rng.random(8)),
    ),
}

#: routines whose values come from a backend's own random generator
RANDOM = {"calculus.monte_carlo", "nn.make_blobs", "random.default_rng", "nn.init_mlp"}
RANDOM |= {"nn.mlp_forward", "nn.mlp_loss", "nn.mlp_backward", "nn.train_mlp"}

#: routines documented to return Python numbers (read from the backend), not arrays
PYTHON_NUMBERS = {"calculus.limit"}


def _name(x: Any) -> str:
    """The backend of ``x``: routines that make their own arrays are asked for it by name."""
    return backend_of(x).name


def _default() -> str:
    return str(xpmath.current_backend())


def _key() -> Any:
    """A JAX key on JAX; on another default backend, that backend's raw-key-like array (which
    the functional routines must refuse)."""
    name = _default()
    if name == "jax":
        return random.key(0)
    return xpmath.asarray(np.zeros(2, dtype=np.uint32), backend=name)
