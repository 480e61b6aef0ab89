"""What a capability cell resolves to besides a fast path or the generic code: the stub of an
``unsupported`` cell and the round trip through NumPy of a ``host`` cell."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._results import map_result


def _unsupported(routine: str, backend: str) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        from .._errors import BackendUnavailableError as _E

        raise _E(f"{routine} is not supported on backend {backend!r} (see xpmath.capabilities)")

    return fail


def host_wrapped(
    b: Any, generic: Callable[..., Any], check: Callable[..., None] | None = None
) -> Callable[..., Any]:
    """``generic`` run on NumPy copies of backend ``b``'s array arguments, its results moved
    back to ``b`` on the device of the first of them. ``check`` (the routine's declared
    ``host_check``) sees the copies first and raises where the routine refuses them."""

    def host(xp: Any, *args: Any, **kwargs: Any) -> Any:
        import array_api_compat.numpy as npx

        from . import backend_for_type

        mine = [a for a in args if backend_for_type(type(a)) is b]
        device = b.device_of(mine[0]) if mine else None
        moved = [b.to_numpy(a) if backend_for_type(type(a)) is b else a for a in args]
        if check is not None:
            check(*moved, **kwargs)
        out = generic(npx, *moved, **kwargs)

        def back(o: Any) -> Any:  # NumPy arrays and NumPy scalars (a 0-d det) come back
            return b.asarray(o, device=device) if isinstance(o, np.ndarray | np.generic) else o

        return map_result(out, back)

    host.__name__ = f"host_{getattr(generic, '__name__', 'routine')}"
    return host
