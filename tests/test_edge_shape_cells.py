"""Empty, one-element and 0-d inputs, generated from the capability table: every (routine,
backend) cell answers them as the NumPy backend does, or with a clear ``xpmath`` error.

For each routine's example (``tests/table_examples.py``), one floating array argument is
replaced by ones of an edge shape (its last axis emptied, every axis of length one, or 0-d)
and the call runs on every backend the table supports. Against the NumPy backend's outcome:
never a raw backend exception; the same ``xpmath`` error class where it raises (a traced or
lazy cell may give NaN instead, as for values); otherwise the same output shapes and values.

This sweep found a Hessian in two arguments with only its diagonal blocks (the numerical
rule), torch's Jacobian and Hessian of an empty input raising ``IndexError``, ``bayes`` with
shapes that do not broadcast raising each backend's own error, and ``cov``/``corrcoef`` of
one variable raising ``TypeError`` on torch and array_api_strict.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import xpmath
from xpmath._backends import BACKENDS
from xpmath._capabilities import capabilities

from .table_examples import EXAMPLES
from .test_capability_cells import _backend
from .test_nonfinite_cells import _flagged, _same_values, float_arg_cells

TABLE = capabilities(as_dict=True)

SHAPES: dict[str, Callable[[tuple[int, ...]], tuple[int, ...]]] = {
    "empty": lambda s: (*s[:-1], 0),
    "ones": lambda s: tuple(1 for _ in s),
    "0-d": lambda s: (),
}

#: examples whose own function indexes its argument (``x[0]``): an edge shape breaks the
#: example, not the routine
INDEXING_EXAMPLES = {"calculus.quad"}


def _outcome(routine: str, name: str, which: int, shape: str) -> Any:
    """``("ok", [NumPy arrays])`` or ``("xerr", error class name)``; a raw exception fails."""
    call, arrays = EXAMPLES[routine](np.random.default_rng(3))
    edge = np.ones(SHAPES[shape](arrays[which].shape))
    arrays = (*arrays[:which], edge, *arrays[which + 1 :])
    try:
        with xpmath.use(name), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (NumPy's empty-slice and degrees-of-freedom)
            args = [xpmath.asarray(a, backend=name) for a in arrays]
            out = call(*args)
            outs = out if isinstance(out, tuple) else (out,)
            return "ok", [np.asarray(xpmath.to_numpy(o)) for o in outs]
    except xpmath.XpmathError as exc:
        return "xerr", type(exc).__name__


CASES = float_arg_cells(frozenset(INDEXING_EXAMPLES))


@pytest.mark.parametrize(
    ("routine", "name", "which"), CASES, ids=[f"{r}-{n}-arg{w}" for r, n, w in CASES]
)
def test_edge_shape_as_numpy(routine: str, name: str, which: int) -> None:
    _backend(name)
    cell = TABLE[routine][name]
    raises_here = BACKENDS[name].eager or cell["mode"] == "host" or not cell["lazy"]
    for shape in SHAPES:
        where = f"{routine} on {name}, arg {which} {shape}"
        ref = _outcome(routine, "numpy", which, shape)
        got = _outcome(routine, name, which, shape)
        if ref[0] == "xerr" and got[0] == "ok" and not raises_here:
            assert _flagged(got[1]), f"{where}: no NaN in {got}"
            continue
        assert got[0] == ref[0], f"{where}: {got} where the NumPy backend gave {ref[0]}"
        if got[0] == "xerr":
            assert got[1] == ref[1], where
        else:
            _same_values(got[1], ref[1], where)
