"""Per-backend random streams; the engines live in ``xpmath._backends.random_engines`` beside
the other backend companions, and are importable from here as before."""

from __future__ import annotations

from .._backends.random_engines import (
    CupyEngine,
    DaskEngine,
    GeneratorEngine,
    JaxEngine,
    StrictEngine,
    TorchEngine,
    engine_class,
    jax_key,
    one_int,
)

__all__ = [
    "CupyEngine",
    "DaskEngine",
    "GeneratorEngine",
    "JaxEngine",
    "StrictEngine",
    "TorchEngine",
    "engine_class",
    "jax_key",
    "one_int",
]
