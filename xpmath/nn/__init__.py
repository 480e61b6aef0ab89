"""Neural-network math: activations, the softmax family, losses, and backpropagation worked
out for a 2-layer perceptron. Everything is pure array code, so it runs under ``jax.jit``."""

from .activations import (
    elu,
    gelu,
    leaky_relu,
    log_sigmoid,
    relu,
    sigmoid,
    softplus,
    tanh,
)
from .labels import one_hot
from .losses import binary_cross_entropy, cross_entropy, mse
from .mlp import init_mlp, make_blobs, mlp_backward, mlp_forward, mlp_loss, train_mlp
from .softmax import log_softmax, logsumexp, softmax

__all__ = [
    "binary_cross_entropy",
    "cross_entropy",
    "elu",
    "gelu",
    "init_mlp",
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "make_blobs",
    "mlp_backward",
    "mlp_forward",
    "mlp_loss",
    "mse",
    "one_hot",
    "relu",
    "sigmoid",
    "softmax",
    "softplus",
    "tanh",
    "train_mlp",
]
