"""Arithmetic for the optimisers' scalar state (step lengths, values, slopes, counters).

The quasi-Newton loops and the line search are written once, against a small namespace
``sx`` for their scalars. When the loop is traced (a compiled program on JAX, ``torch.compile``)
the scalars are 0-d arrays and ``sx`` is the array namespace itself. When the loop runs
eagerly on values that may be read (:meth:`Backend.is_concrete`), the scalars are Python
floats, bools and ints: a line-search trial then costs a few Python operations instead of
some sixty 0-d array operations (about a microsecond each on NumPy, more on torch), while
the vector algebra stays on the backend. Both namespaces implement the same IEEE semantics
for what the loops use: ``where`` selects, ``minimum``/``maximum`` propagate NaN, ``sqrt`` of
a negative number is NaN, ``sign(0) = 0``.
"""

from __future__ import annotations

import math
from typing import Any


class ArrayScalars:
    """Scalars as 0-d arrays of the backend (traced loops)."""

    traced = True

    def __init__(self, xp: Any) -> None:
        self._xp = xp

    def __getattr__(self, name: str) -> Any:
        return getattr(self._xp, name)

    @staticmethod
    def val(a: Any) -> Any:
        """A scalar computed by the backend (``g @ d``, a reduction), as a loop scalar."""
        return a

    def logical_not(self, c: Any) -> Any:
        return self._xp.logical_not(c)

    def const(self, value: Any) -> Any:
        return self._xp.asarray(value)

    def branch(self, c: Any, then: Any, other: Any) -> tuple[Any, ...]:
        """Both branches' tuples, selected element by element (a traced loop cannot skip
        work that its condition decides)."""
        xp = self._xp
        return tuple(xp.where(c, u, v) for u, v in zip(then(), other(), strict=True))


class HostScalars:
    """Scalars as Python numbers (eager loops over readable values)."""

    traced = False

    @staticmethod
    def val(a: Any) -> Any:
        return float(a)

    @staticmethod
    def const(value: Any) -> Any:
        return value

    @staticmethod
    def where(c: Any, a: Any, b: Any) -> Any:
        return a if c else b

    @staticmethod
    def branch(c: Any, then: Any, other: Any) -> tuple[Any, ...]:
        """The chosen branch's tuple; the other is never computed."""
        return then() if c else other()

    @staticmethod
    def logical_not(c: Any) -> bool:
        return not c

    @staticmethod
    def isfinite(a: float) -> bool:
        return math.isfinite(a)

    @staticmethod
    def abs(a: float) -> float:
        return abs(a)

    @staticmethod
    def sqrt(a: float) -> float:
        return math.sqrt(a) if a >= 0 else math.nan

    @staticmethod
    def sign(a: float) -> float:
        if a == 0:
            return 0.0  # (NumPy's sign of -0.0 is +0.0)
        return math.copysign(1.0, a) if a == a else a

    @staticmethod
    def minimum(a: float, b: float) -> float:
        if a != a or b != b:
            return math.nan
        return a if a < b else b  # (equal: the second, as NumPy: minimum(0.0, -0.0) is -0.0)

    @staticmethod
    def maximum(a: float, b: float) -> float:
        if a != a or b != b:
            return math.nan
        return a if a > b else b  # (equal: the second, as NumPy)

    @staticmethod
    def zeros_like(a: Any) -> float:
        return 0.0

    @staticmethod
    def ones_like(a: Any) -> float:
        return 1.0


HOST = HostScalars()


def scalars_for(b: Any, x: Any) -> Any:
    """The scalar namespace for a loop over ``x`` on backend ``b``."""
    return HOST if b.is_concrete(x) else ArrayScalars(b.xp)
