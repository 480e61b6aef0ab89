"""Bayes' theorem over a discrete set of hypotheses."""

from __future__ import annotations

from typing import Any, NamedTuple

from .._capabilities import routine
from .._dispatch import backend_of
from .._errors import InvalidArgumentError, ShapeError
from .._validate import as_float, broadcast_shape

__all__ = ["Posterior", "bayes"]


class Posterior(NamedTuple):
    """``posterior`` P(H | E) per hypothesis, and the ``evidence`` P(E) = Σ P(E | H) P(H)."""

    posterior: Any
    evidence: Any


@routine("stats.bayes")
def bayes(prior: Any, likelihood: Any) -> Posterior:
    """Posterior over discrete hypotheses: ``P(H|E) = P(E|H) P(H) / P(E)``.

    Parameters
    ----------
    prior : array
        P(H) over the hypotheses along the last axis; normalised here if it does not sum to 1.
    likelihood : array
        P(E | H), broadcastable against ``prior``.

    Returns
    -------
    Posterior
        ``(posterior, evidence)``; the posterior sums to 1 along the last axis. Evidence 0
        (the observation is impossible under every hypothesis) gives a NaN posterior.

    Raises
    ------
    InvalidArgumentError
        On eager backends, for negative probabilities or likelihoods above 1.

    Examples
    --------
    A test with 99% sensitivity and a 5% false-positive rate, for a 1% prevalence:

    >>> import numpy as np
    >>> from xpmath import stats
    >>> post = stats.bayes(np.array([0.01, 0.99]), np.array([0.99, 0.05]))
    >>> round(float(post.posterior[0]), 4), round(float(post.evidence), 4)
    (0.1667, 0.0594)
    """
    b = backend_of(prior, likelihood)
    xp = b.xp
    prior = as_float(prior, b, "prior", "bayes", like=likelihood)
    like = as_float(likelihood, b, "likelihood", "bayes", like=prior)
    if prior.ndim == 0:
        raise ShapeError("bayes: prior must have at least one dimension (the hypotheses)")
    broadcast_shape((tuple(prior.shape), tuple(like.shape)), "prior and likelihood", "bayes")
    bad_prior = xp.any(prior < 0)  # read only where concrete (not traced, even inside jit)
    if b.is_concrete(bad_prior):
        if bool(bad_prior):
            raise InvalidArgumentError("bayes: prior must be non-negative")
        if bool(xp.any(like < 0)) or bool(xp.any(like > 1)):
            raise InvalidArgumentError("bayes: likelihood must lie in [0, 1]")
    prior = prior / xp.sum(prior, axis=-1, keepdims=True)
    joint = like * prior
    evidence = xp.sum(joint, axis=-1, keepdims=True)
    posterior = joint / evidence
    return Posterior(posterior, xp.squeeze(evidence, axis=-1))
