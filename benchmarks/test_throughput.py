"""matmul GFLOP/s, norm GB/s and gradient-descent it/s per backend, xpmath vs raw call."""

from __future__ import annotations

import pytest

from xpmath.bench.workloads import gd_cases, matmul_cases, norm_cases


def _bench(benchmark, backend, case, which: str) -> None:
    fn = case.xpmath_call if which == "xpmath" else case.raw_call
    sync = backend.synchronize
    sync(fn())  # warm-up / compile outside the timing
    benchmark.pedantic(lambda: sync(fn()), rounds=7, iterations=3, warmup_rounds=1)
    t = benchmark.stats.stats.median
    benchmark.extra_info.update(
        op=case.op,
        variant=case.variant,
        size=case.size,
        unit=case.unit,
        throughput=case.work / t / (1 if case.unit == "it/s" else 1e9),
    )


@pytest.mark.parametrize("which", ["xpmath", "raw"])
@pytest.mark.parametrize("n", [512, 1024])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matmul(benchmark, backend, n, dtype, which) -> None:
    _bench(benchmark, backend, matmul_cases(backend, n, dtype)[0], which)


@pytest.mark.parametrize("which", ["xpmath", "raw"])
@pytest.mark.parametrize("ordi", [0, 1, 2])
@pytest.mark.parametrize("n", [10_000_000])
def test_norm(benchmark, backend, n, ordi, which) -> None:
    _bench(benchmark, backend, norm_cases(backend, n, "float32")[ordi], which)


@pytest.mark.parametrize("which", ["xpmath", "raw"])
@pytest.mark.parametrize("shape", [(10_000, 1000)])
def test_gradient_descent(benchmark, backend, shape, which) -> None:
    _bench(benchmark, backend, gd_cases(backend, *shape, "float32", steps=20)[0], which)
