"""Half precision (float16, bfloat16): elementwise maths and reductions accept it and keep the
dtype; factorisations reject it with one xpmath error on every backend."""

from __future__ import annotations

import numpy as np
import pytest

import xpmath
from xpmath import DTypeError, linalg, nn, stats


def _half_dtypes(name: str) -> list[tuple[str, object]]:
    if name == "jax":
        import jax.numpy as jnp

        return [("bfloat16", jnp.bfloat16), ("float16", jnp.float16)]
    if name == "torch":
        import torch

        return [("bfloat16", torch.bfloat16), ("float16", torch.float16)]
    if name in ("numpy", "dask", "cupy"):
        return [("float16", np.float16)]
    return []  # array_api_strict has no half-precision dtype


# unit roundoff of each format: results carry a few of these from the rounded inputs' maths
EPS = {"bfloat16": 2.0**-8, "float16": 2.0**-11}


def _half(bk, x, dtype):
    return bk.xp.astype(xpmath.asarray(np.asarray(x, dtype=np.float32), backend=bk.name), dtype)


def _as_f64(bk, x) -> np.ndarray:
    if bk.name == "torch":
        return x.float().cpu().numpy().astype(np.float64)
    return np.asarray(xpmath.to_numpy(bk.xp.astype(x, bk.xp.float32)), dtype=np.float64)


CASES = {
    "vector_norm 2": (lambda x: linalg.vector_norm(x), lambda v: np.linalg.norm(v)),
    "vector_norm 1": (lambda x: linalg.vector_norm(x, ord=1), lambda v: np.abs(v).sum()),
    "vector_norm inf": (
        lambda x: linalg.vector_norm(x, ord=np.inf),
        lambda v: np.abs(v).max(),
    ),
    "mean": (lambda x: stats.mean(x), lambda v: v.mean()),
    "var": (lambda x: stats.var(x), lambda v: v.var()),
    "relu": (lambda x: nn.relu(x), lambda v: np.maximum(v, 0)),
    "softmax": (lambda x: nn.softmax(x), lambda v: np.exp(v - v.max()) / np.exp(v - v.max()).sum()),
    "normalize": (lambda x: linalg.normalize(x), lambda v: v / np.linalg.norm(v)),
}


@pytest.mark.parametrize("case", list(CASES))
def test_half_precision_elementwise_and_reductions(bk, rng, case) -> None:
    dtypes = _half_dtypes(bk.name)
    if not dtypes:
        pytest.skip(f"{bk.name} has no half-precision dtype")
    ours, ref = CASES[case]
    for label, dtype in dtypes:
        x = _half(bk, rng.standard_normal(512), dtype)
        v = _as_f64(bk, x)  # the rounded inputs, exactly, in float64
        got = bk.call(ours, x)
        assert got.dtype == dtype, (label, got.dtype)
        want = ref(v)
        scale = np.max(np.abs(want))
        # a few roundings of the result, plus accumulation in the format for the reductions
        atol = 8 * EPS[label] * scale
        np.testing.assert_allclose(_as_f64(bk, got), want, atol=atol, err_msg=label)


def test_half_precision_matmul(bk, rng) -> None:
    dtypes = _half_dtypes(bk.name)
    if not dtypes:
        pytest.skip(f"{bk.name} has no half-precision dtype")
    for label, dtype in dtypes:
        a, c = (_half(bk, rng.standard_normal((32, 32)), dtype) for _ in range(2))
        got = bk.call(linalg.matmul, a, c)
        assert got.dtype == dtype
        want = _as_f64(bk, a) @ _as_f64(bk, c)
        # each entry is a 32-term dot product of O(1) terms: error ~ sqrt(32) roundings of ~6
        np.testing.assert_allclose(_as_f64(bk, got), want, atol=64 * EPS[label], err_msg=label)


FACTORISATIONS = {
    "inv": lambda a: linalg.inv(a),
    "det": lambda a: linalg.det(a),
    "slogdet": lambda a: linalg.slogdet(a),
    "solve": lambda a: linalg.solve(a, a),
    "lstsq": lambda a: linalg.lstsq(a, a),
    "pinv": lambda a: linalg.pinv(a),
    "eig": lambda a: linalg.eig(a),
    "eigvals": lambda a: linalg.eigvals(a),
    "eigh": lambda a: linalg.eigh(a),
    "eigvalsh": lambda a: linalg.eigvalsh(a),
    "svd": lambda a: linalg.svd(a),
    "qr": lambda a: linalg.qr(a),
    "cholesky": lambda a: linalg.cholesky(a),
    "matrix_rank": lambda a: linalg.matrix_rank(a),
    "cond": lambda a: linalg.cond(a),
    "matrix_norm": lambda a: linalg.matrix_norm(a, ord=2),
}


@pytest.mark.parametrize("func", list(FACTORISATIONS))
def test_factorisations_reject_half_precision_by_name(bk, func) -> None:
    dtypes = _half_dtypes(bk.name)
    if not dtypes:
        pytest.skip(f"{bk.name} has no half-precision dtype")
    for label, dtype in dtypes:
        a = _half(bk, np.eye(3) * 2.0, dtype)
        with pytest.raises(DTypeError, match=rf"{func}: \w+ has dtype .*{label}.*float32"):
            bk.call(FACTORISATIONS[func], a)
