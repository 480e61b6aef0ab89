"""JAX fast paths: compiled (fused) versions of the generic code, explicit matmul precision."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .._precision import _mode
from . import numpy_fast


def _precision() -> Any:
    import jax

    from .._precision import get_matmul_precision

    if get_matmul_precision() == "strict":
        return jax.lax.Precision.HIGHEST
    return jax.lax.Precision.DEFAULT


#: precision mode -> ``jnp.matmul`` with that precision, compiled (its C++ dispatch path)
_MATMUL: dict[str, Callable[..., Any]] = {}


def matmul(xp: Any, a: Any, b: Any) -> Any:
    fn = _MATMUL.get(_mode.get())
    if fn is None:
        import jax

        fn = _MATMUL[_mode.get()] = jax.jit(functools.partial(xp.matmul, precision=_precision()))
    return fn(a, b)


def tensordot(xp: Any, a: Any, b: Any, axes: Any) -> Any:
    return xp.tensordot(a, b, axes=axes, precision=_precision())


def _matrix_power(xp: Any, x: Any, n: int) -> Any:
    return xp.linalg.matrix_power(x, n)


def _abs_extreme(x: Any, axis: Any, keepdims: bool, largest: bool) -> Any:
    """max|x| (or min|x|) with NaN propagated: one pass on a GPU, two fast ones on a CPU.

    XLA's CPU float max/min reductions can drop NaN in vectorised loops, and every single-pass
    formulation tried (a select, a bit cast or a custom reducer inside the reduction) stops
    XLA from vectorising it, costing 10x. So on a CPU: the plain reduction, plus
    ``sum(x * 0)``, which is NaN exactly when ``x`` holds a NaN or an inf; only then (a real
    branch under ``lax.cond``) is the exact NaN check made. Measured at 5e7 float32 on 2 CPU
    cores: 13 GB/s, against 5.7 for the reduction plus an isnan pass and 2.4 for a bit-cast
    max. On other platforms (``lax.platform_dependent``, chosen when the program is lowered)
    XLA's reductions propagate NaN, and the second pass cost ord=inf 13% of an H200's
    bandwidth at 1e8 float32 (80% of it against 93% for ``jnp.linalg.norm``): the plain
    reduction alone. (The GPU branch has not yet run on a GPU.)
    """
    import jax.numpy as jnp
    from jax import lax

    reduce = jnp.max if largest else jnp.min

    def plain(x: Any) -> Any:
        return reduce(jnp.abs(x), axis=axis, keepdims=keepdims)

    def two_pass(x: Any) -> Any:
        m = plain(x)
        suspect = jnp.isnan(jnp.sum(x * 0))

        def exact() -> Any:
            bad = jnp.any(jnp.isnan(x), axis=axis, keepdims=keepdims)
            return jnp.where(bad, jnp.asarray(jnp.nan, m.dtype), m)

        return lax.cond(suspect, exact, lambda: m)

    return lax.platform_dependent(x, cpu=two_pass, default=plain)


def _vector_norm_nan(xp: Any, x: Any, axis: Any, keepdims: bool, ord: float) -> Any:
    if ord in (float("inf"), float("-inf")) and xp.isdtype(x.dtype, "real floating"):
        return _abs_extreme(x, axis, keepdims, largest=ord > 0)
    out = xp.linalg.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord)
    if ord in (float("inf"), float("-inf")):
        # complex input: |x| is computed, then NaN propagation is restored with an isnan pass
        bad = xp.any(xp.isnan(x), axis=axis, keepdims=keepdims)
        out = xp.where(bad, xp.asarray(float("nan"), dtype=out.dtype), out)
    return out


#: orders that XLA's CPU reductions cannot run at memory speed with NaN propagated (see
#: ``_abs_extreme``), done by NumPy's blocked max/min on a zero-copy view when the array is
#: concrete and on one CPU device. NumPy's reductions are single-threaded: no second thread
#: pool competes with XLA's (BLAS ``asum`` for ord 1 would, and was measured to: XLA's own
#: ``sum`` then slowed from 30 to 23 GB/s on 2 cores, so ord 1 stays in XLA)
HOST_ORDS = (math.inf, -math.inf)
#: below this the DLPack round trip (~25 us) eats the gain (break-even near 2**18 on a 2-core VM)
HOST_MIN = 1 << 19


def _host_view(x: Any, axis: Any, ord: float) -> np.ndarray | None:
    """A zero-copy NumPy view of ``x`` when the host kernel applies, else None."""
    import jax

    if ord not in HOST_ORDS or isinstance(x, jax.core.Tracer):
        return None
    if axis is not None and len(axis) != x.ndim:
        return None
    if x.size < HOST_MIN or not x.is_fully_addressable:
        return None
    devices = x.devices()
    if len(devices) != 1 or next(iter(devices)).platform != "cpu":
        return None
    view = np.asarray(x)
    return view if numpy_fast.host_eligible(view) else None


def _vector_norm(
    vnorm: Callable[..., Any], xp: Any, x: Any, axis: Any, keepdims: bool, ord: float
) -> Any:
    import jax

    view = _host_view(x, axis, ord)
    if view is None:
        return vnorm(xp, x, axis, keepdims, ord)
    res = np.asarray(numpy_fast.host_norm(view, ord))
    if keepdims:
        res = res.reshape((1,) * x.ndim)
    # DLPack import of the host result: no host-to-device transfer (so no transfer-guard
    # error) and 5x cheaper than ``asarray(..., device=)``
    out = xp.from_dlpack(res)
    return out if out.device == x.device else jax.device_put(out, x.device)


def _det(a: Any) -> Any:
    """Determinant from LU; an exactly zero pivot gives 0, as NumPy's LAPACK path does (where
    the product of the pivots makes ``inf * 0 = nan`` for ``[[inf, 0], [0, 0]]``)."""
    import jax.numpy as jnp
    from jax.lax.linalg import lu

    n = a.shape[-1]
    if n == 0:
        return jnp.linalg.det(a)
    factors, piv, _ = lu(a)
    d = jnp.diagonal(factors, axis1=-2, axis2=-1)
    odd = jnp.sum(piv != jnp.arange(n, dtype=piv.dtype), axis=-1) % 2
    out = jnp.prod(d, axis=-1) * (1 - 2 * odd).astype(d.dtype)
    # a NaN pivot of a finite matrix comes from dividing by a subnormal pivot that the GPU
    # flushed to zero ([[5e-324] * 3] * 3 on an H200): a zero pivot, as LAPACK sees it
    zero = jnp.any(d == 0, axis=-1) | (
        jnp.any(jnp.isnan(d), axis=-1) & jnp.all(jnp.isfinite(a), axis=(-2, -1))
    )
    return jnp.where(zero, jnp.zeros_like(out), out)


def _lu_flagged(a: Any) -> tuple[Any, Any, Any]:
    """LU factors, pivots and a per-matrix flag: singular to working precision (a pivot below
    ``eps`` times the largest, torch_fast's rule). cuSOLVER's LU of an exactly singular matrix
    may round the zero pivot to ~1e-16 and give 1e15-sized answers where LAPACK raises."""
    import jax.numpy as jnp
    from jax.scipy.linalg import lu_factor

    factors, piv = lu_factor(a)
    d = jnp.abs(jnp.diagonal(factors, axis1=-2, axis2=-1))
    eps = jnp.finfo(d.dtype).eps
    return factors, piv, jnp.min(d, axis=-1) <= eps * jnp.max(d, axis=-1)


def _solve(a: Any, rhs: Any) -> Any:
    """``a @ x = rhs`` (NumPy 2 broadcasting; ``rhs`` a vector only if 1-D) through one LU;
    singular matrices give NaN (the caller raises eagerly)."""
    import jax.numpy as jnp
    from jax.scipy.linalg import lu_solve

    n = a.shape[-1]
    if n == 0:
        return jnp.linalg.solve(a, rhs)
    vector = rhs.ndim == 1
    b = rhs[..., None] if vector else rhs
    batch = jnp.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    factors, piv, bad = _lu_flagged(jnp.broadcast_to(a, (*batch, n, n)))
    x = lu_solve((factors, piv), jnp.broadcast_to(b, (*batch, n, b.shape[-1])))
    x = jnp.where(bad[..., None, None], jnp.nan, x)
    return x[..., 0] if vector else x


def _inv(a: Any) -> Any:
    import jax.numpy as jnp

    n = a.shape[-1]
    if n == 0:
        return jnp.linalg.inv(a)
    return _solve(a, jnp.broadcast_to(jnp.eye(n, dtype=a.dtype), a.shape))


def _gradient(backend: Any) -> Callable[..., Any]:
    """A factory given the generic ``gradient`` kernel: unit spacing with first-order edges,
    the default, is ``jnp.gradient`` (one compiled dispatch with no signature to build; the
    same stencil, so the same bits); other cases run the generic kernel."""

    def factory(generic: Callable[..., Any]) -> Callable[..., Any]:
        kernel = backend.compiled(generic)

        def run(xp: Any, f: Any, h: Any, axis: int, edge_order: int) -> Any:
            if type(h) is float and h == 1.0 and edge_order == 1:
                return xp.gradient(f, axis=axis)
            return kernel(xp, f, h, axis, edge_order)

        return run

    factory.takes_generic = True  # type: ignore[attr-defined]
    return factory


def _trapezoid(backend: Any) -> Callable[..., Any]:
    """A factory given the generic ``trapezoid`` kernel: unit spacing, the default, is that
    kernel compiled once with the spacing and axis fixed (one compiled dispatch with no
    signature to build, as cheap as ``jnp.trapezoid``, whose ``sum - ends/2`` turned an
    infinite end into NaN where NumPy gives inf); other spacings run the generic kernel in
    its cached compiled form."""

    def factory(generic: Callable[..., Any]) -> Callable[..., Any]:
        import jax

        kernel = backend.compiled(generic)
        xp = backend.xp
        unit = jax.jit(lambda y, ax: generic(xp, y, 1.0, ax), static_argnums=1)

        def run(xp: Any, y: Any, d: Any, ax: int) -> Any:
            if type(d) is float and d == 1.0:
                return unit(y, ax)
            return kernel(xp, y, d, ax)

        return run

    factory.takes_generic = True  # type: ignore[attr-defined]
    return factory


#: the largest system :func:`_substituted` solves, n² scalar operations in one program
_UNROLLED = 8


def _substituted(a: Any, rhs: Any) -> Any:
    """One system, ``a`` (n, n) with n <= :data:`_UNROLLED` and ``rhs`` (n,): LAPACK's LU
    (getrf, as NumPy's solve and ``jnp.linalg.solve``: an exactly zero pivot is theirs, and
    divides to inf/NaN here as in their triangular solves), then forward and back
    substitution written out as scalar operations that XLA fuses into one loop. For n = 4,
    0.7 µs less than the triangular-solve calls of ``jnp.linalg.solve`` (5.6 µs for the LU
    alone, 7.1 for jnp's whole solve, on a 2-core VM)."""
    import jax
    import jax.numpy as jnp

    lu, _, perm = jax.lax.linalg.lu(a)
    y = rhs[perm]
    n = a.shape[-1]
    ys: list[Any] = []
    for i in range(n):  # L y = P b, L unit lower triangular
        s = y[i]
        for j in range(i):
            s = s - lu[i, j] * ys[j]
        ys.append(s)
    xs: list[Any] = [None] * n
    for i in reversed(range(n)):  # U x = y
        s = ys[i]
        for j in range(i + 1, n):
            s = s - lu[i, j] * xs[j]
        xs[i] = s / lu[i, i]
    return jnp.stack(xs)


class _SolveKernel:
    """``solve``'s kernel ``(xp, a, rhs)`` on a machine whose JAX devices are all CPUs, in
    one process: one small system (:func:`_substituted`, compiled) or ``jnp.linalg.solve``,
    with the lane for one concrete system as ``one_system``: ``(array type, lane)``
    (:func:`_one_system`)."""

    __slots__ = ("one_system", "small", "solve")

    def __init__(self, solve: Callable[..., Any], array_type: type) -> None:
        import jax

        self.solve, self.small = solve, jax.jit(_substituted)
        self.one_system = (array_type, _one_system(solve, self.small))

    def __call__(self, xp: Any, a: Any, rhs: Any) -> Any:
        if rhs.ndim == 1 and a.ndim == 2 and 0 < a.shape[-1] <= _UNROLLED:
            return self.small(a, rhs)
        return self.solve(a, rhs)


def _one_system(solve: Callable[..., Any], small: Callable[..., Any]) -> Callable[[Any, Any], Any]:
    """``lane(a, b)``: ``solve``'s whole call for a float32/float64 ``a`` of shape ``(n, n)``,
    n <= 32, and ``b`` of shape ``(n,)`` and the same dtype (read from the arrays' abstract
    values, one attribute each: 0.3 µs less than their ``dtype`` and ``shape``), the solve
    the kernel runs (``small`` up to :data:`_UNROLLED`), and the finite-result read on a view
    of the result. None, to leave the call to the general path and its checks, for any other
    arguments or a result that is not all finite (a singular ``a``, or an inf or NaN in
    ``b``)."""
    codes = {np.dtype(np.float64): "d", np.dtype(np.float32): "f"}

    def lane(a: Any, b: Any) -> Any:
        sa, sb = a.aval, b.aval
        code, shape = codes.get(sa.dtype), sb.shape
        if code is None or sb.dtype is not sa.dtype or len(shape) != 1 or sa.shape != shape * 2:
            return None
        n = shape[0]
        if not 0 < n <= 32:
            return None
        out = small(a, b) if n <= _UNROLLED else solve(a, b)
        try:
            values = memoryview(out).cast("B").cast(code).tolist()
        except (BufferError, TypeError, ValueError):  # not one host buffer
            return None
        return out if math.isfinite(sum(values)) else None

    return lane


def fast_paths(backend: Any) -> dict[str, Callable[..., Any]]:
    import jax

    # Eager JAX dispatches each jnp call separately, materialising |x| for ord=1; compiling
    # the whole norm fuses it into one pass over memory.
    vnorm = jax.jit(_vector_norm_nan, static_argnums=(0, 2, 3, 4))
    det, solve, inv = jax.jit(_det), jax.jit(_solve), jax.jit(_inv)
    if backend._cpu_only():
        # LAPACK's LU on a CPU leaves an exactly zero pivot where NumPy's raises, so jnp's own
        # (compiled) solve and inv give inf/NaN there and the finite-result guard raises: no
        # pivot flag to compute (0.6 µs), and the singular verdict is NumPy's
        solve, inv = jax.numpy.linalg.solve, jax.numpy.linalg.inv
    solve_kernel: Callable[..., Any] = lambda xp, a, rhs: solve(a, rhs)  # noqa: E731
    if backend._cpu_only() and backend._one_process:
        solve_kernel = _SolveKernel(solve, backend._array_type())
    return {
        "linalg.matmul": matmul,
        "linalg.tensordot": tensordot,
        "linalg.vector_norm": functools.partial(_vector_norm, vnorm),
        "linalg.matrix_power": _matrix_power,
        "linalg.det": lambda xp, a: det(a),
        "linalg.solve": solve_kernel,
        "linalg.inv": lambda xp, a: inv(a),
        "calculus.gradient": _gradient(backend),
        "calculus.trapezoid": _trapezoid(backend),
    }
