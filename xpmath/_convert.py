"""Creating arrays, moving them between backends, synchronising and compiling."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from ._backends import Backend, set_float64_switches
from ._backends._dtypes import native_dtype
from ._dispatch import _default_pair, backend_of, default_backend
from ._errors import DTypeError, InvalidArgumentError

__all__ = ["asarray", "enable_x64", "jit", "synchronize", "to_backend", "to_numpy"]

F = TypeVar("F", bound=Callable[..., Any])

_DLPACK_ERRORS = (
    TypeError,
    BufferError,
    RuntimeError,
    ValueError,
    NotImplementedError,
    AttributeError,
)


def asarray(obj: Any, *, dtype: Any = None, backend: str | None = None, device: Any = None) -> Any:
    """Create an array on a backend from a list, scalar, NumPy array or another array.

    Parameters
    ----------
    obj : array_like
        Data. An array of another backend is converted (see :func:`to_backend`).
    dtype : str or dtype, optional
        E.g. ``"float32"``. On JAX, ``"float64"`` with x64 disabled raises
        :class:`xpmath.PrecisionError` instead of silently giving float32.
    backend : str, optional
        Target backend; default: the current default backend (see :func:`xpmath.use`).
    device : optional
        Target device (``"cpu"``, ``"gpu:0"``, or a native device).

    Returns
    -------
    array
        A native array of the backend.

    Examples
    --------
    >>> import xpmath
    >>> x = xpmath.asarray([1, 2, 3], dtype="float32", backend="numpy")
    >>> x.dtype
    dtype('float32')
    """
    if backend is None:
        b, default_dev = _default_pair()
        b.require()
        device = default_dev if device is None else device
    else:
        b = default_backend(backend)
    src = _array_backend(obj)
    if src is not None and src is not b:
        if dtype is not None and isinstance(obj, (np.ndarray, np.generic)):
            try:
                _check_dtype_exists(b, obj, "obj")
            except DTypeError:  # float128 data asked for as float64: the asked-for cast, here
                obj = _host_cast(obj, dtype)
        _check_dtype_exists(b, obj, "obj")
        obj = to_backend(obj, b.name, device=device)
        if dtype is None:
            return obj
        device = None
    return b.asarray(obj, dtype=dtype, device=device)


def _array_backend(obj: Any) -> Backend | None:
    from ._backends import backend_for_type

    return backend_for_type(type(obj))


def to_numpy(x: Any) -> np.ndarray:
    """Copy (or view) an array of any backend as a NumPy array on the host.

    Examples
    --------
    >>> import numpy as np, xpmath
    >>> xpmath.to_numpy(np.arange(3))
    array([0, 1, 2])
    """
    b = _array_backend(x)
    if b is None:
        return np.asarray(x)
    return b.to_numpy(x)


def to_backend(x: Any, name: str, *, device: Any = None) -> Any:
    """Move an array to another backend: zero-copy DLPack where the pair allows, else a host copy.

    Parameters
    ----------
    x : array
        Array of any backend (or array_like).
    name : str
        Target backend name.
    device : optional
        Target device; forces a copy onto that device.

    Returns
    -------
    array
        The same values as a native array of ``name``. It may share memory with ``x``.

    Raises
    ------
    xpmath.PrecisionError
        ``x`` is float64 and the target would silently hold float32 (JAX without x64).

    Examples
    --------
    >>> import numpy as np, xpmath
    >>> y = xpmath.to_backend(np.arange(3.0), "numpy")
    >>> y
    array([0., 1., 2.])
    """
    dst = default_backend(name)
    src = _array_backend(x)
    if src is dst:
        return x if device is None else dst.asarray(x, device=device)
    _check_dtype_exists(dst, x, "x")
    if src is None:
        return dst.asarray(x, device=device)
    dst.check_precision(x)
    # DLPack cannot describe negative strides: torch's importer aborts the process on them
    reversed_view = any(s < 0 for s in getattr(x, "strides", None) or ())
    if device is None and not reversed_view and (not src.host_memory or dst.default_is_host()):
        try:
            return dst.from_dlpack(x)
        except _DLPACK_ERRORS:
            pass
    return dst.asarray(src.to_numpy(x), device=device)


def _numpy_name(dtype: Any) -> str | None:
    """NumPy's name for ``dtype``; None for a dtype NumPy does not know (torch's own)."""
    try:
        return np.dtype(dtype).name
    except TypeError:
        return None


def _check_dtype_exists(dst: Backend, x: Any, what: str) -> None:
    """A NumPy-typed ``x`` (NumPy, JAX, Dask arrays, NumPy scalars) whose dtype ``dst`` lacks
    raises :class:`DTypeError` naming ``what`` (float128 on torch would otherwise raise the
    library's own ``TypeError``)."""
    name = _numpy_name(getattr(x, "dtype", None)) if hasattr(x, "dtype") else None
    if name is not None:
        native_dtype(dst, name, what)


def _host_cast(x: Any, dtype: Any) -> Any:
    """A NumPy ``x`` cast on the host to the requested ``dtype`` when NumPy knows it."""
    name = _numpy_name(dtype)
    return x if name is None or x.dtype == name else np.asarray(x).astype(name)


def synchronize(x: Any = None) -> Any:
    """Block until ``x`` (a pytree-free array) is computed on its device; returns ``x``.

    Use before reading a clock: GPU backends and JAX run asynchronously.

    Examples
    --------
    >>> import numpy as np, xpmath
    >>> xpmath.synchronize(np.ones(2))
    array([1., 1.])
    """
    b = backend_of(x) if x is not None else _default_pair()[0]
    return b.synchronize(x)


class _Jitted:
    """Compile per backend on first call: ``jax.jit`` for JAX arrays, unchanged elsewhere."""

    def __init__(self, f: Callable[..., Any], kwargs: dict[str, Any]) -> None:
        self._f = f
        self._kwargs = kwargs
        self._compiled: dict[str, Callable[..., Any]] = {}
        functools.update_wrapper(self, f)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        b = backend_of(*args, *kwargs.values())
        fn = self._compiled.get(b.name)
        if fn is None:
            fn = self._compiled[b.name] = b.jit(self._f, **self._kwargs)
        return fn(*args, **kwargs)


def jit(f: F | None = None, **kwargs: Any) -> Any:
    """Compile ``f`` for the backend of its arguments (``jax.jit`` on JAX; unchanged elsewhere).

    Keyword arguments (``static_argnames=...``, ``donate_argnums=...``) go to the backend's
    compiler. Usable as ``@xpmath.jit`` or ``@xpmath.jit(static_argnames="n")``.

    Examples
    --------
    >>> import numpy as np, xpmath
    >>> @xpmath.jit
    ... def f(x):
    ...     return 2 * x
    >>> f(np.ones(2))
    array([2., 2.])
    """
    if f is None:
        return functools.partial(jit, **kwargs)
    if not callable(f):
        raise InvalidArgumentError(f"jit: f must be callable; got {type(f).__name__}")
    return _Jitted(f, kwargs)


def enable_x64(enabled: bool = True) -> None:
    """Let JAX hold float64 arrays (``jax_enable_x64``). Call at start-up, before creating arrays.

    Without it, JAX silently computes in float32; xpmath instead raises
    :class:`xpmath.PrecisionError` whenever float64 is asked of JAX.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.enable_x64()  # doctest: +SKIP
    """
    set_float64_switches(enabled)
