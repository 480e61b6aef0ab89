"""The backend object: everything xpmath needs to know about one array library.

Topic modules never test ``if backend == "jax"``; they ask the backend object for what the
array API standard does not cover (compilation, loops, autodiff, random streams, special
functions, synchronisation, fast paths).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._errors import BackendUnavailableError, PrecisionError
from ._dtypes import _is_64bit, _is_64bit_float, native_dtype
from ._resolution import _unsupported, host_wrapped

#: a differentiation routine's ``argnums``: one argument's position or several
Argnums = int | tuple[int, ...]


@dataclass(frozen=True)
class BackendInfo:
    """What :func:`xpmath.backends` reports for one backend."""

    name: str
    installed: bool
    usable: bool
    reason: str
    version: str | None
    devices: tuple[str, ...] = field(default_factory=tuple)
    install: str = ""


class Backend:
    """Base class, one subclass per array library (registered in :mod:`xpmath._backends`):
    subclasses override the hooks that differ from these defaults, which describe an eager,
    CPU-only library without autodiff."""

    #: public name, as used in ``set_backend``
    name: str = ""
    #: the importable module that must be present
    module: str = ""
    #: top-level module names whose array types belong to this backend
    type_modules: tuple[str, ...] = ()
    #: how to install it
    install: str = ""
    #: whether arrays always hold concrete values (False for lazy/traced libraries)
    eager: bool = True
    #: whether :meth:`jit` really compiles (then whole loops become one program)
    compiles: bool = False
    #: routines implemented natively, looked up lazily in ``_fast_module``
    _fast_module: str | None = None
    #: class name in :mod:`xpmath._backends.random_engines` that draws random numbers here
    random_engine: str = "GeneratorEngine"
    #: arrays live in host memory (NumPy): DLPack would land them on the target's CPU device
    host_memory: bool = False
    #: ``set_matmul_precision("fast")`` changes float32 matmul here (TF32); rows labelled so
    fast_matmul: bool = False
    #: integer dtypes the library cannot sort or gather (``stats`` sorts them as int64)
    unorderable: tuple[str, ...] = ()

    def __init__(self) -> None:
        self._fast: dict[str, Callable[..., Any] | None] = {}
        self._fast_table: dict[str, Callable[..., Any]] | None = None
        self._impl: dict[str, Callable[..., Any]] = {}

    # ----------------------------------------------------------------- availability
    def installed(self) -> bool:
        return importlib.util.find_spec(self.module) is not None

    def _usable_reason(self) -> str:
        """Return '' when usable once installed, else why not (e.g. no device)."""
        return ""

    def status(self) -> tuple[bool, str]:
        """``(usable, reason)``; reason is empty when usable."""
        if not self.installed():
            return False, f"{self.module} is not installed (install with: {self.install})"
        try:
            reason = self._usable_reason()
        except Exception as exc:  # a broken install must not crash introspection
            reason = f"{self.module} failed to initialise: {type(exc).__name__}: {exc}"
        return (not reason), reason

    def require(self) -> None:
        """Raise :class:`BackendUnavailableError` with the reason and install hint."""
        ok, reason = self.status()
        if not ok:
            raise BackendUnavailableError(f"backend {self.name!r} is unavailable: {reason}")

    def version(self) -> str | None:
        if not self.installed():
            return None
        try:
            return str(importlib.import_module(self.module).__version__)
        except Exception:
            return None

    def info(self) -> BackendInfo:
        installed = self.installed()
        usable, reason = self.status() if installed else (False, self.status()[1])
        devices: tuple[str, ...] = ()
        if usable:
            try:
                devices = tuple(str(d) for d in self.devices())
            except Exception as exc:
                usable, reason = False, f"listing devices failed: {exc}"
        return BackendInfo(
            self.name, installed, usable, reason, self.version(), devices, self.install
        )

    # ----------------------------------------------------------------- namespace
    @functools.cached_property
    def xp(self) -> Any:
        """The array-API namespace (imported on first use, then a plain attribute)."""
        self.require()
        return self._load_namespace()

    def _load_namespace(self) -> Any:
        raise NotImplementedError

    def devices(self) -> list[Any]:
        return ["cpu"]

    def resolve_device(self, device: Any) -> Any:
        """Turn a user device spec (None, 'cpu', 'gpu:1', a native device) into a native one."""
        return device

    def device_of(self, x: Any) -> Any:
        return getattr(x, "device", "cpu")

    def placement(self, x: Any) -> dict[str, Any]:
        """Keyword arguments that make a creation function (``xp.eye``, ``xp.full``, ...) put
        its array where ``x`` lives. Empty where the backend's default already does that
        (one device, or JAX's uncommitted arrays that follow their operands)."""
        return {}

    def default_is_host(self) -> bool:
        """Whether arrays made without a device land in host memory (the CPU)."""
        return True

    # ----------------------------------------------------------------- conversion
    def asarray(self, obj: Any, dtype: Any = None, device: Any = None) -> Any:
        xp = self.xp
        self.check_precision(obj, dtype)
        if dtype is not None:
            dtype = self.dtype(dtype)
        kw = {} if device is None else {"device": self.resolve_device(device)}
        return xp.asarray(obj, dtype=dtype, **kw)

    def to_numpy(self, x: Any) -> np.ndarray:
        return np.asarray(x)

    def from_dlpack(self, x: Any, device: Any = None) -> Any:
        """Zero-copy import through DLPack; raises if the pair cannot share memory."""
        return self.xp.from_dlpack(x)

    def dtype(self, dtype: Any) -> Any:
        """Map a dtype spec ('float32', numpy dtype, native dtype) to the native dtype."""
        if isinstance(dtype, (str, np.dtype, type)):
            try:
                name = np.dtype(dtype).name
            except TypeError:
                return dtype
            return native_dtype(self, name)
        return dtype

    def request_dtype(self, dtype: Any, func: str, kind: str = "real floating") -> Any:
        """The native dtype for a user's ``dtype=`` request, checked before any work.

        ``kind`` is the array-API kind the routine can produce (``"real floating"``,
        ``"integral"``). A dtype of another kind raises :class:`DTypeError`; a 64-bit type the
        backend would silently narrow (JAX without x64) raises :class:`PrecisionError`.
        """
        from .._errors import DTypeError

        try:
            native = self.dtype(dtype)
            ok = self.xp.isdtype(native, kind)
        except Exception:
            ok = False
        if not ok:
            article = "an" if kind[0] in "aeiou" else "a"
            raise DTypeError(f"{func}: dtype must be {article} {kind} dtype; got {dtype!r}")
        if _is_64bit(dtype) or _is_64bit(native):
            reason = self.float64_reason()
            if reason:
                raise PrecisionError(
                    f"{func}: dtype {dtype!r} was requested on backend {self.name!r}, which "
                    f"would silently compute in 32 bits: {reason}"
                )
        return native

    def default_int(self) -> Any:
        """The integer dtype of draws and labels when none is asked for (int64 where the
        backend has 64-bit types enabled, else int32)."""
        return self.xp.int32 if self.float64_reason() else self.xp.int64

    # ----------------------------------------------------------------- precision
    def float64_reason(self) -> str:
        """'' when float64 arrays are available, else how to enable them."""
        return ""

    def check_precision(self, obj: Any = None, dtype: Any = None) -> None:
        """Raise :class:`PrecisionError` when float64 is requested (or given) but unavailable."""
        wants64 = dtype is not None and _is_64bit_float(dtype)
        if not wants64 and dtype is None and obj is not None:
            wants64 = _is_64bit_float(getattr(obj, "dtype", None))
        if wants64 and (reason := self.float64_reason()):
            raise PrecisionError(
                f"float64 was requested on backend {self.name!r}, which would silently "
                f"compute in float32: {reason}"
            )

    def default_float(self) -> Any:
        """The dtype integer inputs are promoted to."""
        return self.xp.float64

    # ----------------------------------------------------------------- execution model
    def is_concrete(self, x: Any) -> bool:
        """True when x holds concrete values that may be inspected (not traced, not lazy)."""
        return self.eager

    def values_known(self, x: Any) -> bool:
        """Whether a *shortcut* may read ``x``: skip work whose answer does not depend on the
        read. Unlike :meth:`is_concrete` (for checks), False for a traced array does not keep
        a compiled kernel eager."""
        return self.is_concrete(x)

    def traced(self, x: Any) -> bool:
        """Whether ``x`` is a function transform's tracer whose values cannot be read (JAX's
        tracers, torch.func's wrapped tensors): a loop then runs as an array program."""
        return False

    def synchronize(self, x: Any = None) -> Any:
        """Block until x (or all queued work) is computed; return x."""
        return x

    def jit(self, f: Callable[..., Any], **kwargs: Any) -> Callable[..., Any]:
        return f

    def hoisted(self, fn: Callable[..., Any], shape: tuple[int, ...], dtype: Any) -> Any:
        """``(pure, consts)``, ``pure(consts, x) == fn(x)`` at that shape and dtype, with the
        arrays ``fn`` closes over as ``consts``: a compiled program's arguments (JAX)."""
        return None

    def sum_is_finite(self, x: Any) -> bool:
        """Whether the sum of a concrete array is finite: every entry finite, in one reduction
        (a finite sum that overflows reads as not finite; callers then look closer)."""
        return bool(self.xp.isfinite(self.xp.sum(x)))

    def finite_now(self, x: Any) -> bool:
        """:meth:`is_concrete` and :meth:`sum_is_finite` in one call (False: look closer)."""
        return self.is_concrete(x) and self.sum_is_finite(x)

    def step_check(self, g: Any, x_new: Any) -> Any:
        """An optimiser step's one read: the squared norm of the gradient ``g`` where the new
        iterate ``x_new`` is finite, else NaN. A 0-d array here (it stays on the device, and
        on Dask is computed with the step); backends with a faster host form return a float."""
        from ..optimize.acceptance import step_sq_norm  # (the rule's own formula)

        return step_sq_norm(self.xp, g, x_new)

    def host_norm(self, v: Any) -> float | None:
        """The 2-norm of a short float64 vector as a Python float where this backend reads it
        at once on the host (NumPy, CPU torch), else None (``optimize/loop_engine.py``)."""
        return None

    def compiled(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """A pure array function ``fn(xp, *args)`` as this backend runs it best: compiled and
        cached where eager calls dispatch per operation (JAX, :mod:`.jax_kernels`), else fn."""
        return fn

    def kernel(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run the pure array function ``fn(xp, *args)`` in its :meth:`compiled` form."""
        return fn(self.xp, *args)

    def blockwise(self, fn: Callable[..., Any], *arrays: Any) -> Any:
        """``fn(backend, *arrays)``, an elementwise function of arrays of one shape; Dask maps
        it over the blocks on the NumPy backend (a task per block, not one per operation)."""
        return fn(self, *arrays)

    def fori_loop(self, lower: int, upper: int, body: Callable[[int, Any], Any], init: Any) -> Any:
        val = init
        for i in range(lower, upper):
            val = body(i, val)
        return val

    def while_loop(self, cond: Callable[[Any], Any], body: Callable[[Any], Any], init: Any) -> Any:
        val = init
        while bool(cond(val)):
            val = body(val)
        return val

    def at_set(self, x: Any, index: Any, value: Any) -> Any:
        """``x`` with ``x[index] = value``; may update in place (NumPy) or copy (JAX)."""
        x[index] = value
        return x

    def persist(self, x: Any) -> Any:
        """Materialise a lazy intermediate so iterative graphs do not grow (no-op when eager)."""
        return x

    def persist_all(self, xs: tuple[Any, ...]) -> tuple[Any, ...]:
        """:meth:`persist` for several arrays at once (one scheduler round trip on Dask)."""
        return xs

    def persist_is_async(self) -> bool:
        """True when :meth:`persist_all` returns before the values are computed (Dask on a
        cluster): a loop then submits its next step first, so the cluster never idles."""
        return False

    def runs_ahead(self, x: Any) -> bool:
        """True when work on ``x`` is queued and computed later (a GPU stream; Dask on a
        cluster): a loop then submits its next step before reading this one's check."""
        return self.persist_is_async()

    def loop_scope(self, name: str) -> contextlib.AbstractContextManager[Any]:
        """Context for one iterative routine driven from Python (a no-op but on Dask, where
        it groups the loop's computations so per-computation bookkeeping stays bounded)."""
        return contextlib.nullcontext()

    # ----------------------------------------------------------------- autodiff
    #: True when :meth:`grad` and friends are native
    has_autodiff: bool = False

    def grad(self, f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
        raise NotImplementedError

    def value_and_grad(self, f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
        raise NotImplementedError

    def jacobian(self, f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
        raise NotImplementedError

    def hessian(self, f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
        raise NotImplementedError

    # ----------------------------------------------------------------- special functions
    def special(self) -> Any:
        """Module-like object with scipy.special-style functions, or None (generic fallback)."""
        return None

    # ----------------------------------------------------------------- fast paths
    def fast_path(self, routine: str) -> Callable[..., Any] | None:
        """The native implementation of ``routine`` on this backend, or None."""
        try:
            return self._fast[routine]
        except KeyError:
            pass
        if self._fast_table is None:
            self._fast_table = {}
            if self._fast_module is not None:
                mod = importlib.import_module(self._fast_module)
                self._fast_table = mod.fast_paths(self)
        fn = self._fast_table.get(routine)
        self._fast[routine] = fn
        return fn

    def implementation(self, routine: str, generic: Callable[..., Any]) -> Callable[..., Any]:
        """The callable that runs ``routine`` here, as declared in the capability table.

        ``generic(xp, *args, **kwargs)`` is the array-API implementation; fast paths and the
        host fallback share its signature. A fast path marked ``takes_generic`` is a factory
        called with ``generic`` (for the cases it leaves to it); generic cells run in the
        backend's :meth:`compiled` form. Resolved once per (routine, backend), then cached.
        """
        cached = self._impl.get(routine)
        if cached is not None:
            return cached
        from .._capabilities import host_check, mode

        m = mode(routine, self.name)
        fn: Callable[..., Any] | None
        if m == "unsupported":
            fn = _unsupported(routine, self.name)
        elif m == "host":
            fn = self._host_wrap(generic, host_check(routine))
        else:
            fn = self.fast_path(routine) if m == "native" else None
            if getattr(fn, "takes_generic", False):  # a factory given the generic code
                fn = fn(generic)  # type: ignore[misc]
            fn = fn or self.compiled(generic)
        self._impl[routine] = fn
        return fn

    def _host_wrap(self, generic: Callable[..., Any], check: Any = None) -> Callable[..., Any]:
        """``generic`` on NumPy copies of the arguments (after the routine's ``host_check``)."""
        return host_wrapped(self, generic, check)

    def __repr__(self) -> str:
        return f"<xpmath backend {self.name!r}>"
