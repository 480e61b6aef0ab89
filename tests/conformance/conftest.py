"""Apply the list of upstream cases xpmath deliberately does not pass (known_differences.py)."""

from __future__ import annotations

import fnmatch

import pytest

from .known_differences import DIFFERENCES

#: SciPy's names for the backends in its skip_xp_backends / xfail_xp_backends marks
SCIPY_IDS = {"jax": "jax.numpy", "dask": "dask.array"}
LAZY = {"jax", "dask"}


def _upstream_marks(item: pytest.Item, backend: str) -> None:
    """Honour SciPy's own per-backend marks (``skip_xp_backends``, ``xfail_xp_backends``),
    as SciPy's conftest does: they say which backends a case applies to upstream."""
    sid = SCIPY_IDS.get(backend, backend)
    for kind in ("skip", "xfail"):
        for mark in item.iter_markers(f"{kind}_xp_backends"):
            kw = mark.kwargs
            exceptions = set(kw.get("exceptions", ()))
            hit = sid in mark.args or kw.get("backend") == sid
            hit = hit or (kw.get("np_only") and backend != "numpy" and sid not in exceptions)
            hit = hit or (kw.get("eager_only") and backend in LAZY and sid not in exceptions)
            if hit:
                reason = "upstream mark: " + (kw.get("reason") or f"{kind}_xp_backends")
                marker = pytest.mark.skip if kind == "skip" else pytest.mark.xfail
                item.add_marker(marker(reason=reason))
                return


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        cls = getattr(item, "cls", None)
        upstream = getattr(cls, "upstream", None)
        if upstream is None:
            continue
        if item.get_closest_marker("xslow"):
            # SciPy's own suite runs these only with SCIPY_XSLOW=1
            item.add_marker(pytest.mark.skip(reason="upstream xslow mark (SciPy skips by default)"))
            continue
        backend = cls.xpmath_backend
        _upstream_marks(item, backend)
        test = item.name
        cls_name = upstream.rsplit("::", 1)[-1]
        for (where, pattern, backends), (kind, reason) in DIFFERENCES.items():
            # class and test patterns are shell-style; test names compare case-insensitively
            # (SciPy spells one method 'powell' and 'Powell' in parametrize ids)
            if not fnmatch.fnmatchcase(cls_name, where):
                continue
            if not fnmatch.fnmatchcase(test.lower(), pattern.lower()):
                continue
            if backends != "*" and backend not in backends.split(","):
                continue
            mark = pytest.mark.skip if kind == "skip" else pytest.mark.xfail
            # "rounding": fails on some CPUs' kernels and passes on others, so not strict
            strict = kind == "xfail"
            kwargs = {"reason": reason} if kind == "skip" else {"reason": reason, "strict": strict}
            item.add_marker(mark(**kwargs))
            break
