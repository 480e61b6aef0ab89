"""Backend selection, dispatch, conversions, precision policy, lazy imports."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import xpmath
from xpmath._backends import BACKENDS

USABLE = [n for n, b in BACKENDS.items() if b.status()[0]]


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        k: v for k, v in os.environ.items() if k not in ("XPMATH_BACKEND", "JAX_ENABLE_X64")
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=full_env, timeout=120
    )


def test_import_imports_no_backend() -> None:
    topics = ", ".join(f"xpmath.{t}" for t in xpmath._TOPICS)
    out = _run(
        f"import sys, xpmath; import {topics}; "
        "print(sorted(m for m in ('jax','cupy','torch','dask','array_api_strict') "
        "if m in sys.modules))"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_backends_records() -> None:
    infos = {b.name: b for b in xpmath.backends()}
    assert set(infos) == set(xpmath.BACKEND_NAMES)
    assert infos["numpy"].usable and infos["numpy"].installed and infos["numpy"].version
    for b in infos.values():
        assert b.usable == (b.reason == "")
        if not b.installed:
            assert "install" in b.reason and not b.usable


def test_unknown_backend_lists_valid_names() -> None:
    with pytest.raises(ValueError, match="valid names are numpy, jax"):
        xpmath.set_backend("nopy")
    with pytest.raises(xpmath.InvalidArgumentError, match="backend"):
        xpmath.asarray([1.0], backend="tensorflow")


def test_missing_backend_raises_import_error_with_pip_hint() -> None:
    missing = [b for b in BACKENDS.values() if not b.installed()]
    if not missing:
        pytest.skip("every backend is installed here")
    b = missing[0]
    with pytest.raises(ImportError, match="pip install"):
        xpmath.set_backend(b.name)
    with pytest.raises(xpmath.BackendUnavailableError, match=b.name):
        xpmath.asarray([1.0], backend=b.name)


def test_selection_precedence() -> None:
    code = (
        "import xpmath\n"
        "a = xpmath.current_backend()\n"
        "xpmath.set_backend('{g}')\n"
        "b = xpmath.current_backend()\n"
        "with xpmath.use('{s}'):\n"
        "    c = xpmath.current_backend()\n"
        "    d = type(xpmath.asarray([1.0], backend='numpy')).__module__\n"
        "e = xpmath.current_backend()\n"
        "print(a, b, c, d, e)"
    )
    other = "array_api_strict"
    out = _run(code.format(g="numpy", s=other), XPMATH_BACKEND=other)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [other, "numpy", other, "numpy", "numpy"]


def test_env_var_default_and_bad_env_value() -> None:
    out = _run("import xpmath; print(xpmath.current_backend())", XPMATH_BACKEND="numpy")
    assert out.stdout.strip() == "numpy"
    out = _run("import xpmath; xpmath.asarray([1.0])", XPMATH_BACKEND="bogus")
    assert out.returncode != 0 and "valid names" in out.stderr


def test_use_is_context_local() -> None:
    seen: dict[str, str] = {}

    def worker() -> None:
        seen["thread"] = xpmath.current_backend()

    with xpmath.use("array_api_strict"):
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        seen["main"] = xpmath.current_backend()
    assert seen == {"thread": "numpy", "main": "array_api_strict"}

    async def task(name: str) -> str:
        with xpmath.use(name):
            await asyncio.sleep(0.01)
            return xpmath.current_backend()

    async def both() -> list[str]:
        return list(await asyncio.gather(task("numpy"), task("array_api_strict")))

    assert asyncio.run(both()) == ["numpy", "array_api_strict"]
    assert xpmath.current_backend() == "numpy"


def test_namespace_follows_arrays_and_scalars(bk) -> None:
    x = bk.asarray([1.0, 2.0])
    assert xpmath.namespace(x, 3.0, [1, 2], None) is bk.xp
    assert xpmath.namespace(3.0) is xpmath.namespace(np.ones(1))


@pytest.mark.parametrize("pair", [(a, b) for a in USABLE for b in USABLE if a != b])
def test_mismatch_names_both(pair) -> None:
    a = xpmath.asarray(np.ones(2), backend=pair[0])
    b = xpmath.asarray(np.ones(2), backend=pair[1])
    with pytest.raises(xpmath.BackendMismatchError, match=f"{pair[0]} and {pair[1]}"):
        xpmath.namespace(a, b)
    with pytest.raises(TypeError):
        xpmath.linalg.matmul(a, b)


@pytest.mark.parametrize("src", USABLE)
@pytest.mark.parametrize("dst", USABLE)
def test_conversions_between_every_pair(src, dst, rng) -> None:
    ref = rng.standard_normal((3, 4)).astype(np.float32)
    x = xpmath.asarray(ref, backend=src)
    y = xpmath.to_backend(x, dst)
    assert xpmath.backends  # keeps the namespace import honest
    assert xpmath._dispatch.backend_of(y).name == dst
    back = xpmath.to_numpy(y)
    assert back.dtype == np.float32
    np.testing.assert_array_equal(back, ref)


def test_asarray_dtype_and_jit(bk) -> None:
    x = xpmath.asarray([1, 2, 3], dtype="float32", backend=bk.name)
    assert xpmath.to_numpy(x).dtype == np.float32

    @xpmath.jit
    def double(v):
        return 2 * v

    np.testing.assert_array_equal(xpmath.to_numpy(double(x)), [2, 4, 6])
    assert xpmath.synchronize(x) is not None


def test_jit_rejects_non_callable() -> None:
    with pytest.raises(xpmath.InvalidArgumentError, match="f must be callable"):
        xpmath.jit(3)


def test_jax_float64_without_x64_raises_precision_error() -> None:
    if not BACKENDS["jax"].status()[0]:
        pytest.skip(BACKENDS["jax"].status()[1])
    code = (
        "import numpy as np, xpmath\n"
        "for thunk in (lambda: xpmath.asarray([1.0], dtype='float64', backend='jax'),\n"
        "              lambda: xpmath.to_backend(np.ones(2), 'jax')):\n"
        "    try:\n        thunk()\n        print('silent')\n"
        "    except xpmath.PrecisionError as e:\n"
        "        print('raised', 'jax_enable_x64' in str(e))\n"
        "print(xpmath.asarray([1.0], dtype='float32', backend='jax').dtype)\n"
        "xpmath.enable_x64()\n"
        "print(xpmath.asarray([1.0], dtype='float64', backend='jax').dtype)\n"
    )
    out = _run(code, JAX_ENABLE_X64="0")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["raised", "True", "raised", "True", "float32", "float64"]


def test_capabilities_table() -> None:
    caps = xpmath.capabilities("linalg.matmul")
    assert {c.backend for c in caps} >= {"numpy", "jax", "cupy", "array_api_strict"}
    assert all(c.mode in ("native", "generic", "host", "unsupported") for c in caps)
    assert len(xpmath.capabilities()) > len(caps)
    with pytest.raises(xpmath.InvalidArgumentError, match="no routine"):
        xpmath.capabilities("linalg.nope")
    assert "Backend support" in xpmath.linalg.matmul.__doc__


def test_every_routine_is_the_public_function_of_its_name() -> None:
    """Each row of the table belongs to the public function its name reaches from ``xpmath``
    (a registration on a helper would leave the function's doc without its support note)."""
    names = {c.routine for c in xpmath.capabilities()}
    assert len(names) > 80
    for name in sorted(names):
        obj = xpmath
        for part in name.split("."):
            obj = getattr(obj, part)
        assert callable(obj), name
        assert "Backend support: numpy: " in (obj.__doc__ or ""), name


def test_matmul_precision_setting() -> None:
    from xpmath._precision import get_matmul_precision

    assert get_matmul_precision() == "strict"
    with xpmath.matmul_precision("fast"):
        assert get_matmul_precision() == "fast"
    assert get_matmul_precision() == "strict"
    with pytest.raises(xpmath.InvalidArgumentError, match="mode"):
        xpmath.set_matmul_precision("tf16")


def test_info_command_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "xpmath.cli", "info"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "numpy" in out.stdout and "cupy" in out.stdout
    assert "BLAS" in out.stdout
