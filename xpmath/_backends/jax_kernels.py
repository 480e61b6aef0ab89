"""Compiled kernels on eager JAX: xpmath's generic code as one cached ``jax.jit`` per call shape.

Eager JAX dispatches every operation separately (about 5 µs each on a CPU), so a generic
routine of 20 array operations costs 100 µs where the same code compiled costs one dispatch.
A *kernel* is a pure function ``fn(xp, *args)`` of the topic code (no value reads, no warnings,
no side effects); :meth:`JaxBackend.kernel` runs it here.

The first call with a given signature (the shapes and dtypes of the array arguments, and the
exact values of the others) runs eagerly; from the second call on with the
same signature the kernel runs as a ``jax.jit`` compiled for it. One-off shapes therefore never
pay a compilation, and code called in a loop pays one. The compiled form is refused, for that
signature, and the call runs eagerly when:

- an argument is a tracer (the caller is already tracing: the kernel joins that trace), or of a
  type that cannot be part of a signature (a list, a NumPy array, a lambda or closure: only
  module-level functions, such as ``jax.scipy.special.ndtr``, enter by identity);
- tracing reads a value (``is_concrete`` was asked about a tracer), warns, or raises: the eager
  call then gives the value-dependent answer, the warning or the error exactly as before.

Floats enter the signature by their bit pattern, so ``0.0`` and ``-0.0`` (equal as keys of a
``dict``) never share a compilation.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from types import FunctionType
from typing import Any

#: the signature count from which a kernel runs compiled (the first call runs eagerly)
HOT = 2
#: signatures remembered per kernel before the record is cleared (bounds memory)
MAX_SIGNATURES = 1024

_EAGER: Any = object()


class _Probe(threading.local):
    """Counts ``is_concrete`` answers of False for tracers, per thread."""

    def __init__(self) -> None:
        self.traced_reads = 0


PROBE = _Probe()


def _static_key(a: Any) -> Any:
    """A signature entry for a non-array argument; ``_EAGER`` where it cannot be one."""
    t = type(a)
    if t is float:
        return ("f", a.hex())
    if t is int or t is bool or t is str or a is None:
        return (t, a)
    if t is tuple:
        keys = tuple(_static_key(e) for e in a)
        return _EAGER if any(k is _EAGER for k in keys) else ("t", keys)
    if t is FunctionType and a.__closure__ is None and "<" not in a.__qualname__:
        return ("c", a)  # a module-level function (a special function): fixed by its identity
    return _EAGER


class CompiledKernel:
    """``fn(xp, *args)`` run eagerly once per signature, then as a cached ``jax.jit``."""

    def __init__(self, fn: Callable[..., Any], xp: Any, array_type: type) -> None:
        self.fn = fn
        self.xp = xp
        self.array_type = array_type
        self.seen: dict[tuple[Any, ...], Any] = {}

    def __call__(self, xp: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs:  # keyword arguments are not part of a signature
            return self.fn(xp, *args, **kwargs)
        array_type = self.array_type
        sig: list[Any] = []
        dyn: list[Any] = []
        for a in args:
            t = type(a)
            if t is array_type:
                dyn.append(a)
                sig.append(a.aval)  # shape, dtype and weak type in one hashable object
                continue
            if t is float:  # inline the two commonest static kinds (a call each saved)
                sig.append(("f", a.hex()))
                continue
            if t is int:
                sig.append((int, a))
                continue
            k = _static_key(a)
            if k is _EAGER:
                return self.fn(xp, *args)
            sig.append(k)
        key = tuple(sig)
        entry = self.seen.get(key, 0)
        if type(entry) is int:
            if entry + 1 < HOT:
                if len(self.seen) >= MAX_SIGNATURES:
                    self.seen.clear()
                self.seen[key] = entry + 1
                return self.fn(xp, *args)
            entry = self._compile(key, args)
            if entry is _EAGER:
                return self.fn(xp, *args)
        elif entry is _EAGER:
            return self.fn(xp, *args)
        return entry(*dyn)

    def _compile(self, key: tuple[Any, ...], args: tuple[Any, ...]) -> Any:
        """Trace ``fn`` for this signature; ``_EAGER`` (remembered) where it must stay eager."""
        import jax

        fn, xp, array_type = self.fn, self.xp, self.array_type
        positions = tuple(i for i, a in enumerate(args) if type(a) is array_type)
        template = tuple(None if type(a) is array_type else a for a in args)

        def traced(*dyn: Any) -> Any:
            full = list(template)
            for p, d in zip(positions, dyn):
                full[p] = d
            return fn(xp, *full)

        compiled = jax.jit(traced)
        reads = PROBE.traced_reads
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                compiled.lower(*(args[p] for p in positions))
        except Exception:  # the eager call raises the error the user should see
            caught = [None]
        entry = _EAGER if caught or PROBE.traced_reads != reads else compiled
        self.seen[key] = entry
        return entry
