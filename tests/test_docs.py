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


def test_readme_scipy_snippet_runs() -> None:
    """The README's "Coming from SciPy" block runs as printed."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = text.split("## Coming from SciPy", 1)[1]
    code = section.split("```python", 1)[1].split("```", 1)[0]
    env: dict = {}
    exec(compile(code, "README.md", "exec"), env)
    low, high = env["r"].confidence_interval(confidence_level=0.95)
    assert low < -1.0 < high
