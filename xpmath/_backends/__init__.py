"""The backend registry. Adding a backend = one module + one line in ``_REGISTRY``."""

from __future__ import annotations

from .._errors import InvalidArgumentError
from ._base import Backend, BackendInfo
from .cupy import CupyBackend
from .dask import DaskBackend
from .jax import JaxBackend
from .numpy import NumpyBackend, StrictBackend
from .torch import TorchBackend

__all__ = [
    "BACKENDS",
    "HOST",
    "Backend",
    "BackendInfo",
    "backend_for_type",
    "get_backend",
    "set_float64_switches",
]

_REGISTRY: tuple[Backend, ...] = (
    NumpyBackend(),
    JaxBackend(),
    CupyBackend(),
    TorchBackend(),
    DaskBackend(),
    StrictBackend(),
)

#: name -> backend object, in display order
BACKENDS: dict[str, Backend] = {b.name: b for b in _REGISTRY}
#: the host's backend (NumPy's): the default, and where host kernels and fallbacks compute
HOST: Backend = BACKENDS["numpy"]
_BY_MODULE: dict[str, Backend] = {m: b for b in _REGISTRY for m in b.type_modules}
#: type -> backend (None for non-array types such as int, float, list), filled on first sight
_TYPE_CACHE: dict[type, Backend | None] = {
    int: None,
    float: None,
    complex: None,
    bool: None,
    list: None,
    tuple: None,
    type(None): None,
}


def get_backend(name: str | Backend) -> Backend:
    """Return the backend object for ``name``; unknown names raise listing the valid ones."""
    if isinstance(name, Backend):
        return name
    try:
        return BACKENDS[name]
    except (KeyError, TypeError):
        raise InvalidArgumentError(
            f"backend: unknown backend {name!r}; valid names are {', '.join(BACKENDS)}"
        ) from None


def backend_for_type(tp: type) -> Backend | None:
    """Backend owning arrays of type ``tp`` (cached); None for Python scalars and sequences."""
    try:
        return _TYPE_CACHE[tp]
    except KeyError:
        pass
    found: Backend | None = None
    for klass in tp.__mro__:
        root = (klass.__module__ or "").partition(".")[0]
        if root in _BY_MODULE:
            found = _BY_MODULE[root]
            break
    _TYPE_CACHE[tp] = found
    return found


def set_float64_switches(enabled: bool) -> None:
    """Turn every process-wide float64 switch a backend has (``set_float64``: JAX's x64)."""
    for b in _REGISTRY:
        switch = getattr(b, "set_float64", None)
        if switch is not None:
            switch(enabled)


def info_all() -> list[BackendInfo]:
    return [b.info() for b in _REGISTRY]
