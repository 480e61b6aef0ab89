"""nox sessions: ``tests`` (one per backend group), ``lint`` and ``bench``."""

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
    session.run("ruff", "check", "xpmath", "tests", "benchmarks")
    session.run("ruff", "format", "--check", "xpmath", "tests", "benchmarks")


@nox.session
def bench(session: nox.Session) -> None:
    """pytest-benchmark suite; pass --benchmark-json=FILE to keep results."""
    session.install("torch==2.13.0")
    session.install("-e", ".[all,torch]")
    session.run("python", "-m", "pytest", "benchmarks", "--benchmark-only", *session.posargs)
