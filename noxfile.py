"""nox sessions: ``tests`` (one per backend group), ``lint``, ``docs`` and ``bench``."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "tests"]

EXTRAS = {"numpy": "test", "jax": "test,jax", "dask": "test,dask", "torch": "test,torch"}


@nox.session
@nox.parametrize("backend", list(EXTRAS))
def tests(session: nox.Session, backend: str) -> None:
    """Run the suite with one optional backend installed (NumPy and array_api_strict always)."""
    if backend == "torch":
        session.install("torch==2.13.0")
    session.install("-e", f".[{EXTRAS[backend]}]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "xpmath", "tests", "benchmarks", "docs")
    session.run("ruff", "format", "--check", "xpmath", "tests", "benchmarks", "docs")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site with warnings as errors into docs/_build/html, then check
    its internal links and that every public name has a page."""
    session.install("torch==2.13.0")
    session.install("-e", ".[all,torch]")
    session.run(
        "python", "-m", "sphinx", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html"
    )
    session.run("python", "-m", "pytest", "tests/test_docs_site.py", "-q")


@nox.session
def bench(session: nox.Session) -> None:
    """pytest-benchmark suite; pass --benchmark-json=FILE to keep results."""
    session.install("torch==2.13.0")
    session.install("-e", ".[all,torch]")
    session.run("python", "-m", "pytest", "benchmarks", "--benchmark-only", *session.posargs)
