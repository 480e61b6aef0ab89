"""Backpropagation, worked: a 2-layer perceptron written once with xpmath.

The network is ``logits = tanh(x W1 + b1) W2 + b2`` with softmax cross-entropy. The backward
pass is the chain rule in matrix form, written out by hand:

* ``dL/dlogits = (softmax(logits) - onehot(y)) / N``
* ``dL/dW2 = hᵀ dlogits``, ``dL/db2 = Σ_rows dlogits``
* ``dL/dh = dlogits W2ᵀ``, ``dL/dz1 = dL/dh ⊙ (1 - h²)`` (``tanh' = 1 - tanh²``)
* ``dL/dW1 = xᵀ dz1``, ``dL/db1 = Σ_rows dz1``

The test suite checks these gradients against :func:`xpmath.calculus.grad` on every backend.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from .._capabilities import routine
from .._convert import asarray
from .._dispatch import backend_of, default_backend
from .._errors import DTypeError, InvalidArgumentError, ShapeError
from .._validate import as_array, check_int, check_real
from .labels import one_hot
from .losses import cross_entropy
from .softmax import softmax

__all__ = ["init_mlp", "make_blobs", "mlp_backward", "mlp_forward", "mlp_loss", "train_mlp"]

Params = dict[str, Any]
_KEYS = ("W1", "b1", "W2", "b2")


@routine("nn.make_blobs")
def make_blobs(
    n_samples: int = 300,
    n_features: int = 2,
    n_classes: int = 3,
    *,
    spread: float = 1.0,
    seed: int = 0,
    backend: str | None = None,
    dtype: str = "float64",
) -> tuple[Any, Any]:
    """A generated classification data set: Gaussian blobs around random centres.

    Parameters
    ----------
    n_samples, n_features, n_classes : int
        Data set size, input dimension and number of classes.
    spread : float
        Standard deviation of each blob (centres are 4 apart on average).
    seed : int
        Seed; the same seed gives the same data on every backend.
    backend : str, optional
        Backend of the returned arrays; the current default otherwise.
    dtype : str
        Float dtype of ``x``.

    Returns
    -------
    x : array, shape (n_samples, n_features)
    y : array of int64, shape (n_samples,)

    Examples
    --------
    >>> from xpmath import nn
    >>> x, y = nn.make_blobs(6, 2, 3, backend="numpy")
    >>> x.shape, y.tolist()
    ((6, 2), [0, 1, 2, 0, 1, 2])
    """
    n = check_int(n_samples, "n_samples", "make_blobs", minimum=1)
    d = check_int(n_features, "n_features", "make_blobs", minimum=1)
    k = check_int(n_classes, "n_classes", "make_blobs", minimum=1)
    spread = check_real(spread, "spread", "make_blobs", positive=True)
    gen = np.random.default_rng(seed)
    centres = gen.normal(scale=4.0, size=(k, d))
    y = np.arange(n) % k
    x = centres[y] + spread * gen.standard_normal((n, d))
    b = default_backend(backend)
    return asarray(x, dtype=dtype, backend=b.name), asarray(y, dtype="int64", backend=b.name)


@routine("nn.init_mlp")
def init_mlp(
    n_in: int,
    n_hidden: int,
    n_out: int,
    *,
    seed: int = 0,
    backend: str | None = None,
    dtype: str = "float64",
) -> Params:
    """Glorot-initialised parameters ``{"W1", "b1", "W2", "b2"}`` of the 2-layer network.

    Parameters
    ----------
    n_in, n_hidden, n_out : int
        Layer widths.
    seed : int
        Seed; the same seed gives the same weights on every backend.
    backend : str, optional
        Backend of the parameters; the current default otherwise.
    dtype : str
        Float dtype of the parameters.

    Returns
    -------
    dict
        ``W1`` (n_in, n_hidden), ``b1`` (n_hidden,), ``W2`` (n_hidden, n_out), ``b2`` (n_out,).

    Examples
    --------
    >>> from xpmath import nn
    >>> p = nn.init_mlp(2, 8, 3, backend="numpy")
    >>> {k: v.shape for k, v in p.items()}
    {'W1': (2, 8), 'b1': (8,), 'W2': (8, 3), 'b2': (3,)}
    """
    sizes = [
        check_int(v, a, "init_mlp", minimum=1)
        for v, a in ((n_in, "n_in"), (n_hidden, "n_hidden"), (n_out, "n_out"))
    ]
    gen = np.random.default_rng(seed)
    b = default_backend(backend)

    def glorot(fan_in: int, fan_out: int) -> Any:
        w = gen.normal(scale=math.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))
        return asarray(w, dtype=dtype, backend=b.name)

    return {
        "W1": glorot(sizes[0], sizes[1]),
        "b1": asarray(np.zeros(sizes[1]), dtype=dtype, backend=b.name),
        "W2": glorot(sizes[1], sizes[2]),
        "b2": asarray(np.zeros(sizes[2]), dtype=dtype, backend=b.name),
    }


def _checked(params: Any, x: Any, func: str) -> tuple[Any, Any]:
    """The backend and ``x`` (an array) once ``params`` is a network :func:`init_mlp` could
    have made and ``x`` fits it; every fault named as ``func``'s."""
    if not isinstance(params, dict):
        raise InvalidArgumentError(
            f"{func}: params must be a dict with keys {_KEYS} (see init_mlp); "
            f"got {type(params).__name__}"
        )
    missing = [k for k in _KEYS if k not in params]
    if missing:
        raise ShapeError(
            f"{func}: params must be a dict with keys {_KEYS} (see init_mlp); missing {missing}"
        )
    for k in _KEYS:
        if not hasattr(params[k], "shape"):
            raise DTypeError(
                f"{func}: params[{k!r}] must be an array (see init_mlp); "
                f"got {type(params[k]).__name__}"
            )
    w1, b1, w2, b2 = (params[k] for k in _KEYS)
    b = backend_of(x, w1, b1, w2, b2)
    x = as_array(x, b, "x", func, like=w1)
    fits = (
        len(w1.shape) == 2
        and tuple(b1.shape) == (w1.shape[1],)
        and len(w2.shape) == 2
        and w2.shape[0] == w1.shape[1]
        and tuple(b2.shape) == (w2.shape[1],)
    )
    if not fits:
        shapes = ", ".join(f"{k} {tuple(params[k].shape)}" for k in _KEYS)
        raise ShapeError(
            f"{func}: params are not one network: W1 (n_in, n_hidden), b1 (n_hidden,), "
            f"W2 (n_hidden, n_out), b2 (n_out,); got {shapes}"
        )
    if x.ndim != 2 or x.shape[1] != w1.shape[0]:
        raise ShapeError(f"{func}: x must have shape (N, {w1.shape[0]}); got {tuple(x.shape)}")
    return b, x


def _forward(params: Params, x: Any, func: str) -> tuple[Any, Any, Any]:
    """``(logits, h, x)`` of :func:`mlp_forward`, its faults named as ``func``'s."""
    b, x = _checked(params, x, func)
    h = b.xp.tanh(x @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"], h, x


@routine("nn.mlp_forward")
def mlp_forward(params: Params, x: Any) -> tuple[Any, Any]:
    """Forward pass: returns ``(logits, h)`` with ``h = tanh(x W1 + b1)`` kept for backward.

    Parameters
    ----------
    params : dict
        From :func:`init_mlp`.
    x : array, shape (N, n_in)
        Inputs.

    Returns
    -------
    logits : array, shape (N, n_out)
    h : array, shape (N, n_hidden)

    Examples
    --------
    >>> from xpmath import nn
    >>> x, y = nn.make_blobs(5, 2, 3, backend="numpy")
    >>> logits, h = nn.mlp_forward(nn.init_mlp(2, 4, 3, backend="numpy"), x)
    >>> logits.shape, h.shape
    ((5, 3), (5, 4))
    """
    logits, h, _ = _forward(params, x, "mlp_forward")
    return logits, h


@routine("nn.mlp_loss")
def mlp_loss(params: Params, x: Any, y: Any) -> Any:
    """Mean softmax cross-entropy of the network on ``(x, y)``.

    Parameters
    ----------
    params : dict
        From :func:`init_mlp`.
    x : array, shape (N, n_in)
        Inputs.
    y : array of int, shape (N,)
        Class labels.

    Returns
    -------
    array
        0-d loss.

    Examples
    --------
    >>> from xpmath import nn
    >>> x, y = nn.make_blobs(30, 2, 3, backend="numpy")
    >>> float(nn.mlp_loss(nn.init_mlp(2, 8, 3, backend="numpy"), x, y)) > 0
    True
    """
    return cross_entropy(_forward(params, x, "mlp_loss")[0], y)


@routine("nn.mlp_backward")
def mlp_backward(params: Params, x: Any, y: Any) -> tuple[Any, Params]:
    """Loss and its gradient with respect to every parameter, by the chain rule by hand.

    Parameters
    ----------
    params : dict
        From :func:`init_mlp`.
    x : array, shape (N, n_in)
        Inputs.
    y : array of int, shape (N,)
        Class labels.

    Returns
    -------
    loss : array
        0-d loss, as :func:`mlp_loss`.
    grads : dict
        ``dL/dW1``, ``dL/db1``, ``dL/dW2``, ``dL/db2`` under the parameter names.

    Examples
    --------
    >>> from xpmath import nn
    >>> x, y = nn.make_blobs(30, 2, 3, backend="numpy")
    >>> loss, g = nn.mlp_backward(nn.init_mlp(2, 8, 3, backend="numpy"), x, y)
    >>> g["W1"].shape
    (2, 8)
    """
    logits, h, x = _forward(params, x, "mlp_backward")
    xp = backend_of(logits).xp
    n, k = logits.shape
    loss = cross_entropy(logits, y)
    dlogits = (softmax(logits) - one_hot(y, k, dtype=logits.dtype)) / n
    dz1 = (dlogits @ xp.permute_dims(params["W2"], (1, 0))) * (1 - h * h)
    grads = {
        "W1": xp.permute_dims(x, (1, 0)) @ dz1,
        "b1": xp.sum(dz1, axis=0),
        "W2": xp.permute_dims(h, (1, 0)) @ dlogits,
        "b2": xp.sum(dlogits, axis=0),
    }
    return loss, grads


@functools.lru_cache(maxsize=8)
def _train_step(b: Any) -> Any:
    """One full-batch update of ``train_mlp``, compiled once per backend (JAX) with the
    learning rate as an argument: compiled anew on every call, it cost 0.2 s a call."""

    def step(p: Params, xb: Any, yb: Any, lr: Any) -> tuple[Params, Any]:
        loss, g = mlp_backward(p, xb, yb)
        return {k: p[k] - lr * g[k] for k in _KEYS}, loss

    return b.jit(step)


@routine(
    "nn.train_mlp",
    jit_safe=False,
    lazy=False,
    note="returns the loss history as Python floats: reads values each step",
)
def train_mlp(
    params: Params, x: Any, y: Any, *, lr: float = 0.5, steps: int = 100
) -> tuple[Params, list[float]]:
    """Plain gradient descent with the hand-written gradients of :func:`mlp_backward`.

    Parameters
    ----------
    params : dict
        Initial parameters (not modified).
    x, y : array
        Inputs (N, n_in) and integer labels (N,).
    lr : float
        Learning rate.
    steps : int
        Number of full-batch updates. On JAX each step is one compiled function.

    Returns
    -------
    params : dict
        Trained parameters.
    losses : list of float
        The loss before each step, then the final loss (``steps + 1`` values).

    Examples
    --------
    >>> from xpmath import nn
    >>> x, y = nn.make_blobs(90, 2, 3, backend="numpy")
    >>> p, losses = nn.train_mlp(nn.init_mlp(2, 8, 3, backend="numpy"), x, y, steps=50)
    >>> losses[-1] < losses[0]
    True
    """
    lr = check_real(lr, "lr", "train_mlp", positive=True)
    steps = check_int(steps, "steps", "train_mlp", minimum=0)
    b, x = _checked(params, x, "train_mlp")

    step = _train_step(b)
    losses = []
    for _ in range(steps):
        params, loss = step(params, x, y, lr)
        params = {k: b.persist(v) for k, v in params.items()}  # Dask: keep the graph flat
        losses.append(float(loss))
    losses.append(float(mlp_loss(params, x, y)))
    return params, losses
