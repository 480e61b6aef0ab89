"""Probability distributions computed on the backend with its special functions.

Each distribution is a frozen object (``stats.norm(loc, scale).cdf(x)``) whose methods also take
SciPy's class-level form with the parameters after ``x`` (``stats.norm.cdf(x, loc, scale)``,
``stats.t.cdf(x, df)``, ``stats.binom.pmf(k, n, p)``, ``stats.norm.rvs(size=3,
random_state=0)``). The continuous ones live in :mod:`.continuous`, the discrete ones in
:mod:`.discrete`; this module registers them in the capability table.
"""

from __future__ import annotations

from .._capabilities import routine
from .continuous import gamma, norm, t, uniform
from .discrete import bernoulli, binom, poisson

__all__ = ["bernoulli", "binom", "gamma", "norm", "poisson", "t", "uniform"]

_CF = "cdf/sf/ppf use xpmath's continued-fraction betainc"
_NOTES = {
    "gamma": {"torch": "cdf/sf/ppf use torch.special.gammainc, accurate to about 1e-9 relative"},
    "poisson": {"torch": "cdf/sf/ppf use torch.special.gammaincc, accurate to about 1e-9 relative"},
    "t": {"torch": _CF, "array_api_strict": _CF},
    "binom": {"torch": _CF, "array_api_strict": _CF},
}
for _cls in (norm, uniform, gamma, t, bernoulli, binom, poisson):
    routine(f"stats.{_cls.__name__}", note=_NOTES.get(_cls.__name__, ""))(_cls)
