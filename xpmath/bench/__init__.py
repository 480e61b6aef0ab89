"""Benchmark engine shared by ``xpmath bench`` and the pytest-benchmark suite."""

from __future__ import annotations

from .env import environment

__all__ = ["environment"]
