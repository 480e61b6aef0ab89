"""NumPy fast paths: blocked reductions that avoid full-size temporaries, native LAPACK calls.

``numpy.linalg.norm(x, 1)`` computes ``abs(x)`` into a new array and then sums it: two
extra passes over memory. Here the vector is processed in blocks: BLAS ``asum`` over 1
Mi-element slices for ord 1, max/min of a cache-sized block for ord ±inf (split across the
cores for long vectors, see :mod:`.host_pool`), and float64
accumulation across blocks, which keeps one pass over memory and bounds the float32 rounding
error by that of one block (measured at 5e7 elements: relative error 3e-8 at most). Ord 2 of
float32 is one ``vecdot`` call over 4096-element rows with the row sums added in float64: one
pass, no Python loop, and about 1e-8 relative error where ``numpy.linalg.norm``'s single
float32 dot reaches 2e-4; of float64 it is that single dot. The JAX backend calls
:func:`host_norm` on zero-copy views of concrete CPU arrays for ord ±inf, which XLA cannot
reduce at memory speed with NaN propagated."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from . import host_pool, numpy_lapack

#: elements per block: 256 Ki float32 = 1 MiB, inside L2/L3 on current CPUs
BLOCK = 1 << 18
#: elements per BLAS ``asum`` call: 1 Mi reads no cached block twice, so only the Python
#: overhead per call and the float32 error inside a call (2.5e-8 measured) depend on it;
#: measured on a 2-core EPYC at 5e7 float32: 32 GB/s, against 30 with 256 Ki
ASUM_BLOCK = 1 << 20
#: below this size NumPy's own routine is as fast (no temporary worth avoiding)
MIN_BLOCKED = 1 << 17
#: from this size the ±inf norms split the vector across cores. Interleaved with other calls
#: on a 2-core EPYC (``xpmath bench --op norm``), two ranges lift JAX's ord=inf from 46-66% to
#: 80-87% of its ``sum`` at 5e7-1e8 float32 and NumPy's from 87-89% to 101-106% at 1e8; at 1e7
#: (40 MB) the other runtime's thread pools, still spinning from the previous call, ate the gain
PARALLEL_MIN = 1 << 24


def _blocked_reduce(x: np.ndarray, ord: float) -> Any:
    from scipy.linalg import blas

    flat = x.reshape(-1)
    if ord == 2 and x.dtype == np.float64:
        # one BLAS dot, as numpy.linalg.norm: float64 accumulation is accurate, and BLAS runs
        # it on every core (57 GB/s at 2**23 elements on a 2-core Xeon, alone, against 27 for
        # the rows below)
        with np.errstate(over="ignore", under="ignore"):  # host_norm rescales inf or 0
            return x.dtype.type(math.sqrt(float(np.dot(flat, flat))))
    if ord == 2 and hasattr(np, "vecdot"):  # NumPy >= 2.0
        return x.dtype.type(math.sqrt(_sum_squares(flat)))
    n = flat.shape[0]
    if ord == 1:
        asum = blas.get_blas_funcs("asum", (flat,))
        total = math.fsum(float(asum(flat[i : i + ASUM_BLOCK])) for i in range(0, n, ASUM_BLOCK))
        # an inf or NaN element (or overflow) makes the total non-finite: NumPy then decides
        # the result, so NaN beats inf exactly as in ``numpy.linalg.norm``
        return x.dtype.type(total if math.isfinite(total) else np.abs(x).sum())
    if ord in (math.inf, -math.inf):
        return x.dtype.type(_extreme(flat, ord))
    buf = np.empty(min(n, BLOCK), dtype=x.dtype)
    total = 0.0
    for start in range(0, n, BLOCK):
        out = buf[: min(BLOCK, n - start)]
        np.abs(flat[start : start + BLOCK], out=out)
        np.power(out, ord, out=out)
        total += float(out.sum())
    return x.dtype.type(total ** (1.0 / ord))


def _extreme_range(flat: np.ndarray, lo: int, hi: int, ord: float) -> list[Any]:
    """Per-block max|x| (ord inf) or min|x| (ord -inf) of ``flat[lo:hi]``, NaN propagated."""
    buf = np.empty(min(hi - lo, BLOCK), dtype=flat.dtype) if ord < 0 else None
    parts: list[Any] = []
    for start in range(lo, hi, BLOCK):
        chunk = flat[start : min(start + BLOCK, hi)]
        if buf is None:
            # max(-min, max) reads the cached block twice but writes nothing; both propagate
            # NaN, so a NaN block gives max(nan, nan)
            parts.append(max(chunk.max(), -chunk.min()))
        else:
            parts.append(np.abs(chunk, out=buf[: chunk.shape[0]]).min())
    return parts


def _extreme(flat: np.ndarray, ord: float) -> Any:
    """max|x| or min|x| over a long vector, one range per core (NumPy's max/min release the
    GIL): one core alone reads 15-21 GB/s on a 2-core EPYC where two read 23-26."""
    n = flat.shape[0]
    parallel = host_pool.threads() if n >= PARALLEL_MIN else 1
    per_range = host_pool.map_ranges(
        lambda lo, hi: _extreme_range(flat, lo, hi, ord), n, BLOCK, parallel
    )
    parts = [p for chunk_parts in per_range for p in chunk_parts]
    return np.max(parts) if ord > 0 else np.min(parts)


#: row length for the one-call sum of squares: short rows keep float32 rounding small
ROW = 4096


def _sum_squares(flat: np.ndarray) -> float:
    """Sum of squares in one pass and one C call: ``vecdot`` of ROW-element rows (float32
    accumulation over ROW elements only), the row sums added in float64."""
    n = flat.shape[0]
    m = n - n % ROW
    rows = flat[:m].reshape(-1, ROW)
    tail = flat[m:]
    with np.errstate(over="ignore", under="ignore"):  # host_norm rescales an inf or 0 total
        total = float(np.vecdot(rows, rows).sum(dtype=np.float64))
        return total + float(np.dot(tail, tail))


def _scaled_two_norm(x: np.ndarray) -> Any:
    """Overflow/underflow-safe 2-norm: scale by max|x| first (used only when needed)."""
    m = float(np.max(np.abs(x)))
    if m == 0.0 or not math.isfinite(m):
        return x.dtype.type(m)
    return x.dtype.type(m * float(_blocked_reduce(x / x.dtype.type(m), 2)))


def host_eligible(x: np.ndarray) -> bool:
    """Whether :func:`host_norm` applies: a long contiguous float32/float64 array."""
    return x.size >= MIN_BLOCKED and x.dtype in (np.float32, np.float64) and x.flags.c_contiguous


def host_norm(x: np.ndarray, ord: float) -> Any:
    """Vector norm of all of ``x`` (``host_eligible``, ``ord != 0``) as a scalar of its dtype.

    Also used by the JAX backend on zero-copy views of concrete CPU arrays (ord ±inf).
    """
    res = _blocked_reduce(x, ord)
    if ord == 2 and (res == 0.0 or not np.isfinite(res)) and np.all(np.isfinite(x)):
        res = _scaled_two_norm(x)
    return res


def vector_norm(xp: Any, x: Any, axis: Any, keepdims: bool, ord: float) -> Any:
    if type(x) is not np.ndarray:
        x = np.asarray(x)
    if axis is None or len(axis) == x.ndim:
        if ord != 0 and x.size >= MIN_BLOCKED and host_eligible(x):
            res = host_norm(x, ord)
        else:  # numpy.linalg.norm of the flat vector: what vector_norm runs, without its
            # 1.5 µs of argument handling
            res = np.linalg.norm(x if x.ndim == 1 else x.reshape(-1), ord)
        return np.reshape(res, (1,) * x.ndim) if keepdims else res
    if len(axis) == 1:
        return np.linalg.norm(x, ord, axis=axis[0], keepdims=keepdims)
    return np.linalg.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord)


def lstsq(xp: Any, a: Any, b: Any, rcond: Any) -> Any:
    return np.linalg.lstsq(a, b, rcond=rcond)


def eig(xp: Any, a: Any) -> Any:
    return np.linalg.eig(a)


def softmax(xp: Any, x: Any, axes: Any) -> Any:
    """SciPy's softmax with the ufunc reductions called directly (3 µs less on small x)."""
    if type(x) is not np.ndarray:
        return np.asarray(softmax(xp, np.asarray(x), axes))[()]
    e = np.exp(x - np.maximum.reduce(x, axis=axes, keepdims=True))
    e /= np.add.reduce(e, axis=axes, keepdims=True)
    return e


def trapezoid(xp: Any, y: Any, d: Any, ax: int) -> Any:
    """The trapezoidal sum with the ufuncs called directly: for uniform spacing
    ``d * (sum(y) - (y[0] + y[-1]) / 2)`` (one pass, no temporary; infinite ends keep the
    plain sum, as the generic rule), else ``d * (y[1:] + y[:-1]) / 2``."""
    if type(y) is not np.ndarray:
        y = np.asarray(y)
    head = (slice(None),) * ax
    if isinstance(d, float):
        total = np.add.reduce(y, axis=ax)  # warns where SciPy's sum of mids would
        if y.ndim == 1 and y.dtype.kind == "f":  # the ends as Python floats: no errstate
            ends = 0.5 * float(y[0]) + 0.5 * float(y[-1])  # finite unless an end is not
            return d * (total - ends) if math.isfinite(ends) else d * total
        with np.errstate(invalid="ignore", over="ignore"):  # the ends are only a correction
            ends = 0.5 * y[(*head, 0)] + 0.5 * y[(*head, -1)]
            return (d * np.where(np.isfinite(ends), total - ends, total))[()]
    mids = y[(*head, slice(1, None))] + y[(*head, slice(None, -1))]
    mids *= 0.5
    return np.add.reduce(d * mids, axis=ax)[()]


def gradient(generic: Callable[..., Any]) -> Callable[..., Any]:
    """Uniform spacing written into one output array (the generic code's formulas, so the
    same rounding; no concatenation); coordinate arrays go to the generic code."""

    def run(xp: Any, f: Any, h: Any, axis: int, edge_order: int) -> Any:
        if not isinstance(h, float) or type(f) is not np.ndarray:
            return generic(xp, f, h, axis, edge_order)
        head = (slice(None),) * axis

        def at(i: Any) -> Any:
            return f[(*head, i)]

        out = np.empty_like(f)
        inner = out[(*head, slice(1, -1))]
        np.subtract(at(slice(2, None)), at(slice(None, -2)), out=inner)
        np.true_divide(inner, 2 * h, out=inner)
        if edge_order == 1:
            out[(*head, 0)] = (at(1) - at(0)) / h
            out[(*head, -1)] = (at(-1) - at(-2)) / h
        else:
            out[(*head, 0)] = (-1.5 * at(0) + 2 * at(1) - 0.5 * at(2)) / h
            out[(*head, -1)] = (0.5 * at(-3) - 2 * at(-2) + 1.5 * at(-1)) / h
        return out

    return run


gradient.takes_generic = True  # type: ignore[attr-defined]


def fast_paths(backend: Any) -> dict[str, Callable[..., Any]]:
    return {
        "calculus.gradient": gradient,
        "calculus.trapezoid": trapezoid,
        "nn.softmax": softmax,
        "linalg.vector_norm": vector_norm,
        "linalg.lstsq": lstsq,
        "linalg.eig": eig,
        "linalg.matmul": lambda xp, a, b: np.matmul(a, b),
        **numpy_lapack.lanes(),
        "linalg.det": lambda xp, a: np.linalg.det(a),
    }
