"""Matmul precision policy: strict float32 by default on every backend, fast modes opt-in."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from ._errors import InvalidArgumentError

MODES = ("strict", "fast")

_mode: contextvars.ContextVar[str] = contextvars.ContextVar("xpmath_matmul", default="strict")


def get_matmul_precision() -> str:
    """'strict' (true float32, the default) or 'fast' (TF32/bf16 where the device has them)."""
    return _mode.get()


def set_matmul_precision(mode: str) -> None:
    """Set the matmul precision for this context: ``"strict"`` (default) or ``"fast"``.

    ``"strict"`` makes JAX use ``Precision.HIGHEST`` (on GPUs JAX otherwise uses TF32) and
    leaves CuPy and PyTorch in their default full-float32 mode. ``"fast"`` lets each backend use
    its reduced-precision tensor-core path; benchmark output labels such rows.

    Examples
    --------
    >>> import xpmath
    >>> xpmath.set_matmul_precision("strict")
    """
    if mode not in MODES:
        raise InvalidArgumentError(
            f"set_matmul_precision: mode must be one of {MODES}; got {mode!r}"
        )
    _mode.set(mode)


@contextlib.contextmanager
def matmul_precision(mode: str) -> Iterator[None]:
    """Context manager form of :func:`set_matmul_precision`.

    Examples
    --------
    >>> import xpmath
    >>> with xpmath.matmul_precision("fast"):
    ...     pass
    """
    if mode not in MODES:
        raise InvalidArgumentError(f"matmul_precision: mode must be one of {MODES}; got {mode!r}")
    token = _mode.set(mode)
    try:
        yield
    finally:
        _mode.reset(token)
