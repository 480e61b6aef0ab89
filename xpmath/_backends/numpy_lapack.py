"""NumPy's LAPACK gufuncs called without ``numpy.linalg``'s Python wrapper.

``numpy.linalg.solve`` on a 4×4 system costs about 4 µs, of which the LAPACK gufunc is 1.1:
the rest is the wrapper's argument normalisation (which xpmath has done already) and a fresh
``numpy.errstate`` (1 µs to build, enter and leave). For float64 and complex128 arrays the
lanes here call the same gufunc with the same signature and the same floating-point error
state (a singular pivot calls back and raises ``numpy.linalg.LinAlgError``), set once per
call on NumPy's error-state context variable from a state object made at import. Every other
input, and every NumPy that lacks these private names, goes through ``numpy.linalg`` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def _raise_singular(err: str, flag: int) -> None:
    raise np.linalg.LinAlgError("Singular matrix")


try:  # private NumPy names: the lanes exist only where all of them do
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj
    from numpy.linalg import _umath_linalg

    _STATE = _make_extobj(
        call=_raise_singular, invalid="call", over="ignore", divide="ignore", under="ignore"
    )
    _GUFUNCS: tuple[Any, Any, Any] | None = (
        _umath_linalg.solve1,
        _umath_linalg.solve,
        _umath_linalg.inv,
    )
except (ImportError, AttributeError, TypeError, ValueError):  # pragma: no cover - other NumPy
    _GUFUNCS = None

#: dtype -> the gufunc signature ``numpy.linalg`` uses for it (float32 and the rest are left
#: to ``numpy.linalg``, which computes them in float64 and casts back)
_SIGNATURES = {np.dtype(np.float64): "dd->d", np.dtype(np.complex128): "DD->D"}


def _run(gufunc: Any, signature: str, *args: Any) -> Any:
    token = _extobj_contextvar.set(_STATE)
    try:
        return gufunc(*args, signature=signature)
    finally:
        _extobj_contextvar.reset(token)


def solve(xp: Any, a: Any, b: Any) -> Any:
    """``numpy.linalg.solve(a, b)`` (``b`` a vector only if 1-D), same result and errors."""
    sig = _SIGNATURES.get(a.dtype) if type(a) is np.ndarray and type(b) is np.ndarray else None
    if sig is None or _GUFUNCS is None or b.dtype != a.dtype:
        return np.linalg.solve(a, b)
    return _run(_GUFUNCS[0] if b.ndim == 1 else _GUFUNCS[1], sig, a, b)


def inv(xp: Any, a: Any) -> Any:
    """``numpy.linalg.inv(a)``, same result and errors."""
    sig = _SIGNATURES.get(a.dtype) if type(a) is np.ndarray else None
    if sig is None or _GUFUNCS is None:
        return np.linalg.inv(a)
    return _run(_GUFUNCS[2], sig[0] + "->" + sig[0], a)


def lanes() -> dict[str, Callable[..., Any]]:
    """The fast-path entries of this module, for :func:`.numpy_fast.fast_paths`."""
    return {"linalg.solve": solve, "linalg.inv": inv}
