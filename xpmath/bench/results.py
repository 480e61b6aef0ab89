"""Results files: strict JSON written atomically, and read back with every fault named.

A results file is written to a temporary file in the target's folder and renamed over the
target, so an interrupted or failed write leaves the previous file intact. Non-finite numbers
become ``null`` (strict JSON has no NaN or Infinity). Reading checks the file is an xpmath
bench results file before anything uses it.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Iterable
from typing import Any

from .._errors import InvalidArgumentError

SCHEMA = 2
REQUIRED = ("op", "variant", "backend", "size", "dtype", "unit", "value")


class ResultsFileError(InvalidArgumentError):
    """A results file that cannot be used (missing, empty, truncated, not bench results) or
    written."""


def strict(obj: Any) -> Any:
    """``obj`` with NaN and infinities replaced by None, tuples by lists."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): strict(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [strict(v) for v in obj]
    if obj is None or isinstance(obj, bool | int | str):
        return obj
    try:
        return strict(float(obj))
    except (TypeError, ValueError):
        return str(obj)


def atomic_write_text(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _mode(path: str) -> int:
    """The existing file's permissions, or what a plain ``open(path, "w")`` would give."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def probe_folder(folder: str) -> None:
    """Create and remove a file in ``folder``, or raise the ``OSError`` that refuses it
    (``os.access`` says yes to root anywhere, ``/proc`` included: a file is the only test)."""
    fd, probe = tempfile.mkstemp(prefix=".xpmath-probe-", suffix=".tmp", dir=folder)
    os.close(fd)
    os.unlink(probe)


def atomic_write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``: a
    reader sees the old file or the new one, never half of either."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".xpmath-bench-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ResultsFileError(f"cannot write {path!r}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode(path))  # mkstemp's 0600 would hide results from other users
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # (a full disk, a folder gone since the run began)
            raise ResultsFileError(f"cannot write {path!r}: {exc.strerror or exc}") from None
        raise


def document(
    rows: list[dict[str, Any]],
    env: dict[str, Any],
    argv: Iterable[str],
    *,
    devices: dict[str, Any] | None = None,
    partial: bool = False,
    skipped: list[str] | None = None,
) -> dict[str, Any]:
    return strict(
        {
            "schema": SCHEMA,
            "command": " ".join(argv),
            "partial": partial,
            "environment": env,
            "ceilings": devices or {},
            "skipped": skipped or [],
            "rows": rows,
        }
    )


def write_json(
    path: str, rows: list[dict[str, Any]], env: dict[str, Any], argv: Iterable[str], **kw: Any
) -> None:
    """Write a results file atomically as strict JSON."""
    text = json.dumps(document(rows, env, argv, **kw), indent=1, allow_nan=False) + "\n"
    atomic_write_text(path, text)


def read_json(path: str, option: str = "compare") -> dict[str, Any]:
    """Read a results file (JSON only; never pickle) and check its shape."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise ResultsFileError(f"{option}: {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsFileError(f"{option}: cannot read {path}: {exc.__class__.__name__}") from None
    if not text.strip():
        raise ResultsFileError(f"{option}: {path} is empty, not an xpmath bench results file")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultsFileError(
            f"{option}: {path} is not valid JSON (line {exc.lineno}: {exc.msg}); "
            "a truncated or foreign file?"
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("rows"), list):
        raise ResultsFileError(f"{option}: {path} is not an xpmath bench results file")
    for i, r in enumerate(doc["rows"]):
        missing = [k for k in REQUIRED if not isinstance(r, dict) or k not in r]
        if missing:
            raise ResultsFileError(
                f"{option}: {path} is not an xpmath bench results file "
                f"(row {i} lacks {', '.join(missing)})"
            )
        if not isinstance(r["value"], int | float) or isinstance(r["value"], bool):
            raise ResultsFileError(f"{option}: {path}: row {i} has a non-numeric value")
    return doc


def spread(row: dict[str, Any]) -> float:
    """A row's relative noise (IQR / median); schema-1 files carry the quartiles only."""
    if isinstance(row.get("spread"), int | float):
        return float(row["spread"])
    t = row.get("timing") or {}
    try:
        return (float(t["q3"]) - float(t["q1"])) / float(t["median"])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return 0.0
