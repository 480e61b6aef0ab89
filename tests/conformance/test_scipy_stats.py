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


#: (names the class has had upstream, prefix). SciPy 1.18 renamed TestStudentTest and moved
#: the module-level t-test functions into classes (TestTTestRel, TestTTest1Samp,
#: TestTTestIndMore); each is adopted where the installed SciPy has it.
CLASSES = (
    (("TestStudentTest", "TestTTest_1samp"), "StudentTest"),
    (("TestTTestInd",), "TTestInd"),
    (("TestTTestIndMore",), "TTestIndMore"),
    (("TestTTestRel",), "TTestRel"),
    (("TestTTest1Samp",), "TTest1Samp"),
    (("TestSkew",), "Skew"),
    (("TestKurtosis",), "Kurtosis"),
    (("TestZscore",), "Zscore"),
)
#: the module-level test functions of SciPy up to 1.17
FUNCTIONS = (
    "test_ttest_rel",
    "test_ttest_ind",
    "test_ttest_1samp_new",
    "test_ttest_1samp_popmean_array",
    "test_ttest_uniform_pvalues",
)

for _names, _prefix in CLASSES:
    for _name in _names:
        if hasattr(upstream, _name):
            globals().update(adopt(getattr(upstream, _name), upstream, NAMES, _prefix))
            break

_functions = tuple(name for name in FUNCTIONS if hasattr(upstream, name))
if _functions:
    globals().update(adopt_functions(upstream, _functions, NAMES, "TTestFunctions"))

#: every t-test case of either layout is adopted: a rename upstream must not drop cases silently
_ADOPTED = {n for names, _ in CLASSES for n in names if hasattr(upstream, n)} | set(_functions)
if not {"TestTTestRel", "test_ttest_rel"} & _ADOPTED or len(_ADOPTED) < 6:
    raise LookupError(f"SciPy's t-test cases moved again in {upstream.__file__}: {_ADOPTED}")
