"""Results files survive interruption (atomic, strict JSON, partial runs marked) and compare
verdicts follow from both runs' noise."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from xpmath.bench import compare, results


def _row(value: float, spread: float, **kw) -> dict:
    base = {"op": "norm", "variant": "ord=2", "backend": "numpy", "size": "1e+06",
            "dtype": "float32", "unit": "GB/s", "value": value, "spread": spread}  # fmt: skip
    return {**base, **kw}


def _doc(*rows: dict) -> dict:
    return {"schema": 2, "rows": list(rows)}


@pytest.mark.parametrize(
    ("old", "new", "noise", "expected"),
    [
        (100, 120, 0.01, "FASTER"),
        (100, 80, 0.01, "SLOWER"),
        (100, 102, 0.01, "SAME"),
        (100, 96, 0.02, "SAME"),
        (100, 110, 0.20, "NOISY"),  # a 10% change inside 20% noise
        (100, 50, 0.20, "SLOWER"),  # a 50% loss is larger than twice the noise
        (100, 104, 0.04, "NOISY"),  # quiet enough to move, too noisy to call SAME
    ],
)
def test_verdicts(old, new, noise, expected) -> None:
    v = compare.compare_rows(_doc(_row(old, noise)), _doc(_row(new, 0.0)), threshold=0.05)
    assert [x.verdict for x in v] == [expected]
    assert v[0].noise == pytest.approx(noise)


def _timed_row(rng, speed: float, noise: float) -> dict:
    """A row measured with lognormal noise: 9 samples, spread from their quartiles."""
    times = np.sort(1.0 / speed * np.exp(rng.normal(0.0, noise, 9)))
    q1, med, q3 = np.quantile(times, [0.25, 0.5, 0.75])
    return _row(1.0 / med, float((q3 - q1) / med))


def _verdict(rng, old: float, new: float, noise: float) -> str:
    a, b = _doc(_timed_row(rng, old, noise)), _doc(_timed_row(rng, new, noise))
    return compare.compare_rows(a, b)[0].verdict


def test_verdicts_on_synthetic_runs_with_known_noise() -> None:
    rng = np.random.default_rng(20261127)
    for noise in (0.01, 0.03, 0.1):
        same = [_verdict(rng, 1.0, 1.0, noise) for _ in range(200)]
        # the same speed measured twice is never called faster or slower more than rarely
        assert sum(v in ("FASTER", "SLOWER") for v in same) <= 4, (noise, same.count("FASTER"))
        if noise <= 0.01:
            assert same.count("SAME") >= 190
        if noise >= 0.1:
            assert same.count("NOISY") >= 150
    slower = [_verdict(rng, 1.0, 0.6, 0.02) for _ in range(100)]
    assert slower.count("SLOWER") == 100


def _bench(*args: str, **kw):
    return subprocess.run([sys.executable, "-m", "xpmath.cli", "bench", "--cache-size", "8", *args],
                          capture_output=True, text=True, timeout=300, **kw)  # fmt: skip


def test_compare_cli_and_fail_on_slower(tmp_path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(_doc(_row(100, 0.01), _row(50, 0.01, backend="torch"))))
    new.write_text(json.dumps(_doc(_row(70, 0.01), _row(51, 0.01, backend="torch"))))
    proc = _bench("--compare", str(old), str(new))
    assert proc.returncode == 0, proc.stderr
    assert "SLOWER" in proc.stdout and "SAME" in proc.stdout and "1 SLOWER" in proc.stdout
    assert _bench("--compare", str(old), str(new), "--fail-on-slower", "10").returncode == 1
    assert _bench("--compare", str(old), str(new), "--fail-on-slower", "40").returncode == 0
    report = tmp_path / "cmp.html"
    proc = _bench("--compare", str(old), str(new), "--report", str(report))
    assert proc.returncode == 0 and 'id="compare"' in report.read_text()


def test_json_is_strict_and_atomic(tmp_path, monkeypatch) -> None:
    path = tmp_path / "r.json"
    rows = [_row(float("inf"), float("nan"), ceiling=float("-inf"), extra={"t": (1.0, 2)})]
    results.write_json(str(path), rows, {"cpu": "x"}, ["xpmath", "bench"])

    def no_constants(name):
        raise AssertionError(f"non-strict JSON constant {name}")

    doc = json.loads(path.read_text(), parse_constant=no_constants)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # as open() would, not mkstemp's 0600
    assert doc["rows"][0]["value"] is None and doc["rows"][0]["ceiling"] is None
    assert doc["rows"][0]["extra"]["t"] == [1.0, 2] and doc["partial"] is False
    before = path.read_text()

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(results.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        results.write_json(str(path), [_row(1.0, 0.0)], {}, ["again"])
    assert path.read_text() == before  # the previous file is intact
    assert sorted(os.listdir(tmp_path)) == ["r.json"]  # and no temporary file is left


@pytest.mark.parametrize("fault", ["folder gone", "disk full"])
def test_a_file_that_cannot_be_written_is_named(tmp_path, monkeypatch, fault) -> None:
    """A write that fails after the run (the folder removed meanwhile, a full disk) is a
    ResultsFileError naming the file and the system's reason, and leaves no temporary file;
    it was the bare OSError of a temporary file's name."""
    path = tmp_path / "out" / "r.json"
    if fault == "disk full":
        path.parent.mkdir()

        def full(fd):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(results.os, "fsync", full)
    with pytest.raises(results.ResultsFileError, match=r"r\.json.*(No such file|No space left)"):
        results.write_json(str(path), [_row(1.0, 0.0)], {}, ["xpmath", "bench"])
    assert not path.parent.exists() or os.listdir(path.parent) == []


def _start_long_run(tmp_path, out):
    sizes = ",".join(str(10_000_000 + 100_000 * i) for i in range(12))
    cmd = [sys.executable, "-m", "xpmath.cli", "bench", "--backend", "numpy", "--op", "norm",
           "--dtype", "float64", "--size", sizes, "--quick", "--cache-size", "8",
           "--json", str(out)]  # fmt: skip
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_cell(proc, n: int) -> None:
    while True:
        line = proc.stderr.readline()
        assert line, "the run ended before the interruption"
        if line.startswith(f"[{n}/"):
            return


@pytest.mark.parametrize("presses", [1, 2])
def test_sigint_writes_the_finished_cells_marked_partial(tmp_path, presses) -> None:
    out = tmp_path / "r.json"
    out.write_text(json.dumps(_doc(_row(1.0, 0.0))))  # an earlier, valid file
    proc = _start_long_run(tmp_path, out)
    _wait_for_cell(proc, 3)
    for _ in range(presses):
        proc.send_signal(signal.SIGINT)
        time.sleep(0.05)
    stdout, stderr = proc.communicate(timeout=300)
    # a second press may land after the finished cells were written, as the process exits:
    # it then ends by the signal itself (-SIGINT), with the file already complete
    allowed = (130,) if presses == 1 else (130, -signal.SIGINT)
    assert proc.returncode in allowed, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    doc = json.loads(out.read_text())
    assert doc["partial"] is True
    assert {r["op"] for r in doc["rows"]} == {"norm"}
    assert 3 <= len(doc["rows"]) < 36  # ceiling + norm cells that finished; not all 12 sizes
    assert "(partial)" in stdout or proc.returncode != 130  # stdout is lost if killed at exit


def test_a_killed_run_leaves_the_previous_file(tmp_path) -> None:
    out = tmp_path / "r.json"
    before = json.dumps(_doc(_row(1.0, 0.0)))
    out.write_text(before)
    proc = _start_long_run(tmp_path, out)
    _wait_for_cell(proc, 2)
    proc.kill()
    proc.communicate(timeout=60)
    assert out.read_text() == before
    assert sorted(os.listdir(tmp_path)) == ["r.json"]
