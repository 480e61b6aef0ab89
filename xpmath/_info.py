"""``xpmath.info()``: the environment report behind ``xpmath info``."""

from __future__ import annotations

import platform
from dataclasses import asdict, dataclass, field
from typing import Any

from ._backends import BackendInfo, info_all

__all__ = ["Info", "info"]


@dataclass(frozen=True)
class Info:
    """What xpmath sees on this machine: backends, devices, CPU, BLAS and the defaults.

    Prints as the ``xpmath info`` report, renders as HTML in Jupyter, and
    :meth:`as_dict` gives plain data for programs.
    """

    xpmath_version: str
    python: str
    backends: tuple[BackendInfo, ...]
    cpu: str
    threads: int | None
    blas: dict[str, Any]
    default_backend: str
    matmul_precision: str
    details: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain dicts, lists and strings (JSON-serialisable)."""
        out = asdict(self)
        out["backends"] = [asdict(b) | {"devices": list(b.devices)} for b in self.backends]
        return out

    def _rows(self) -> list[tuple[str, str, str, str, str]]:
        rows = [("backend", "installed", "usable", "version", "devices / reason")]
        for b in self.backends:
            rows.append(
                (
                    b.name,
                    "yes" if b.installed else "no",
                    "yes" if b.usable else "no",
                    b.version or "-",
                    ", ".join(b.devices) if b.usable else b.reason,
                )
            )
        return rows

    def __str__(self) -> str:
        rows = self._rows()
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4] for r in rows]
        blas = f"{self.blas.get('name') or '?'} {self.blas.get('version') or ''}".rstrip()
        lines += [
            "",
            f"xpmath {self.xpmath_version}  python {self.python}",
            f"cpu: {self.cpu}  threads: {self.threads}",
            f"numpy BLAS: {blas}",
        ]
        for name, det in self.details.items():
            extra = ", ".join(f"{k} {v}" for k, v in det.items() if k not in ("version", "devices"))
            if extra:
                lines.append(f"{name}: {extra}")
        lines.append(
            f"default backend: {self.default_backend}  matmul precision: {self.matmul_precision}"
        )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        from html import escape

        rows = self._rows()
        head = "".join(f"<th>{escape(c)}</th>" for c in rows[0])
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:]
        )
        rest = escape(str(self).split("\n\n", 1)[1]).replace("\n", "<br>")
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table><p>{rest}</p>"


def info() -> Info:
    """Report the backends (installed, usable, versions, devices or the reason not), the CPU,
    NumPy's BLAS, each usable backend's precision state and the current defaults.

    Usable backends are imported to list their devices; nothing is computed.

    Returns
    -------
    Info
        Prints as the ``xpmath info`` table; ``.as_dict()`` for programs.

    Examples
    --------
    >>> import xpmath
    >>> report = xpmath.info()
    >>> report.backends[0].name, report.backends[0].usable
    ('numpy', True)
    >>> "default backend" in str(report)
    True
    """
    import xpmath

    from ._precision import get_matmul_precision
    from .bench.env import backend_details, blas_info, cpu_name, thread_count

    backends = tuple(info_all())
    details: dict[str, dict[str, Any]] = {}
    for b in backends:
        if b.usable:
            try:
                details[b.name] = backend_details(b.name)
            except Exception as exc:  # a report never raises because one backend misbehaves
                details[b.name] = {"error": f"{type(exc).__name__}: {exc}"}
    return Info(
        xpmath_version=xpmath.__version__,
        python=platform.python_version(),
        backends=backends,
        cpu=cpu_name(),
        threads=thread_count(),
        blas=blas_info(),
        default_backend=xpmath.current_backend(),
        matmul_precision=str(get_matmul_precision()),
        details=details,
    )
