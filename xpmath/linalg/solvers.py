"""Inverses, determinants and linear solvers with one singular-matrix behaviour everywhere.

A singular matrix raises :class:`xpmath.LinAlgError` on every backend when run eagerly (NumPy
raises; CuPy and JAX would silently return inf/NaN). Under ``jax.jit`` or on lazy Dask arrays,
where raising is impossible, the failed matrices come back filled with NaN.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .._capabilities import routine
from .._dispatch import backend_of
from .._errors import LinAlgShapeError, ShapeError
from .._validate import (
    as_float,
    check_matrix,
    check_ndim,
    check_real,
    check_square,
    is_float_array,
)
from ._common import (
    ONE_SYSTEM,
    SOLVE_LANE,
    as_linalg_error,
    check_factorable,
    guard_finite,
    native_errors,
    nonfinite_safe,
    refuses_nonfinite,
    shape_str,
)

__all__ = ["LstsqResult", "SlogdetResult", "det", "inv", "lstsq", "pinv", "slogdet", "solve"]


class SlogdetResult(NamedTuple):
    sign: Any
    logabsdet: Any


class LstsqResult(NamedTuple):
    x: Any
    residuals: Any
    rank: Any
    s: Any


def _prep_square(a: Any, arg: str, func: str, b: Any = None) -> tuple[Any, Any]:
    b = backend_of(a) if b is None else b
    a = as_float(a, b, arg, func)
    check_factorable(b.xp, a, arg, func)
    check_square(a, arg, func)
    return b, a


def _inv(xp: Any, a: Any) -> Any:
    return xp.linalg.inv(a)


@routine("linalg.inv", default="native", array_api_strict="generic", dask="host")
def inv(a: Any, /) -> Any:
    """Inverse of a square matrix or a stack of them.

    Raises
    ------
    xpmath.ShapeError
        ``a`` is not square in its last two dimensions.
    xpmath.LinAlgError
        ``a`` (or one matrix of the stack) is singular. Under ``jit`` that matrix is NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> linalg.inv(np.array([[-1.0, 2.0], [-3.0, 4.0]]))
    array([[ 2. , -1. ],
           [ 1.5, -0.5]])
    """
    b, a = _prep_square(a, "a", "inv")
    try:
        out = b.implementation("linalg.inv", _inv)(b.xp, a)
    except Exception as exc:
        err = as_linalg_error(exc, "inv", "matrix a is singular")
        if err is None:
            raise
        raise err from exc
    return guard_finite(b, b.xp, out, a, "inv", "matrix a is singular")


def _solve(xp: Any, a: Any, rhs: Any) -> Any:
    return xp.linalg.solve(a, rhs)


def _check_solve_shapes(a: Any, rhs: Any, func: str) -> None:
    """Raise unless ``a`` is square (or a stack of square matrices) and ``rhs`` a vector or a
    stack of matrices with as many rows (NumPy 2's rule: ``b`` is a vector only if 1-D)."""
    sa, sb = a.shape, rhs.shape
    if len(sa) < 2 or sa[-1] != sa[-2]:
        check_square(a, "a", func)
    if len(sb) < 1:
        check_ndim(rhs, "b", func, 1)
    n, k = sa[-1], sb[0] if len(sb) == 1 else sb[-2]
    if k != n:
        raise ShapeError(
            f"{func}: a has shape {shape_str(a)} and b {shape_str(rhs)}; b needs {n} rows, got {k}"
        )


@routine("linalg.solve", default="native", array_api_strict="generic", dask="host")
def solve(a: Any, b: Any, /) -> Any:
    """Solve ``a @ x = b`` for square ``a`` (NumPy 2 semantics: ``b`` is a vector only if 1-D).

    Raises
    ------
    xpmath.ShapeError
        ``a`` is not square or ``b``'s leading dimension does not match.
    xpmath.LinAlgError
        ``a`` is singular (eagerly; NaN under ``jit``). An inf or NaN in ``b`` is not an
        error: the solutions it enters are NaN, as in NumPy.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> linalg.solve(np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([9.0, 8.0]))
    array([2., 3.])
    """
    if type(b) is type(a):
        one = ONE_SYSTEM.get(type(a))
        if one is not None:  # a backend's whole call for one small concrete system
            out = one(a, b)
            if out is not None:
                return out
    func = "solve"
    try:  # arrays of one type and a dtype solve has taken: one dict read
        dt = a.dtype
        lane = SOLVE_LANE[type(a), dt] if type(b) is type(a) and b.dtype is dt else None
    except (AttributeError, KeyError, TypeError):
        lane = None
    if lane is None:
        bk = backend_of(a, b)  # raises BackendMismatchError when b is another backend's array
        if not is_float_array(a):  # (a float dtype seen before: one dict read, no call)
            a = as_float(a, bk, "a", func, like=b)
        b = b if is_float_array(b) else as_float(b, bk, "b", func, like=a)
        check_factorable(bk.xp, a, "a", func)
        if b.dtype != a.dtype:  # (the same dtype as a's is factorable: checked above)
            check_factorable(bk.xp, b, "b", func)
            dt = bk.xp.result_type(a, b)
            a, b = bk.xp.astype(a, dt), bk.xp.astype(b, dt)
        kernel = bk.implementation("linalg.solve", _solve)
        one_system = getattr(kernel, "one_system", None)
        if one_system is not None:
            ONE_SYSTEM[one_system[0]] = one_system[1]
        if type(a) is type(b) and a.dtype is b.dtype:
            SOLVE_LANE[type(a), a.dtype] = bk, kernel
    else:
        bk, kernel = lane
    rhs, xp = b, bk.xp
    sb = rhs.shape
    if len(sb) != 1 or a.shape != sb * 2:  # (one system, a (n, n) and b (n,): passes)
        _check_solve_shapes(a, rhs, func)
    try:  # (a try block costs nothing to enter; a context manager 0.5 µs)
        out = kernel(xp, a, rhs)
    except Exception as exc:
        err = as_linalg_error(exc, func, "matrix a is singular")
        if err is None:
            raise
        raise err from exc
    if bk.finite_now(out):
        return out  # (the common case: one reduction, as the finite-result guard's first)
    ndims = 2 if len(sb) > 1 else 1
    if bk.is_concrete(rhs) and not bk.sum_is_finite(rhs) and not bool(xp.all(xp.isfinite(rhs))):
        # b's infs and NaNs make their own solutions NaN (the guard below leaves those); a
        # is singular or not whatever b holds, as NumPy's LU says: ask with them set to 0
        clean = xp.where(xp.isfinite(rhs), rhs, xp.zeros_like(rhs))
        with native_errors(func, "matrix a is singular"):
            probe = kernel(xp, a, clean)
        guard_finite(bk, xp, probe, a, func, "matrix a is singular", ndims)
    return guard_finite(bk, xp, out, a, func, "matrix a is singular", ndims, rhs)


def _det(xp: Any, a: Any) -> Any:
    return xp.linalg.det(a)


@routine("linalg.det", default="native", array_api_strict="generic", dask="host")
def det(a: Any, /) -> Any:
    """Determinant of a square matrix or stack. Singular matrices give 0 (not an error).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> round(float(linalg.det(np.array([[-1.0, 2.0], [3.0, -4.0]]))), 12)
    -2.0
    """
    b, a = _prep_square(a, "a", "det")
    return b.implementation("linalg.det", _det)(b.xp, a)


def _slogdet(xp: Any, a: Any) -> Any:
    sign, logabs = xp.linalg.slogdet(a)
    return SlogdetResult(sign, logabs)


@routine("linalg.slogdet", default="native", array_api_strict="generic", dask="host")
def slogdet(a: Any, /) -> SlogdetResult:
    """Sign and log of ``|det|`` — overflow-free determinant. Singular: sign 0, logabsdet -inf.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> sign, logabs = linalg.slogdet(np.diag([1e200, 1e200, -1e200]))
    >>> float(sign), round(float(logabs), 3)
    (-1.0, 1381.551)
    """
    b, a = _prep_square(a, "a", "slogdet")
    sign, logabs = b.implementation("linalg.slogdet", _slogdet)(b.xp, a)
    return SlogdetResult(sign, logabs)


def _pinv(xp: Any, a: Any, rtol: Any) -> Any:
    return xp.linalg.pinv(a, rtol=rtol)


@routine(
    "linalg.pinv",
    default="native",
    array_api_strict="generic",
    dask="host",
    host_check=refuses_nonfinite("pinv"),
)
def pinv(a: Any, /, *, rtol: float | None = None) -> Any:
    """Moore–Penrose pseudo-inverse via the SVD; singular values below ``rtol * max(s)`` are cut.

    ``rtol`` defaults to ``max(M, N) * eps`` as in NumPy and the array API.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> linalg.pinv(np.array([[1.0, 0.0], [0.0, 0.0]]))
    array([[1., 0.],
           [0., 0.]])
    """
    b = backend_of(a)
    a = as_float(a, b, "a", "pinv")
    check_factorable(b.xp, a, "a", "pinv")
    check_matrix(a, "a", "pinv")
    if rtol is not None:
        rtol = check_real(rtol, "rtol", "pinv", nonnegative=True)
    impl = b.implementation("linalg.pinv", _pinv)
    with native_errors("pinv", "the SVD did not converge"):
        return nonfinite_safe(b, a, "pinv", lambda m: impl(b.xp, m, rtol))


def _lstsq(xp: Any, a: Any, rhs: Any, rcond: Any) -> LstsqResult:
    m, n = a.shape[-2], a.shape[-1]
    u, s, vh = xp.linalg.svd(a, full_matrices=False)
    cut = (max(m, n) * xp.finfo(a.dtype).eps) if rcond is None else rcond
    smax = s[..., :1] if s.shape[-1] else s
    keep = s > cut * smax
    s_inv = xp.where(keep, 1.0 / xp.where(keep, s, 1.0), 0.0)
    vec = rhs.ndim == 1
    r2 = xp.reshape(rhs, (-1, 1)) if vec else rhs
    uh, v = xp.matrix_transpose(u), xp.matrix_transpose(vh)  # (conjugated for complex a)
    if xp.isdtype(a.dtype, "complex floating"):
        uh, v = xp.conj(uh), xp.conj(v)
    x = xp.matmul(v, xp.astype(s_inv[:, None], a.dtype) * xp.matmul(uh, r2))
    # NumPy's (LAPACK gelsd's) answers for a non-finite b: a column of b with a NaN gives a
    # NaN column, an inf anywhere (b is scaled by its largest entry) every entry NaN; the
    # SVD's sums would leave some entries ±inf and others finite, by accident of the signs
    bad = xp.any(xp.isnan(r2), axis=0) | xp.any(xp.isinf(r2))
    x = xp.where(bad, xp.asarray(float("nan"), dtype=x.dtype), x)
    rank = xp.sum(xp.astype(keep, xp.int64), axis=-1)
    resid = xp.sum(xp.abs(r2 - xp.matmul(a, x)) ** 2, axis=0)
    if vec:
        x = x[:, 0]
    if backend_of(a).is_concrete(a) and not (m > n and int(rank) == n):
        resid = resid[:0]  # NumPy: empty unless full column rank and overdetermined
    return LstsqResult(x, resid, rank, s)


@routine(
    "linalg.lstsq",
    default="generic",
    numpy="native",
    jax="generic",
    dask="host",
    host_check=refuses_nonfinite("lstsq"),
)
def lstsq(a: Any, b: Any, /, *, rcond: float | None = None) -> LstsqResult:
    """Least-squares solution of ``a @ x ≈ b`` (NumPy ``lstsq``), via the SVD.

    Returns ``(x, residuals, rank, s)``. ``residuals`` holds the squared 2-norms of the
    residuals when ``a`` has full column rank and more rows than columns, else it is empty —
    decided eagerly; under ``jit`` the residuals are always returned.
    ``rcond`` defaults to ``max(M, N) * eps``; a negative ``rcond`` means machine precision
    (``eps``), as in NumPy. A column of ``b`` with a NaN gives a NaN column of ``x``, and an
    inf anywhere in ``b`` makes all of ``x`` NaN, as NumPy's LAPACK driver does (the
    residuals of a NaN solution are NaN, where NumPy may report 0).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> a = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [3.0, 1.0]])
    >>> x, res, rank, s = linalg.lstsq(a, np.array([-1.0, 0.2, 0.9, 2.1]))
    >>> np.round(x, 6), int(rank)
    (array([ 1.  , -0.95]), 2)
    """
    bk = backend_of(a, b)
    a = as_float(a, bk, "a", "lstsq", like=b)
    rhs = as_float(b, bk, "b", "lstsq", like=a)
    check_factorable(bk.xp, a, "a", "lstsq")
    check_factorable(bk.xp, rhs, "b", "lstsq")
    if a.ndim != 2 or rhs.ndim not in (1, 2):
        raise ShapeError(
            f"lstsq: a must be 2-D and b 1-D or 2-D; got {shape_str(a)} and {shape_str(rhs)}"
        )
    if rhs.shape[0] != a.shape[0]:
        raise LinAlgShapeError(
            f"lstsq: Incompatible dimensions: a has shape {shape_str(a)} and b "
            f"{shape_str(rhs)}; their first dimensions {a.shape[0]} and {rhs.shape[0]} differ"
        )
    if rcond is not None:
        rcond = check_real(rcond, "rcond", "lstsq")
        if rcond < 0:  # NumPy's (and LAPACK's) convention: machine precision
            rcond = float(bk.xp.finfo(a.dtype).eps)
    xp = bk.xp
    if rhs.dtype != a.dtype:
        dt = xp.result_type(a, rhs)
        a, rhs = xp.astype(a, dt), xp.astype(rhs, dt)
    fn = bk.implementation("linalg.lstsq", _lstsq)
    with native_errors("lstsq", "the SVD did not converge"):  # (a non-finite b: NaN, below)
        return LstsqResult(*nonfinite_safe(bk, a, "lstsq", lambda m: fn(xp, m, rhs, rcond)))
