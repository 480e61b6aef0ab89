"""How each public routine runs on each backend, declared once.

The table drives the docstrings' support note, the test suite's skips, ``xpmath info`` and the
benchmark columns, so docs, tests and code cannot disagree.

Modes: ``native`` (the backend's own routine), ``generic`` (xpmath's array-API code),
``host`` (an explicit copy to NumPy and back), ``unsupported``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ._backends import BACKENDS
from ._errors import InvalidArgumentError

__all__ = ["Capability", "CapabilityTable", "capabilities", "routine"]

#: the table's columns: the registry's backends, in its order
BACKEND_ORDER = tuple(BACKENDS)
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
    #: on a lazy backend (Dask), a call builds the graph and computes nothing
    lazy: bool = True


_TABLE: dict[str, dict[str, Capability]] = {}
#: routine -> the check its ``host`` cells run on the NumPy copies of the arguments before the
#: kernel (a lazy input's values exist only there; see ``routine(host_check=...)``)
_HOST_CHECKS: dict[str, Callable[..., None]] = {}

#: a lazy backend's host cells (Dask's): the call computes
_LAZY_HOST_NOTE = (
    "computed on call: the input is brought to the client, computed with NumPy/SciPy "
    "and returned as an array of the input's backend"
)
_DEFAULT_HOST_NOTE = (
    "computed with NumPy/SciPy on the host; the result comes back on the input's backend and device"
)


def routine(
    name: str,
    *,
    default: str = "generic",
    jit_safe: bool = True,
    lazy: bool = True,
    note: str | dict[str, str] = "",
    host_check: Callable[..., None] | None = None,
    **modes: str,
) -> Callable[[F], F]:
    """Register a public routine's per-backend modes and append the support note to its doc.

    ``modes`` maps backend names to modes; unnamed backends get ``default``. ``note`` is one
    note for every backend or a dict of per-backend notes; ``host`` rows without a note get
    the standard one. ``lazy=False`` declares that the routine reads values (computes) on a
    lazy backend even where it runs natively or generically; ``host`` cells always do.
    ``host_check(*args, **kwargs)`` runs in ``host`` cells on the NumPy copies of the kernel's
    arguments before the kernel, and raises where the routine refuses them (a Dask input's
    values are first seen there; the eager wrapper checks every other backend's). The
    function is returned unwrapped, so registration costs nothing per call.
    """
    notes = note if isinstance(note, dict) else dict.fromkeys(BACKEND_ORDER, note)
    unknown = set(notes) - set(BACKEND_ORDER)
    if unknown:
        raise ValueError(f"{name}: notes for unknown backends {sorted(unknown)}")

    def deco(fn: F) -> F:
        row: dict[str, Capability] = {}
        for b in BACKEND_ORDER:
            mode = modes.get(b, default)
            if mode not in MODES:
                raise ValueError(f"{name}: unknown mode {mode!r} for {b}")
            text = notes.get(b, "")
            if mode == "host" and not text:
                text = _DEFAULT_HOST_NOTE if BACKENDS[b].eager else _LAZY_HOST_NOTE
            cell_lazy = lazy and mode in ("native", "generic")
            row[b] = Capability(name, b, mode, jit_safe and mode != "host", text, cell_lazy)
        _TABLE[name] = row
        if host_check is not None:
            _HOST_CHECKS[name] = host_check
        if fn.__doc__:
            fn.__doc__ = fn.__doc__.rstrip() + _support_note(row, jit_safe) + "\n"
        return fn

    return deco


def _support_note(row: dict[str, Capability], jit_safe: bool) -> str:
    cells = ", ".join(f"{b}: {c.mode}" for b, c in row.items())
    extra = f"\n\n    Backend support: {cells}."
    for b, c in row.items():
        if c.mode == "host" and not BACKENDS[b].eager:  # (a lazy backend's host cell)
            extra += f" On {b.capitalize()} it computes on call."
    texts = {c.note for c in row.values() if c.mode != "host"} - {""}
    for text in sorted(texts):
        who = [b for b, c in row.items() if c.note == text]
        prefix = "" if len(who) == len(row) else f"{', '.join(who)}: "
        extra += f" {prefix}{text.rstrip('.')}."
    if jit_safe:
        extra += " Runs under ``jax.jit``."
    return extra


class CapabilityTable(list):
    """The rows of :func:`capabilities`: a list of :class:`Capability` that prints as a table.

    In a terminal it prints one line per routine with the mode on each backend (``*`` marks
    jit-safe cells) and the notes below; in Jupyter it renders as an HTML table.
    """

    def _grid(self) -> tuple[list[str], list[str], dict[str, dict[str, Capability]]]:
        routines: dict[str, dict[str, Capability]] = {}
        for c in self:
            routines.setdefault(c.routine, {})[c.backend] = c
        backends = [b for b in BACKEND_ORDER if any(b in row for row in routines.values())]
        return list(routines), backends, routines

    def __repr__(self) -> str:
        names, backends, grid = self._grid()
        if not names:
            return "CapabilityTable([])"
        head = ["routine", *backends]
        rows = [[n, *(_cell(grid[n].get(b)) for b in backends)] for n in names]
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
        lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in [head, *rows]]
        lines.append("(* runs under jax.jit)")
        for n in names:
            for b in backends:
                c = grid[n].get(b)
                if c is not None and c.note:
                    lines.append(f"{n} on {b}: {c.note}")
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        from html import escape

        names, backends, grid = self._grid()
        head = "".join(f"<th>{escape(b)}</th>" for b in backends)
        body = []
        for n in names:
            cells = []
            for b in backends:
                c = grid[n].get(b)
                title = f' title="{escape(c.note)}"' if c is not None and c.note else ""
                cells.append(f"<td{title}>{escape(_cell(c))}</td>")
            body.append(f"<tr><th>{escape(n)}</th>{''.join(cells)}</tr>")
        return (
            f"<table><thead><tr><th>routine</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table><p>* runs under jax.jit; hover for notes</p>"
        )

    def as_dict(self) -> dict[str, dict[str, dict[str, Any]]]:
        """``{routine: {backend: {"mode", "jit_safe", "lazy", "note"}}}``."""
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for c in self:
            out.setdefault(c.routine, {})[c.backend] = {
                "mode": c.mode,
                "jit_safe": c.jit_safe,
                "lazy": c.lazy,
                "note": c.note,
            }
        return out


def _cell(c: Capability | None) -> str:
    if c is None:
        return "-"
    return c.mode + ("*" if c.jit_safe and c.mode != "unsupported" else "")


def capabilities(
    name: str | None = None, *, as_dict: bool = False
) -> CapabilityTable | dict[str, dict[str, dict[str, Any]]]:
    """The capability table, for one routine (``"linalg.norm"``) or all of them.

    Parameters
    ----------
    name : str, optional
        A routine such as ``"stats.ttest_ind"``; all routines when omitted.
    as_dict : bool
        Return ``{routine: {backend: {"mode", "jit_safe", "lazy", "note"}}}`` for programs
        instead of the printable table (``lazy``: on a lazy backend, a call computes nothing).

    Returns
    -------
    CapabilityTable or dict
        A list of :class:`Capability` rows that prints as a table (and renders as HTML in
        Jupyter), or the nested dict.

    Examples
    --------
    >>> import xpmath
    >>> [c.mode for c in xpmath.capabilities("linalg.matmul")][:2]
    ['native', 'native']
    >>> xpmath.capabilities("linalg.eig", as_dict=True)["linalg.eig"]["dask"]["mode"]
    'host'
    """
    _load_all()
    if name is None:
        table = CapabilityTable(c for row in _TABLE.values() for c in row.values())
    else:
        if not isinstance(name, str) or name not in _TABLE:
            raise InvalidArgumentError(
                f"name: no routine {name!r}; known routines: {', '.join(sorted(_TABLE))}"
            )
        table = CapabilityTable(_TABLE[name].values())
    return table.as_dict() if as_dict else table


def mode(name: str, backend: str) -> str:
    """Mode of ``name`` on ``backend`` (``'generic'`` when the routine is not registered)."""
    _load_all()
    row = _TABLE.get(name)
    return row[backend].mode if row and backend in row else "generic"


def host_check(name: str) -> Callable[..., None] | None:
    """The check ``name``'s host cells run on the host copies of its arguments, or None."""
    _load_all()
    return _HOST_CHECKS.get(name)


@functools.cache  # once: a routine's mode is asked on every call of some routines
def _load_all() -> None:
    import importlib

    for mod in ("linalg", "calculus", "optimize", "nn", "random", "stats"):
        try:
            importlib.import_module(f"xpmath.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name != f"xpmath.{mod}":
                raise
