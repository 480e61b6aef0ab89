"""Eigen-decompositions, SVD, QR and Cholesky.

Conventions (documented because backends differ): eigenvectors are the columns of the returned
matrix, normalised to unit 2-norm; their sign (phase) and, for ``eig``, the eigenvalue order
are whatever the backend's LAPACK-style routine produced, so compare invariants such as
``A @ v == λ v`` rather than raw vectors. ``eigh`` sorts eigenvalues ascending.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .._capabilities import routine
from .._dispatch import backend_of, placed_like
from .._errors import ArgumentTypeError
from .._validate import as_float, check_choice, check_matrix, check_square
from ._common import (
    check_factorable,
    guard_finite,
    native_errors,
    nonfinite_safe,
    refuses_nonfinite,
)

__all__ = [
    "EigResult",
    "QRResult",
    "SVDResult",
    "cholesky",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "qr",
    "svd",
]


class EigResult(NamedTuple):
    eigenvalues: Any
    eigenvectors: Any


class SVDResult(NamedTuple):
    U: Any
    S: Any
    Vh: Any


class QRResult(NamedTuple):
    Q: Any
    R: Any


def _prep(a: Any, arg: str, func: str, square: bool = True) -> tuple[Any, Any]:
    b = backend_of(a)
    a = as_float(a, b, arg, func)
    check_factorable(b.xp, a, arg, func)
    if square:
        check_square(a, arg, func)
    else:
        check_matrix(a, arg, func)
    return b, a


#: NumPy before 2.5 returns real eigen-results for a real matrix whose eigenvalues are all real;
#: NumPy 2.5 made ``eig``/``eigvals`` always complex (numpy/numpy#30411). xpmath follows the
#: installed NumPy, the reference its answers are held to.
NUMPY_CASTS_REAL_EIG = tuple(int(p) for p in np.__version__.split(".")[:2]) < (2, 5)


def _real_if_real(xp: Any, a: Any, values: Any, *others: Any) -> tuple[Any, ...]:
    """Under NumPy < 2.5, real eigen-results for a *real* matrix whose eigenvalues are all
    real, when eager; a complex matrix always gives complex results, as in NumPy."""
    if (
        not NUMPY_CASTS_REAL_EIG
        or not xp.isdtype(a.dtype, "real floating")
        or not backend_of(values).is_concrete(values)
        or not xp.isdtype(values.dtype, "complex floating")
    ):
        return (values, *others)
    if bool(xp.all(xp.imag(values) == 0)):
        return (xp.real(values), *(xp.real(o) for o in others))
    return (values, *others)


def _eig(xp: Any, a: Any) -> EigResult:
    w, v = xp.linalg.eig(a)
    return EigResult(*_real_if_real(xp, a, w, v))


def _eigvals(xp: Any, a: Any) -> Any:
    return _real_if_real(xp, a, xp.linalg.eigvals(a))[0]


@routine(
    "linalg.eig",
    default="native",
    cupy="host",
    dask="host",
    array_api_strict="generic",
    host_check=refuses_nonfinite("eig"),
    note={"jax": "JAX computes eig on the CPU only."},
)
def eig(a: Any, /) -> EigResult:
    """Eigenvalues and right eigenvectors of a general square matrix (or stack).

    The results are complex, as in NumPy 2.5 and later. Under an installed NumPy older than
    2.5, a real matrix whose eigenvalues are all real gives real results when run eagerly,
    as that NumPy does (under ``jit`` the results are always complex). Eigenvectors are
    unit-norm columns; their phase and the eigenvalue order are not specified — compare
    ``a @ v`` with ``v * w``.

    Returns
    -------
    EigResult
        ``(eigenvalues, eigenvectors)``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> w, v = linalg.eig(np.array([[-1.0, 2.0], [2.0, -1.0]]))
    >>> sorted(np.round(w.real, 6).tolist())
    [-3.0, 1.0]
    """
    b, a = _prep(a, "a", "eig")
    impl = b.implementation("linalg.eig", _eig)
    with native_errors("eig", "the eigenvalue algorithm did not converge"):
        w, v = nonfinite_safe(b, a, "eig", lambda m: impl(b.xp, m))
    return EigResult(w, v)


@routine(
    "linalg.eigvals",
    default="native",
    cupy="host",
    dask="host",
    array_api_strict="generic",
    host_check=refuses_nonfinite("eigvals"),
    note={"jax": "JAX computes eig on the CPU only."},
)
def eigvals(a: Any, /) -> Any:
    """Eigenvalues of a general square matrix (see :func:`eig` for the dtype convention).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> np.round(linalg.eigvals(np.array([[2.0, 0.0], [0.0, 3.0]])).real, 6)
    array([2., 3.])
    """
    b, a = _prep(a, "a", "eigvals")
    impl = b.implementation("linalg.eigvals", _eigvals)
    with native_errors("eigvals", "the eigenvalue algorithm did not converge"):
        return nonfinite_safe(b, a, "eigvals", lambda m: impl(b.xp, m))


def _from_lower(xp: Any, a: Any) -> Any:
    """The Hermitian matrix whose lower triangle is ``a``'s (NumPy's ``UPLO='L'``).

    NumPy, torch and CuPy read only the lower triangle; JAX averages ``a`` with its
    transpose. Building the matrix from the lower triangle first gives every backend the
    same answer for a non-symmetric input (O(n²) next to the O(n³) solver)."""
    idx = xp.arange(a.shape[-1], **placed_like(a))
    below = idx[:, None] > idx[None, :]
    diag = idx[:, None] == idx[None, :]
    upper = xp.matrix_transpose(a)
    d = a
    if xp.isdtype(a.dtype, "complex floating"):
        upper = xp.conj(upper)
        d = xp.astype(xp.real(a), a.dtype)  # a Hermitian matrix has a real diagonal
    return xp.where(below, a, xp.where(diag, d, upper))


def _eigh(xp: Any, a: Any) -> EigResult:
    w, v = xp.linalg.eigh(a)
    return EigResult(w, v)


@routine(
    "linalg.eigh",
    default="native",
    dask="host",
    array_api_strict="generic",
    host_check=refuses_nonfinite("eigh"),
)
def eigh(a: Any, /) -> EigResult:
    """Eigen-decomposition of a symmetric / Hermitian matrix; only the lower triangle is read.

    Eigenvalues are real and ascending; eigenvectors are orthonormal columns.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> w, v = linalg.eigh(np.array([[2.0, 1.0], [1.0, 2.0]]))
    >>> np.round(w, 6)
    array([1., 3.])
    """
    b, a = _prep(a, "a", "eigh")
    a = _from_lower(b.xp, a)
    impl = b.implementation("linalg.eigh", _eigh)
    with native_errors("eigh", "the eigenvalue algorithm did not converge"):
        # (a's lower triangle, by now: NumPy ignores the upper one)
        w, v = nonfinite_safe(b, a, "eigh", lambda m: impl(b.xp, m))
    return EigResult(w, v)


def _eigvalsh(xp: Any, a: Any) -> Any:
    return xp.linalg.eigvalsh(a)


@routine(
    "linalg.eigvalsh",
    default="native",
    dask="host",
    array_api_strict="generic",
    host_check=refuses_nonfinite("eigvalsh"),
)
def eigvalsh(a: Any, /) -> Any:
    """Eigenvalues (ascending) of a symmetric / Hermitian matrix; only the lower triangle is
    read, on every backend (as NumPy).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> np.round(linalg.eigvalsh(np.array([[2.0, 1.0], [1.0, 2.0]])), 6)
    array([1., 3.])
    """
    b, a = _prep(a, "a", "eigvalsh")
    a = _from_lower(b.xp, a)
    impl = b.implementation("linalg.eigvalsh", _eigvalsh)
    with native_errors("eigvalsh", "the eigenvalue algorithm did not converge"):
        return nonfinite_safe(b, a, "eigvalsh", lambda m: impl(b.xp, m))


def _svd(xp: Any, a: Any, full_matrices: bool, compute_uv: bool) -> Any:
    if not compute_uv:
        return xp.linalg.svdvals(a)
    u, s, vh = xp.linalg.svd(a, full_matrices=full_matrices)
    return SVDResult(u, s, vh)


@routine(
    "linalg.svd",
    default="native",
    array_api_strict="generic",
    dask="host",
    host_check=refuses_nonfinite("svd"),
)
def svd(
    a: Any, /, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False
) -> Any:
    """Singular value decomposition ``a = U @ diag(S) @ Vh`` (NumPy semantics).

    Returns ``SVDResult(U, S, Vh)``, or only ``S`` (descending) when ``compute_uv=False``.
    ``full_matrices`` and ``compute_uv`` may be passed by position, as NumPy's ``svd`` allows.
    ``hermitian=True`` is accepted for NumPy compatibility; the general SVD is computed (the
    same singular values; ``U`` and ``Vh`` may differ from NumPy's eigendecomposition-based
    ones by the signs or phases of their columns).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> np.round(linalg.svd(np.array([[3.0, 0.0], [0.0, -4.0]]), compute_uv=False), 6)
    array([4., 3.])
    """
    if not isinstance(hermitian, bool | np.bool_):
        raise ArgumentTypeError(f"svd: hermitian must be True or False; got {hermitian!r}")
    b, a = _prep(a, "a", "svd", square=False)
    if not compute_uv:
        return singular_values(b, a, "svd")
    impl, full = b.implementation("linalg.svd", _svd), bool(full_matrices)
    with native_errors("svd", "the SVD did not converge"):
        return nonfinite_safe(b, a, "svd", lambda m: impl(b.xp, m, full, True))


def singular_values(b: Any, a: Any, func: str) -> Any:
    """The singular values (descending) of a float matrix or stack ``a`` that ``func`` has
    checked (dtype, at least 2-D): the one finiteness check and the SVD's error, named for
    ``func`` (``matrix_rank`` and ``cond`` are built on it)."""
    impl = b.implementation("linalg.svd", _svd)
    with native_errors(func, "the SVD did not converge"):
        return nonfinite_safe(b, a, func, lambda m: impl(b.xp, m, False, False))


def _qr(xp: Any, a: Any, mode: str) -> Any:
    q, r = xp.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")
    return r if mode == "r" else QRResult(q, r)


@routine("linalg.qr", default="native", array_api_strict="generic", dask="host")
def qr(a: Any, /, *, mode: str = "reduced") -> Any:
    """QR decomposition; ``mode`` is ``'reduced'``, ``'complete'`` or ``'r'`` (R only).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> q, r = linalg.qr(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    >>> q.shape, r.shape
    ((3, 2), (2, 2))
    """
    check_choice(mode, "mode", ("reduced", "complete", "r"), "qr")
    b, a = _prep(a, "a", "qr", square=False)
    return b.implementation("linalg.qr", _qr)(b.xp, a, mode)


def _cholesky(xp: Any, a: Any, upper: bool) -> Any:
    return xp.linalg.cholesky(a, upper=upper)


@routine("linalg.cholesky", default="native", array_api_strict="generic", dask="host")
def cholesky(a: Any, /, *, upper: bool = False) -> Any:
    """Cholesky factor ``L`` (``a = L @ L^H``) of a Hermitian positive-definite matrix.

    Only the lower triangle of ``a`` is read (the upper one for ``upper=True``, which returns
    ``U = L^H``), on every backend, as in NumPy.

    Raises
    ------
    xpmath.LinAlgError
        ``a`` is not positive definite (eagerly; NaN under ``jit``).

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import linalg
    >>> linalg.cholesky(np.array([[4.0, 2.0], [2.0, 2.0]]))
    array([[2., 0.],
           [1., 1.]])
    """
    b, a = _prep(a, "a", "cholesky")
    # the triangle NumPy reads (lower, or upper for upper=True), as a Hermitian matrix: JAX
    # would average a with its transpose, so a non-symmetric input gave another answer
    xp = b.xp
    a = _from_lower(xp, xp.conj(xp.matrix_transpose(a)) if upper else a)
    what = "matrix a is not positive definite"
    with native_errors("cholesky", what):
        out = b.implementation("linalg.cholesky", _cholesky)(b.xp, a, bool(upper))
    return guard_finite(b, b.xp, out, a, "cholesky", what)
