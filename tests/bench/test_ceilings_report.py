"""Ceilings measured in the run (never below a cell they judge), the spec sheet, the figures
and the self-contained HTML report."""

from __future__ import annotations

import base64
from html.parser import HTMLParser
from pathlib import Path

import pytest

from xpmath._backends import bench_support
from xpmath.bench import ceilings, html_report, results, runner


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("NVIDIA H100 80GB HBM3", "H100"),
        ("NVIDIA H100 PCIe", "H100 PCIe"),
        ("NVIDIA H200", "H200"),
        ("NVIDIA A100-SXM4-80GB", "A100-SXM4-80GB"),
        ("NVIDIA A100-PCIE-40GB", "A100"),
        ("NVIDIA L4", "L4"),
        ("AMD EPYC 7B13", None),
    ],
)
def test_spec_sheet(name, model) -> None:
    spec = ceilings.spec_sheet(name)
    assert (spec or {}).get("model") == model
    if spec:
        assert spec["bfloat16"] > spec["tf32"] > spec["float32"] > spec["float64"] > 0
        assert spec["hbm_GBs"] > 0


def test_cpu_cache_is_detected() -> None:
    cache = bench_support.cpu_cache_bytes()
    assert 1 << 20 <= cache <= 1 << 32


@pytest.fixture(scope="module")
def small_run():
    """One tiny numpy run: a norm in cache and one beyond it, a matmul and gradient descent."""
    cache = 8 << 20  # (as --cache-size 8 gives: the VM's sysfs says 480 MiB, 24 s of arrays)
    big = int(2.5 * cache / 4)  # float32 elements beyond the cache
    cells, _ = runner.plan(
        ["numpy"], ["matmul", "norm", "gd"], ["float32"], quick=True,
        sizes={"matmul": [64], "norm": [10_000, big], "gd": [(200, 20)]},
    )  # fmt: skip
    return runner.execute(cells, quick=True, gd_steps=5, cache={"cpu": cache})


def test_every_cell_is_within_its_ceiling(small_run) -> None:
    rows = small_run.rows
    assert {r.op for r in rows} == {"matmul", "norm", "gd"}
    for r in rows:
        assert r.ceiling and 0 < r.fraction <= 1.0 + 1e-12, (r.op, r.fraction)
        assert r.ceiling_kind and r.ceiling_source
        assert r.spread >= 0 and isinstance(r.unstable, bool)
    norms = {r.in_cache for r in rows if r.op == "norm"}
    assert norms == {True, False}  # one size in cache, one beyond it
    for r in rows:
        if r.op == "norm":
            assert ("in-cache" in r.ceiling_kind) == r.in_cache
    cpu = small_run.devices["cpu"]
    assert cpu.memory and cpu.cache and cpu.stream_bytes >= 4 * cpu.cache_bytes
    assert cpu.matmul["float32"][0] > 0


def test_a_cell_above_the_reference_raises_the_ceiling() -> None:
    dev = ceilings.DeviceCeilings("cpu", "test cpu", 1 << 20, memory={"read numpy": 10.0})
    slow = runner.Row("norm", "ord=1", "numpy", "1e+07", "float32", "GB/s", 5.0, 5.0, 1.0,
                      device="cpu", seconds=4e8 / 5e9, bytes=4e8, working_set=4e8)  # fmt: skip
    fast = runner.Row("norm", "ord=2", "torch", "1e+07", "float32", "GB/s", 20.0, 20.0, 1.0,
                      device="cpu", seconds=4e8 / 20e9, bytes=4e8, working_set=4e8)  # fmt: skip
    ceilings.attach([slow, fast], {"cpu": dev})
    assert fast.fraction == pytest.approx(1.0) and fast.ceiling == pytest.approx(20.0)
    assert slow.fraction == pytest.approx(0.25)
    assert "torch" in slow.ceiling_source  # the row says what set its ceiling
    assert max(dev.memory.values()) == pytest.approx(20.0)  # and the device's ceilings too
    assert not slow.in_cache and slow.ceiling_kind == "memory bandwidth"


def test_figures_have_short_legends(small_run) -> None:
    pytest.importorskip("matplotlib")
    from xpmath.bench import plots

    data = runner.rows_as_dicts(small_run.rows)
    devices = {k: d.as_dict() for k, d in small_run.devices.items()}
    figs = plots.figures(data, devices)
    assert set(figs) == {"matmul", "norm", "gd", "roofline"}
    norm = figs["norm"]
    assert len(norm.axes) == 3  # a panel per ord
    entries = [t.get_text() for leg in norm.legends for t in leg.get_texts()]
    assert entries == ["numpy", "float32"]  # backends, then dtypes: never every combination
    for fig in figs.values():
        assert plots.png_bytes(fig).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("ext", "magic"), [(".svg", b"<?xml"), (".pdf", b"%PDF"), ("", b"\x89PNG")]
)
def test_plot_format_follows_the_extension(small_run, tmp_path, ext, magic) -> None:
    pytest.importorskip("matplotlib")
    from xpmath.bench import plots

    data = runner.rows_as_dicts(small_run.rows)
    devices = {k: d.as_dict() for k, d in small_run.devices.items()}
    written = plots.plot(str(tmp_path / f"fig{ext}"), data, devices)
    assert len(written) == 4  # matmul, norm, gd and the roofline
    for path in written:
        assert Path(path).read_bytes().startswith(magic), path
    assert written[1].endswith(ext or ".png")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.images: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id", ""))
        if tag == "img":
            self.images.append(a.get("src", ""))
        for key in ("src", "href"):
            if a.get(key) and not a[key].startswith(("data:", "#")):
                self.external.append(a[key])
        if tag in ("script", "link"):
            self.external.append(tag)


def test_html_report_is_self_contained(small_run, tmp_path) -> None:
    pytest.importorskip("matplotlib")
    from xpmath.bench import compare, plots

    data = runner.rows_as_dicts(small_run.rows)
    devices = {k: d.as_dict() for k, d in small_run.devices.items()}
    doc = results.document(data, {"cpu": "test cpu <&>"}, ["xpmath", "bench"], devices=devices)
    images = {k: plots.png_bytes(f) for k, f in plots.figures(data, devices).items()}
    verdicts = compare.compare_rows(doc, doc)
    page = html_report.render(doc, images, verdicts, "old.json")
    parser = _Page()
    parser.feed(page)
    assert parser.sections == ["environment", "ceilings", "results", "plots", "compare"]
    assert len(parser.images) == 4 and not parser.external
    for src in parser.images:
        assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG")
    assert "test cpu &lt;&amp;&gt;" in page  # environment values are escaped
    # a run compared with itself: every cell SAME, or NOISY where its own noise is large
    assert page.count(">SAME<") + page.count(">NOISY<") == len(data)
    assert ">FASTER<" not in page and ">SLOWER<" not in page


def test_report_from_the_command_line(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    import subprocess
    import sys

    report, png, js = tmp_path / "r.html", tmp_path / "p.png", tmp_path / "r.json"
    cmd = [sys.executable, "-m", "xpmath.cli", "bench", "--quick", "--backend", "numpy",
           "--op", "matmul,gd", "--dtype", "float32", "--size", "64,100x10", "--steps", "3",
           "--cache-size", "8", "--report", str(report), "--plot", str(png),
           "--json", str(js)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    parser = _Page()
    parser.feed(report.read_text())
    assert {"environment", "ceilings", "results", "plots"} <= set(parser.sections)
    written = sorted(p.name for p in tmp_path.glob("p*.png"))
    assert written == ["p-gd.png", "p-roofline.png", "p.png"]
    base = subprocess.run([*cmd[:-6], "--baseline", str(js), "--fail-on-slower", "1000"],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert base.returncode == 0, base.stderr
    assert "compared with --baseline" in base.stdout


def test_fast_matmul_label_only_where_the_backend_switches(bk) -> None:
    """--fast-matmul labels a row only on a backend whose float32 matmul the opt-in mode really
    changes (JAX's precision, torch's TF32); NumPy or CuPy rows stay unlabelled."""
    import xpmath
    from xpmath.bench import workloads

    if bk.jit:
        pytest.skip("one row per backend")
    with xpmath.matmul_precision("fast"):
        (case,) = workloads.matmul_cases(bk.backend, 8, "float32")
    assert case.variant == ("fast" if bk.backend.fast_matmul else "")
    assert bk.backend.fast_matmul == (bk.name in ("jax", "torch"))
