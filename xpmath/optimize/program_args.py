"""Numeric settings passed to a compiled program as the backend's arrays, made once each.

A compiled program (``jax.jit``) converts Python numbers among its arguments on every call
(6–8 µs a call on a CPU); the same settings as arrays made once cost nothing to pass. Both
compiled optimiser paths (the first-order loop of :mod:`.loop_program` and the compiled
``minimize`` of :mod:`.minimize_program`) take their learning rate and tolerances this way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: settings sets kept before the record is cleared (bounds memory)
LIMIT = 256

#: (backend, maker, key) -> the arrays ``maker`` made
_KEPT: dict[tuple[Any, ...], Any] = {}


def program_args(b: Any, make: Callable[..., Any], key: Any, *args: Any) -> Any:
    """``make(b, *args)``, an array or a tuple of arrays of backend ``b``, made once per
    ``(b, make, key)`` and kept (``key`` names the settings and whatever else decides the
    arrays, such as a dtype). Arrays made inside a caller's ``jit`` are that trace's: they are
    returned and not kept."""
    full = (b, make, key)
    out = _KEPT.get(full)
    if out is None:
        out = make(b, *args)
        if not any(b.traced(v) for v in (out if type(out) is tuple else (out,))):
            if len(_KEPT) >= LIMIT:
                _KEPT.clear()
            _KEPT[full] = out
    return out
