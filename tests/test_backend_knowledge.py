"""Backend knowledge lives in ``xpmath/_backends/``: outside it, no module imports a backend
library, uses one by name, compares a value with a backend's name or looks a backend up by a
literal name. Strings a user reads (messages, docstrings, capability notes) and the capability
table's per-backend declarations (``@routine(..., array_api_strict="host")``) are not code
that branches, and are allowed."""

from __future__ import annotations

import ast
import pathlib

import pytest

import xpmath
from xpmath._backends import BACKENDS

ROOT = pathlib.Path(xpmath.__file__).parent
#: the array libraries behind the backends (and their companions)
LIBRARIES = {"jax", "jaxlib", "torch", "cupy", "cupyx", "dask", "distributed", "array_api_strict"}
NAMES = set(BACKENDS) | LIBRARIES
MODULES = sorted(p for p in ROOT.rglob("*.py") if "_backends" not in p.relative_to(ROOT).parts)


def _literals(node: ast.AST) -> list[str]:
    """The backend names a constant, or a tuple/list/set of constants, spells."""
    items = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
    return [e.value for e in items if isinstance(e, ast.Constant) and e.value in NAMES]


def violations(source: str) -> list[str]:
    """Each place ``source`` holds backend knowledge, as ``line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [
                f"{line}: import {a.name}" for a in node.names if a.name.split(".")[0] in LIBRARIES
            ]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in LIBRARIES:
                found.append(f"{line}: from {node.module} import ...")
        elif isinstance(node, ast.Name) and node.id in LIBRARIES:
            found.append(f"{line}: uses {node.id}")
        elif isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                found += [f"{line}: compares with {v!r}" for v in _literals(side)]
        elif isinstance(node, ast.Subscript) and _literals(node.slice):
            found.append(f"{line}: looks up {_literals(node.slice)[0]!r}")
        elif isinstance(node, ast.Call) and node.args and _literals(node.args[0]):
            func = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            if func in ("get_backend", "get", "require_backend"):
                found.append(f"{line}: {func}({_literals(node.args[0])[0]!r})")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_backend_knowledge_outside_backends(path) -> None:
    assert violations(path.read_text()) == []


@pytest.mark.parametrize(
    "code",
    [
        "import jax",
        "import torch.nn as nn",
        "from dask.array import random",
        "def f():\n    import cupy\n    return cupy.zeros(1)",
        "if b.name == 'jax': pass",
        "ok = name != 'array_api_strict'",
        "fast = b.name in ('numpy', 'torch')",
        "b = get_backend('dask')",
        "b = BACKENDS['cupy']",
        "host = BACKENDS['numpy']",
        "if row['dask'].mode == 'host': pass",
        "x = jax.numpy.zeros(3)",
    ],
)
def test_the_scan_finds_each_kind_of_backend_knowledge(code) -> None:
    """The check above would fail on each of these."""
    assert violations(code)


def test_the_scan_allows_messages_and_declarations() -> None:
    code = (
        "@routine('random.key', default='unsupported', jax='native', note={'jax': 'keys'})\n"
        "def key(seed, backend=None):\n"
        "    '''A JAX key (like jax.random.key).'''\n"
        "    raise BackendMismatchError(f'keys are JAX\\'s; got backend={backend!r}')\n"
    )
    assert violations(code) == []
