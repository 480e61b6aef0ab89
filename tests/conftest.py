"""Shared fixtures: ``bk`` runs a test once per installed backend (plus a ``jax-jit`` variant).

Unavailable backends are skipped with their reason. JAX runs with x64 enabled so float64
references can be compared at float64 tolerances; the precision error itself is tested in a
subprocess with x64 off.
"""

from __future__ import annotations

import os

os.environ.setdefault("JAX_ENABLE_X64", "1")
# SciPy's array-API mode, so the upstream SciPy tests in tests/conformance compare arrays of
# each backend as SciPy's own CI does (set before anything imports SciPy)
os.environ.setdefault("SCIPY_ARRAY_API", "1")
# importing SciPy's conftest (some upstream test modules do) would otherwise switch torch's
# default dtype to float64 for the whole session
os.environ.setdefault("SCIPY_DEFAULT_DTYPE", "float32")
# one compute thread per xdist worker (set before NumPy, torch or JAX load): two workers
# with a thread per core each oversubscribe the cores, and torch's and OpenBLAS's spinning
# threads then wait on each other (the torch cond conformance cases: 10 s alone, 61 s
# beside another worker; the NumPy linalg conformance file 75 s against 35 s)
if os.environ.get("PYTEST_XDIST_WORKER"):
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, "1")
os.environ.setdefault("JAX_PLATFORMS", os.environ.get("XPMATH_TEST_JAX_PLATFORMS", ""))
if not os.environ["JAX_PLATFORMS"]:
    del os.environ["JAX_PLATFORMS"]

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import xpmath
from xpmath._backends import BACKENDS
from xpmath._capabilities import mode

# Property tests: a bounded, derandomised default that fits CI. XPMATH_HYPOTHESIS=fuzz draws 150
# fresh random examples per test (every @given test, about 40 min with -n 2 on two cores: the
# round that looks past the CI examples); XPMATH_HYPOTHESIS=long runs 2000 (for one file at a time).
_COMMON = {"suppress_health_check": [HealthCheck.function_scoped_fixture], "deadline": None}
settings.register_profile("ci", max_examples=25, derandomize=True, **_COMMON)
settings.register_profile(
    "fuzz",
    max_examples=150,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
settings.register_profile("long", max_examples=2000, **_COMMON)
PROFILE = os.environ.get("XPMATH_HYPOTHESIS", "ci")
settings.load_profile(PROFILE)
#: The ci profile's examples per property test on the rows where each example compiles (JAX's
#: eager ops and jit compile every new shape) or builds a task graph (Dask): per example those
#: rows cost 10-50 times NumPy's, and with 25 examples they were the largest part of CI's wall
#: time. The fuzz and long profiles run their full count on every row.
GRAPH_ROW_EXAMPLES = 10

#: ``XPMATH_TEST_DEVICE=gpu`` (the prepared GPU run, ``.ci/gpu``): the GPU backends only, with
#: arrays placed on the GPU (CuPy always; JAX's default device; torch's default device set to
#: CUDA). A backend without a GPU then skips with that reason instead of running on the CPU.
TEST_DEVICE = os.environ.get("XPMATH_TEST_DEVICE", "cpu").strip().lower() or "cpu"
if TEST_DEVICE not in ("cpu", "gpu"):
    raise pytest.UsageError(f"XPMATH_TEST_DEVICE must be cpu or gpu; got {TEST_DEVICE!r}")
if TEST_DEVICE == "gpu":
    # SciPy's conftest (imported by the upstream modules in tests/conformance) moves JAX's and
    # torch's default device to SCIPY_DEVICE, "cpu" unless set, for the whole process
    os.environ.setdefault("SCIPY_DEVICE", "cuda")


def _params(names: Any) -> list[str]:
    """Each backend in the registry's order, and its compiled form (``jax-jit``) after it
    where the backend compiles: adding a backend to the registry adds its tests."""
    return [p for n in names for p in ([n, f"{n}-jit"] if BACKENDS[n].compiles else [n])]


CPU_PARAMS = _params(BACKENDS)
#: the backends whose arrays may live off the host (not NumPy's memory, not lazy)
GPU_PARAMS = _params(n for n, b in BACKENDS.items() if b.eager and not b.host_memory)
PARAMS = GPU_PARAMS if TEST_DEVICE == "gpu" else CPU_PARAMS


def _gpu_reason(name: str) -> str:
    """Why backend ``name`` cannot run the GPU suite here ('' when it can)."""
    from xpmath._backends import bench_support

    if bench_support.bench_device(BACKENDS[name], "gpu") == "none":
        return f"XPMATH_TEST_DEVICE=gpu: {name} has no GPU device here"
    if name == "torch":
        import torch

        torch.set_default_device("cuda")  # tensors made by the tests land on the GPU
    return ""


class TestBackend:
    """One backend as seen by the tests: conversions, optional jit wrapping, tolerances."""

    __test__ = False

    def __init__(self, param: str) -> None:
        self.param = param
        self.jit = param.endswith("-jit")
        self.name = param.removesuffix("-jit")
        self.backend = BACKENDS[self.name]
        self.xp = self.backend.xp

    def __repr__(self) -> str:
        return self.param

    @property
    def eager(self) -> bool:
        """True when values are concrete at call time (errors that inspect values can raise)."""
        return not self.jit and self.backend.eager

    def asarray(self, a: Any, dtype: Any = None) -> Any:
        arr = np.asarray(a, dtype=dtype)
        return xpmath.asarray(arr, backend=self.name)

    def to_numpy(self, x: Any) -> np.ndarray:
        return xpmath.to_numpy(x)

    def call(self, f: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call ``f(*args, **kwargs)``; under jax-jit the array args are traced, kwargs static."""
        if self.jit:
            is_arr = [hasattr(a, "shape") and hasattr(a, "dtype") for a in args]
            arrays = [a for a, keep in zip(args, is_arr) if keep]

            def traced(*arrs: Any) -> Any:
                it = iter(arrs)
                full = [next(it) if keep else a for a, keep in zip(args, is_arr)]
                return f(*full, **kwargs)

            return self.backend.jit(traced)(*arrays)
        return f(*args, **kwargs)

    def raises(self, routine: str) -> bool:
        """True when a value-dependent failure of ``routine`` raises here (else: NaN results)."""
        if self.jit:
            return False
        return self.backend.eager or mode(routine, self.name) == "host"

    def require(self, routine: str) -> None:
        m = mode(routine, self.name)
        if m == "unsupported":
            pytest.skip(f"{routine} is declared unsupported on {self.name}")
        if self.jit and m == "host":
            pytest.skip(f"{routine} runs on the host on {self.name}: not jit-safe by declaration")

    def rtol(self, dtype: Any) -> float:
        return 2e-5 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-11


@pytest.fixture(params=PARAMS)
def bk(request: pytest.FixtureRequest) -> Iterator[TestBackend]:
    name = request.param.removesuffix("-jit")
    ok, reason = BACKENDS[name].status()
    if not ok:
        pytest.skip(reason)
    if TEST_DEVICE == "gpu":
        reason = _gpu_reason(name)
        if reason:
            pytest.skip(reason)
    tb = TestBackend(request.param)
    # a @given test's settings are read when it is called: lower its count for this row only
    test = request.function
    own = getattr(test, "_hypothesis_internal_use_settings", None)
    graph_row = tb.jit or tb.backend.compiles or not tb.backend.eager
    if PROFILE != "ci" or own is None or not graph_row or own.max_examples <= GRAPH_ROW_EXAMPLES:
        yield tb
        return
    test._hypothesis_internal_use_settings = settings(own, max_examples=GRAPH_ROW_EXAMPLES)
    try:
        yield tb
    finally:
        test._hypothesis_internal_use_settings = own


@pytest.fixture
def rng() -> np.random.Generator:
    """Fresh random inputs each run; set XPMATH_TEST_SEED to replay a failure."""
    seed = int(os.environ.get("XPMATH_TEST_SEED") or np.random.SeedSequence().entropy % 2**63)
    print(f"XPMATH_TEST_SEED={seed}")
    return np.random.default_rng(seed)


@pytest.fixture(autouse=True)
def _reset_default_backend() -> Any:
    yield
    xpmath.reset_backend()


def _strict_flags() -> dict[str, Any] | None:
    try:
        import array_api_strict
    except ImportError:
        return None
    return dict(array_api_strict.get_array_api_strict_flags())


#: array_api_strict's flags as installed; importing SciPy's conftest (some upstream test modules
#: in tests/conformance do) pins an older API version for the whole process
_STRICT_DEFAULTS = _strict_flags()


@pytest.fixture(autouse=True)
def _array_api_strict_flags(request: pytest.FixtureRequest) -> Any:
    """Run array_api_strict with its installed defaults, except in the upstream SciPy suites
    of tests/conformance, which keep the API version SciPy's conftest pins. NumPy's suites
    there (linalg calls eig, a 2025.12 function) get the defaults for the test's duration."""
    path = request.node.nodeid.split("::")[0]
    if _STRICT_DEFAULTS is None or "conformance/test_scipy" in path:
        yield
        return
    import array_api_strict

    before = array_api_strict.get_array_api_strict_flags()
    if before != _STRICT_DEFAULTS:
        array_api_strict.set_array_api_strict_flags(**_STRICT_DEFAULTS)
    yield
    if "conformance" in path and before != _STRICT_DEFAULTS:
        array_api_strict.set_array_api_strict_flags(**before)  # as the SciPy suites expect
