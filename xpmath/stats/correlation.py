"""Covariance and correlation of variables, with ``numpy.cov`` / ``numpy.corrcoef``
semantics."""

from __future__ import annotations

from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of, placed_like
from .._errors import ShapeError
from .._validate import as_float, check_int, float_input
from ._samples import over_no_freedom
from .weighted_cov import weighted_cov

__all__ = ["corrcoef", "cov"]


def _rows(m: Any, y: Any, rowvar: bool, func: str, dtype: Any = None) -> tuple[Any, Any]:
    if y is None:
        b, m = float_input(m, "m", func)
    else:
        b = backend_of(m, y)
        m = as_float(m, b, "m", func)
    xp = b.xp
    if dtype is not None:
        kind = "complex floating" if xp.isdtype(m.dtype, "complex floating") else "real floating"
        m = xp.astype(m, b.request_dtype(dtype, func, kind))
    nd = m.ndim
    if nd > 2:
        raise ShapeError(f"{func}: m must be 1-D or 2-D; got shape {tuple(m.shape)}")
    m = xp.reshape(m, (1, -1)) if nd < 2 else m  # NumPy reads 0-d as one observation
    if not rowvar and nd == 2:  # (NumPy's rule: a 2-D m is transposed even with one row)
        m = xp.permute_dims(m, (1, 0))
    if y is not None:
        y = as_float(y, b, "y", func, like=m)
        if y.ndim > 2:
            raise ShapeError(f"{func}: y must be 1-D or 2-D; got shape {tuple(y.shape)}")
        y = xp.reshape(y, (1, -1)) if y.ndim < 2 else y
        if not rowvar and y.shape[0] != 1:  # (and a y of one row is not: NumPy's rule too)
            y = xp.permute_dims(y, (1, 0))
        if y.shape[1] != m.shape[1]:
            raise ShapeError(
                f"{func}: m and y must have the same number of observations; got "
                f"{m.shape[1]} and {y.shape[1]}"
            )
        dt = xp.result_type(m.dtype, y.dtype) if dtype is None else m.dtype
        m = xp.concat([xp.astype(m, dt), xp.astype(y, dt)], axis=0)
    return b, m


@routine("stats.cov")
def cov(
    m: Any,
    y: Any = None,
    rowvar: bool = True,
    ddof: int | None = None,
    *,
    bias: bool = False,
    fweights: Any = None,
    aweights: Any = None,
    dtype: Any = None,
) -> Any:
    """Covariance matrix, with ``numpy.cov`` semantics.

    Parameters
    ----------
    m : array, 1-D or 2-D
        Variables in rows (``rowvar=True``) and observations in columns.
    y : array, optional
        More variables, stacked under ``m``.
    rowvar : bool
        False: variables are columns.
    ddof : int, optional
        Default 1 (unbiased), or 0 with ``bias``.
    bias : bool
        Normalise by the number of observations (``ddof=0``) instead of one fewer; ``ddof``
        wins where both are given (NumPy's rule).
    fweights : array of int, optional
        Frequency weights: how many times each observation (column) occurs; nonnegative
        integers (integral floats are accepted, as NumPy accepts them).
    aweights : array, optional
        Nonnegative "importance" weights of the observations (NumPy's ``aweights``: with
        ``ddof=1`` the normalisation is ``sum(w) - sum(w * a) / sum(w)``).
    dtype : dtype, optional
        Floating dtype to compute in (``m``'s float dtype, or the default float, otherwise).

    Returns
    -------
    array
        (k, k), or 0-d for a single variable.

    Raises
    ------
    ShapeError
        A weight array that is not 1-D with one entry per observation (also a
        ``RuntimeError``, NumPy's class for it).
    InvalidArgumentError
        Negative weights; ``fweights`` that are not integral (also a ``TypeError``). Weight
        values are checked where they can be read (not on Dask, nor inside ``jax.jit``).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> x = np.array([1.0, 2, 30, 4, 5]); y = np.array([2.0, 4, 60, 18, 10])
    >>> stats.cov(x, y)
    array([[148.3, 285.6],
           [285.6, 569.2]])
    """
    b, a = _rows(m, y, rowvar, "cov", dtype)
    ddof = (0 if bias else 1) if ddof is None else check_int(ddof, "ddof", "cov", minimum=0)
    if fweights is None and aweights is None:
        return b.compiled(_cov)(b.xp, a, ddof)  # kernel(_cov, ...) without the *args re-splat
    return weighted_cov(b, a, ddof, fweights, aweights)


def _cov(xp: Any, a: Any, ddof: int) -> Any:
    """The covariance of the rows of ``a`` (variables × observations)."""
    n = a.shape[1]
    d = a - xp.mean(a, axis=1, keepdims=True)
    c = (
        d @ xp.conj(xp.permute_dims(d, (1, 0)))
        if xp.isdtype(d.dtype, "complex floating")
        else d @ xp.permute_dims(d, (1, 0))
    )
    # times the reciprocal, as numpy.cov (a Python float: torch divides by an int 1 µs slower)
    c = c * (1.0 / (n - ddof)) if n - ddof > 0 else over_no_freedom(xp, c)
    return xp.reshape(c, ()) if c.shape == (1, 1) else c


@routine("stats.corrcoef")
def corrcoef(x: Any, y: Any = None, rowvar: bool = True, *, dtype: Any = None) -> Any:
    """Pearson correlation coefficients, with ``numpy.corrcoef`` semantics.

    A constant variable has undefined correlation: its row and column are NaN (with an
    :class:`xpmath.XpmathWarning` on eager backends), as in NumPy and SciPy.

    Parameters
    ----------
    x : array, 1-D or 2-D
        Variables in rows (``rowvar=True``).
    y : array, optional
        More variables.
    rowvar : bool
        False: variables are columns.
    dtype : dtype, optional
        Floating dtype to compute in (``x``'s float dtype, or the default float, otherwise).

    Returns
    -------
    array
        Entries in [-1, 1] (clipped against round-off).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> x = np.arange(5.0)
    >>> stats.corrcoef(x, 3 * x + 2)
    array([[1., 1.],
           [1., 1.]])
    """
    b, a = _rows(x, y, rowvar, "corrcoef", dtype)
    c = b.compiled(_cov)(b.xp, a, 1)  # (cov with ddof 1, its faults named corrcoef's)
    xp = b.xp
    if c.ndim == 0:
        return c / c
    on_diag = xp.eye(c.shape[0], dtype=c.dtype, **placed_like(c)) == 1
    # the diagonal by selection, not by c * eye: a NaN covariance elsewhere in the row (a
    # variable with NaNs) must not spoil a finite variable's own variance (NumPy's is kept)
    diag = xp.sum(xp.where(on_diag, c, xp.zeros_like(c)), axis=1)
    complex_c = xp.isdtype(c.dtype, "complex floating")
    d = xp.sqrt(xp.real(diag) if complex_c else diag)  # (a variance is real, as NumPy's)
    constant = xp.any(d == 0)  # read only where concrete (not traced, even inside jit)
    if b.is_concrete(constant) and bool(constant):
        from .._errors import warn

        warn("corrcoef: a variable is constant; its correlations are NaN")
    d = xp.where(d == 0, xp.full_like(d, float("nan")), d)  # NaN, not a 0/0 warning
    r = c / d[:, None] / d[None, :]
    if complex_c:  # NumPy clips each part (complex numbers have no order)
        one = xp.asarray(1.0, dtype=d.dtype, **placed_like(r))
        re, im = xp.clip(xp.real(r), -one, one), xp.clip(xp.imag(r), -one, one)
        return re + xp.astype(im, r.dtype) * xp.asarray(1j, dtype=r.dtype, **placed_like(r))
    return xp.clip(r, -1.0, 1.0)
