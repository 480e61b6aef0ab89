"""Optimisation: the gradient-descent family and ``minimize`` (compiled whole on JAX)."""

from .first_order import adam, gradient_descent, rmsprop, sgd
from .minimize import minimize
from .result import OptimizeResult

__all__ = ["OptimizeResult", "adam", "gradient_descent", "minimize", "rmsprop", "sgd"]
