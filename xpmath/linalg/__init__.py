"""Linear algebra with NumPy names and semantics on every backend.

One behaviour where backends differ: singular matrices raise :class:`xpmath.LinAlgError`
eagerly everywhere (NaN under ``jit``); shape errors name the arguments; integers are promoted
to the default float dtype; float32 matmul is strict float32 unless the fast mode is chosen.
"""

from .decompositions import (
    EigResult,
    QRResult,
    SVDResult,
    cholesky,
    eig,
    eigh,
    eigvals,
    eigvalsh,
    qr,
    svd,
)
from .norms import matrix_norm, norm, vector_norm
from .products import dot, inner, matmul, matrix_power, outer, tensordot, trace, vdot
from .properties import cond, matrix_rank
from .solvers import LstsqResult, SlogdetResult, det, inv, lstsq, pinv, slogdet, solve
from .stability import eps, finfo, normalize, standardize

__all__ = [
    "EigResult",
    "LstsqResult",
    "QRResult",
    "SVDResult",
    "SlogdetResult",
    "cholesky",
    "cond",
    "det",
    "dot",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "eps",
    "finfo",
    "inner",
    "inv",
    "lstsq",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "norm",
    "normalize",
    "outer",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "standardize",
    "svd",
    "tensordot",
    "trace",
    "vdot",
    "vector_norm",
]
