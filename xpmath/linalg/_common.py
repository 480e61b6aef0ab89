"""Helpers shared by the linear-algebra modules."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from .._backends import Backend
from .._errors import DTypeError, LinAlgError
from .._results import map_result


def _is_native_linalg_error(exc: BaseException) -> bool:
    # NumPy / array_api_strict raise np.linalg.LinAlgError; torch raises torch._C._LinAlgError
    return isinstance(exc, np.linalg.LinAlgError) or type(exc).__name__ == "_LinAlgError"


def as_linalg_error(exc: BaseException, func: str, what: str) -> LinAlgError | None:
    """A backend's own linear-algebra error as :class:`xpmath.LinAlgError`; None for any other
    exception (re-raise it). For a ``try``/``except`` around the hottest calls, where entering
    it costs nothing and :class:`native_errors` costs 0.5 µs."""
    if not isinstance(exc, LinAlgError) and _is_native_linalg_error(exc):
        return LinAlgError(f"{func}: {what} ({exc})")
    return None


class native_errors:
    """Re-raise a backend's own linear-algebra error as :class:`xpmath.LinAlgError` (a class,
    not a generator: entering and leaving costs 0.2 µs instead of 1)."""

    __slots__ = ("func", "what")

    def __init__(self, func: str, what: str) -> None:
        self.func, self.what = func, what

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if exc is not None:
            err = as_linalg_error(exc, self.func, self.what)
            if err is not None:
                raise err from exc


@functools.lru_cache(maxsize=64)
def _is_half(xp: Any, dtype: Any) -> bool:
    """Whether ``dtype`` is a real floating type narrower than 32 bits (cached per dtype: the
    check runs on every factorisation call)."""
    return bool(xp.isdtype(dtype, "real floating") and xp.finfo(dtype).bits < 32)


#: (array type, dtype) of arrays ``solve`` has taken -> their backend and its solve kernel
#: (``kernel(xp, a, b)``): arguments that are all arrays of one such type and dtype need no
#: conversion, promotion or dtype check, and the kernel no lookup (one dict read in all)
SOLVE_LANE: dict[tuple[type, Any], tuple[Backend, Callable[..., Any]]] = {}
#: array type -> a backend's lane for one concrete system, ``lane(a, b)``: the whole call, or
#: None to leave it to the general path (a kernel's ``one_system``: ``_backends/*_fast.py``)
ONE_SYSTEM: dict[type, Callable[[Any, Any], Any]] = {}


def check_factorable(xp: Any, x: Any, arg: str, func: str) -> None:
    """Reject half precision (float16, bfloat16) for factorisations, which no backend's
    LAPACK-style kernels accept on every device: one clear error instead of each backend's."""
    if _is_half(xp, x.dtype):
        raise DTypeError(
            f"{func}: {arg} has dtype {x.dtype}; factorisations need float32 or float64 "
            "(cast it to float32 first)"
        )


def _all_finite(xp: Any, x: Any, ndims: int) -> Any:
    """Per-item finiteness over the trailing ``ndims`` axes."""
    fin = xp.isfinite(x)
    if ndims == 0 or x.ndim == 0:
        return fin
    axes = tuple(range(x.ndim - ndims, x.ndim))
    return xp.all(fin, axis=axes)


def guard_finite(
    b: Backend,
    xp: Any,
    result: Any,
    source: Any,
    func: str,
    what: str,
    out_ndims: int = 2,
    rhs: Any = None,
) -> Any:
    """Make a silent inf/NaN failure (singular, not positive definite) one behaviour.

    Eagerly: raise :class:`LinAlgError` when a finite input gave a non-finite result.
    Traced or lazy (``jit``, Dask): set the failed items to NaN and return. ``rhs`` (for a
    solver: ``b``, shaped as ``result``) counts as input per solution: a column of ``x``
    whose column of ``b`` holds an inf or NaN is NaN without ``a`` being singular, as in
    NumPy.
    """
    if b.finite_now(result):
        return result  # the common case in one reduction: every entry finite (the sum of
        # finite entries that overflows falls through to the exact check below)
    ok_in = _all_finite(xp, source, 2)
    if rhs is None:
        ok_out = _all_finite(xp, result, out_ndims)
    else:  # per solution: a vector x (out_ndims 1) or each column of x
        fin_x, fin_b = xp.isfinite(result), xp.isfinite(rhs)
        if out_ndims == 2:
            ok_in = ok_in[..., None]
        ok_out = xp.all(fin_x, axis=-out_ndims)
        ok_in = ok_in & xp.all(fin_b, axis=-out_ndims)
    if ok_in.ndim < ok_out.ndim:  # solve with a batch of right-hand sides
        ok_in = xp.reshape(ok_in, tuple(ok_in.shape) + (1,) * (ok_out.ndim - ok_in.ndim))
    failed = ok_in & ~ok_out
    if b.is_concrete(result):
        if bool(xp.any(failed)):
            raise LinAlgError(f"{func}: {what}")
        return result
    if rhs is not None and out_ndims == 2:
        failed = failed[..., None, :]
    mask = xp.reshape(failed, tuple(failed.shape) + (1,) * (result.ndim - failed.ndim))
    return xp.where(mask, xp.asarray(float("nan"), dtype=result.dtype), result)


def reject_nonfinite(b: Backend, a: Any, func: str, arg: str = "a") -> None:
    """NumPy's eigensolvers and SVD-based routines refuse inf/NaN with LinAlgError ("SVD did
    not converge"); so does xpmath, on every backend, before the backend sees them: JAX
    returns NaN there, torch's eig can crash the process on a NaN matrix, and LAPACK's SVD
    can loop forever on an inf. Traced or lazy inputs cannot be checked: see
    :func:`nonfinite_safe`."""
    if b.is_concrete(a) and not b.sum_is_finite(a) and not bool(b.xp.all(b.xp.isfinite(a))):
        raise LinAlgError(f"{func}: {arg} must not contain infs or NaNs")


def nonfinite_safe(b: Backend, a: Any, func: str, run: Callable[[Any], Any], arg: str = "a") -> Any:
    """``run(a)`` for a routine that refuses a non-finite matrix (:func:`reject_nonfinite`).

    Eagerly the refusal is an error. Traced (``jax.jit``, ``torch.func``), where it cannot
    be, a matrix with an inf or NaN is replaced by zeros before the backend sees it (JAX's
    SVD on the CPU never returns for an inf, eagerly or compiled) and its results are NaN;
    ``run``'s outputs must lead with ``a``'s batch dimensions. Lazy Dask input reaches a
    ``host`` cell, whose declared ``host_check`` refuses it there."""
    if not b.traced(a):
        reject_nonfinite(b, a, func, arg)
        return run(a)
    xp = b.xp
    bad = ~xp.all(xp.isfinite(a), axis=(-2, -1))
    out = run(xp.where(bad[..., None, None], xp.zeros_like(a), a))

    def flag(o: Any) -> Any:
        if not xp.isdtype(o.dtype, ("real floating", "complex floating")):
            return o  # (a rank, a count: the zero matrix's)
        mask = xp.reshape(bad, tuple(bad.shape) + (1,) * (o.ndim - bad.ndim))
        return xp.where(mask, xp.asarray(float("nan"), dtype=o.dtype), o)

    return map_result(out, flag)


def refuses_nonfinite(func: str, arg: str = "a") -> Callable[..., None]:
    """The ``host_check`` (see :func:`xpmath._capabilities.routine`) of a routine whose
    ``host`` cells refuse a non-finite first argument as :func:`reject_nonfinite` does: a
    Dask input is computed only there, and LAPACK's SVD can loop forever on an inf."""

    def check(a: np.ndarray, *args: Any, **kwargs: Any) -> None:
        if not np.isfinite(a).all():
            raise LinAlgError(f"{func}: {arg} must not contain infs or NaNs")

    return check


def shape_str(x: Any) -> str:
    return str(tuple(int(d) if d is not None else None for d in x.shape))
