"""Reproducible random numbers on every backend: ``default_rng(seed, backend=...)``, plus a
functional key API (``key``/``split``/``uniform``/``normal``) for use inside ``jax.jit``."""

from .functional import key, normal, split, uniform
from .generator import Generator, default_rng

__all__ = ["Generator", "default_rng", "key", "normal", "split", "uniform"]
