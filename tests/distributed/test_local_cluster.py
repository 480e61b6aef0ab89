"""xpmath on a real dask.distributed cluster: a LocalCluster of 2 worker processes on
loopback, results compared with NumPy on random data."""

from __future__ import annotations

import numpy as np
import pytest

import xpmath
from xpmath import calculus, linalg, optimize, stats

distributed = pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")

pytestmark = pytest.mark.distributed


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def _dask(x, chunks):
    return da.from_array(x, chunks=chunks)


def test_cluster_results_equal_numpy(client, rng) -> None:
    assert len(client.scheduler_info()["workers"]) == 2
    a = rng.standard_normal((300, 200))
    b = rng.standard_normal((200, 50))
    ad, bd = _dask(a, (100, 100)), _dask(b, (100, 50))
    out = linalg.matmul(ad, bd)
    assert isinstance(out, da.Array)  # lazy until computed
    np.testing.assert_allclose(out.compute(), a @ b, rtol=1e-10, atol=1e-12)  # blocked sums
    np.testing.assert_allclose(
        float(linalg.vector_norm(ad, ord=1).compute()), np.abs(a).sum(), rtol=1e-12
    )
    np.testing.assert_allclose(stats.var(ad, 0, ddof=1).compute(), a.var(0, ddof=1), rtol=1e-11)
    # chunked sums add in another order: compare to rounding of the summed magnitudes
    scale = 1e-13 * np.abs(a).sum(axis=0)
    err = np.abs(calculus.trapezoid(ad, axis=0).compute() - np.trapezoid(a, axis=0))
    assert np.all(err <= scale)
    s = rng.standard_normal((60, 60)) + 60 * np.eye(60)
    y = rng.standard_normal(60)
    x = linalg.solve(_dask(s, 30), _dask(y, 30))
    np.testing.assert_allclose(np.asarray(xpmath.to_numpy(x)), np.linalg.solve(s, y), rtol=1e-10)


def test_iterative_graph_stays_flat(client, rng) -> None:
    a = rng.standard_normal((400, 20))
    w_true = rng.standard_normal(20)
    ad = _dask(a, (100, 20))
    bd = _dask(a @ w_true, 100)

    def loss(w):
        r = ad @ w - bd
        return (r * r).sum() / 400

    def jac(w):
        return 2 * ((ad @ w - bd) @ ad) / 400

    sizes = []
    for steps in (5, 200):
        res = optimize.gradient_descent(loss, _dask(np.zeros(20), 20), jac=jac, lr=0.5, steps=steps)
        sizes.append(len(res.x.__dask_graph__()))
    assert sizes[1] == sizes[0]  # persisted per step: the graph does not grow with steps
    np.testing.assert_allclose(res.x.compute(), w_true, atol=1e-6)
