"""The prepared GPU run (``.ci/gpu``) cannot rot: its dry run, on this CPU machine, goes
through every phase and writes every file the GPU run brings back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = [
    "bench-fp32.json",
    "bench-tf32.json",
    "bench.html",
    "gd-steps.json",
    "junit.xml",
    "machine.txt",
    "summary.txt",
    "tests.log",
]


def test_gpu_script_dry_run(tmp_path) -> None:
    env = {**os.environ, "PYTHON": sys.executable}
    cmd = ["bash", str(ROOT / ".ci" / "gpu"), "--dry-run", str(tmp_path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == EXPECTED and len(files) <= 8  # at most 8 files come back from the GPU
    summary = (tmp_path / "summary.txt").read_text()
    assert proc.stdout.rstrip().endswith(summary.rstrip())  # the summary is printed last
    assert "tests:" in summary and " passed, 0 failed" in summary
    fast = json.loads((tmp_path / "bench-tf32.json").read_text())
    assert {r["variant"] for r in fast["rows"]} == {"fast"}  # the opt-in mode is labelled
    assert json.loads((tmp_path / "bench-fp32.json").read_text())["rows"]
    assert 'id="results"' in (tmp_path / "bench.html").read_text()
    gd = json.loads((tmp_path / "gd-steps.json").read_text())["rows"]
    assert {r["variant"] for r in gd} >= {"hand", "hand + check", "xpmath"}
    assert "gradient-descent steps" in summary
    machine = (tmp_path / "machine.txt").read_text()  # nvidia-smi (or why not), xpmath info
    assert "nvidia-smi" in machine.splitlines()[0] and "numpy" in machine


def test_wheel_script_is_ready() -> None:
    script = ROOT / ".ci" / "gpu-wheels"
    assert os.access(script, os.X_OK) and os.access(ROOT / ".ci" / "gpu", os.X_OK)
    assert "--python-version 3.12" in script.read_text()


@pytest.mark.parametrize("value", ["tpu", "GPU0"])
def test_unknown_test_device_is_a_usage_error(value) -> None:
    env = {**os.environ, "XPMATH_TEST_DEVICE": value}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--co",
           str(ROOT / "tests" / "test_device_placement.py")]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    assert proc.returncode != 0
    assert "XPMATH_TEST_DEVICE must be cpu or gpu" in proc.stdout + proc.stderr
