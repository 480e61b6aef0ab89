"""The stub that an ``unsupported`` cell of the capability table resolves to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _unsupported(routine: str, backend: str) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        from .._errors import BackendUnavailableError as _E

        raise _E(f"{routine} is not supported on backend {backend!r} (see xpmath.capabilities)")

    return fail
