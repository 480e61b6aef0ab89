"""The result type shared by every optimizer (the fields of ``scipy.optimize.OptimizeResult``)."""

from __future__ import annotations

from typing import Any


class OptimizeResult(dict):
    """Optimisation result: ``x``, ``fun``, ``nit``, ``success``, ``message`` (+ extras).

    A ``dict`` with attribute access, like SciPy's, so code written for
    ``scipy.optimize.minimize`` reads it unchanged. ``history`` holds the loss per step
    when requested; ``jac`` the final gradient where known.
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __repr__(self) -> str:
        keys = ("success", "message", "nit", "fun", "x")
        body = "\n".join(f"{k:>8}: {self[k]!r}" for k in keys if k in self)
        return f"OptimizeResult(\n{body}\n)"
