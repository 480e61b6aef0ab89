"""A compiled program's arguments: numeric settings as the backend's arrays, made once each;
the arrays the user's functions close over.

A compiled program (``jax.jit``) converts Python numbers among its arguments on every call
(6–8 µs a call on a CPU); the same settings as arrays made once cost nothing to pass. Both
compiled optimiser paths (the first-order loop of :mod:`.loop_program` and the compiled
``minimize`` of :mod:`.minimize_program`) take their learning rate and tolerances this way.
"""

from __future__ import annotations

import functools
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


def hoist(
    b: Any, fns: tuple[Any, ...], shape: tuple[int, ...], dtype: Any
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The user's functions of arrays of ``shape`` and ``dtype`` (None kept) for a compiled
    program that takes the arrays
    they close over as its arguments (:meth:`Backend.hoisted`; JAX, where closed-over arrays
    would otherwise be copied into the program and compiled with it): ``(keys, consts)``,
    one key (it names the program in a cache) and one tuple of arrays or None for each
    function; inside the program :func:`bind` turns them back into functions of ``x``."""
    keys, consts = [], []
    for fn in fns:
        h = None if fn is None else b.hoisted(fn, shape, dtype)
        keys.append(fn if h is None else h[0])
        consts.append(None if h is None else h[1])
    return tuple(keys), tuple(consts)


def bind(key: Any, consts: Any) -> Any:
    """A function of ``x`` from one of :func:`hoist`'s keys and its arrays."""
    return key if consts is None else functools.partial(key, consts)
