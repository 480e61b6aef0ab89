"""``xpmath bench`` as a newcomer meets it: every bad value gives one line on stderr and exit
status 2 before any work; bad results files too; progress is never silent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xpmath.bench.options import BenchUsageError, parse_cache_size, parse_sizes


def _bench(*args: str, env: dict[str, str] | None = None, timeout: int = 300):
    # (an 8 MiB cache: the ceilings' arrays at the VM's reported 480 MiB took 20 s a run)
    cmd = [sys.executable, "-m", "xpmath.cli", "bench", "--cache-size", "8", *args]
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}
    )


def _one_line_usage_error(proc, *words: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "error" in lines[0]
    for w in words:
        assert w in lines[0], (w, lines[0])
    assert proc.stdout == ""


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--size", "abc"], ["--size", "'abc'"]),
        (["--size", "0"], ["--size", "positive"]),
        (["--size=-5"], ["--size", "positive"]),
        (["--size", "1.5"], ["--size", "whole"]),
        (["--size", "inf"], ["--size"]),
        (["--op", "norm", "--size", "2x3"], ["--size", "'2x3'", "gd"]),
        (["--op", "gd", "--size", "100"], ["--size", "'100'", "MxD"]),
        (["--op", "matmul", "--size", "gd:10x0"], ["--size", "positive"]),
        (["--size", "fft:10"], ["--size", "fft"]),
        (["--op", "fft"], ["--op", "'fft'", "matmul"]),
        (["--op", ""], ["--op"]),
        (["--backend", "nope"], ["--backend", "'nope'", "numpy"]),
        (["--dtype", "int8"], ["--dtype", "'int8'", "float32"]),
        (["--device", "tpu"], ["--device", "'tpu'"]),
        (["--steps", "0"], ["--steps"]),
        (["--steps", "abc"], ["--steps"]),
        (["--fail-on-slower", "abc"], ["--fail-on-slower"]),
        (["--threshold", "-1"], ["--threshold"]),
        (["--json", "/nonexistent-dir/x.json"], ["--json", "does not exist"]),
        (["--report", "/nonexistent-dir/x.html"], ["--report"]),
        (["--frobnicate"], ["unrecognized"]),
        (["--compare", "only-one"], ["--compare"]),
        (["--plot", "figure.txt"], ["--plot", "'figure.txt'", ".svg"]),
        (["--fail-on-slower", "5"], ["--fail-on-slower", "--baseline", "--compare"]),
        (["--threshold", "10"], ["--threshold", "--baseline"]),
        (["--cache-size", "0"], ["--cache-size", "positive", "'0'"]),
        (["--cache-size", "abc"], ["--cache-size", "'abc'"]),
        (["--cache-size", "nan"], ["--cache-size", "'nan'"]),
        (["--cache-size", ""], ["--cache-size", "MiB"]),
        (["--cache-size", "cpu:-1"], ["--cache-size", "'cpu:-1'"]),
        (["--cache-size", "tpu:3"], ["--cache-size", "'tpu:3'", "gpu:MiB"]),
    ],
)
def test_bad_values_give_one_line_and_status_2(args, words) -> None:
    _one_line_usage_error(_bench(*args), *words)


def test_cache_size_for_every_device_or_each() -> None:
    assert parse_cache_size(None) is None
    assert parse_cache_size("64") == {"*": 64 << 20}
    assert parse_cache_size("cpu:480, gpu:0.5") == {"cpu": 480 << 20, "gpu": 512 << 10}


def test_a_given_cache_size_sets_the_ceilings_arrays_and_is_recorded(tmp_path) -> None:
    """A VM reports its host's last-level cache (480 MiB here, where the ceilings then read
    1.9 GB arrays and measured memory as "in-cache"); ``--cache-size`` replaces it."""
    out = tmp_path / "r.json"
    proc = _bench("--quick", "--backend", "numpy", "--op", "norm", "--size", "1e4",
                  "--dtype", "float32", "--no-progress", "--cache-size", "cpu:24",
                  "--json", str(out))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    cpu = json.loads(out.read_text())["ceilings"]["cpu"]
    assert cpu["cache_bytes"] == 24 << 20 and cpu["cache_given"] is True
    assert cpu["stream_bytes"] == 96 << 20  # 4x the cache (at least 64 MiB)
    assert "last-level cache 24 MiB (--cache-size)" in proc.stdout


def _with_reader_gone(*args: str) -> tuple[int, str]:
    """Run ``xpmath ARGS`` with its stdout a pipe whose reader has left (as ``| head`` does
    once it has its lines): the status and stderr."""
    cmd = [sys.executable, "-m", "xpmath.cli", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()
    err = proc.stderr.read()
    return proc.wait(timeout=300), err


def test_a_reader_that_leaves_costs_no_file_and_shows_no_error(tmp_path) -> None:
    """``xpmath bench --json F | head`` wrote no F and said ``error: BrokenPipeError``: the
    output now stops quietly and the files are still written; ``info`` (and ``tour``) stop
    with 141, as a Unix tool ended by SIGPIPE does."""
    out = tmp_path / "r.json"
    status, err = _with_reader_gone(
        "bench", "--quick", "--backend", "numpy", "--op", "norm", "--size", "1e4",
        "--dtype", "float32", "--no-progress", "--cache-size", "8", "--json", str(out),
    )  # fmt: skip
    assert status == 0 and err == "", err
    assert json.loads(out.read_text())["rows"]
    status, err = _with_reader_gone("info")
    assert status == 141 and err == "", err


def test_json_path_that_is_a_folder(tmp_path) -> None:
    _one_line_usage_error(_bench("--json", str(tmp_path)), "--json", "folder")


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")
@pytest.mark.parametrize("option", ["--json", "--report", "--plot"])
def test_a_folder_that_refuses_files_is_named_before_the_run(option) -> None:
    """/proc takes no new files, though os.access says it does to root: the run ended with a
    raw FileNotFoundError naming a temporary file, after the benchmark had run."""
    target = "/proc/xpmath-out." + ("html" if option == "--report" else "png")
    proc = _bench("--backend", "numpy", "--op", "matmul", "--quick", "--no-progress",
                  option, target, timeout=60)  # fmt: skip
    _one_line_usage_error(proc, option, repr(target))


def test_device_the_backend_lacks() -> None:
    proc = _bench("--backend", "numpy", "--device", "gpu", "--no-progress")
    _one_line_usage_error(proc, "--device gpu", "numpy")


def test_backend_not_usable_here() -> None:
    proc = _bench("--backend", "cupy", "--no-progress")
    _one_line_usage_error(proc, "--backend", "cupy")


def test_plot_without_matplotlib(tmp_path) -> None:
    # a matplotlib that cannot be imported, first on the path
    fake = tmp_path / "site" / "matplotlib"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('no matplotlib here')\n")
    env = {"PYTHONPATH": str(tmp_path / "site") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = _bench("--plot", str(tmp_path / "p.png"), env=env)
    _one_line_usage_error(proc, "--plot", "matplotlib")


def _results(path: Path, rows: list[dict]) -> Path:
    path.write_text(json.dumps({"schema": 2, "rows": rows}))
    return path


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, ["does not exist"]),
        ("", ["empty"]),
        ('{"schema": 2, "rows": [{"op": "matmul", ', ["not valid JSON"]),
        ("not json at all", ["not valid JSON"]),
        ("[1, 2]", ["not an xpmath bench results file"]),
        ('{"rows": [{"op": "norm"}]}', ["lacks"]),
        ('{"rows": [{"op": "n", "variant": "", "backend": "numpy", "size": "1", "dtype": '
         '"float32", "unit": "GB/s", "value": "fast"}]}', ["non-numeric"]),
        (b"\xff\xfe\x00binary", ["cannot read"]),
    ],
)  # fmt: skip
def test_compare_bad_files(tmp_path, content, words) -> None:
    good = _results(tmp_path / "good.json", [])
    bad = tmp_path / "bad.json"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    elif content is not None:
        bad.write_text(content)
    for order in ((good, bad), (bad, good)):
        proc = _bench("--compare", str(order[0]), str(order[1]))
        _one_line_usage_error(proc, "--compare", *words)
    # the same checks guard --baseline, before any measuring
    _one_line_usage_error(_bench("--baseline", str(bad)), "--baseline", *words)


def test_parse_sizes_routes_tokens_to_ops() -> None:
    ops = ["matmul", "norm", "gd"]
    assert parse_sizes("1e3,2000x500,norm:1e8", ops) == {
        "matmul": [1000],
        "norm": [1000, 100_000_000],
        "gd": [(2000, 500)],
    }
    assert parse_sizes(None, ops) is None
    assert parse_sizes("64", ["matmul"]) == {"matmul": [64]}
    with pytest.raises(BenchUsageError, match="'2x3' is a size for gd"):
        parse_sizes("2x3", ["norm"])
    with pytest.raises(BenchUsageError, match="matmul/norm"):
        parse_sizes("100", ["gd"])
    with pytest.raises(BenchUsageError, match="does not take that form"):
        parse_sizes("norm:10x10", ["norm", "gd"])


def test_piped_run_reports_progress_per_cell(tmp_path) -> None:
    proc = _bench(
        "--quick", "--backend", "numpy", "--op", "matmul,norm", "--dtype", "float64",
        "--size", "matmul:64,norm:1e4",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("xpmath bench: checking backends")  # before any import
    cells = [ln for ln in lines if ln.startswith("[")]
    total = int(cells[0].split("/")[1].split("]")[0])
    assert len(cells) == total >= 3  # ceilings, matmul, norm: one line each
    assert all(" s  (" in ln for ln in cells)  # the cell's time and the time elapsed
    assert any("left)" in ln for ln in cells[:-1])  # an estimate of what is left
    assert "Traceback" not in proc.stderr
    quiet = _bench("--quick", "--backend", "numpy", "--op", "matmul", "--size", "32",
                   "--dtype", "float32", "--no-progress")  # fmt: skip
    assert quiet.returncode == 0 and quiet.stderr == ""


class _Terminal:
    """A stream that says it is a terminal, collecting what is written."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_and_lines_elsewhere() -> None:
    import io

    from xpmath.bench.progress import LineProgress, make_progress

    pytest.importorskip("rich")
    term = _Terminal()
    bar = make_progress(3, [1.0, 2.0, 1.0], stream=term)
    assert type(bar).__name__ == "RichProgress"
    for i in range(3):
        bar.cell(i, f"cell {i}", 0.1)
    bar.close()
    assert "3/3" in "".join(term.parts)
    piped = io.StringIO()
    lines = make_progress(2, [1.0, 3.0], stream=piped)
    assert type(lines) is LineProgress
    lines.cell(0, "matmul numpy 64 float32", 0.5)
    lines.cell(1, "norm numpy 1e+06 float32", 1.5)
    out = piped.getvalue().splitlines()
    assert out[0].startswith("[1/2] matmul numpy 64 float32  0.5 s") and "left)" in out[0]
    assert out[1].startswith("[2/2] norm") and "left" not in out[1]
    assert make_progress(2, enabled=False) is None


def test_python_m_xpmath_is_the_xpmath_command() -> None:
    # where the console script is not on PATH (a venv not activated), python -m xpmath works
    ok = subprocess.run(
        [sys.executable, "-m", "xpmath", "info"], capture_output=True, text=True, timeout=300
    )
    assert ok.returncode == 0, ok.stderr
    assert "numpy" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "xpmath", "bench", "--fail-on-slower", "5"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    _one_line_usage_error(bad, "xpmath bench", "--fail-on-slower")
