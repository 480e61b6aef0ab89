"""The foundations tour runs on every backend and every stated value checks out."""

from __future__ import annotations

import pytest

import xpmath
from xpmath import cli
from xpmath.tour import STEPS, run_tour


def test_tour_every_step_matches(bk, tmp_path) -> None:
    if bk.jit:
        pytest.skip("the tour runs eagerly; its compiled parts (optimizers) jit themselves")
    lines: list[str] = []
    results = run_tour(bk.name, plot_dir=str(tmp_path), out=lines.append)
    failed = [(r.step.title, r.value, r.detail) for r in results if not r.ok]
    assert not failed, failed
    assert len(results) == len(STEPS)
    text = "\n".join(lines)
    assert "L1 norm" in text and f"{len(STEPS)}/{len(STEPS)} steps match" in text
    pytest.importorskip("matplotlib")
    assert (tmp_path / "area_under_x2.png").exists()


def test_tour_cli(capsys) -> None:
    assert cli.main(["tour", "--backend", "numpy"]) == 0
    out = capsys.readouterr().out
    assert "== 1. Linear algebra (numpy) ==" in out and "[[148.3, 285.6]" in out.replace("\n", "")


def test_tour_reports_a_wrong_answer(monkeypatch) -> None:
    import dataclasses

    import xpmath.tour as tour

    broken = dataclasses.replace(STEPS[6], expect=31.0)
    monkeypatch.setattr(tour, "STEPS", (broken,))
    (res,) = tour.run_tour("numpy", out=None)
    assert not res.ok and res.value == 32.0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--backend", "nope"], ["'nope'", "numpy"]),
        (["--backend", "cupy"], ["cupy", "unavailable"]),
        (["--plot-dir", "FILE"], ["--plot-dir", "is a file"]),
        # (a folder that cannot be made: one step raised a raw FileNotFoundError mid-tour)
        (["--plot-dir", "UNDER_FILE"], ["--plot-dir", "cannot write plots", "Not a directory"]),
    ],
)
def test_tour_cli_bad_arguments(args, words, tmp_path, capsys) -> None:
    """A bad backend or plot folder: one line on stderr, status 2, before any step runs."""
    from xpmath._backends import get_backend

    if "cupy" in args and get_backend("cupy").status()[0]:
        pytest.skip("CuPy is usable here")
    file = tmp_path / "plots.png"
    file.write_text("not a folder")
    named = {"FILE": str(file), "UNDER_FILE": str(file / "plots")}
    args = [named.get(a, a) for a in args]
    assert cli.main(["tour", *args]) == 2
    cap = capsys.readouterr()
    assert cap.out == "" and len(cap.err.strip().splitlines()) == 1, cap.err
    assert cap.err.startswith("xpmath tour: error:") and "Traceback" not in cap.err
    for w in words:
        assert w in cap.err, (w, cap.err)


def test_run_tour_plot_dir_that_is_a_file(tmp_path) -> None:
    file = tmp_path / "plots"
    file.write_text("x")
    with pytest.raises(xpmath.InvalidArgumentError, match="plot_dir"):
        run_tour("numpy", plot_dir=str(file), out=None)
