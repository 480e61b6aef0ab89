"""Probability distributions computed on the backend with its special functions.

Each distribution is a frozen object (``stats.norm(loc, scale).cdf(x)``) whose methods also take
SciPy's class-level form with the parameters after ``x`` (``stats.norm.cdf(x, loc, scale)``,
``stats.t.cdf(x, df)``, ``stats.binom.pmf(k, n, p)``, ``stats.norm.rvs(size=3,
random_state=0)``). The continuous ones live in :mod:`.continuous`, the discrete ones in
:mod:`.discrete`; this module registers them in the capability table.
"""

from __future__ import annotations

from .._capabilities import routine
from .continuous import gamma, norm, uniform
from .discrete import bernoulli, binom, poisson
from .student_t import t

__all__ = ["bernoulli", "binom", "gamma", "norm", "poisson", "t", "uniform"]

_CF = "cdf/sf/ppf use xpmath's continued-fraction betainc"
#: torch has no betainc: small eager inputs take SciPy's (xpmath._special.HOST_SMALL)
TORCH_BETAINC = (
    "betainc (torch has none) runs through SciPy on the host for eager inputs of up to 4,096 "
    "elements, one copy each way; larger or autograd inputs use xpmath's continued fraction "
    "on the device"
)
#: array_api_strict has no special-function module: these run theirs through SciPy
_STRICT_HOST = (
    "the special functions ({}) run through SciPy on the host (array_api_strict has no "
    "special module); the array arithmetic and the result stay array_api_strict"
)
_HOST = "host"  # (the cell's mode: SciPy's special functions on the host)
#: (note, mode) per backend where a distribution's cell differs (None: the default mode)
_CELLS = {
    "norm": {"array_api_strict": (_STRICT_HOST.format("ndtr, log_ndtr, ndtri"), _HOST)},
    "gamma": {
        "torch": (
            "cdf/sf/ppf/isf use torch.special.gammainc, accurate to about 1e-9 relative",
            None,
        ),
        "array_api_strict": (_STRICT_HOST.format("gammainc, gammaincc, gammaln, ndtri"), _HOST),
    },
    "poisson": {
        "torch": (
            "cdf/sf/ppf/isf use torch.special.gammaincc, accurate to about 1e-9 relative",
            None,
        ),
        "array_api_strict": (_STRICT_HOST.format("gammainc, gammaincc, gammaln"), _HOST),
    },
    "t": {
        "torch": (TORCH_BETAINC, _HOST),
        "array_api_strict": (f"{_CF}; " + _STRICT_HOST.format("gammaln, ndtri"), _HOST),
    },
    "binom": {
        "torch": (TORCH_BETAINC, _HOST),
        "array_api_strict": (f"{_CF}; " + _STRICT_HOST.format("gammaln"), _HOST),
    },
}
for _cls in (norm, uniform, gamma, t, bernoulli, binom, poisson):
    _cells = _CELLS.get(_cls.__name__, {})
    _notes = {b: note for b, (note, _) in _cells.items()}
    _modes = {b: mode for b, (_, mode) in _cells.items() if mode}
    routine(f"stats.{_cls.__name__}", note=_notes, **_modes)(_cls)
