"""Run upstream test classes (NumPy's, SciPy's) unchanged against xpmath on every backend.

:func:`adopt` subclasses an upstream test class once per backend. While a test runs, the names
the upstream module calls (``gradient``, ``logsumexp``...) are replaced by xpmath's functions
behind a boundary that moves NumPy inputs to the backend and results back to NumPy, so the
upstream assertions run as written. Tests written against SciPy's ``xp`` fixture get the
backend's namespace and keep their native arrays end to end.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import xpmath
from xpmath._backends import BACKENDS
from xpmath._results import map_result

#: every backend in the registry (adding one there adds its conformance classes; one that is
#: not installed or has no device here skips them with its reason)
BACKEND_NAMES = tuple(BACKENDS)


def _to_backend(value: Any, backend: str) -> tuple[Any, bool]:
    """``(converted, was_numpy)`` for one argument."""
    if isinstance(value, np.ndarray | np.generic) and value.dtype.kind in "biufc":
        return xpmath.asarray(np.asarray(value), backend=backend), True
    if (
        isinstance(value, list | tuple) and value and all(isinstance(v, np.ndarray) for v in value)
    ):  # a sequence of coordinate arrays (gradient's varargs as a list)
        return type(value)(_to_backend(v, backend)[0] for v in value), True
    return value, isinstance(value, list)


def _leaf_to_numpy(value: Any) -> Any:
    if hasattr(value, "shape") and hasattr(value, "dtype") and not isinstance(value, np.ndarray):
        out = xpmath.to_numpy(value)
        if not out.flags.writeable:  # (a view of a JAX buffer: the upstream case may write)
            out = out.copy()
        return out[()] if out.ndim == 0 else out
    return value


def _to_numpy(value: Any) -> Any:
    """Results as NumPy values; result objects keep all their parts (a t-test's estimate)."""
    if isinstance(value, list):
        return [_to_numpy(v) for v in value]
    return map_result(value, _leaf_to_numpy)


def boundary(fn: Callable[..., Any], backend: str, numpy_test: bool = False) -> Callable[..., Any]:
    """``fn`` as the upstream test expects to call it, computing on ``backend``. Results go
    back to NumPy where the inputs were NumPy arrays or lists, and always in a ``numpy_test``
    (one without SciPy's ``xp`` fixture, which asserts with NumPy on Python-scalar inputs)."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        moved = [_to_backend(a, backend) for a in args]
        moved_kw = {k: _to_backend(v, backend) for k, v in kwargs.items()}
        from_numpy = any(m[1] for m in moved) or any(m[1] for m in moved_kw.values())
        with xpmath.use(backend):
            out = fn(*(m[0] for m in moved), **{k: m[0] for k, m in moved_kw.items()})
        return _to_numpy(out) if from_numpy or numpy_test else out

    return call


class Shim:
    """A stand-in for a module the upstream tests call through (``numpy.linalg``): the names in
    ``functions`` run xpmath on ``backend`` behind :func:`boundary`; every other name (errors,
    helpers xpmath does not offer) is the original module's."""

    def __init__(
        self,
        original: Any,
        functions: dict[str, Callable[..., Any]],
        backend: str,
        numpy_test: bool = False,
    ):
        self._original = original
        self._functions = {k: boundary(f, backend, numpy_test) for k, f in functions.items()}

    def __getattr__(self, name: str) -> Any:
        try:
            return self._functions[name]
        except KeyError:
            return getattr(self._original, name)


def namespace(backend: str) -> Any:
    """The array-API namespace SciPy's ``xp`` fixture hands a test (NumPy and array_api_strict
    themselves; array-api-compat's wrapper for torch and Dask; ``jax.numpy``)."""
    if backend in ("numpy", "array_api_strict"):
        import importlib

        return importlib.import_module(backend)
    return BACKENDS[backend].xp


def adopt(
    upstream: type,
    module: Any,
    names: dict[str, Any],
    prefix: str,
    backends: tuple[str, ...] = BACKEND_NAMES,
) -> dict[str, type]:
    """One subclass of ``upstream`` per installed backend, with ``names`` patched in
    ``module`` while its tests run. A value that is a dict of functions replaces a module the
    tests call through (see :class:`Shim`). Returns ``{class name: class}`` for the test
    module."""
    classes = {}
    for backend in backends:

        @pytest.fixture(autouse=True)
        def _patch(
            self: Any,
            request: pytest.FixtureRequest,
            monkeypatch: pytest.MonkeyPatch,
            backend: str = backend,
        ) -> Any:
            ok, reason = BACKENDS[backend].status()
            if not ok:
                pytest.skip(reason)
            numpy_test = "xp" not in request.fixturenames
            for name, fn in names.items():
                if isinstance(fn, dict):
                    shim = Shim(getattr(module, name), fn, backend, numpy_test)
                    monkeypatch.setattr(module, name, shim)
                else:
                    monkeypatch.setattr(module, name, boundary(fn, backend, numpy_test))
            if backend != "torch":
                yield
                return
            import torch

            # SciPy's conftest makes float64 torch's default dtype, so that ``xp.asarray`` of
            # Python floats in its tests is float64 as on the other backends
            old = torch.get_default_dtype()
            torch.set_default_dtype(torch.float64)
            try:
                yield
            finally:
                torch.set_default_dtype(old)

        @pytest.fixture
        def xp(self: Any, backend: str = backend) -> Any:
            return namespace(backend)

        @pytest.fixture
        def devices(self: Any, backend: str = backend) -> list[Any]:
            info = getattr(namespace(backend), "__array_namespace_info__", None)
            return list(info().devices()) if info else list(BACKENDS[backend].devices())

        name = f"Test{prefix}_{backend}"
        classes[name] = type(
            name,
            (upstream,),
            {
                "_xpmath_patch": _patch,
                "xp": xp,
                "devices": devices,
                "xpmath_backend": backend,
                "upstream": f"{upstream.__module__}::{upstream.__qualname__}",
                "__module__": __name__,
            },
        )
    return classes


def adopt_functions(
    module: Any,
    functions: tuple[str, ...],
    names: dict[str, Any],
    prefix: str,
    backends: tuple[str, ...] = BACKEND_NAMES,
) -> dict[str, type]:
    """:func:`adopt` for upstream test *functions*: they are gathered, unchanged, as static
    methods of one class (named ``Functions`` in the known-differences list)."""
    holder = type(
        "Functions",
        (),
        {name: staticmethod(getattr(module, name)) for name in functions},
    )
    holder.__module__ = module.__name__
    holder.__qualname__ = "Functions"
    return adopt(holder, module, names, prefix, backends)
