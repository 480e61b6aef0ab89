"""Statistics on the backend: descriptive statistics, distributions, t-tests, Bayes' rule."""

from .bayes import Posterior, bayes
from .correlation import corrcoef, cov
from .descriptive import mean, median, quantile, std, var
from .distributions import bernoulli, binom, gamma, norm, poisson, t, uniform
from .moments import kurtosis, skew, zscore
from .tests import ConfidenceInterval, TtestResult, ttest_1samp, ttest_ind, ttest_rel

__all__ = [
    "ConfidenceInterval",
    "Posterior",
    "TtestResult",
    "bayes",
    "bernoulli",
    "binom",
    "corrcoef",
    "cov",
    "gamma",
    "kurtosis",
    "mean",
    "median",
    "norm",
    "poisson",
    "quantile",
    "skew",
    "std",
    "t",
    "ttest_1samp",
    "ttest_ind",
    "ttest_rel",
    "uniform",
    "var",
    "zscore",
]
