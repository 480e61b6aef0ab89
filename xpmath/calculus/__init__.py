"""Calculus: automatic and numerical derivatives, limits, and integration."""

from .autodiff import grad, hessian, jacobian, value_and_grad
from .differences import Derivative, derivative, gradient
from .integrate import Quad, cumulative_trapezoid, quad, simpson, trapezoid
from .limits import Limit, limit

__all__ = [
    "Derivative",
    "Limit",
    "Quad",
    "cumulative_trapezoid",
    "derivative",
    "grad",
    "gradient",
    "hessian",
    "jacobian",
    "limit",
    "quad",
    "simpson",
    "trapezoid",
    "value_and_grad",
]
