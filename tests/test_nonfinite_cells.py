"""NaN and ±inf inputs, generated from the capability table: every (routine, backend) cell
answers a non-finite input as the NumPy backend does, or with a clear ``xpmath`` error.

For each routine's example (``tests/table_examples.py``), one entry of one floating array
argument is set to NaN, inf or -inf, and the call runs on every backend the table supports
(and under ``jax.jit`` where the JAX cell is jit-safe). Against the NumPy backend's outcome:

- never a raw backend exception, on any backend, NumPy's included;
- an eager cell (or a Dask ``host`` cell, or one that computes on call) raises the same
  ``xpmath`` error class where NumPy's raises, and otherwise gives the same NaN positions,
  the same infinities and the same finite values;
- a traced or lazy cell cannot raise on a value: where NumPy's raises, its result holds a NaN
  (the documented contract of ``jit`` and Dask), otherwise the values agree as above;
- a non-finite *matrix* given to a factorisation (``FACTORISATIONS``) is garbage in: which
  entries come out NaN is the LAPACK build's choice (NumPy's own differs between OpenBLAS
  and MKL), so there the result must flag itself with an inf or NaN, or be NumPy's finite
  answer, or one side raises ``xpmath.LinAlgError``.

These checks found: ``solve`` calling ``a`` singular for a NaN in ``b`` (every backend);
``cholesky`` on JAX reading the triangle NumPy ignores; ``trapezoid`` on JAX giving NaN at
an infinite end; numerical ``jacobian`` on Dask spreading one NaN to a whole column; and
``lstsq``'s SVD route giving ±inf where NumPy's driver gives NaN.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import xpmath
from xpmath._backends import BACKENDS
from xpmath._capabilities import BACKEND_ORDER, capabilities

from .table_examples import EXAMPLES, PYTHON_NUMBERS, RANDOM
from .test_capability_cells import _backend

TABLE = capabilities(as_dict=True)

#: routines whose first (matrix) argument is factorised by the backend's LAPACK
FACTORISATIONS = {
    "linalg.cholesky",
    "linalg.det",
    "linalg.inv",
    "linalg.qr",
    "linalg.slogdet",
    "linalg.solve",
}

BADS = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}


def float_arg_cells(skip: frozenset[str] = frozenset()) -> list[tuple[str, str, int]]:
    """(routine, backend, argument index) for every floating array argument of an example
    whose values do not come from a backend's own generator, on every backend but NumPy (the
    reference) whose cell is supported; routines in ``skip`` left out."""
    out = []
    for routine in sorted(EXAMPLES):
        if routine in RANDOM or routine in PYTHON_NUMBERS or routine in skip:
            continue
        _, arrays = EXAMPLES[routine](np.random.default_rng(0))
        for which, a in enumerate(arrays):
            if a.dtype.kind == "f":
                for name in BACKEND_ORDER:
                    if name != "numpy" and TABLE[routine][name]["mode"] != "unsupported":
                        out.append((routine, name, which))
    return out


def run_example(call: Any, arrays: tuple[np.ndarray, ...], name: str, jit: bool) -> list[Any]:
    """An example's outputs as NumPy arrays: its arrays on backend ``name`` (the default
    backend for the call), under ``jax.jit`` when ``jit``, NumPy's warnings silenced."""
    with xpmath.use(name), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (NumPy's invalid-value warnings)
        args = [xpmath.asarray(a, backend=name) for a in arrays]
        if jit:
            import jax

            out = jax.jit(call)(*args)
        else:
            out = call(*args)
        outs = out if isinstance(out, tuple) else (out,)
        return [np.asarray(xpmath.to_numpy(o)) for o in outs]


def _outcome(routine: str, name: str, which: int, bad: float, pos: int, jit: bool) -> Any:
    """``("ok", [NumPy arrays])`` or ``("xerr", error class name)``; a raw exception fails."""
    call, arrays = EXAMPLES[routine](np.random.default_rng(7))
    poisoned = arrays[which].copy()
    poisoned.flat[pos % poisoned.size] = bad
    arrays = (*arrays[:which], poisoned, *arrays[which + 1 :])
    try:
        return "ok", run_example(call, arrays, name, jit)
    except xpmath.XpmathError as exc:
        return "xerr", type(exc).__name__


def _raises_here(routine: str, name: str, jit: bool) -> bool:
    """Whether a value-dependent failure raises in this cell (else: NaN in the result)."""
    if jit:
        return False
    cell = TABLE[routine][name]
    return BACKENDS[name].eager or cell["mode"] == "host" or not cell["lazy"]


def _same_values(got: list[np.ndarray], ref: list[np.ndarray], where: str) -> None:
    assert len(got) == len(ref), where
    for g, r in zip(got, ref, strict=True):
        assert g.shape == r.shape, where
        if r.dtype.kind not in "fc":
            np.testing.assert_array_equal(g, r, err_msg=where)
            continue
        np.testing.assert_array_equal(np.isnan(g), np.isnan(r), err_msg=f"{where}: NaN at")
        fin = np.isfinite(r)
        np.testing.assert_array_equal(g[~fin & ~np.isnan(r)], r[~fin & ~np.isnan(r)], where)
        np.testing.assert_allclose(g[fin], r[fin], rtol=1e-6, atol=1e-9, err_msg=where)


def _garbage_in(got: Any, ref: Any, where: str) -> None:
    """A factorisation of a non-finite matrix: an ``xpmath.LinAlgError`` on either side, a
    result that flags itself with an inf or NaN, or NumPy's own finite answer (NumPy's
    ``inv`` of a matrix with an infinite entry can be its finite limit)."""
    if "LinAlgError" in (got[1], ref[1]):
        return
    assert got[0] == ref[0], f"{where}: {got} where the NumPy backend gave {ref}"
    if got[0] == "xerr":
        assert got[1] == ref[1], where
    elif all(np.isfinite(g).all() for g in got[1]):
        _same_values(got[1], ref[1], f"{where} (a finite answer must be NumPy's)")


def _flagged(outs: list[np.ndarray]) -> bool:
    """Whether a traced or lazy result shows a failure: a NaN in a floating output (an
    integer result, such as a rank, cannot hold one)."""
    floats = [o for o in outs if o.dtype.kind in "fc"]
    return not floats or any(np.isnan(o).any() for o in floats)


def _check(routine: str, name: str, which: int, jit: bool) -> None:
    for label, bad in BADS.items():
        for pos in (0, 1):
            where = f"{routine} on {name}{' (jit)' if jit else ''}, arg {which}[{pos}]={label}"
            ref = _outcome(routine, "numpy", which, bad, pos, False)
            got = _outcome(routine, name, which, bad, pos, jit)
            if routine in FACTORISATIONS and which == 0:
                if ref[0] == "xerr" and not _raises_here(routine, name, jit):
                    assert got[0] == "xerr" or _flagged(got[1]), where
                else:
                    _garbage_in(got, ref, where)
                continue
            if ref[0] == "xerr":
                if _raises_here(routine, name, jit) or got[0] == "xerr":
                    assert got == ref, f"{where}: {got} where the NumPy backend raised {ref[1]}"
                else:
                    assert _flagged(got[1]), f"{where}: no NaN in {got}"
                continue
            assert got[0] == "ok", f"{where}: raised {got[1]} where the NumPy backend did not"
            _same_values(got[1], ref[1], where)


CASES = float_arg_cells()


@pytest.mark.parametrize(
    ("routine", "name", "which"), CASES, ids=[f"{r}-{n}-arg{w}" for r, n, w in CASES]
)
def test_nonfinite_input_as_numpy(routine: str, name: str, which: int) -> None:
    _backend(name)
    _check(routine, name, which, jit=False)


JIT_CASES = [(r, w) for r, n, w in CASES if n == "jax" and TABLE[r]["jax"]["jit_safe"]]


@pytest.mark.parametrize(("routine", "which"), JIT_CASES, ids=[f"{r}-arg{w}" for r, w in JIT_CASES])
def test_nonfinite_input_under_jit(routine: str, which: int) -> None:
    _backend("jax")
    _check(routine, "jax", which, jit=True)
