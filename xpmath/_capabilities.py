"""How each public routine runs on each backend, declared once.

The table drives the docstrings' support note, the test suite's skips, ``xpmath info`` and the
benchmark columns, so docs, tests and code cannot disagree.

Modes: ``native`` (the backend's own routine), ``generic`` (xpmath's array-API code),
``host`` (an explicit copy to NumPy and back), ``unsupported``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ._errors import InvalidArgumentError

__all__ = ["Capability", "capabilities", "routine"]

BACKEND_ORDER = ("numpy", "jax", "cupy", "torch", "dask", "array_api_strict")
MODES = ("native", "generic", "host", "unsupported")

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Capability:
    """How ``routine`` runs on ``backend``."""

    routine: str
    backend: str
    mode: str
    jit_safe: bool
    note: str = ""


_TABLE: dict[str, dict[str, Capability]] = {}


def routine(
    name: str,
    *,
    default: str = "generic",
    jit_safe: bool = True,
    note: str = "",
    **modes: str,
) -> Callable[[F], F]:
    """Register a public routine's per-backend modes and append the support note to its doc.

    ``modes`` maps backend names to modes; unnamed backends get ``default``. The function is
    returned unwrapped, so registration costs nothing per call.
    """

    def deco(fn: F) -> F:
        row: dict[str, Capability] = {}
        for b in BACKEND_ORDER:
            mode = modes.get(b, default)
            if mode not in MODES:
                raise ValueError(f"{name}: unknown mode {mode!r} for {b}")
            row[b] = Capability(name, b, mode, jit_safe and mode != "host", note)
        _TABLE[name] = row
        if fn.__doc__:
            cells = ", ".join(f"{b}: {c.mode}" for b, c in row.items())
            extra = f"\n\n    Backend support: {cells}."
            if row["dask"].mode == "host":
                extra += " On Dask each matrix is gathered to one worker."
            if note:
                extra += f" {note}"
            if jit_safe:
                extra += " Runs under ``jax.jit``."
            fn.__doc__ = fn.__doc__.rstrip() + extra + "\n"
        return fn

    return deco


def capabilities(name: str | None = None) -> list[Capability]:
    """The capability table, for one routine (``"linalg.norm"``) or all of them.

    Examples
    --------
    >>> import xpmath
    >>> [c.mode for c in xpmath.capabilities("linalg.matmul")][:2]
    ['native', 'native']
    """
    _load_all()
    if name is None:
        return [c for row in _TABLE.values() for c in row.values()]
    try:
        return list(_TABLE[name].values())
    except KeyError:
        raise InvalidArgumentError(
            f"name: no routine {name!r}; known routines: {', '.join(sorted(_TABLE))}"
        ) from None


def mode(name: str, backend: str) -> str:
    """Mode of ``name`` on ``backend`` (``'generic'`` when the routine is not registered)."""
    _load_all()
    row = _TABLE.get(name)
    return row[backend].mode if row and backend in row else "generic"


def _load_all() -> None:
    import importlib

    for mod in ("linalg", "calculus", "optimize", "nn", "random", "stats"):
        try:
            importlib.import_module(f"xpmath.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name != f"xpmath.{mod}":
                raise
