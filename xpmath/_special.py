"""Special functions on any backend: the backend's own, else xpmath's generic array code, else
an explicit host round trip through SciPy (array_api_strict, which has no special module; and
small eager inputs of the generic functions a backend's special module lists in
``host_when_small``: torch's ``betainc``).

``special(b, "erf")`` returns a callable taking and returning ``b``'s arrays.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ._backends import Backend

__all__ = ["log_beta", "special"]

_GENERIC: dict[str, Callable[..., Any]] = {}
#: a backend's special module may list generic functions in ``host_when_small``: eager
#: inputs (as its ``host_allowed`` decides) of at most this many elements run through SciPy
HOST_SMALL = 4096


def generic(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn(xp, *args)`` as the array-API implementation of special function ``name``."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        _GENERIC[name] = fn
        return fn

    return register


#: backend name -> calls that went through SciPy on the host (the tests generated from the
#: capability table check that only cells declared ``host`` make any)
HOST_CALLS: dict[str, int] = {}
#: (backend, name) -> the resolved callable: resolution reads modules, so once per pair
_RESOLVED: dict[tuple[Backend, str], Callable[..., Any]] = {}


def special(b: Backend, name: str) -> Callable[..., Any]:
    try:
        return _RESOLVED[b, name]
    except KeyError:
        fn = _RESOLVED[b, name] = _resolve(b, name)
        return fn


def _resolve(b: Backend, name: str) -> Callable[..., Any]:
    mod = b.special()
    fn = getattr(mod, name, None) if mod is not None else None
    if fn is not None:
        return fn
    if name not in _GENERIC:
        return _on_host(b, name)
    impl, xp = _GENERIC[name], b.xp

    def on_device(*args: Any) -> Any:
        return impl(xp, *args)

    if name not in getattr(mod, "host_when_small", ()):
        return on_device
    # the generic form iterates (dozens of tiny kernels per term): a small eager input is
    # cheaper as one copy each way and SciPy's compiled loop, and as accurate as SciPy
    on_host, allowed = _on_host(b, name), mod.host_allowed

    def by_size(*args: Any) -> Any:
        arrays = [a for a in args if hasattr(a, "shape")]
        size = math.prod(np.broadcast_shapes(*(tuple(a.shape) for a in arrays)))
        if size <= HOST_SMALL and allowed(*arrays):
            return on_host(*args)
        return on_device(*args)

    return by_size


def _on_host(b: Backend, name: str) -> Callable[..., Any]:
    import scipy.special

    host = getattr(scipy.special, name)

    def on_host(*args: Any) -> Any:
        HOST_CALLS[b.name] = HOST_CALLS.get(b.name, 0) + 1
        like = next(a for a in args if hasattr(a, "dtype"))
        out = host(*(b.to_numpy(a) if hasattr(a, "dtype") else a for a in args))
        return b.asarray(out, dtype=like.dtype, device=b.device_of(like))

    return on_host


@generic("xlogy")
def _xlogy(xp: Any, x: Any, y: Any) -> Any:
    """``x * log(y)``, 0 where ``x == 0`` (even for ``y == 0``)."""
    safe = xp.where(x == 0, xp.ones_like(y), y)
    return xp.where(x == 0, xp.zeros_like(x * safe), x * xp.log(safe))


@generic("xlog1py")
def _xlog1py(xp: Any, x: Any, y: Any) -> Any:
    """``x * log1p(y)``, 0 where ``x == 0``."""
    safe = xp.where(x == 0, xp.zeros_like(y), y)
    return xp.where(x == 0, xp.zeros_like(x * safe), x * xp.log1p(safe))


#: Stirling's series for ``lgamma(z) - ((z - 1/2) log z - z + log(2 pi) / 2)``: the
#: coefficients ``B_2k / (2k (2k - 1))`` of ``z^(1 - 2k)``; from z = 12 on, the first omitted
#: term is below 2e-18
_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156)
_STIRLING_FROM = 12.0


def _stirling_tail(xp: Any, z: Any) -> Any:
    r = 1 / (z * z)
    acc = xp.full_like(z, _STIRLING[-1])
    for c in reversed(_STIRLING[:-1]):
        acc = acc * r + c
    return acc / z


def log_beta(xp: Any, a: Any, b: Any) -> Any:
    """``log B(a, b)`` for positive ``a``, ``b``, on any backend (``gammaln`` from the ladder).

    ``gammaln(a) + gammaln(b) - gammaln(a + b)`` cancels when one argument is large: with
    ``a = 1e7`` the two big terms are 1.5e8 and their difference loses 8 digits (it fed a
    t-test's p-value 1e-8 relative error at that many degrees of freedom). From
    ``max(a, b) >= 12`` on, the large argument ``L`` enters through Stirling's series instead:
    ``lgamma(L) - lgamma(L + s) = -s log L - (L + s - 1/2) log1p(s/L) + s + tail(L) -
    tail(L + s)``, with no large terms. SciPy's ``betaln`` is 1e-11 off at (1e5, 1/2) and
    JAX's 1e-10 at (30, 40): this is the one xpmath's own code uses.
    """
    from ._dispatch import backend_of

    bk = backend_of(a, b)
    a, b = xp.broadcast_arrays(a, b)
    lg = special(bk, "gammaln")
    small, large = xp.minimum(a, b), xp.maximum(a, b)
    far = large >= _STIRLING_FROM
    big = xp.where(far, large, xp.full_like(large, _STIRLING_FROM))  # the series' domain
    ratio = small / big
    diff = (
        -small * xp.log(big)
        - (big + small - 0.5) * xp.log1p(ratio)
        + small
        + _stirling_tail(xp, big)
        - _stirling_tail(xp, big + small)
    )
    return xp.where(far, lg(small) + diff, lg(a) + lg(b) - lg(a + b))


BETAINC_TERMS = 300
#: on concrete arrays, test for convergence every this many terms (one host read each)
BETAINC_CHECK_EVERY = 4


@generic("betainc")
def _betainc(xp: Any, a: Any, b: Any, x: Any) -> Any:
    """Regularised incomplete beta ``I_x(a, b)`` by Lentz's continued fraction.

    Evaluated where it converges fast (``x < (a + 1) / (a + b + 2)``), by symmetry
    ``I_x(a, b) = 1 - I_{1-x}(b, a)`` elsewhere; a fixed number of terms keeps it jit-safe.
    """
    from ._dispatch import backend_of

    bk = backend_of(a, b, x)
    a, b, x = xp.broadcast_arrays(a, b, x)
    flip = x > (a + 1) / (a + b + 2)
    aa, bb = xp.where(flip, b, a), xp.where(flip, a, b)
    xx = xp.where(flip, 1 - x, x)
    inner = xp.where((xx > 0) & (xx < 1), xx, xp.full_like(xx, 0.5))
    lbeta = log_beta(xp, aa, bb)
    front = xp.exp(aa * xp.log(inner) + bb * xp.log1p(-inner) - lbeta) / aa
    tiny = 1e-300 if x.dtype == xp.float64 else 1e-30
    c = xp.ones_like(inner)
    d = 1 - (aa + bb) * inner / (aa + 1)
    d = 1 / xp.where(xp.abs(d) < tiny, xp.full_like(d, tiny), d)
    f = d
    # concrete (eager) arrays stop once every element's last factors are 1 to within eps: far
    # fewer terms than the fixed count a traced or lazy evaluation must run
    check = bk.is_concrete(inner)
    eps = float(xp.finfo(inner.dtype).eps)
    for m in range(1, BETAINC_TERMS):
        worst = None
        for num in (
            m * (bb - m) * inner / ((aa + 2 * m - 1) * (aa + 2 * m)),
            -(aa + m) * (aa + bb + m) * inner / ((aa + 2 * m) * (aa + 2 * m + 1)),
        ):
            d = 1 + num * d
            d = 1 / xp.where(xp.abs(d) < tiny, xp.full_like(d, tiny), d)
            c = 1 + num / c
            c = xp.where(xp.abs(c) < tiny, xp.full_like(c, tiny), c)
            f = f * c * d
            if check and m % BETAINC_CHECK_EVERY == 0:
                off = xp.abs(c * d - 1) > eps  # NaN counts as settled: it stays NaN
                worst = off if worst is None else worst | off
        if worst is not None and not bool(xp.any(worst)):
            break
    value = front * f
    value = xp.where(xx <= 0, xp.zeros_like(value), xp.where(xx >= 1, xp.ones_like(value), value))
    value = xp.where(flip, 1 - value, value)
    bad = xp.isnan(a) | xp.isnan(b) | xp.isnan(x)
    return xp.where(bad, xp.full_like(value, float("nan")), value)
