"""SciPy's own tests of ``logsumexp``, ``softmax`` and ``log_softmax``
(scipy/special/tests/test_logsumexp.py) against xpmath.nn on every backend."""

from __future__ import annotations

import scipy.special.tests.test_logsumexp as upstream

from xpmath import nn

from ._adapt import adopt

NAMES = {"logsumexp": nn.logsumexp, "softmax": nn.softmax, "log_softmax": nn.log_softmax}

globals().update(adopt(upstream.TestLogSumExp, upstream, NAMES, "LogSumExp"))
globals().update(adopt(upstream.TestSoftmax, upstream, NAMES, "Softmax"))
globals().update(adopt(upstream.TestLogSoftmax, upstream, NAMES, "LogSoftmax"))
