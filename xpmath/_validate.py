"""Argument checks in plain Python, from shapes and dtypes only (never from array values)."""

from __future__ import annotations

import contextlib
import functools
import math
import numbers
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ._backends import Backend
from ._dispatch import backend_of, known_backend
from ._errors import (
    ArgumentTypeError,
    AxisError,
    BackendMismatchError,
    DTypeError,
    InvalidArgumentError,
    LinAlgShapeError,
    ShapeError,
)


def check_callable(f: Any, arg: str, func: str) -> None:
    if not callable(f):
        raise InvalidArgumentError(f"{func}: {arg} must be callable; got {type(f).__name__}")


#: how to choose the backend of a routine that takes a ``backend=`` argument
PASS_BACKEND = "pass backend=... naming it (for example backend='torch')"


def on_chosen_backend(
    f: Callable[..., Any],
    b: Backend,
    func: str,
    why: str,
    fix: str = PASS_BACKEND,
    arg: str = "func",
) -> Callable[..., Any]:
    """``f`` (a user's callable) for a routine that chose backend ``b`` itself (``why``: no
    array argument named one). A TypeError that ``f`` raises on ``b``'s arrays, as a torch or
    CuPy function given NumPy arrays does, becomes a :class:`BackendMismatchError` (itself a
    TypeError) that says which backend was used and how to choose another (``fix``), with
    ``f``'s own error kept as its cause."""

    def call(*args: Any) -> Any:
        try:
            return f(*args)
        except TypeError as exc:
            if isinstance(exc, BackendMismatchError):
                raise
            raise BackendMismatchError(
                f"{func}: {arg} raised {type(exc).__name__} on {b.name} arrays ({exc}). "
                f"{why}, so {func} evaluated {arg} on {b.name}; if {arg} works on another "
                f"backend's arrays, {fix}"
            ) from exc

    return call


def for_start_point(b: Backend, x0: Any, func: str, fun: Any, jac: Any) -> tuple[Any, Any]:
    """An optimiser's ``fun`` and ``jac`` (None kept), through :func:`on_chosen_backend` when
    ``x0`` is not an array (a list or number: the default backend ``b`` holds the iterates).
    Compiling backends are left alone: their programs are cached by the user's function."""
    if hasattr(x0, "shape") or b.compiles:
        return fun, jac
    why, fix = "x0 is not an array", "pass x0 as an array of that backend"
    fun = on_chosen_backend(fun, b, func, why, fix, "fun")
    return fun, jac if jac is None else on_chosen_backend(jac, b, func, why, fix, "jac")


def check_choice(value: Any, arg: str, choices: Iterable[Any], func: str) -> None:
    choices = tuple(choices)
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise InvalidArgumentError(f"{func}: {arg} must be one of {listed}; got {value!r}")


def check_int(value: Any, arg: str, func: str, *, minimum: int | None = None) -> int:
    if type(value) is int:  # the common case, without the ABC check
        if minimum is not None and value < minimum:
            raise InvalidArgumentError(f"{func}: {arg} must be >= {minimum}; got {value}")
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        # a TypeError too, as NumPy raises for a float where an integer is needed
        raise ArgumentTypeError(f"{func}: {arg} must be an integer; got {value!r}")
    if minimum is not None and value < minimum:
        raise InvalidArgumentError(f"{func}: {arg} must be >= {minimum}; got {value}")
    return int(value)


def check_real(
    value: Any,
    arg: str,
    func: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    finite: bool = True,
) -> float:
    """Validate a Python (or NumPy) real scalar parameter."""
    if type(value) is float:  # the common case, without the ABC check
        v = value
    elif isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidArgumentError(f"{func}: {arg} must be a real number; got {value!r}")
    else:
        v = float(value)
    if finite and not math.isfinite(v):
        raise InvalidArgumentError(f"{func}: {arg} must be finite; got {value!r}")
    if positive and not v > 0:
        raise InvalidArgumentError(f"{func}: {arg} must be > 0; got {value!r}")
    if nonnegative and not v >= 0:
        raise InvalidArgumentError(f"{func}: {arg} must be >= 0; got {value!r}")
    return v


def check_fraction(value: Any, arg: str, func: str) -> float:
    """A decay or momentum coefficient: a real number in [0, 1)."""
    v = check_real(value, arg, func, nonnegative=True)
    if v >= 1:
        raise InvalidArgumentError(f"{func}: {arg} must be < 1 (in [0, 1)); got {value!r}")
    return v


def check_array(x: Any, arg: str, func: str) -> None:
    if not hasattr(x, "shape") or not hasattr(x, "dtype"):
        raise DTypeError(
            f"{func}: {arg} must be an array; got {type(x).__name__} (use xpmath.asarray first)"
        )


def check_ndim(x: Any, arg: str, func: str, minimum: int) -> None:
    if x.ndim < minimum:
        raise ShapeError(
            f"{func}: {arg} must have at least {minimum} dimension(s); got shape {tuple(x.shape)}"
        )


def check_matrix(x: Any, arg: str, func: str) -> None:
    """``x`` has at least two dimensions; else :class:`LinAlgShapeError` (as NumPy's linalg
    raises ``LinAlgError`` for a 1-D input)."""
    if x.ndim < 2:
        raise LinAlgShapeError(
            f"{func}: {arg} must have at least 2 dimension(s); got shape {tuple(x.shape)}"
        )


def check_square(x: Any, arg: str, func: str) -> None:
    """``x`` is a square matrix or a stack of them; else :class:`LinAlgShapeError` (a
    ``numpy.linalg.LinAlgError`` too, as NumPy raises)."""
    check_matrix(x, arg, func)
    if x.shape[-1] != x.shape[-2]:
        raise LinAlgShapeError(
            f"{func}: {arg} must be square in its last two dimensions; got shape {tuple(x.shape)}"
        )


def normalize_axis(axis: int, ndim: int, arg: str, func: str) -> int:
    """The one axis check: an integer in ``[-ndim, ndim)``, returned non-negative.

    A non-integer raises :class:`ArgumentTypeError` (a ``TypeError``, as NumPy); an axis out
    of range :class:`AxisError` (a ``numpy.exceptions.AxisError``, as NumPy).
    """
    if type(axis) is not int:  # the common case skips the ABC check
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise ArgumentTypeError(f"{func}: {arg} must be an integer; got {axis!r}")
        axis = int(axis)
    if not -ndim <= axis < ndim:
        raise AxisError(f"{func}: {arg}={axis} is out of range for an array of {ndim} dimension(s)")
    return axis % ndim


def normalize_axes(axis: Any, ndim: int, func: str) -> tuple[int, ...] | None:
    """``None``, an int or a tuple/list of ints as a tuple of distinct non-negative axes."""
    if axis is None:
        return None
    if type(axis) is int:  # the common case: no tuple to check for repeats
        return (normalize_axis(axis, ndim, "axis", func),)
    raw = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    axes = tuple(normalize_axis(a, ndim, "axis", func) for a in raw)
    if len(set(axes)) != len(axes):
        raise InvalidArgumentError(f"{func}: axis contains a repeated axis: {axis!r}")
    return axes


def dtype_kind(x: Any, xp: Any) -> str:
    """'b', 'i', 'u', 'f' or 'c' for x's dtype, on any backend."""
    kind = getattr(x.dtype, "kind", None)
    if isinstance(kind, str) and kind in "biufc":
        return kind
    if isinstance(kind, str) and kind in "mMOSUT":  # NumPy's dates, objects and strings (a
        raise DTypeError(f"unsupported dtype {x.dtype}")  # timedelta is an integer to isdtype)
    # no NumPy kind, or an extension dtype NumPy files as 'V' (ml_dtypes' bfloat16 in JAX)
    for k, name in (
        ("b", "bool"),
        ("i", "signed integer"),
        ("u", "unsigned integer"),
        ("f", "real floating"),
        ("c", "complex floating"),
    ):
        if xp.isdtype(x.dtype, name):
            return k
    raise DTypeError(f"unsupported dtype {x.dtype}")


#: (array type, dtype) -> kind letter of every array dtype seen (one dict read per call after
#: the first). The array type comes first so that no two libraries' dtypes are ever compared
#: (array_api_strict warns when its dtypes meet NumPy's)
DTYPE_KINDS: dict[tuple[type, Any], str] = {}


def is_float_array(x: Any) -> bool:
    """Whether ``x`` is an array of a floating dtype already seen (the fast lane in front of
    :func:`as_float`: one dict read; False means "ask as_float", not "not floating")."""
    try:
        return DTYPE_KINDS[type(x), x.dtype] in "fc"
    except (AttributeError, KeyError, TypeError):
        return False


#: (array type, floating dtype) -> the backend of such arrays, for every pair a call has
#: seen: one dict read names a float input's backend and says it needs no conversion
FLOAT_OWNERS: dict[tuple[type, Any], Backend] = {}


def float_input(x: Any, arg: str, func: str) -> tuple[Backend, Any]:
    """The backend of a call's one array argument, and that argument through :func:`as_float`
    (an array type and float dtype seen before cost one dict read and no other call)."""
    try:
        return FLOAT_OWNERS[type(x), x.dtype], x
    except (AttributeError, KeyError, TypeError):
        pass
    b = known_backend(type(x)) or backend_of(x)
    if not is_float_array(x):
        x = as_float(x, b, arg, func)
    if is_float_array(x):  # (as_float has just recorded its kind)
        FLOAT_OWNERS[type(x), x.dtype] = b
    return b, x


def as_float(x: Any, b: Backend, arg: str, func: str, like: Any = None) -> Any:
    """Return x unchanged when floating, else promoted to the backend's default float dtype.

    Python scalars and (nested) lists are accepted the way NumPy accepts them: they become
    arrays of ``b``, the backend of the call's other arrays or the default backend, and
    not of a narrower float than ``like``, the array they are combined with (see
    :func:`as_array`).
    """
    try:
        if DTYPE_KINDS[type(x), x.dtype] in "fc":
            return x
    except (AttributeError, KeyError, TypeError):
        pass
    x = as_array(x, b, arg, func, like)
    try:
        kind = dtype_kind(x, b.xp)
    except DTypeError:
        raise DTypeError(f"{func}: {arg} must be numeric; got dtype {x.dtype}") from None
    with contextlib.suppress(TypeError):  # an unhashable dtype object is not remembered
        DTYPE_KINDS[type(x), x.dtype] = kind
    if kind in "fc":
        return x
    if kind in "biu":
        return b.xp.astype(x, b.default_float())
    raise DTypeError(f"{func}: {arg} must be numeric; got dtype {x.dtype}")


def as_array(x: Any, b: Backend, arg: str, func: str, like: Any = None) -> Any:
    """Convert Python scalars and sequences to a backend array; leave arrays alone.

    ``like``: the array (or the dtype) ``x`` is combined with. Python floats made into an
    array of the backend's default float (torch's float32) narrower than ``like``'s real
    floating dtype are made in ``like``'s instead: ``[0.1]`` against a float64 tensor is not
    rounded to float32 on the way (NumPy makes Python floats float64; its answers are kept).
    An array (given or made) of a dtype that is not bool, integer, float or complex (NumPy's
    strings, bytes, objects, datetimes) is a :class:`DTypeError` naming ``arg``.
    """
    if hasattr(x, "shape") and hasattr(x, "dtype"):
        return numeric(x, b, arg, func)
    if x is None or isinstance(x, (str, bytes, dict, set)):
        raise DTypeError(
            f"{func}: {arg} must be an array, a number or a list of numbers; got {type(x).__name__}"
        )
    try:
        out = b.asarray(x)
        wider = None if like is None else _wider_float(b.xp, out.dtype, like)
        out = out if wider is None else b.asarray(x, dtype=wider)
    except (TypeError, ValueError, OverflowError) as exc:
        raise DTypeError(f"{func}: {arg} could not be made into an array: {exc}") from None
    return numeric(out, b, arg, func)


def numeric(x: Any, b: Backend, arg: str, func: str) -> Any:
    """``x``, an array, if its dtype is bool, integer, float or complex (one dict read for a
    dtype seen before), else a :class:`DTypeError` naming ``arg``."""
    try:
        if DTYPE_KINDS[type(x), x.dtype]:
            return x
    except (KeyError, TypeError):
        pass
    try:
        kind = dtype_kind(x, b.xp)
    except DTypeError:
        raise DTypeError(
            f"{func}: {arg} must be numeric (bool, integer, float or complex); got dtype {x.dtype}"
        ) from None
    with contextlib.suppress(TypeError):  # an unhashable dtype object is not remembered
        DTYPE_KINDS[type(x), x.dtype] = kind
    return x


def _wider_float(xp: Any, made: Any, like: Any) -> Any:
    """``like``'s real floating dtype where it is wider than the real floating ``made``."""
    want = getattr(like, "dtype", like)  # (an array, or a dtype itself)
    try:
        real = "real floating"
        if xp.isdtype(made, real) and xp.isdtype(want, real):
            return want if xp.finfo(made).bits < xp.finfo(want).bits else None
    except (TypeError, ValueError, AttributeError):  # like is a list or a number: no dtype
        pass
    return None


def as_scalar(x: Any) -> Any:
    """A 0-d result the way NumPy gives it: a NumPy scalar on NumPy (``x[()]``), unchanged on
    other backends (their ``x[()]`` is the same 0-d array); other results pass through."""
    return x[()] if getattr(x, "ndim", None) == 0 else x


def scalar_result(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Apply :func:`as_scalar` to a routine's (tuple of) results, so its result type does not
    depend on which of its options ran."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        if isinstance(out, tuple) and not hasattr(out, "_fields"):
            return tuple(as_scalar(o) for o in out)
        return as_scalar(out)

    return wrapper


def broadcast_shape(shapes: tuple[tuple[int, ...], ...], what: str, func: str) -> tuple[int, ...]:
    """The broadcast of ``shapes``, or a :class:`ShapeError` naming ``what`` (the arguments)
    and the shapes given, instead of a backend's own broadcasting error."""
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        listed = " and ".join(str(s) for s in shapes)
        raise ShapeError(
            f"{func}: {what} do not broadcast (operands could not be broadcast together); "
            f"got shapes {listed}"
        ) from None
