"""Does ``calculus.quad``'s error estimate cover its true error? On peaked integrands
``1/(eps + (x - c)**2)`` over [-1, 1], whose integral has a closed form, count the runs whose
reported error is below the true one, for the fixed Gauss-Legendre rule (``n`` from 16 to 256
nodes) and for ``method="adaptive"``, and the adaptive method's integrand evaluations.

Run ``python benchmarks/quad_reliability.py [runs] [seed]`` (400 runs, seed 7 by default).
"""

from __future__ import annotations

import sys
import warnings

import numpy as np

from xpmath import calculus


def main(runs: int = 400, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    missed = {"gauss-legendre": 0, "adaptive": 0}
    evaluations, warned = [], 0
    for _ in range(runs):
        eps, c, n = 10 ** rng.uniform(-5, -1), rng.uniform(-1, 1), int(rng.integers(16, 257))
        root = np.sqrt(eps)
        exact = (np.arctan((1 - c) / root) + np.arctan((1 + c) / root)) / root
        calls = []

        def f(x, eps=eps, c=c, calls=calls):
            calls.append(x.shape[0])
            return 1 / (eps + (x - c) ** 2)

        r = calculus.quad(f, -1.0, 1.0, n=n)
        missed["gauss-legendre"] += abs(float(r.value) - exact) > float(r.error)
        calls.clear()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            r = calculus.quad(f, -1.0, 1.0, method="adaptive")
        warned += bool(caught)
        missed["adaptive"] += abs(float(r.value) - exact) > float(r.error)
        evaluations.append(sum(calls))
    print(f"{runs} peaked integrands (eps in 1e-5..1e-1), error estimate below the true error:")
    for method, count in missed.items():
        print(f"  {method:15s} {count}")
    print(
        f"adaptive: integrand evaluations median {int(np.median(evaluations))}, "
        f"max {max(evaluations)}; IntegrationWarning in {warned}"
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
