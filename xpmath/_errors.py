"""The exception vocabulary of xpmath.

Every exception derives from :class:`XpmathError` *and* from the builtin a user would
naturally catch (``ValueError``, ``TypeError``, ``ImportError``), so code written against
NumPy's conventions keeps working.
"""

from __future__ import annotations

import functools
import importlib
import warnings

import numpy as np

__all__ = [
    "ArgumentTypeError",
    "AxisError",
    "BackendMismatchError",
    "BackendUnavailableError",
    "DTypeError",
    "IntegrationWarning",
    "InvalidArgumentError",
    "LinAlgError",
    "LinAlgShapeError",
    "NoLimitError",
    "OptimizeWarning",
    "PrecisionError",
    "PrecisionLossWarning",
    "ShapeError",
    "SmallSampleWarning",
    "XpmathError",
    "XpmathWarning",
]


class XpmathError(Exception):
    """Base class of every error raised by xpmath."""


class XpmathWarning(UserWarning):
    """Warning issued by xpmath (degenerate input, fallbacks, loss of accuracy)."""


class PrecisionLossWarning(XpmathWarning, RuntimeWarning):
    """Nearly identical data lost their digits in a moment calculation (catastrophic
    cancellation), or constant data gave a degenerate statistic.

    A ``RuntimeWarning`` too, as SciPy issues for the same data.
    """


class SmallSampleWarning(XpmathWarning, RuntimeWarning):
    """A sample (or an axis-slice of one) is too small for the statistic, so its result is
    NaN; as SciPy, also after ``nan_policy="omit"`` removed NaNs.

    A ``RuntimeWarning`` too; where SciPy (1.14+) is installed, the warning issued is also an
    instance of SciPy's own ``SmallSampleWarning``, so filters written for SciPy catch it.
    """


class IntegrationWarning(XpmathWarning, RuntimeWarning):
    """An adaptive integral stopped above its tolerance: the subinterval limit was reached, or
    rounding (or a non-finite integrand value) keeps the error estimate from shrinking, as
    SciPy's ``IntegrationWarning`` reports for ``quad``. The result still carries its error
    estimate.

    A ``RuntimeWarning`` too; where SciPy is installed, the warning issued is also an instance
    of ``scipy.integrate.IntegrationWarning``, so filters written for SciPy catch it.
    """


class OptimizeWarning(XpmathWarning, RuntimeWarning):
    """An optimiser was given information its method does not use (a Hessian to BFGS), as
    SciPy warns with a ``RuntimeWarning``."""


class BackendUnavailableError(XpmathError, ImportError):
    """A known backend is not installed or has no usable device."""


class BackendMismatchError(XpmathError, TypeError):
    """Arrays from two different backends were passed to one call."""


class PrecisionError(XpmathError, ValueError):
    """A requested precision (usually float64) cannot be honoured by the backend as configured."""


class ShapeError(XpmathError, ValueError):
    """An argument has a shape the routine cannot work with."""


class DTypeError(XpmathError, TypeError):
    """An argument has a dtype the routine cannot work with."""


class InvalidArgumentError(XpmathError, ValueError):
    """An argument has a value outside its valid range or set."""


class NoLimitError(XpmathError, ArithmeticError):
    """A numerical limit does not exist (one-sided limits differ, or the function diverges)."""


class LinAlgError(XpmathError, np.linalg.LinAlgError):
    """A linear-algebra failure: singular matrix, not positive definite, no convergence.

    Subclasses :class:`numpy.linalg.LinAlgError` (itself a ``ValueError``), so existing
    ``except np.linalg.LinAlgError`` blocks catch it on every backend.
    """


class LinAlgShapeError(ShapeError, LinAlgError):
    """A matrix of the wrong shape for a linear-algebra routine (not square, fewer than two
    dimensions, right-hand side of another length).

    Both a :class:`ShapeError` and a :class:`LinAlgError` (so a
    :class:`numpy.linalg.LinAlgError`), as NumPy raises ``LinAlgError`` for these faults.
    """


class AxisError(ShapeError, np.exceptions.AxisError):
    """An ``axis`` argument is out of range for the array's dimensions.

    Also a :class:`numpy.exceptions.AxisError` (so a ``ValueError`` and an ``IndexError``), as
    NumPy raises for the same fault.
    """

    def __init__(self, message: str) -> None:
        np.exceptions.AxisError.__init__(self, message)


class ArgumentTypeError(InvalidArgumentError, TypeError):
    """An argument has the wrong Python type or count (a float where an integer axis is
    needed, too many spacings...).

    A ``TypeError``, as NumPy raises for these faults, and an :class:`InvalidArgumentError`,
    as xpmath raised for them before.
    """


# Public classes live in ``xpmath``'s namespace: tracebacks read ``xpmath.ShapeError``.
for _cls in (
    XpmathError,
    XpmathWarning,
    IntegrationWarning,
    OptimizeWarning,
    PrecisionLossWarning,
    SmallSampleWarning,
    BackendUnavailableError,
    BackendMismatchError,
    PrecisionError,
    ShapeError,
    DTypeError,
    InvalidArgumentError,
    NoLimitError,
    LinAlgError,
    AxisError,
    ArgumentTypeError,
):
    _cls.__module__ = "xpmath"


def warn(message: str, stacklevel: int = 3, category: type[Warning] = XpmathWarning) -> None:
    """Issue an :class:`XpmathWarning` (or ``category``) pointing at the caller's caller."""
    warnings.warn(message, category, stacklevel=stacklevel)


@functools.cache
def scipy_category(category: type[Warning], module: str, name: str) -> type[Warning]:
    """``category``, also an instance of SciPy's warning ``module.name`` where SciPy has it, so
    warning filters written for SciPy catch xpmath's (SciPy is imported on first use only)."""
    try:
        theirs = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):  # pragma: no cover - an older SciPy
        return category
    both = type(category.__name__, (category, theirs), {"__doc__": category.__doc__})
    both.__module__ = "xpmath"
    return both
