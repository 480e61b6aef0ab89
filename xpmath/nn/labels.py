"""Class labels as arrays: ``one_hot``."""

from __future__ import annotations

from typing import Any

from .._capabilities import routine
from .._dispatch import backend_of, placed_like
from .._errors import DTypeError, InvalidArgumentError
from .._validate import as_array, check_int, dtype_kind

__all__ = ["one_hot"]


@routine("nn.one_hot")
def one_hot(labels: Any, num_classes: int, *, dtype: Any = None) -> Any:
    """Encode integer class labels as one-hot rows along a new last axis.

    Parameters
    ----------
    labels : array of int
        Class indices in ``[0, num_classes)``, any shape.
    num_classes : int
        Number of classes (a Python int, so the shape is static under ``jit``).
    dtype : dtype, optional
        Output dtype; the backend's default float by default.

    Returns
    -------
    array
        Shape ``labels.shape + (num_classes,)``.

    Raises
    ------
    InvalidArgumentError
        On NumPy, CuPy, PyTorch and array_api_strict, when a label is outside
        ``[0, num_classes)``. On JAX (which may be tracing) and Dask (lazy) such a label gives
        a row of zeros, as ``jax.nn.one_hot`` does.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import nn
    >>> nn.one_hot(np.array([0, 2]), 3)
    array([[1., 0., 0.],
           [0., 0., 1.]])
    """
    num_classes = check_int(num_classes, "num_classes", "one_hot", minimum=1)
    b = backend_of(labels)
    xp = b.xp
    labels = as_array(labels, b, "labels", "one_hot")
    if dtype_kind(labels, xp) not in "iu":
        raise DTypeError(f"one_hot: labels must be integers; got dtype {labels.dtype}")
    # the values read are the reductions: inside a jit trace even a concrete input's
    # reductions are traced, so their concreteness is what decides
    lo_hi = (xp.min(labels), xp.max(labels)) if 0 not in tuple(labels.shape) else None
    if lo_hi is not None and b.is_concrete(lo_hi[0]):
        lo, hi = int(lo_hi[0]), int(lo_hi[1])
        if lo < 0 or hi >= num_classes:
            raise InvalidArgumentError(
                f"one_hot: labels must lie in [0, {num_classes}); got values in [{lo}, {hi}]"
            )
    classes = xp.arange(num_classes, dtype=labels.dtype, **placed_like(labels))
    if dtype is None:
        out_dtype = b.default_float()
    else:  # 0/1 in any numeric dtype; a 64-bit one the backend would narrow is refused
        numeric = "real floating" if "float" in str(dtype) else "numeric"
        out_dtype = b.request_dtype(dtype, "one_hot", numeric)
    return xp.astype(labels[..., None] == classes, out_dtype)
