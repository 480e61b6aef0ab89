"""Richardson-extrapolated partial derivatives of a function of an array.

Central differences at steps h, h/2 and h/4 along one component, extrapolated twice (error
O(h⁶)), at the two step scales :func:`.second_differences.component_steps` gives a component
(the unit, or |x_k| below 1, and max(|x_k|, 1)), the second kept only where the two agree and
it claims the smaller error (:func:`.differences.pick_scale`).

Where x's values can be read (``concrete``) the steps are Python floats. Where they cannot
(a Dask graph, a traced JAX value) the steps stay arrays, and the arithmetic around f's
values, the same operations in the same order, runs as :meth:`Backend.blockwise` calls: one
for each of the six steps and one for the quotients, their extrapolation, error estimates and
the choice of scale. On Dask each of those is one task on NumPy blocks instead of about a
hundred lazy operations per component, each of which Dask builds and checks on its own
(a gradient at a 1-component Dask array, of an f of 8 graph layers, built 228 layers, 96
of them f's 12 calls; now 115).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._dispatch import backend_of
from .differences import extrapolate_twice, pick_quietly, quiet_arithmetic, unconverged
from .second_differences import component_steps, unit_vector

__all__ = ["richardson_along", "richardson_partial"]


def richardson_partial(
    f: Callable[[Any], Any], x: Any, k: int, h: float, xk: Any, concrete: bool, xp: Any
) -> Any:
    """d f / d x_k, Richardson-extrapolated central differences at x_k's two step scales;
    ``xk`` is x_k as a float (``concrete``) or a 0-d array."""
    if not concrete:
        return _fused_partial(f, x, k, h, xk)
    st = component_steps(xp, xp.reshape(x, (-1,)), k, xk, concrete, h)
    e = unit_vector(x, k)
    if st.single:  # (|x_k| is 0 or 1: one scale)
        return richardson_along(f, x, e, h * st.big, st.at)[0]
    d_small, e_small = richardson_along(f, x, e, h * st.small, st.at)
    d_big, e_big = richardson_along(f, x, e, h * st.big, st.at)
    return pick_quietly(xp, (d_small, e_small), (d_big, e_big))[0]


def richardson_along(
    f: Callable[[Any], Any], x: Any, e: Any, h: Any, xk: Any = None
) -> tuple[Any, Any]:
    """Directional derivative of f at x along e, Richardson-extrapolated central differences,
    and its error estimate (:func:`_extrapolated`). Along a unit vector, ``xk`` (x's
    component there, a 0-d array) makes each step the one x_k + h really takes (at x_k = 1e6
    the rounding of x_k + h was 8e-8 of h)."""
    xp = backend_of(x).xp
    steps = [h, h / 2, h / 4]
    if xk is not None:
        steps = [(xk + s) - xk for s in steps]
    values = [(f(x + s * e), f(x - s * e)) for s in steps]
    eps = float(xp.finfo(x.dtype).eps)
    return _extrapolated(xp, eps, values, steps)


def _extrapolated(xp: Any, eps: float, values: list[Any], steps: list[Any]) -> tuple[Any, Any]:
    """The twice-extrapolated quotient of f's values ``(f(x + s e), f(x - s e))`` at steps
    s = h, h/2, h/4, and its error: the last two levels' difference plus the rounding of the
    values at the smallest step (which the extrapolation amplifies about twice) and the
    quotients' spread where they stop converging (:func:`.differences.unconverged`)."""
    with quiet_arithmetic():  # (steps that underflow give inf or NaN: not picked)
        d1, d2, d3 = ((hi - lo) / (2 * s) for (hi, lo), s in zip(values, steps))
        hi, lo = values[2]
        size = (abs(hi) + abs(lo)) / (2 * steps[2])
        s1, s2, s3 = steps
        best, r2 = extrapolate_twice(d1, d2, d3, (s1 / s2) ** 2, (s2 / s3) ** 2)
        return best, abs(best - r2) + 2 * eps * size + unconverged(xp, d1, d2, d3)


def _fused_partial(f: Callable[[Any], Any], x: Any, k: int, h: float, xk: Any) -> Any:
    """:func:`richardson_partial` where x's values cannot be read: both scales always, each
    step computed from x_k by one :meth:`Backend.blockwise` call, and everything after f's
    values (quotients, extrapolation, errors, choice of scale) by one more."""
    b = backend_of(x)
    eps = float(b.xp.finfo(x.dtype).eps)

    def step_of(scale: int, level: int) -> Callable[..., Any]:
        def run(hb: Any, xkb: Any) -> Any:
            st = component_steps(hb.xp, xkb, 0, xkb, False, h)
            base = h * (st.small, st.big)[scale]
            with quiet_arithmetic():  # (x_k + a step that overflows: that scale loses)
                s = base if level == 0 else base / 2**level
                return _as_block(hb.xp, (st.at + s) - st.at, xkb)

        return run

    e = unit_vector(x, k)
    steps = [b.blockwise(step_of(scale, level), xk) for scale in (0, 1) for level in (0, 1, 2)]
    values = []
    for s in steps:
        d = s * e
        values += [b.xp.asarray(f(x + d)), b.xp.asarray(f(x - d))]
    shape = tuple(values[0].shape)
    if shape:  # (a Jacobian's column: the steps broadcast to f's value)
        steps = [b.xp.broadcast_to(s, shape) for s in steps]
    # the last array sets the result's dtype: f's values' where they are the wider
    like = values[-1] if b.xp.result_type(values[-1], x.dtype) == values[-1].dtype else steps[-1]

    def picked(hb: Any, *arrays: Any) -> Any:
        fx, st = arrays[:12], arrays[12:18]
        hx = hb.xp
        pairs = [(fx[2 * i], fx[2 * i + 1]) for i in range(6)]
        small = _extrapolated(hx, eps, pairs[:3], list(st[:3]))
        big = _extrapolated(hx, eps, pairs[3:], list(st[3:]))
        return _as_block(hx, pick_quietly(hx, small, big)[0], arrays[-1])

    return b.blockwise(picked, *values, *steps, like)


def _as_block(xp: Any, value: Any, like: Any) -> Any:
    """``value`` as an array of ``like``'s shape and dtype (NumPy makes 0-d results scalars)."""
    return xp.reshape(xp.astype(xp.asarray(value), like.dtype), like.shape)
