"""CuPy fast paths: vector norms as single-pass fused reductions.

``cupy.linalg.norm`` makes ``abs(x)`` (and ``x*x``) as full temporaries before reducing, so
each norm reads the input at least twice and writes a copy. Here each order is one
``cupy.ReductionKernel``: one read of ``x``, accumulation in float64 for float32 and float64
input (so float32 norms carry no float32 rounding across millions of elements, and float32
squares cannot overflow), NaN propagated by every order (CUDA's ``fmax``/``fmin`` drop NaN,
so the max and min are written out). Float64 ``ord=2`` keeps CuPy's own path: squares of
float64 values above 1e154 would overflow where the norm does not.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

_INF = "__longlong_as_double(0x7ff0000000000000LL)"
#: order -> (map expression, reduce expression, post-map expression, identity)
_SPECS: dict[float, tuple[str, str, str, str]] = {
    1.0: ("fabs((double)x)", "a + b", "y = (T)a", "0"),
    2.0: ("(double)x * (double)x", "a + b", "y = (T)sqrt(a)", "0"),
    math.inf: ("fabs((double)x)", "(a != a || b != b) ? a + b : (a > b ? a : b)", "y = (T)a", "0"),
    -math.inf: (
        "fabs((double)x)",
        "(a != a || b != b) ? a + b : (a < b ? a : b)",
        "y = (T)a",
        _INF,
    ),
}
_KERNELS: dict[float, Any] = {}


def _kernel(ord: float) -> Any:
    k = _KERNELS.get(ord)
    if k is None:
        import cupy

        map_expr, reduce_expr, post, identity = _SPECS[ord]
        name = {1.0: "l1", 2.0: "l2", math.inf: "linf", -math.inf: "lneginf"}[ord]
        k = cupy.ReductionKernel(
            "T x",
            "T y",
            map_expr,
            reduce_expr,
            post,
            identity,
            f"xpmath_norm_{name}",
            reduce_type="double",
        )
        _KERNELS[ord] = k
    return k


def vector_norm(xp: Any, x: Any, axis: Any, keepdims: bool, ord: float) -> Any:
    import cupy

    fused = (
        ord in _SPECS
        and x.dtype in (cupy.float32, cupy.float64)
        and not (ord == 2 and x.dtype == cupy.float64)
        and x.size > 0
    )
    if not fused:
        return xp.linalg.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord)
    full = axis is None or len(tuple(axis)) == x.ndim
    if full and x.flags.c_contiguous and x.size >= _RAW_MIN and x.data.ptr % 16 == 0:
        out = _raw_full(x, float(ord))
        return out.reshape((1,) * x.ndim) if keepdims else out
    return _kernel(float(ord))(x, axis=axis, keepdims=keepdims)


#: full reductions of at least this many elements use the hand-written kernel below
_RAW_MIN = 1 << 20
_RAW_SRC = r"""
#define COMBINE(a, b) ({combine})
extern "C" __global__ void {name}(const {T}* __restrict__ x, long long n, double* out) {{
    double acc = {identity};
    long long stride = (long long)blockDim.x * gridDim.x;
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    long long nv = n / {V};
    const {VT}* xv = reinterpret_cast<const {VT}*>(x);
    for (long long j = i; j < nv; j += stride) {{
        {VT} v = xv[j];
        {body}
    }}
    for (long long j = nv * {V} + i; j < n; j += stride) {{
        double a = fabs((double)x[j]);
        acc = COMBINE(acc, {map});
    }}
    for (int off = 16; off > 0; off >>= 1) {{
        double o = __shfl_down_sync(0xffffffffu, acc, off);
        acc = COMBINE(acc, o);
    }}
    __shared__ double part[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) part[warp] = acc;
    __syncthreads();
    if (warp == 0) {{
        acc = lane < (int)(blockDim.x >> 5) ? part[lane] : {identity};
        for (int off = 16; off > 0; off >>= 1) {{
            double o = __shfl_down_sync(0xffffffffu, acc, off);
            acc = COMBINE(acc, o);
        }}
        if (lane == 0) out[blockIdx.x] = acc;
    }}
}}
"""
#: order -> (combine, map of a = |x| as double, identity)
_RAW_SPECS: dict[float, tuple[str, str, str]] = {
    1.0: ("(a) + (b)", "a", "0.0"),
    2.0: ("(a) + (b)", "a * a", "0.0"),
    math.inf: ("((a) != (a) || (b) != (b)) ? (a) + (b) : fmax((a), (b))", "a", "0.0"),
    -math.inf: ("((a) != (a) || (b) != (b)) ? (a) + (b) : fmin((a), (b))", "a", "CUDART_INF"),
}
_RAW: dict[tuple[float, str], Any] = {}
_THREADS = 256


def _raw_kernel(ord: float, dtype: Any) -> Any:
    import cupy

    key = (ord, str(dtype))
    k = _RAW.get(key)
    if k is None:
        combine, map_expr, identity = _RAW_SPECS[ord]
        f32 = dtype == cupy.float32
        lanes = ("x", "y", "z", "w") if f32 else ("x", "y")
        body = " ".join(
            f"{{ double a = fabs((double)v.{c}); acc = COMBINE(acc, {map_expr}); }}" for c in lanes
        )
        name = f"xpmath_norm_partial_{len(_RAW)}"
        src = _RAW_SRC.format(
            combine=combine,
            name=name,
            T="float" if f32 else "double",
            VT="float4" if f32 else "double2",
            V=len(lanes),
            identity=identity,
            body=body,
            map=map_expr,
        )
        src = src.replace("CUDART_INF", "__longlong_as_double(0x7ff0000000000000LL)")
        k = cupy.RawKernel(src, name)
        _RAW[key] = k
    return k


@functools.cache
def _sm_count(device_id: int) -> int:
    import cupy

    return int(cupy.cuda.Device(device_id).attributes["MultiProcessorCount"])


def _raw_full(x: Any, ord: float) -> Any:
    """One read of ``x`` by a grid-stride kernel with vector loads (float4 / double2) and float64
    accumulation; each block writes one partial, and CuPy reduces the few thousand partials
    (``sum``; ``max``/``min`` propagate NaN)."""
    import cupy

    flat = x.reshape(-1)
    sms = _sm_count(cupy.cuda.Device().id)
    blocks = int(min(sms * 8, max(1, -(-flat.size // _THREADS))))
    partial = cupy.empty(blocks, dtype=cupy.float64)
    _raw_kernel(ord, x.dtype)((blocks,), (_THREADS,), (flat, cupy.int64(flat.size), partial))
    if ord == math.inf:
        total = cupy.max(partial)
    elif ord == -math.inf:
        total = cupy.min(partial)
    else:
        total = cupy.sum(partial)
        if ord == 2:
            total = cupy.sqrt(total)
    return total.astype(x.dtype)


#: stacks up to this many matrices are factored one by one (pivots checked); larger ones go
#: through CuPy's batched solver, which keeps no LU factors to check
_LU_BATCH = 256


def solve(xp: Any, a: Any, rhs: Any) -> Any:
    """``a @ x = rhs`` with NumPy's broadcasting of stacks and torch_fast's singular rule.

    ``cupy.linalg.solve`` wants equal batch shapes, and cuSOLVER's LU of an exactly singular
    matrix (``arange(1, 10).reshape(3, 3)``) may round the zero pivot to ~1e-16 and return
    1e15-sized numbers. Each matrix is factored with ``lu_factor``; a pivot below ``eps`` times
    the largest one marks it singular and its solution NaN (the caller raises eagerly).
    """
    import warnings

    import cupy
    from cupyx.scipy.linalg import lu_factor, lu_solve

    vector = rhs.ndim == 1
    b = rhs[..., None] if vector else rhs
    batch = tuple(cupy.broadcast_shapes(a.shape[:-2], b.shape[:-2]))
    n, k = a.shape[-1], b.shape[-1]
    a = cupy.broadcast_to(a, (*batch, n, n))
    b = cupy.broadcast_to(b, (*batch, n, k))
    count = math.prod(batch)
    if n == 0 or count == 0 or count > _LU_BATCH:
        x = cupy.linalg.solve(a, b) if count else cupy.empty((*batch, n, k), a.dtype)
        return x[..., 0] if vector else x
    eps = cupy.finfo(a.dtype).eps
    fa, fb = a.reshape((count, n, n)), b.reshape((count, n, k))
    out = cupy.empty((count, n, k), dtype=a.dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in range(count):
            lu, piv = lu_factor(fa[i], check_finite=False)
            d = cupy.abs(cupy.diagonal(lu))
            bad = d.min() <= eps * d.max()
            out[i] = cupy.where(bad, cupy.nan, lu_solve((lu, piv), fb[i], check_finite=False))
    x = out.reshape((*batch, n, k))
    return x[..., 0] if vector else x


def fast_paths(backend: Any) -> dict[str, Callable[..., Any]]:
    return {"linalg.vector_norm": vector_norm, "linalg.solve": solve}
