"""Automatic differentiation with one API on every backend.

Native on JAX (``jax.grad`` and friends) and PyTorch (``torch.func``). NumPy, CuPy, Dask and
array_api_strict have no autodiff; there the same functions differentiate numerically:

* ``method="complex-step"``: ``Im f(x + ih e_k) / h`` — exact to rounding for functions that
  are real-analytic and written with complex-safe operations;
* ``method="richardson"``: central differences extrapolated twice (error O(h^6)), at two
  step scales per component as ``calculus.derivative`` takes them (so twice the calls of
  one scale); a Jacobian's columns come from the same calls as a gradient's, and a Hessian
  from second differences of f itself (:mod:`.second_differences`: 12·n(2n−1) calls for n
  components, where a Richardson Jacobian of a Richardson gradient took 144·n²);
* ``method="auto"`` (default): the native rule where there is one; else complex-step when a
  cheap central-difference check of the directional derivative along a probe that touches
  every component agrees with it, otherwise Richardson (always Richardson on lazy arrays:
  the check would compute them, and the steps stay arrays, so a Dask graph computes nothing
  until asked). The method actually used is reported in the returned function's ``method``
  attribute after each call. A Hessian by "complex-step" (or "auto" where the complex step
  checks out) is Richardson over the complex-step gradient; second differences otherwise.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of, placed_like
from .._errors import InvalidArgumentError
from .._validate import check_callable, check_choice
from .richardson import richardson_along, richardson_partial
from .second_differences import hessian_block, unit_vector

__all__ = ["grad", "hessian", "jacobian", "value_and_grad"]

METHODS = ("auto", "native", "complex-step", "richardson")


def _argnums(argnums: int | tuple[int, ...], func: str) -> tuple[int, ...]:
    """``argnums`` as a tuple of Python ints (NumPy integers accepted, as JAX accepts them)."""
    bad = InvalidArgumentError(
        f"{func}: argnums must be a non-negative int or tuple of them; got {argnums!r}"
    )
    if isinstance(argnums, numbers.Integral):
        nums: tuple[Any, ...] = (argnums,)
    else:
        try:
            nums = tuple(argnums)
        except TypeError:  # (a float, None: not iterable)
            raise bad from None
    integral = all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in nums)
    if not nums or not integral or any(a < 0 for a in nums):
        raise bad
    return tuple(int(a) for a in nums)


def _probe(x: Any, xp: Any, n: int) -> Any:
    """A fixed direction touching all ``n`` components with distinct weights (cos k)."""
    return xp.reshape(xp.cos(xp.astype(xp.arange(n, **placed_like(x)), x.dtype)), x.shape)


def _complex_partial(f: Callable[[Any], Any], x: Any, k: int, xp: Any) -> Any:
    ctype = xp.complex128 if x.dtype == xp.float64 else xp.complex64
    h = 1e-30 if x.dtype == xp.float64 else 1e-15
    e = unit_vector(x, k, ctype)
    return xp.imag(f(xp.astype(x, ctype) + (1j * h) * e)) / h


def _step(x: Any, xp: Any) -> float:
    eps = float(xp.finfo(x.dtype).eps)
    return eps ** (1.0 / 7.0)  # balances truncation O(h^6) with rounding O(eps/h)


def _numeric_partials(f: Callable[[Any], Any], x: Any, method: str) -> tuple[list[Any], str]:
    """d f / d x_k for every component k of x (each shaped like f's value: a vector-valued
    f gives a Jacobian's columns from the same evaluations a scalar one needs), and the rule
    used; x is real floating (the caller converts integers)."""
    b = backend_of(x)
    xp = b.xp
    n = math.prod(x.shape)
    used = method
    parts: list[Any] = []
    # lazy or traced values cannot be read: "auto" cannot verify the complex step there, and
    # Richardson's steps stay arrays, so a Dask graph is built without computing anything
    concrete = b.is_concrete(x)
    close: Any = True
    if method == "complex-step" or (method == "auto" and concrete):
        try:
            parts = [_complex_partial(f, x, k, xp) for k in range(n)]
            if method == "auto" and n:
                # complex-step is silently wrong where f is not complex-analytic (abs, max,
                # comparisons; Im tanh(NaN + ih) is 0): compare each value's directional
                # derivative along a probe touching every component with a real-arithmetic
                # one, and take Richardson's partials for the values that disagree
                v = xp.reshape(_probe(x, xp, n), (-1,))
                check, err = richardson_along(f, x, xp.reshape(v, x.shape), _step(x, xp))
                cs = sum(xp.asarray(p) * v[k] for k, p in enumerate(parts))
                # within the check's own error (an absolute 1e-6 took Im |x + ih|³ = 0 for
                # the derivative of |x|³ at 1e-4, 3e-8: every gradient below 1e-6 passed)
                close = xp.abs(cs - xp.asarray(check)) <= 1e-6 * xp.abs(check) + 2 * err
            used = "complex-step"
        except (TypeError, ValueError):
            if method == "complex-step":
                raise
            parts = []
    if n and (not parts or (close is not True and not bool(xp.all(close)))):
        h = _step(x, xp)
        flat = xp.reshape(x, (-1,))
        rich = [
            richardson_partial(f, x, k, h, float(flat[k]) if concrete else flat[k], concrete, xp)
            for k in range(n)
        ]
        parts = [xp.where(close, c, r) for c, r in zip(parts, rich, strict=True)] if parts else rich
        used = "richardson"
    return parts, used


def _real_input(x: Any) -> Any:
    b = backend_of(x)
    xp = b.xp
    if xp.isdtype(x.dtype, "complex floating"):
        raise TypeError("numerical derivatives take real inputs")
    if not xp.isdtype(x.dtype, "real floating"):
        x = xp.astype(x, b.default_float())
    return x


def _numeric_grad(f: Callable[[Any], Any], x: Any, method: str) -> tuple[Any, str]:
    x = _real_input(x)
    xp = backend_of(x).xp
    parts, used = _numeric_partials(f, x, method)
    if not parts:
        return xp.zeros(x.shape, dtype=x.dtype, **placed_like(x)), used
    for p in parts:
        shape = tuple(getattr(p, "shape", ()))
        if math.prod(shape) != 1:
            raise InvalidArgumentError(
                f"grad: f must return a scalar; its derivative along x has shape {shape}"
            )
    g = xp.stack([xp.reshape(xp.asarray(p), ()) for p in parts])
    return xp.astype(xp.reshape(g, x.shape), x.dtype), used


class _Derivative:
    """A derived function; ``method`` tells which rule computed the last result."""

    def __init__(
        self, func: Callable[..., Any], argnums: tuple[int, ...], kind: str, method: str
    ) -> None:
        self.func, self.argnums, self.kind = func, argnums, kind
        self.requested = self.method = method
        self.__name__ = f"{kind}({getattr(func, '__name__', 'f')})"
        self.__doc__ = f"{kind} of {getattr(func, '__name__', 'f')} (method={method!r})"

    def __call__(self, *args: Any) -> Any:
        b = backend_of(*args)
        if self.requested in ("auto", "native") and b.has_autodiff:
            self.method = "native"
            fn = getattr(b, self.kind)(
                self.func, self.argnums[0] if len(self.argnums) == 1 else self.argnums
            )
            return fn(*args)
        if self.requested == "native":
            from .._errors import BackendUnavailableError

            raise BackendUnavailableError(
                f"{self.kind}: backend {b.name!r} has no native autodiff;"
                " use method='auto', 'complex-step' or 'richardson'"
            )
        if self.kind == "hessian" and len(self.argnums) > 1:
            # every block, as jax.hessian and torch.func.hessian nest them: [i][j] is the
            # derivative along x_j of the gradient along x_i, shaped x_i.shape + x_j.shape
            return tuple(tuple(self._block(args, i, j) for j in self.argnums) for i in self.argnums)
        outs = [self._numeric(args, i) for i in self.argnums]
        if self.kind == "value_and_grad":
            value = self.func(*args)
            return value, (outs[0] if len(outs) == 1 else tuple(outs))
        return outs[0] if len(outs) == 1 else tuple(outs)

    def _numeric(self, args: tuple[Any, ...], i: int) -> Any:
        def partial_f(xi: Any) -> Any:
            full = list(args)
            full[i] = xi
            return self.func(*full)

        x = args[i]
        b = backend_of(x)
        if not hasattr(x, "shape"):
            x = b.asarray(x, dtype=b.default_float())
        if self.kind in ("grad", "value_and_grad"):
            g, self.method = _numeric_grad(partial_f, x, self.requested)
            return g
        if self.kind == "jacobian":
            return _numeric_jacobian(partial_f, x, self)
        x = _real_input(x)
        # where the gradient is Richardson, a Jacobian of it loses its error (float32: 2%)
        inner = _Derivative(partial_f, (0,), "grad", self.requested)
        g0 = None if self._by_second_differences(x) else inner(x)
        if g0 is None or inner.method == "richardson":
            self.method = "richardson"
            return hessian_block(lambda u, _: partial_f(u), x, x, True, b.is_concrete(x), b.xp)
        h = _numeric_jacobian(inner, x, self, of_gradient=True, y0=g0)
        xp = b.xp
        return (h + xp.matrix_transpose(h)) / 2 if h.ndim >= 2 else h

    def _by_second_differences(self, x: Any) -> bool:
        """Whether a Hessian takes second differences of f (see :mod:`.second_differences`)
        rather than differentiate a gradient: where that gradient would be Richardson too."""
        return self.requested == "richardson" or (
            self.requested == "auto" and not backend_of(x).is_concrete(x)
        )

    @staticmethod
    def _real_arg(args: tuple[Any, ...], k: int) -> Any:
        x = args[k]
        if not hasattr(x, "shape"):
            b = backend_of(x)
            x = b.asarray(x, dtype=b.default_float())
        return _real_input(x)

    def _block(self, args: tuple[Any, ...], i: int, j: int) -> Any:
        """One block of a Hessian in several arguments (see ``__call__``)."""
        if i == j:
            return self._numeric(args, i)
        xi, xj = (self._real_arg(args, k) for k in (i, j))
        inner = _Derivative(self.func, (i,), "grad", self.requested)

        def grad_i(xj: Any) -> Any:
            if backend_of(xj).xp.isdtype(xj.dtype, "complex floating"):
                # (a complex step along x_j leaks into x_i's: "auto" takes real steps)
                raise TypeError("numerical derivatives take real inputs")
            full = list(args)
            full[j] = xj
            return inner(*full)

        nested = not (self._by_second_differences(xi) or self._by_second_differences(xj))
        g0 = grad_i(xj) if nested else None
        if not nested or inner.method == "richardson":  # (as in ``_numeric``)
            self.method = "richardson"

            def f2(u: Any, v: Any) -> Any:
                full = list(args)
                full[i], full[j] = u, v
                return self.func(*full)

            concrete = backend_of(xi).is_concrete(xi) and backend_of(xj).is_concrete(xj)
            return hessian_block(f2, xi, xj, False, concrete, backend_of(xi).xp)
        return _numeric_jacobian(grad_i, xj, self, of_gradient=True, y0=g0)


def _numeric_jacobian(
    f: Callable[[Any], Any], x: Any, owner: _Derivative, of_gradient: bool = False, y0: Any = None
) -> Any:
    """``d f_i / d x_k`` shaped ``f(x).shape + x.shape``: one column per component of x,
    each from the evaluations of f that one partial derivative takes. Of a gradient
    (``of_gradient``) that takes complex steps (a Hessian by ``method="complex-step"``),
    real steps: a complex step along x_k would leak into the gradient's own. ``y0``: f(x)."""
    xp = backend_of(x).xp
    y0 = xp.asarray(f(x) if y0 is None else y0)
    x = _real_input(x)
    complex_inner = of_gradient and owner.requested == "complex-step"
    method = "richardson" if complex_inner else owner.requested
    parts, used = _numeric_partials(f, x, method)
    owner.method = "complex-step" if method != owner.requested else used
    m = math.prod(y0.shape)
    if not parts or not m:
        return xp.zeros((*y0.shape, *x.shape), dtype=x.dtype, **placed_like(x))
    cols = [xp.reshape(xp.asarray(p), (m,)) for p in parts]
    jac = xp.astype(xp.stack(cols, axis=-1), x.dtype)
    return xp.reshape(jac, (*y0.shape, *x.shape))


def _make(kind: str, func: Callable[..., Any], argnums: int | tuple[int, ...], method: str) -> Any:
    check_callable(func, "func", kind)
    check_choice(method, "method", METHODS, kind)
    return _Derivative(func, _argnums(argnums, kind), kind, method)


@routine("calculus.grad", default="generic", jax="native", torch="native")
def grad(
    func: Callable[..., Any], argnums: int | tuple[int, ...] = 0, *, method: str = "auto"
) -> Callable[..., Any]:
    """Gradient of a scalar function with respect to argument(s) ``argnums``.

    Parameters
    ----------
    func : callable
        ``func(*args) -> scalar array``, written with xpmath / array-API operations.
    argnums : int or tuple of int
        Which positional arguments to differentiate.
    method : {'auto', 'native', 'complex-step', 'richardson'}
        See the module docstring; the rule used is in ``.method`` after a call.

    Returns
    -------
    callable
        ``g(*args)`` returning an array shaped like ``args[argnums]`` (a tuple for several).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import calculus
    >>> g = calculus.grad(lambda x: (x ** 3).sum())
    >>> np.round(g(np.array([1.0, 2.0])), 8), g.method
    (array([ 3., 12.]), 'complex-step')
    """
    return _make("grad", func, argnums, method)


@routine("calculus.value_and_grad", default="generic", jax="native", torch="native")
def value_and_grad(
    func: Callable[..., Any], argnums: int | tuple[int, ...] = 0, *, method: str = "auto"
) -> Callable[..., Any]:
    """Like :func:`grad` but returns ``(func(*args), gradient)``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import calculus
    >>> v, g = calculus.value_and_grad(lambda x: (x ** 2).sum())(np.array([3.0]))
    >>> float(v), np.round(g, 8)
    (9.0, array([6.]))
    """
    return _make("value_and_grad", func, argnums, method)


@routine("calculus.jacobian", default="generic", jax="native", torch="native")
def jacobian(
    func: Callable[..., Any], argnums: int | tuple[int, ...] = 0, *, method: str = "auto"
) -> Callable[..., Any]:
    """Jacobian ``d func_i / d x_j``, shaped ``func(x).shape + x.shape``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import calculus
    >>> J = calculus.jacobian(lambda x: x ** 2)(np.array([1.0, 3.0]))
    >>> np.round(J, 8)
    array([[2., 0.],
           [0., 6.]])
    """
    return _make("jacobian", func, argnums, method)


@routine("calculus.hessian", default="generic", jax="native", torch="native")
def hessian(
    func: Callable[..., Any], argnums: int | tuple[int, ...] = 0, *, method: str = "auto"
) -> Callable[..., Any]:
    """Hessian of a scalar function, shaped ``x.shape + x.shape`` (symmetrised numerically).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import calculus
    >>> H = calculus.hessian(lambda x: x[0] ** 2 * x[1])(np.array([1.0, 2.0]))
    >>> np.round(H, 5)
    array([[4., 2.],
           [2., 0.]])
    """
    return _make("hessian", func, argnums, method)
