"""Complex input on every backend against NumPy in complex128.

Routines that accept complex arrays give NumPy's answer for them: the conjugate transposes a
real-only formula leaves out, and the orderings complex numbers do not have. This sweep
found ``lstsq``'s SVD route (every backend but NumPy) transposing without conjugating, and
``corrcoef`` clipping complex correlations, which torch, JAX and array_api_strict refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import xpmath
from xpmath import linalg, stats
from xpmath._capabilities import capabilities

TABLE = capabilities(as_dict=True)


def _c(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def _hpd(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    a = _c(rng, shape)
    return a @ np.conj(np.swapaxes(a, -1, -2)) + shape[-1] * np.eye(shape[-1])


def _sorted_eigvals(a: Any) -> np.ndarray:
    return np.sort_complex(np.asarray(xpmath.to_numpy(linalg.eigvals(a))))


Case = tuple[str, Callable[[np.random.Generator], tuple[np.ndarray, ...]], Callable, Callable]

#: (routine, inputs, xpmath call, NumPy reference)
CASES: dict[str, Case] = {
    "det": ("linalg.det", lambda r: (_c(r, (2, 3, 3)),), linalg.det, np.linalg.det),
    "inv": ("linalg.inv", lambda r: (_c(r, (2, 3, 3)),), linalg.inv, np.linalg.inv),
    "solve": (
        "linalg.solve",
        lambda r: (_c(r, (2, 3, 3)), _c(r, (2, 3, 2))),
        linalg.solve,
        np.linalg.solve,
    ),
    "slogdet": (
        "linalg.slogdet",
        lambda r: (_c(r, (2, 3, 3)),),
        lambda a: tuple(linalg.slogdet(a)),
        lambda a: tuple(np.linalg.slogdet(a)),
    ),
    "svdvals": (
        "linalg.svd",
        lambda r: (_c(r, (2, 4, 3)),),
        lambda a: linalg.svd(a, compute_uv=False),
        lambda a: np.linalg.svd(a, compute_uv=False),
    ),
    "eigvalsh": (
        "linalg.eigvalsh",
        lambda r: (_hpd(r, (2, 3, 3)),),
        linalg.eigvalsh,
        np.linalg.eigvalsh,
    ),
    "cholesky": (
        "linalg.cholesky",
        lambda r: (_hpd(r, (2, 3, 3)),),
        linalg.cholesky,
        np.linalg.cholesky,
    ),
    "cholesky upper": (
        "linalg.cholesky",
        lambda r: (_hpd(r, (3, 3)),),
        lambda a: linalg.cholesky(a, upper=True),
        lambda a: np.linalg.cholesky(a, upper=True),
    ),
    "pinv": ("linalg.pinv", lambda r: (_c(r, (2, 4, 3)),), linalg.pinv, np.linalg.pinv),
    "matrix_rank": (
        "linalg.matrix_rank",
        lambda r: (_c(r, (2, 4, 3)),),
        linalg.matrix_rank,
        np.linalg.matrix_rank,
    ),
    "lstsq": (
        "linalg.lstsq",
        lambda r: (_c(r, (5, 3)), _c(r, (5,))),
        lambda a, b: linalg.lstsq(a, b)[0],
        lambda a, b: np.linalg.lstsq(a, b)[0],
    ),
    "lstsq matrix b": (
        "linalg.lstsq",
        lambda r: (_c(r, (4, 4)), _c(r, (4, 2))),
        lambda a, b: linalg.lstsq(a, b)[0],
        lambda a, b: np.linalg.lstsq(a, b)[0],
    ),
    "cond": ("linalg.cond", lambda r: (_c(r, (3, 3)),), linalg.cond, np.linalg.cond),
    "norm 2": (
        "linalg.norm",
        lambda r: (_c(r, (3, 3)),),
        lambda a: linalg.norm(a, 2),
        lambda a: np.linalg.norm(a, 2),
    ),
    "norm nuc": (
        "linalg.norm",
        lambda r: (_c(r, (3, 3)),),
        lambda a: linalg.norm(a, "nuc"),
        lambda a: np.linalg.norm(a, "nuc"),
    ),
    "vector_norm 3": (
        "linalg.vector_norm",
        lambda r: (_c(r, (5,)),),
        lambda a: linalg.vector_norm(a, ord=3),
        lambda a: np.linalg.vector_norm(a, ord=3),
    ),
    "matrix_norm 1": (
        "linalg.matrix_norm",
        lambda r: (_c(r, (2, 3, 3)),),
        lambda a: linalg.matrix_norm(a, ord=1),
        lambda a: np.linalg.matrix_norm(a, ord=1),
    ),
    "vdot": ("linalg.vdot", lambda r: (_c(r, (4,)), _c(r, (4,))), linalg.vdot, np.vdot),
    "inner": ("linalg.inner", lambda r: (_c(r, (4,)), _c(r, (4,))), linalg.inner, np.inner),
    "matrix_power -2": (
        "linalg.matrix_power",
        lambda r: (_c(r, (3, 3)),),
        lambda a: linalg.matrix_power(a, -2),
        lambda a: np.linalg.matrix_power(a, -2),
    ),
    "eigvals": (
        "linalg.eigvals",
        lambda r: (_c(r, (3, 3)),),
        _sorted_eigvals,
        lambda a: np.sort_complex(np.linalg.eigvals(a)),
    ),
    "var": (
        "stats.var",
        lambda r: (_c(r, (3, 4)),),
        lambda a: stats.var(a, axis=0),
        lambda a: np.var(a, axis=0),
    ),
    "cov": ("stats.cov", lambda r: (_c(r, (2, 5)),), stats.cov, np.cov),
    "corrcoef": ("stats.corrcoef", lambda r: (_c(r, (3, 5)),), stats.corrcoef, np.corrcoef),
}

#: calls that leave the traced world (their output is read back to sort it)
EAGER_ONLY = {"eigvals"}


@pytest.mark.parametrize("case", list(CASES))
def test_complex_input_matches_numpy(bk, rng, case) -> None:
    routine, make, ours, ref = CASES[case]
    bk.require(routine)
    if bk.jit and (case in EAGER_ONLY or not TABLE[routine]["jax"]["jit_safe"]):
        pytest.skip(f"{routine} is not jit-safe on JAX by declaration")
    args = make(rng)
    want = ref(*args)
    got = bk.call(ours, *(bk.asarray(a) for a in args))
    wants = want if isinstance(want, tuple) else (want,)
    gots = got if isinstance(got, tuple) else (got,)
    for g, w in zip(gots, wants, strict=True):
        g, w = np.asarray(bk.to_numpy(g) if hasattr(g, "shape") else g), np.asarray(w)
        assert g.shape == w.shape, case
        assert g.dtype.kind == w.dtype.kind, f"{case}: {g.dtype}, NumPy {w.dtype}"
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12, err_msg=case)
