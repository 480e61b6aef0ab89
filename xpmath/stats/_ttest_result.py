"""The t-tests' result: ``(statistic, pvalue)`` like SciPy's, with ``df`` and
``confidence_interval()``."""

from __future__ import annotations

from typing import Any, NamedTuple

from .._dispatch import backend_of
from .._errors import InvalidArgumentError
from .._results import result_type
from .._validate import as_scalar, check_real
from .distributions import t as t_dist


class ConfidenceInterval(NamedTuple):
    """Lower and upper bound (``-inf``/``inf`` on the open side of a one-sided test)."""

    low: Any
    high: Any


class _TtestFields(NamedTuple):
    statistic: Any
    pvalue: Any


@result_type
class TtestResult(_TtestFields):
    """Test statistic and p-value, unpacking as a 2-tuple like SciPy's, with the degrees of
    freedom as ``df``.

    Fields are arrays of the backend; a 0-d result on NumPy is a NumPy scalar, as in SciPy.
    :meth:`confidence_interval` gives the interval for the estimated mean (one sample), mean
    difference (paired) or difference in means (independent samples). The result passes
    whole through ``jax.jit``.

    Examples
    --------
    >>> import numpy as np
    >>> from xpmath import stats
    >>> r = stats.ttest_1samp(np.array([5.1, 4.9, 5.3, 5.2, 4.8]), 5.0)
    >>> stat, p = r
    >>> float(r.df)
    4.0
    >>> ci = r.confidence_interval(0.95)
    >>> round(float(ci.low), 4), round(float(ci.high), 4)
    (4.8025, 5.3175)
    """

    def __new__(
        cls,
        statistic: Any,
        pvalue: Any,
        df: Any = None,
        *,
        estimate: Any = None,
        standard_error: Any = None,
        alternative: str = "two-sided",
    ) -> TtestResult:
        self = super().__new__(cls, statistic, pvalue)
        self.df = df
        self._estimate, self._standard_error = estimate, standard_error
        self._alternative = alternative
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[Any, ...], dict[str, Any]]:
        kwargs = {
            "estimate": self._estimate,
            "standard_error": self._standard_error,
            "alternative": self._alternative,
        }
        return (self.statistic, self.pvalue, self.df), kwargs

    def __repr__(self) -> str:
        return f"TtestResult(statistic={self.statistic!r}, pvalue={self.pvalue!r}, df={self.df!r})"

    def _tree_flatten(self) -> tuple[list[Any], str]:
        leaves = [self.statistic, self.pvalue, self.df, self._estimate, self._standard_error]
        return leaves, self._alternative

    @classmethod
    def _tree_unflatten(cls, aux: str, children: Any) -> TtestResult:
        stat, p, df, est, se = children
        return cls(stat, p, df, estimate=est, standard_error=se, alternative=aux)

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Interval holding the true value with probability ``confidence_level``.

        Parameters
        ----------
        confidence_level : float
            In (0, 1); default 0.95.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)``; one-sided (``-inf`` or ``inf``) for ``alternative="less"`` or
            ``"greater"``, as in SciPy.

        Examples
        --------
        >>> import numpy as np
        >>> from xpmath import stats
        >>> r = stats.ttest_1samp(np.array([5.1, 4.9, 5.3, 5.2, 4.8]), 5.0)
        >>> round(float(r.confidence_interval(0.9).high), 4)
        5.2577
        """
        level = check_real(confidence_level, "confidence_level", "confidence_interval")
        if not 0 < level < 1:
            raise InvalidArgumentError(
                "confidence_interval: `confidence_level` must be a number between 0 and 1; "
                f"got {confidence_level!r}"
            )
        est, se = self._estimate, self._standard_error
        if est is None:
            raise InvalidArgumentError(
                "confidence_interval: this result was built from its statistic, p-value and "
                "df alone, without the estimate (call confidence_interval on the result the "
                "t-test returned)"
            )
        b = backend_of(est)
        xp = b.xp
        one_sided = self._alternative != "two-sided"
        q = level if one_sided else (1 + level) / 2
        df = self.df if hasattr(self.df, "shape") else xp.asarray(float(self.df))
        df = xp.astype(df, est.dtype)
        half = t_dist(df).ppf(xp.full_like(est, q)) * se
        inf = xp.full_like(est, xp.inf)
        low = -inf if self._alternative == "less" else est - half
        high = inf if self._alternative == "greater" else est + half
        return ConfidenceInterval(as_scalar(low), as_scalar(high))


def ttest_result(
    stat: Any, pvalue: Any, df: Any, estimate: Any, se: Any, alternative: str
) -> TtestResult:
    return TtestResult(
        as_scalar(stat),
        as_scalar(pvalue),
        as_scalar(df),
        estimate=estimate,
        standard_error=se,
        alternative=alternative,
    )
