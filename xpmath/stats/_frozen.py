"""What every distribution shares: argument handling, SciPy's two call forms, derived methods.

A distribution is a class whose instances are frozen (``norm(0, 2).cdf(x)``). Methods marked
with :func:`both_forms` also work on the class itself with the parameters after ``x``, as in
SciPy (``norm.cdf(x, 0, 2)``, ``t.ppf(q, df)``, ``binom.pmf(k, n, p)``): the class call freezes
the parameters (validated exactly as the frozen form validates them) and calls the method, so
both forms give the same results and are jit-safe together.
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable
from typing import Any

from .._dispatch import backend_of, default_backend
from .._errors import InvalidArgumentError
from .._special import special
from .._validate import FLOAT_OWNERS, as_float, float_input, is_float_array
from ..random.generator import Generator, default_rng

__all__ = ["Distribution", "both_forms", "safe_log"]

_POINT_METHODS = frozenset(
    {"pdf", "logpdf", "pmf", "logpmf", "cdf", "sf", "ppf", "logcdf", "logsf", "isf"}
)
_MOMENT_METHODS = frozenset({"mean", "var"})


def safe_log(xp: Any, p: Any) -> Any:
    """``log(p)`` with ``log(0) = -inf`` and no divide-by-zero warning; NaN stays NaN."""
    pos = p > 0
    low = xp.where(xp.isnan(p), p, xp.full_like(p, -xp.inf))
    return xp.where(pos, xp.log(xp.where(pos, p, xp.ones_like(p))), low)


def _log_prob(p: Any, complement: Any) -> Any:
    """``log(p)`` for a probability given with its complement ``1 - p`` (each computed
    without cancellation): ``log1p(-complement)`` where ``p > 1/2``."""
    xp = backend_of(p).xp
    big = p > 0.5
    return xp.where(big, xp.log1p(-xp.where(big, complement, xp.zeros_like(p))), safe_log(xp, p))


class both_forms:
    """A method callable on an instance (frozen) or on the class with SciPy's parameters.

    ``takes_x`` tells whether the method's first argument is the evaluation point (``pdf``,
    ``cdf``, ``ppf``...) or not (``mean``, ``var``, ``rvs``...).
    """

    def __init__(self, fn: Callable[..., Any], takes_x: bool = True) -> None:
        self.fn = fn
        self.takes_x = takes_x
        self.__doc__ = fn.__doc__
        self.__name__ = fn.__name__
        self._unfrozen: dict[type, Callable[..., Any]] = {}

    def __get__(self, obj: Any, owner: type) -> Any:
        if obj is not None:
            return self.fn.__get__(obj, owner)
        cached = self._unfrozen.get(owner)
        if cached is None:
            cached = self._unfrozen[owner] = _class_call(owner, self.fn, self.takes_x)
        return cached


def _class_call(cls: Any, fn: Callable[..., Any], takes_x: bool) -> Callable[..., Any]:
    name = fn.__name__
    own_kw = ("size", "random_state") if name == "rvs" else ()

    default: list[Any] = []  # the frozen instance of the default parameters, made once

    if takes_x:

        def unfrozen(x: Any, *params: Any, **kwargs: Any) -> Any:
            if params or kwargs:
                return fn(cls._scipy(name, params, kwargs), x)
            if not default:  # raises (and caches nothing) where shape parameters are needed
                default.append(cls._scipy(name, (), {}))
            return fn(default[0], x)

    else:

        def unfrozen(*params: Any, **kwargs: Any) -> Any:
            extra = {k: kwargs.pop(k) for k in own_kw if k in kwargs}
            return fn(cls._scipy(name, params, kwargs), **extra)

    functools.update_wrapper(unfrozen, fn)
    unfrozen.__qualname__ = f"{cls.__name__}.{name}"
    return unfrozen


def method(takes_x: bool = True) -> Callable[[Callable[..., Any]], both_forms]:
    """Decorator form of :class:`both_forms`."""
    return lambda fn: both_forms(fn, takes_x)


def param_like(xp: Any, value: Any, like: Any) -> tuple[Any, Any]:
    """A parameter as an array of ``like``'s dtype, and ``like``, broadcast against each
    other. A number fills an array like ``like``; an array is cast, never read (so a traced
    or ``torch.func``-batched parameter works too)."""
    if not hasattr(value, "shape"):
        return xp.full_like(like, value), like
    if value.dtype != like.dtype:
        value = xp.astype(value, like.dtype)
    if value.shape == like.shape:
        return value, like
    return tuple(xp.broadcast_arrays(value, like))


class Distribution:
    """Base of the frozen distributions (internal; the public classes live in ``stats``)."""

    name = ""
    discrete = False
    #: SciPy's parameter order, used by the class-level call form
    scipy_params: tuple[str, ...] = ()

    @classmethod
    def _scipy(cls, func: str, params: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Freeze with SciPy's positional order (``gamma.cdf(x, a, loc, scale)``)."""
        names = cls.scipy_params
        if len(params) > len(names):
            raise InvalidArgumentError(
                f"{cls.name}.{func}: takes at most {len(names)} parameters "
                f"({', '.join(names)}); got {len(params)}"
            )
        for key, value in zip(names, params):
            if key in kwargs:
                raise InvalidArgumentError(
                    f"{cls.name}.{func}: parameter {key} given both by position and by name"
                )
            kwargs[key] = value
        unknown = set(kwargs) - set(names)
        if unknown:
            raise InvalidArgumentError(
                f"{cls.name}.{func}: unknown parameter(s) {sorted(unknown)}; "
                f"{cls.name} takes {', '.join(names)}"
            )
        missing = [k for k in cls.required() if k not in kwargs]
        if missing:
            raise InvalidArgumentError(
                f"{cls.name}.{func}: missing shape parameter(s) {', '.join(missing)} "
                f"(call as {cls.name}.{func}(..., {', '.join(names)}))"
            )
        return cls._frozen(**kwargs)

    @classmethod
    def _frozen(cls, **params: Any) -> Any:
        return cls(**params)

    @classmethod
    def required(cls) -> tuple[str, ...]:
        return tuple(k for k in cls.scipy_params if k not in ("loc", "scale"))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, fn in list(vars(cls).items()):
            if name in _POINT_METHODS and callable(fn):
                setattr(cls, name, both_forms(fn, takes_x=True))
            elif name in _MOMENT_METHODS and callable(fn):
                setattr(cls, name, both_forms(fn, takes_x=False))

    # -- helpers for the subclasses -------------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        self.__dict__.pop("_array_params", None)  # a changed parameter: look again

    def _arrays(self) -> tuple[Any, ...]:
        """The parameters that are arrays (remembered until a parameter is set)."""
        found = self.__dict__.get("_array_params")
        if found is None:
            found = tuple(v for k, v in vars(self).items() if k[0] != "_" and hasattr(v, "shape"))
            self.__dict__["_array_params"] = found
        return found

    def _x(self, x: Any, func: str) -> tuple[Any, Any, Any]:
        arrays = self.__dict__.get("_array_params")
        if arrays is None:
            arrays = self._arrays()
        if not arrays:  # one float array of a type and dtype seen before: one dict read
            try:
                b = FLOAT_OWNERS[type(x), x.dtype]
                return b, b.xp, x
            except (AttributeError, KeyError, TypeError):
                pass
            b, x = float_input(x, "x", f"{self.name}.{func}")  # (remembers the pair)
            return b, b.xp, x
        b = backend_of(x, *arrays)
        if not is_float_array(x):  # the name for the error is formatted only when needed
            x = as_float(x, b, "x", f"{self.name}.{func}")
        return b, b.xp, x

    def _sp(self, b: Any, fn: str) -> Any:
        return special(b, fn)

    def _check_rng(self, rng: Any) -> None:
        if not isinstance(rng, Generator):
            raise InvalidArgumentError(
                f"{self.name}.sample: rng must be an xpmath.random.Generator "
                f"(xpmath.random.default_rng); got {type(rng).__name__}"
            )

    def _param_like(self, xp: Any, value: Any, like: Any) -> Any:
        return param_like(xp, value, like)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k[0] != "_")
        return f"{self.name}({params})"

    # -- methods every distribution derives from its own ----------------------------------

    @method()
    def logcdf(self, x: Any) -> Any:
        """``log(cdf(x))``: -inf where the cdf is 0, and ``log1p(-sf(x))`` where the cdf is
        above ½, so that the upper tail keeps its digits (-1e-221, not 0, where the
        survival function is 1e-221). :class:`norm` computes both log tails directly."""
        return _log_prob(self.cdf(x), self.sf(x))

    @method()
    def logsf(self, x: Any) -> Any:
        """``log(sf(x))``: -inf where the survival function is 0, ``log1p(-cdf(x))`` where
        it is above ½."""
        return _log_prob(self.sf(x), self.cdf(x))

    @method(takes_x=False)
    def std(self) -> Any:
        """Standard deviation: ``sqrt(var())``."""
        v = self.var()
        if hasattr(v, "shape"):
            return backend_of(v).xp.sqrt(v)
        return float(v) ** 0.5

    @method(takes_x=False)
    def median(self) -> Any:
        """``ppf(0.5)``, on the backend of the parameters (the default backend for numbers)."""
        b = backend_of(*self._arrays())
        return self.ppf(b.xp.asarray(0.5, dtype=b.default_float()))

    @method()
    def interval(self, confidence: Any) -> tuple[Any, Any]:
        """Equal-tailed interval holding ``confidence`` of the mass: ``(ppf(α/2), ppf(1-α/2))``
        with ``α = 1 - confidence``; NaN for a confidence outside [0, 1]."""
        _b, _xp, c = self._x(confidence, "interval")
        return self.ppf((1 - c) / 2), self.ppf((1 + c) / 2)

    @method(takes_x=False)
    def rvs(self, size: Any = None, random_state: Any = None) -> Any:
        """Random draws, SciPy's spelling of :meth:`sample`.

        ``random_state`` is an xpmath :class:`~xpmath.random.Generator` (its backend is used),
        an int seed or None (a generator on the parameters' backend, else the default
        backend), or a NumPy ``Generator``/``RandomState`` (one seed is drawn from it, so it
        advances as it would in SciPy, though the numbers differ from SciPy's).
        """
        return self.sample(_generator(self, random_state), size)


def _generator(dist: Distribution, random_state: Any) -> Generator:
    if isinstance(random_state, Generator):
        return random_state
    if random_state is None or (
        isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool)
    ):
        arrays = dist._arrays()
        name = backend_of(*arrays).name if arrays else default_backend().name
        return default_rng(random_state, backend=name)
    draw = getattr(random_state, "integers", None) or getattr(random_state, "randint", None)
    if draw is not None and type(random_state).__module__.startswith("numpy"):
        arrays = dist._arrays()
        name = backend_of(*arrays).name if arrays else default_backend().name
        return default_rng(int(draw(0, 2**63 - 1)), backend=name)
    raise InvalidArgumentError(
        f"{dist.name}.rvs: random_state must be None, a non-negative int, an "
        f"xpmath.random.Generator or a numpy.random.Generator; got {random_state!r}"
    )
