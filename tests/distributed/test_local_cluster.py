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
    for steps in (5, 70):  # (70: past the first lineage drop at 64, and converged)
        res = optimize.gradient_descent(loss, _dask(np.zeros(20), 20), jac=jac, lr=0.5, steps=steps)
        sizes.append(len(res.x.__dask_graph__()))
    assert sizes[1] == sizes[0]  # persisted per step: the graph does not grow with steps
    np.testing.assert_allclose(res.x.compute(), w_true, atol=1e-6)


def _scheduler_tasks(client) -> int:
    return client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))


def test_scheduler_lineage_stays_bounded(client, rng) -> None:
    """Persisting per step keeps graphs flat, but the scheduler would still remember every
    step's lineage; deep histories of small loop states are dropped (dask_lineage)."""
    from xpmath._backends.dask_lineage import MAX_DEPTH

    m, d, lr = 300, 8, 0.3
    a = rng.standard_normal((m, d))
    y = rng.standard_normal(m)
    ad, yd = _dask(a, (100, d)).persist(), _dask(y, 100).persist()

    def jac(w):
        return ((ad @ w - yd) @ ad) / m

    counts = []

    def count(k, x):
        if (k + 1) % MAX_DEPTH == 0:
            counts.append(_scheduler_tasks(client))
        return False

    steps = 4 * MAX_DEPTH + 10
    w0 = _dask(np.zeros(d), d)
    res = optimize.gradient_descent(
        lambda w: (w * w).sum(), w0, jac=jac, lr=lr, steps=steps, callback=count
    )
    assert len(counts) == 4
    assert max(counts) <= counts[0] + 5  # without the bound: ~steps x tasks per step
    w = np.zeros(d)
    for _ in range(steps):  # the same iteration in NumPy float64: re-seeding changes no value
        w = w - lr * ((a @ w - y) @ a) / m
    np.testing.assert_allclose(res.x.compute(), w, rtol=1e-12, atol=1e-14)
    assert res.nit == steps


def test_bench_on_existing_scheduler(client) -> None:
    from xpmath._backends.dask_cluster import dask_scheduler
    from xpmath.bench import runner

    with dask_scheduler(client.scheduler.address) as info:
        rows = runner.run(
            ["dask"],
            ["matmul", "norm", "gd"],
            ["float64"],
            quick=True,
            sizes={"matmul": [64], "norm": [100_000], "gd": [(200, 20)]},
            gd_steps=3,
            cache={"cpu": 8 << 20},  # (--cache-size 8: the VM's 480 MiB took 20 s of arrays)
        )
    assert info["kind"] == "distributed" and info["workers"] == 2
    assert {r.op for r in rows} == {"matmul", "norm", "gd"}
    assert all(0 < r.fraction <= 1 for r in rows)  # judged against the host's ceilings
    assert all(r.backend == "dask" and r.value > 0 and r.raw_value > 0 for r in rows)


@pytest.mark.parametrize("method", ["gradient_descent", "adam"])
@pytest.mark.parametrize("case", ["tol", "diverge", "steps"])
def test_pipelined_loop_matches_step_by_step(client, rng, method, case) -> None:
    """On a cluster the next step is submitted before this step's check is read; stopping
    (tolerance, divergence, step budget) must give the iterate, nit and status of NumPy's
    one-step-at-a-time loop."""
    from xpmath._backends import BACKENDS

    assert BACKENDS["dask"].persist_is_async()
    m, d = 200, 6
    a = rng.standard_normal((m, d))
    y = rng.standard_normal(m)
    adam = method == "adam"
    lr = {"tol": 0.05 if adam else 0.5, "diverge": 1.0 if adam else 8.0, "steps": 0.01}[case]
    steps = 300 if case == "tol" else 40
    kw = {"tol": 1e-5} if case == "tol" else {}

    def run(av, yv, w0):
        def jac(w):
            # NaN outside the ball |w| <= 2: the "diverge" runs leave it within a few steps
            return ((av @ w - yv) @ av) / m + 0.0 * np.sqrt(4.0 - (w * w).sum())

        fit = getattr(optimize, method)
        return fit(lambda w: ((av @ w - yv) ** 2).sum(), w0, jac=jac, lr=lr, steps=steps, **kw)

    with np.errstate(invalid="ignore"):
        ref = run(a, y, np.zeros(d))
        ad, yd = _dask(a, (100, d)).persist(), _dask(y, 100).persist()
        got = run(ad, yd, _dask(np.zeros(d), d))
    assert (got.nit, got.status, got.success) == (ref.nit, ref.status, ref.success)
    np.testing.assert_allclose(np.asarray(xpmath.to_numpy(got.x)), ref.x, rtol=1e-10, atol=1e-12)
    expect_nit = {"tol": (1, steps - 1), "diverge": (1, 10), "steps": (steps, steps)}[case]
    assert expect_nit[0] <= got.nit <= expect_nit[1]
    assert got.success == (case != "diverge")
