"""Calculus: automatic and numerical derivatives."""

from .autodiff import grad, hessian, jacobian, value_and_grad

__all__ = ["grad", "hessian", "jacobian", "value_and_grad"]
