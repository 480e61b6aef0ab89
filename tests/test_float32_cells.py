"""float32 input, generated from the capability table: every (routine, backend) cell keeps
single precision as the NumPy backend does and answers to float32 accuracy.

For each routine's example (``tests/table_examples.py``), every floating array argument is
cast to float32 and the call runs on every backend the table supports, NumPy's included
(and under ``jax.jit`` where the JAX cell is jit-safe). Checks:

- the call succeeds wherever the float64 call does (no ``xpmath`` error, no raw exception);
- every floating output is single precision (float32, or complex64 for a complex result):
  float32 in, float32 out, never silently widened to float64 on one backend and not
  another (JAX with 64-bit types on, torch and Dask included);
- the values agree with the NumPy backend's float64 answer to within a float32 tolerance
  scaled by the output's size (a few hundred ulps: the examples are well conditioned).
"""

from __future__ import annotations

import numpy as np
import pytest

from xpmath._capabilities import BACKEND_ORDER, capabilities

from .table_examples import EXAMPLES, PYTHON_NUMBERS, RANDOM
from .test_capability_cells import _backend
from .test_nonfinite_cells import run_example

TABLE = capabilities(as_dict=True)

#: float32's unit roundoff; results are held to a few hundred of it, relative to their scale
EPS32 = float(np.finfo(np.float32).eps)

#: examples whose own code fixes a dtype or whose routine reads no floating array
SKIP = RANDOM | PYTHON_NUMBERS

#: routines whose example computes in float64 whatever its array's dtype: ``quad``'s nodes
#: come from its Python-float limits in its ``dtype`` (float64 by default)
FLOAT64_BY_DESIGN = {"calculus.quad"}

#: routines whose result is complex under ``jit`` (a real result is a value-dependent dtype)
COMPLEX_UNDER_JIT = {"linalg.eig", "linalg.eigvals"}

#: tolerance, in float32 units, of a numerical second derivative: its step balances a
#: truncation error in h² against rounding in eps/h², about sqrt(eps) at best
SQRT_EPS_ROUTINES = {"calculus.hessian"}


def _float_routines() -> list[str]:
    out = []
    for routine in sorted(EXAMPLES):
        if routine in SKIP:
            continue
        _, arrays = EXAMPLES[routine](np.random.default_rng(0))
        if any(a.dtype.kind == "f" for a in arrays):
            out.append(routine)
    return out


def _cells() -> list[tuple[str, str, bool]]:
    cells = []
    for routine in _float_routines():
        for name in BACKEND_ORDER:
            cell = TABLE[routine][name]
            if cell["mode"] == "unsupported":
                continue
            cells.append((routine, name, False))
            if name == "jax" and cell["jit_safe"]:
                cells.append((routine, name, True))
    return cells


def _run(routine: str, name: str, dtype: type, jit: bool, seed: int) -> list[np.ndarray]:
    """The example's outputs as NumPy arrays, its floating inputs cast to ``dtype``."""
    call, arrays = EXAMPLES[routine](np.random.default_rng(seed))
    arrays = tuple(a.astype(dtype) if a.dtype.kind == "f" else a for a in arrays)
    return run_example(call, arrays, name, jit)


@pytest.mark.parametrize(
    ("routine", "name", "jit"),
    _cells(),
    ids=[f"{r}-{n}{'-jit' if j else ''}" for r, n, j in _cells()],
)
def test_float32_cell(routine: str, name: str, jit: bool, rng: np.random.Generator) -> None:
    _backend(name)
    where = f"{routine} on {name}{' (jit)' if jit else ''}"
    seed = int(rng.integers(2**32))
    ref = _run(routine, "numpy", np.float64, False, seed)
    got = _run(routine, name, np.float32, jit, seed)
    assert len(got) == len(ref), where
    for i, (g, r) in enumerate(zip(got, ref, strict=True)):
        assert g.shape == r.shape, f"{where}: output {i} shape {g.shape}, float64 {r.shape}"
        if r.dtype.kind not in "fc":
            assert g.dtype == r.dtype, f"{where}: output {i} is {g.dtype}, float64 {r.dtype}"
            np.testing.assert_array_equal(g, r, err_msg=where)
            continue
        complex_ok = jit and routine in COMPLEX_UNDER_JIT
        want = np.complex64 if r.dtype.kind == "c" or complex_ok else np.float32
        if routine in FLOAT64_BY_DESIGN:
            want = r.dtype
        assert g.dtype == want, f"{where}: output {i} is {g.dtype} for float32 input"
        scale = float(np.max(np.abs(r), initial=1.0))
        tol = 4 * EPS32**0.5 if routine in SQRT_EPS_ROUTINES else 256 * EPS32
        np.testing.assert_allclose(g, r, rtol=tol, atol=tol * scale, err_msg=f"{where} [{i}]")
