"""Tests generated from the capability table: every (routine, backend) cell runs as declared.

- ``native``/``generic``/``host`` cells give the NumPy backend's answer, on the input's
  backend and device;
- ``jit_safe`` cells on JAX give the same answer under ``jax.jit``;
- ``lazy`` cells on Dask build a graph without computing anything (a scheduler that counts
  computes is installed for the call);
- ``unsupported`` cells raise an :class:`xpmath.XpmathError`.

A false claim in the table fails here: flip a cell (say ``linalg.det`` to ``jit_safe`` on a
backend where it is not, or a Dask cell that computes to lazy) and its test fails.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import xpmath
from xpmath._backends import BACKENDS
from xpmath._capabilities import BACKEND_ORDER, capabilities
from xpmath._dispatch import backend_of
from xpmath._special import HOST_CALLS

from .conftest import TEST_DEVICE
from .table_examples import EXAMPLES, PYTHON_NUMBERS, RANDOM

TABLE = capabilities(as_dict=True)
CELLS = [(r, b) for r in sorted(TABLE) for b in BACKEND_ORDER]


def test_every_routine_has_an_example() -> None:
    assert sorted(EXAMPLES) == sorted(TABLE)


def _backend(name: str) -> Any:
    b = BACKENDS[name]
    ok, reason = b.status()
    if not ok:
        pytest.skip(reason)
    if TEST_DEVICE == "gpu" and name not in ("cupy", "jax", "torch"):
        pytest.skip(f"XPMATH_TEST_DEVICE=gpu: {name} has no GPU")
    return b


def _outputs(out: Any) -> list[Any]:
    return list(out) if isinstance(out, tuple) else [out]


def _run(routine: str, name: str, seed: int) -> tuple[list[Any], list[Any]]:
    """The example on backend ``name`` (its inputs converted there, it the default backend)."""
    call, arrays = EXAMPLES[routine](np.random.default_rng(seed))
    with xpmath.use(name):
        args = [xpmath.asarray(a, backend=name) for a in arrays]
        return args, _outputs(call(*args))


def _check_placement(b: Any, args: list[Any], outs: list[Any], routine: str) -> None:
    want = b.device_of(args[0]) if args else b.device_of(b.xp.zeros(1))
    for o in outs:
        if routine in PYTHON_NUMBERS:
            assert isinstance(o, float), f"{routine}: {type(o).__name__} is not a Python float"
            continue
        assert backend_of(o).name == b.name, f"{routine}: result not on {b.name}"
        assert str(b.device_of(o)) == str(want), f"{routine}: result left {want}"


def _values(x: Any) -> np.ndarray:
    """NumPy values of a result; a JAX PRNG key by its key data."""
    dtype = getattr(x, "dtype", None)
    if dtype is not None and "key" in str(dtype):
        import jax

        x = jax.random.key_data(x)
    return xpmath.to_numpy(x) if hasattr(x, "shape") else np.asarray(x)


def _check_values(routine: str, got: list[Any], ref: list[Any]) -> None:
    assert len(got) == len(ref)
    for g, r in zip(got, ref, strict=True):
        g, r = _values(g), _values(r)
        assert g.shape == r.shape, (routine, g.shape, r.shape)
        if routine in RANDOM or r.dtype.kind not in "fc":
            if routine not in RANDOM:
                np.testing.assert_array_equal(g, r, err_msg=routine)
            continue
        tol = 1e-4 if g.dtype in (np.float32, np.complex64) else 1e-9
        np.testing.assert_allclose(g, r, rtol=tol, atol=tol, err_msg=routine)


@pytest.mark.parametrize(("routine", "name"), CELLS, ids=[f"{r}-{b}" for r, b in CELLS])
def test_cell_runs_as_declared(routine: str, name: str) -> None:
    cell = TABLE[routine][name]
    b = _backend(name)
    seed = 1234
    if cell["mode"] == "unsupported":
        with pytest.raises(xpmath.XpmathError):
            _run(routine, name, seed)
        return
    before = HOST_CALLS.get(name, 0)
    args, outs = _run(routine, name, seed)
    if cell["mode"] != "host":  # the special-function ladder's host rung is declared too
        assert HOST_CALLS.get(name, 0) == before, (
            f"{routine} is declared {cell['mode']} on {name} but ran special functions "
            "through SciPy on the host"
        )
    _check_placement(b, args, outs, routine)
    if name != "numpy" and TABLE[routine]["numpy"]["mode"] != "unsupported":
        _check_values(routine, outs, _run(routine, "numpy", seed)[1])


def _jit_cells() -> list[str]:
    return [r for r in sorted(TABLE) if TABLE[r]["jax"]["jit_safe"]]


@pytest.mark.parametrize("routine", _jit_cells())
def test_jit_safe_cell_runs_under_jit(routine: str) -> None:
    import jax

    b = _backend("jax")
    call, arrays = EXAMPLES[routine](np.random.default_rng(99))
    with xpmath.use("jax"):
        args = [xpmath.asarray(a, backend="jax") for a in arrays]
        eager = _outputs(call(*args))
        traced = _outputs(jax.jit(call)(*args))
    _check_placement(b, args, traced, routine)
    _check_values(routine, traced, eager)


LAZY = [n for n, b in BACKENDS.items() if not b.eager]  # backends that build graphs


def _lazy_cells() -> list[tuple[str, str]]:
    return [(r, n) for r in sorted(TABLE) for n in LAZY if TABLE[r][n]["lazy"]]


@pytest.mark.parametrize(("routine", "name"), _lazy_cells())
def test_lazy_cell_computes_nothing(routine: str, name: str) -> None:
    import dask

    b = _backend(name)
    computes: list[Any] = []

    def counting(dsk: Any, keys: Any, **kwargs: Any) -> Any:
        computes.append(keys)
        return dask.get(dsk, keys, **kwargs)

    call, arrays = EXAMPLES[routine](np.random.default_rng(7))
    with xpmath.use(name):
        args = [xpmath.asarray(a, backend=name) for a in arrays]
        with dask.config.set(scheduler=counting):
            outs = _outputs(call(*args))
        assert computes == [], f"{routine} computed {len(computes)} time(s) on {name}"
    for o in outs:
        assert not b.is_concrete(o), f"{routine}: {type(o).__name__} is not lazy"
