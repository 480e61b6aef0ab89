"""Optimisation: the gradient-descent family (compiled whole on JAX)."""

from .first_order import adam, gradient_descent, rmsprop, sgd
from .result import OptimizeResult

__all__ = ["OptimizeResult", "adam", "gradient_descent", "rmsprop", "sgd"]
