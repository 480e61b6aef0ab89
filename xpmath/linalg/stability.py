"""Numerical-stability helpers: safe normalisation, standardisation, machine epsilon."""

from __future__ import annotations

import contextlib
from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of, default_backend
from .._errors import DTypeError
from .._validate import as_float, check_int, check_real, normalize_axes
from .norms import vector_norm

__all__ = ["eps", "finfo", "normalize", "standardize"]


@routine("linalg.normalize", default="generic")
def normalize(
    x: Any, /, ord: float = 2, axis: int | tuple[int, ...] | None = -1, *, eps: float | None = None
) -> Any:
    """Scale ``x`` to unit ``ord``-norm along ``axis``; zero vectors stay zero (no NaN).

    Parameters
    ----------
    x : array
        Input; integers are promoted to the default float dtype.
    ord : float
        Vector norm order (see :func:`vector_norm`).
    axis : int, tuple or None
        Axes normalised together; None normalises the whole array (e.g. a matrix by its
        Frobenius norm).
    eps : float, optional
        Norms below ``eps`` are treated as ``eps``; default: the dtype's smallest normal.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> np.round(linalg.normalize(np.array([[1.0, 2.0], [3.0, 4.0]]), axis=None), 4)
    array([[0.1826, 0.3651],
           [0.5477, 0.7303]])
    >>> linalg.normalize(np.zeros(3))
    array([0., 0., 0.])
    """
    b = backend_of(x)
    xp = b.xp
    x = as_float(x, b, "x", "normalize")
    axes = normalize_axes(axis, x.ndim, "normalize")
    n = vector_norm(x, axis=axes, keepdims=True, ord=ord)
    floor = (
        xp.finfo(x.dtype).smallest_normal
        if eps is None
        else check_real(eps, "eps", "normalize", nonnegative=True)
    )
    return x / xp.maximum(n, xp.asarray(floor, dtype=n.dtype))


@routine("linalg.standardize", default="generic")
def standardize(x: Any, /, axis: int | None = 0, *, ddof: int = 0, eps: float | None = None) -> Any:
    """Shift to zero mean and scale to unit standard deviation along ``axis``.

    Constant slices (zero deviation) become zero instead of NaN. Where the slices have no
    degrees of freedom left (``N - ddof <= 0``: their standard deviation is undefined) every
    entry is NaN, on every backend and without a warning.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> linalg.standardize(np.array([1.0, 2.0, 3.0]))
    array([-1.22474487,  0.        ,  1.22474487])
    """
    b = backend_of(x)
    xp = b.xp
    x = as_float(x, b, "x", "standardize")
    axes = normalize_axes(axis, x.ndim, "standardize")
    ddof = check_int(ddof, "ddof", "standardize", minimum=0)
    n = 1
    for i in range(x.ndim) if axes is None else axes:
        n *= x.shape[i]
    if n - ddof <= 0:  # (NumPy's std would warn and give NaN or inf by the data)
        return xp.full_like(x, float("nan"))
    mu = xp.mean(x, axis=axes, keepdims=True)
    sd = xp.std(x, axis=axes, keepdims=True, correction=ddof)
    floor = (
        xp.finfo(x.dtype).smallest_normal
        if eps is None
        else check_real(eps, "eps", "standardize", nonnegative=True)
    )
    return (x - mu) / xp.maximum(sd, xp.asarray(floor, dtype=sd.dtype))


def finfo(dtype_or_array: Any, /, *, backend: str | None = None) -> Any:
    """Floating-point limits (``eps``, ``max``, ``smallest_normal``, ...) on the backend.

    Parameters
    ----------
    dtype_or_array : str, dtype or array
        A floating dtype (its name, such as ``"float32"``, or the backend's dtype object), or
        an array of one (whose backend is then the one asked).
    backend : str, optional
        The backend whose dtype a name or dtype object means; the default backend otherwise.

    Returns
    -------
    finfo object
        The backend's own (``numpy.finfo``, ``torch.finfo``, ...).

    Raises
    ------
    xpmath.DTypeError
        Not a floating dtype, a floating dtype's name, or an array of one.

    Examples
    --------
    >>> from xpmath import linalg
    >>> float(linalg.finfo("float32").eps)
    1.1920928955078125e-07
    """
    given = dtype_or_array
    # (NumPy's scalar types have dtype and shape attributes too: a type is never an array)
    is_array = hasattr(given, "dtype") and hasattr(given, "shape") and not isinstance(given, type)
    b = backend_of(given) if is_array else default_backend(backend)
    not_a_dtype = given is None or isinstance(given, (bool, int, float, complex, list, tuple, dict))
    if not not_a_dtype:
        with contextlib.suppress(Exception):  # (integer dtypes, unknown names, other backends')
            return b.xp.finfo(given.dtype if is_array else b.dtype(given))
    raise DTypeError(
        f"finfo: dtype_or_array must be a floating dtype of backend {b.name!r}, its name "
        f"or an array of one; got {given!r} (another backend's dtype: pass backend=)"
    )


def eps(dtype_or_array: Any = "float64", /, *, backend: str | None = None) -> float:
    """Machine epsilon of a float dtype (or an array's dtype) as a Python float.

    Examples
    --------
    >>> from xpmath import linalg
    >>> linalg.eps("float64")
    2.220446049250313e-16
    """
    return float(finfo(dtype_or_array, backend=backend).eps)
