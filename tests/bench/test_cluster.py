"""``xpmath bench --dask-scheduler``: argument checks and a run on a LocalCluster it starts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from xpmath import InvalidArgumentError
from xpmath._backends.dask_cluster import dask_scheduler


@pytest.mark.parametrize("spec", ["", "  ", "local:0", "local:x", 3])
def test_bad_scheduler_spec(spec) -> None:
    with pytest.raises(InvalidArgumentError, match="dask_scheduler"), dask_scheduler(spec):
        pass


def test_default_scheduler_needs_nothing() -> None:
    with dask_scheduler(None) as info:
        assert info["kind"] == "default"


def test_scheduler_without_dask_backend_is_refused() -> None:
    import argparse

    from xpmath.bench.cli import add_arguments, run

    p = argparse.ArgumentParser()
    add_arguments(p)
    args = p.parse_args(["--backend", "numpy", "--dask-scheduler", "local"])
    assert run(args) == 2  # a usage error, reported on one line before any work


@pytest.mark.distributed
def test_cli_on_local_cluster(tmp_path) -> None:
    pytest.importorskip("distributed")
    pytest.importorskip("dask.array")
    out = tmp_path / "dask.json"
    cmd = [
        sys.executable, "-m", "xpmath.cli", "bench", "--quick", "--backend", "dask",
        "--dask-scheduler", "local:2", "--size", "64,100000,200x20", "--dtype", "float64",
        "--steps", "3", "--cache-size", "8", "--json", str(out),
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "LocalCluster" in proc.stdout and "dask" in proc.stdout
    doc = json.loads(out.read_text())
    sched = doc["environment"]["dask_scheduler"]
    assert sched["kind"] == "LocalCluster" and sched["workers"] == 2
    assert {r["op"] for r in doc["rows"]} == {"matmul", "norm", "gd"}
    assert all(0 < r["fraction"] <= 1 for r in doc["rows"])  # the host's ceilings judge dask
