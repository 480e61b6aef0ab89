"""The benchmark engine: a --quick smoke run, JSON round trip, compare, timing sanity."""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from xpmath.bench import report, runner
from xpmath.bench.timing import measure, measure_interleaved


def test_measure_orders_statistics(monkeypatch) -> None:
    # a clock that only the timed call advances (3 us a call, every 5th call 1 us slower):
    # the batching is then checked exactly, not at the mercy of a busy machine
    from xpmath.bench import timing

    clock = {"now": 0.0, "calls": 0}

    def call() -> float:
        clock["calls"] += 1
        clock["now"] += 3e-6 + (1e-6 if clock["calls"] % 5 == 0 else 0.0)
        return float(np.ones(1000).sum())

    monkeypatch.setattr(timing, "time", SimpleNamespace(perf_counter=lambda: clock["now"]))
    t = measure(call, lambda r: r, budget=0.05)
    assert 0 < t.min <= t.q1 <= t.median <= t.q3
    assert t.calls_per_sample >= 1 and t.samples >= 3
    assert t.median * t.calls_per_sample >= 5e-4  # batched to about a millisecond
    assert t.median == pytest.approx(3.2e-6, rel=0.02)


def test_measure_interleaved_alternates_and_keeps_timings_apart() -> None:
    import time

    log: list[str] = []

    def slow() -> None:
        log.append("s")
        time.sleep(2e-3)

    def fast() -> None:
        log.append("f")

    ts, tf = measure_interleaved([slow, fast], lambda r: r, samples=5, budget=10.0)
    assert ts.samples == tf.samples == 5
    assert ts.median >= 2e-3 > tf.median
    assert ts.calls_per_sample == 1 and tf.calls_per_sample > 1
    # after warm-up and calibration, samples alternate: one slow call, then a fast batch
    rounds = "".join(log)[-5 * (1 + tf.calls_per_sample) :]
    assert rounds == ("s" + "f" * tf.calls_per_sample) * 5


def test_run_rows_have_metrics() -> None:
    seen: list[tuple[int, int, str]] = []
    rows = runner.run(
        ["numpy"],
        ["matmul", "norm", "gd"],
        ["float64"],
        quick=True,
        sizes={"matmul": [64], "norm": [200_000], "gd": [(200, 20)]},
        gd_steps=5,
        progress=lambda done, total, label: seen.append((done, total, label)),
        cache={"cpu": 8 << 20},  # (--cache-size 8: the VM's 480 MiB took 20 s of arrays)
    )
    assert seen[-1][0] == seen[-1][1] == len(seen)  # one call per cell, the last one done
    ops = {(r.op, r.variant) for r in rows}
    assert ("matmul", "") in ops and ("norm", "ord=1") in ops and ("gd", "5 steps") in ops
    for r in rows:
        assert r.value > 0 and r.raw_value > 0 and r.ratio > 0
        assert r.timing["median"] > 0
    mm = next(r for r in rows if r.op == "matmul")
    assert mm.ceiling and 0 < mm.fraction <= 1.0 + 1e-9
    text = report.tables(runner.rows_as_dicts(rows))
    assert "GFLOP/s" in text and "GB/s" in text and "it/s" in text


def test_bad_arguments() -> None:
    from xpmath import InvalidArgumentError

    with pytest.raises(InvalidArgumentError, match="unknown op"):
        runner.run(["numpy"], ["fft"], ["float32"], quick=True)
    with pytest.raises(InvalidArgumentError, match="dtype"):
        runner.run(["numpy"], ["norm"], ["int8"], quick=True)


def test_cli_quick_json_and_compare(tmp_path) -> None:
    out = tmp_path / "r.json"
    cmd = [
        sys.executable,
        "-m",
        "xpmath.cli",
        "bench",
        "--quick",
        "--backend",
        "numpy",
        "--size",
        "64,200000,200x20",
        "--steps",
        "5",
        "--cache-size",
        "8",
        "--json",
        str(out),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "matmul" in proc.stdout and "numpy" in proc.stdout
    doc = json.loads(out.read_text())
    assert doc["rows"] and doc["environment"]["backends"]["numpy"]["version"]
    cmp = subprocess.run(
        [sys.executable, "-m", "xpmath.cli", "bench", "--compare", str(out), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cmp.returncode == 0 and "1.00" in cmp.stdout


def test_read_json_rejects_other_files(tmp_path) -> None:
    from xpmath import InvalidArgumentError

    p = tmp_path / "x.json"
    p.write_text("[1, 2]")
    with pytest.raises(InvalidArgumentError, match="not an xpmath bench"):
        report.read_json(str(p))
