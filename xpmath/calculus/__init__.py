"""Calculus: automatic and numerical derivatives, limits, and integration."""

from .autodiff import grad, hessian, jacobian, value_and_grad
from .differences import Derivative, derivative, gradient
from .integrate import cumulative_trapezoid, simpson, trapezoid
from .limits import Limit, limit
from .quadrature import MonteCarlo, Quad, monte_carlo, quad

__all__ = [
    "Derivative",
    "Limit",
    "MonteCarlo",
    "Quad",
    "cumulative_trapezoid",
    "derivative",
    "grad",
    "gradient",
    "hessian",
    "jacobian",
    "limit",
    "monte_carlo",
    "quad",
    "simpson",
    "trapezoid",
    "value_and_grad",
]
