"""Parameter and size checks of the random Generator: ranges, the generator's backend, and
NumPy's shape rule (array parameters broadcast; ``size`` None draws their broadcast shape, a
given ``size`` must be one they broadcast to)."""

from __future__ import annotations

import contextlib
import math
import numbers
from typing import Any

import numpy as np

from .._dispatch import backend_of
from .._errors import BackendMismatchError, InvalidArgumentError, ShapeError
from .._validate import broadcast_shape, check_int, numeric

Size = int | tuple[int, ...] | None


def draw_shape(size: Size, func: str, *params: Any) -> tuple[int, ...]:
    """The shape to draw: ``size``, or the broadcast shape of the array ``params`` when
    ``size`` is None (one draw per entry, as NumPy: not one draw spread over them)."""
    shapes = tuple(tuple(p.shape) for p in params if hasattr(p, "shape"))
    common = broadcast_shape(shapes, "the parameters", func) if shapes else ()
    if size is None:
        return common
    dims = (size,) if isinstance(size, numbers.Integral) else tuple(size)
    for d in dims:
        check_int(d, "size", func, minimum=0)
    out = tuple(int(d) for d in dims)
    try:
        fits = tuple(np.broadcast_shapes(common, out)) == out
    except ValueError:
        fits = False
    if not fits:
        raise ShapeError(
            f"{func}: parameters of shape {common} do not broadcast to size {out} (NumPy's rule)"
        )
    return out


def check_param(
    value: Any,
    arg: str,
    func: str,
    *,
    low: float | None = None,
    high: float | None = None,
    strict_low: bool = False,
    owner: Any = None,
    finite: bool = False,
) -> Any:
    """Validate a scalar or array parameter's range (arrays are checked when concrete); an
    array must be of the backend ``owner`` when one is given (a generator's). ``finite``
    also refuses ±inf (a count: a Poisson mean, a number of trials)."""
    if isinstance(value, bool):
        raise InvalidArgumentError(f"{func}: {arg} must be a number; got {value!r}")
    if isinstance(value, numbers.Real):
        v = float(value)
        bad = (
            math.isnan(v)
            or (low is not None and (v <= low if strict_low else v < low))
            or (high is not None and v > high)
            or (finite and math.isinf(v))
        )
        if bad:
            rng = _describe(low, high, strict_low, finite)
            raise InvalidArgumentError(f"{func}: {arg} must be {rng}; got {value!r}")
        return v
    if not hasattr(value, "shape"):
        raise InvalidArgumentError(f"{func}: {arg} must be a number or an array; got {value!r}")
    b = backend_of(value)
    numeric(value, b, arg, func)  # (strings, objects and dates: a DTypeError naming arg)
    if owner is not None and b.name != owner.name:
        raise BackendMismatchError(
            f"{func}: {arg} is a {b.name} array and the generator draws on {owner.name}; "
            f"convert it with xpmath.to_backend({arg}, {owner.name!r})"
        )
    if b.is_concrete(value) and 0 not in tuple(value.shape):
        xp = b.xp
        lo_ok = True if low is None else bool(xp.all(value > low if strict_low else value >= low))
        hi_ok = True if high is None else bool(xp.all(value <= high))
        fin_ok = not finite or bool(xp.all(xp.abs(value) < math.inf))
        if not (lo_ok and hi_ok and fin_ok):
            rng = _describe(low, high, strict_low, finite)
            raise InvalidArgumentError(f"{func}: every entry of {arg} must be {rng}")
    return value


def _describe(low: float | None, high: float | None, strict: bool, finite: bool = False) -> str:
    if low is not None and high is not None:
        return f"in [{low:g}, {high:g}]"
    if low is None:
        return "a finite number" if finite else "a number (not NaN)"
    return f"{'>' if strict else '>='} {low:g}" + (" and finite" if finite else "")


def shown(value: Any) -> Any:
    """A parameter as an error message shows it: a number, or an array's largest entry."""
    if hasattr(value, "shape"):
        from .._convert import to_numpy

        return f"an array with largest entry {to_numpy(value).max()!r}"
    return value


def dtype_bound_error(b: Any, func: str, arg: str, allowed: str, got: Any, dt: Any) -> Exception:
    """The error for draws that ``dt`` cannot hold on backend ``b`` (NumPy wrapped them
    around, JAX saturated them, torch raised a RuntimeError)."""
    name = str(getattr(dt, "__name__", None) or getattr(dt, "name", None) or dt)
    name = name.rsplit(".", 1)[-1].strip("'>")
    reason = b.float64_reason()
    wider = f"; int64 needs 64-bit types: {reason}" if reason else ""
    hint = f" (pass a wider dtype, such as dtype='int64'{wider})"
    if int(b.xp.iinfo(dt).max) >= 2**63 - 1:
        hint = ""  # (no wider integer dtype)
    return InvalidArgumentError(
        f"{func}: {arg} must be {allowed} for draws of dtype {name}; got {got}{hint}"
    )


def _whole(v: Any) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_))


def seed_value(seed: Any, backend: str, takes_key: bool) -> Any:
    """``default_rng``'s seed, checked: None, a non-negative int, a list of them (NumPy's
    entropy sequence, from a list, tuple or 1-D integer array of any backend), or a PRNG key
    where the engine ``takes_key`` (JAX's)."""
    func = "default_rng"
    if seed is None:
        return None
    if hasattr(seed, "dtype") and "key" in str(seed.dtype):
        if not takes_key:
            raise InvalidArgumentError(f"{func}: a PRNG key seeds a JAX generator, not {backend}")
        return seed
    if _whole(seed) and seed >= 0:
        return int(seed)
    ints = None
    if isinstance(seed, (list, tuple)) and all(_whole(v) for v in seed):  # (any size: 2**70)
        ints = [int(v) for v in seed] if seed and min(seed) >= 0 else None
    elif isinstance(seed, (list, tuple)) or hasattr(seed, "shape"):
        arr = None
        with contextlib.suppress(Exception):  # (a ragged or mixed list is no entropy)
            arr = np.asarray(backend_of(seed).to_numpy(seed) if hasattr(seed, "shape") else seed)
        if arr is not None and arr.dtype.kind in "iu" and arr.ndim <= 1 and arr.size:
            ints = [int(v) for v in arr.reshape(-1)] if bool((arr >= 0).all()) else None
    if ints is None:
        got = (
            f"an array of dtype {seed.dtype} and shape {tuple(seed.shape)}"
            if hasattr(seed, "shape")
            else repr(seed)
        )
        raise InvalidArgumentError(
            f"{func}: seed must be a non-negative int, a sequence of them or None (or, on "
            f"JAX, a key); got {got}"
        )
    return ints[0] if np.ndim(seed) == 0 else ints
