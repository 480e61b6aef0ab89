"""Every docstring example in the package runs and prints what it shows (NumPy backend)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import xpmath

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(xpmath.__path__, "xpmath.")
    if not m.name.startswith(("xpmath._backends.cupy", "xpmath._backends.dask"))
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name, globs={}):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
