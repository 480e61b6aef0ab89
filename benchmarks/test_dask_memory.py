"""Memory over 1,000 gradient-descent steps on Dask: resident memory of every process involved
and the scheduler's task count, sampled every 100 steps.

``pytest benchmarks/test_dask_memory.py --benchmark-json=out.json -s`` prints the samples; they
are also stored in each benchmark's ``extra_info``. The goal (issue: "memory stays flat over
1,000 steps") is checked as growth from step 100 (after warm-up) to step 1,000.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from xpmath import optimize

da = pytest.importorskip("dask.array")
psutil = pytest.importorskip("psutil")
distributed = pytest.importorskip("distributed")

STEPS, EVERY = 1000, 100
M, D = 20_000, 200  # A is 32 MB in float64: a leak of one copy per step would show at once
#: allowed growth of summed resident memory from step 100 to step 1,000 (allocator noise)
MAX_GROWTH_MB = 64.0


def _rss() -> float:
    return psutil.Process().memory_info().rss / 2**20


def _problem(chunks: int) -> tuple:
    rng = np.random.default_rng(0)
    a = rng.standard_normal((M, D))
    y = a @ rng.standard_normal(D) + 0.01 * rng.standard_normal(M)
    ad = da.from_array(a, chunks=(chunks, D)).persist()
    yd = da.from_array(y, chunks=chunks).persist()

    def jac(w):
        return ((ad @ w - yd) @ ad) / M

    def loss(w):
        r = ad @ w - yd
        return (r * r).sum() / (2 * M)

    w0 = da.zeros(D, chunks=D).persist()
    return loss, jac, w0


def _run(benchmark, sample) -> list[dict]:
    loss, jac, w0 = _problem(M // 4)
    samples: list[dict] = []

    def callback(k, x):
        if (k + 1) % EVERY == 0:
            samples.append({"step": k + 1, **sample()})
        return False

    def go():
        samples.clear()
        res = optimize.gradient_descent(
            loss, jac=jac, x0=w0, lr=0.1, steps=STEPS, callback=callback
        )
        return res.x.compute()

    benchmark.pedantic(go, rounds=1, iterations=1)
    benchmark.extra_info.update(steps=STEPS, shape=[M, D], samples=samples)
    for s in samples:
        print(s)
    return samples


def _growth(samples: list[dict], key: str) -> float:
    return samples[-1][key] - samples[0][key]


def test_memory_flat_threaded_scheduler(benchmark) -> None:
    samples = _run(benchmark, lambda: {"rss_mb": _rss()})
    assert len(samples) == STEPS // EVERY
    assert _growth(samples, "rss_mb") <= MAX_GROWTH_MB


def test_memory_flat_local_cluster(benchmark) -> None:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    )
    with distributed.Client(cluster) as client:
        # a LocalCluster's scheduler runs in this (the client's) process: count it once
        same = client.run_on_scheduler(os.getpid) == os.getpid()

        def sample() -> dict:
            out = {
                "client_rss_mb": _rss(),
                "workers_rss_mb": sum(client.run(_rss).values()),
                "scheduler_tasks": client.run_on_scheduler(
                    lambda dask_scheduler: len(dask_scheduler.tasks)
                ),
            }
            out["scheduler_rss_mb"] = 0.0 if same else client.run_on_scheduler(_rss)
            return out

        samples = _run(benchmark, sample)
    cluster.close()
    assert len(samples) == STEPS // EVERY
    total = [s["client_rss_mb"] + s["workers_rss_mb"] + s["scheduler_rss_mb"] for s in samples]
    growth = total[-1] - total[0]
    benchmark.extra_info.update(
        growth_mb=growth, growth_kb_per_step=growth * 1024 / (STEPS - EVERY)
    )
    assert growth <= MAX_GROWTH_MB
    assert max(s["scheduler_tasks"] for s in samples) <= 2 * samples[0]["scheduler_tasks"] + 50
