"""SciPy's own tests of the t-tests, skew, kurtosis and zscore
(scipy/stats/tests/test_stats.py) against xpmath.stats on every backend."""

from __future__ import annotations

import scipy.stats.tests.test_stats as upstream

from xpmath import stats

from ._adapt import adopt, adopt_functions

NAMES = {
    "stats": {
        "ttest_1samp": stats.ttest_1samp,
        "ttest_ind": stats.ttest_ind,
        "ttest_rel": stats.ttest_rel,
        "skew": stats.skew,
        "kurtosis": stats.kurtosis,
        "zscore": stats.zscore,
    }
}

for _cls, _prefix in (
    (upstream.TestStudentTest, "StudentTest"),
    (upstream.TestTTestInd, "TTestInd"),
    (upstream.TestSkew, "Skew"),
    (upstream.TestKurtosis, "Kurtosis"),
    (upstream.TestZscore, "Zscore"),
):
    globals().update(adopt(_cls, upstream, NAMES, _prefix))

globals().update(
    adopt_functions(
        upstream,
        (
            "test_ttest_rel",
            "test_ttest_ind",
            "test_ttest_1samp_new",
            "test_ttest_1samp_popmean_array",
            "test_ttest_uniform_pvalues",
        ),
        NAMES,
        "TTestFunctions",
    )
)
