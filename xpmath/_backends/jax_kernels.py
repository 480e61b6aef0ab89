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

Floats enter the signature with their type (``1.0`` and ``1`` never share a compilation) and
by value, except zeros and NaN, which enter by their bit pattern: ``0.0`` and ``-0.0`` are equal
as keys of a ``dict`` and must not share a compilation, and a NaN is not equal to itself.
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
        return (t, a) if a and a == a else ("f", a.hex())
    if t is int or t is bool or t is str or a is None:
        return (t, a)
    if t is tuple:
        keys = tuple(_static_key(e) for e in a)
        return _EAGER if any(k is _EAGER for k in keys) else ("t", keys)
    if t is FunctionType and a.__closure__ is None and "<" not in a.__qualname__:
        return ("c", a)  # a module-level function (a special function): fixed by its identity
    return _EAGER


class CompiledKernel:
    """``fn(xp, *args)`` run eagerly once per signature, then as a cached ``jax.jit``.

    :attr:`call` is the callable to use: a closure over the kernel's state, which Python calls
    0.2 µs faster than an instance's ``__call__``.
    """

    def __init__(self, fn: Callable[..., Any], xp: Any, array_type: type) -> None:
        self.fn = fn
        self.xp = xp
        self.array_type = array_type
        self.seen: dict[tuple[Any, ...], Any] = {}
        self.call = self._make_call()

    def _make_call(self) -> Callable[..., Any]:
        fn, array_type, seen, compile_ = self.fn, self.array_type, self.seen, self._compile

        def call(xp: Any, *args: Any, **kwargs: Any) -> Any:
            if kwargs:  # keyword arguments are not part of a signature
                return fn(xp, *args, **kwargs)
            sig: list[Any] = []
            dyn: list[Any] = []
            for a in args:
                t = type(a)
                if t is array_type:
                    dyn.append(a)
                    sig.append(a.aval)  # shape, dtype and weak type: one cached hashable object
                elif t is float:  # the two commonest static kinds inline (a call each saved);
                    # by value where that is exact (not 0.0 == -0.0, not NaN): hex costs 0.2 µs
                    sig.append((t, a) if a and a == a else ("f", a.hex()))
                elif t is int:  # bare: every other static entry is a tuple or an aval, so
                    sig.append(a)  # an int equals none of them (True is a bool, not an int)
                else:
                    k = _static_key(a)
                    if k is _EAGER:
                        return fn(xp, *args)
                    sig.append(k)
            key = tuple(sig)
            entry = seen.get(key, 0)
            if type(entry) is int:
                if entry + 1 < HOT:
                    if len(seen) >= MAX_SIGNATURES:
                        seen.clear()
                    seen[key] = entry + 1
                    return fn(xp, *args)
                entry = compile_(key, args)
                if entry is _EAGER:
                    return fn(xp, *args)
            elif entry is _EAGER:
                return fn(xp, *args)
            return entry(*dyn)

        return call

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
