"""The foundations tour runs on every backend and every stated value checks out."""

from __future__ import annotations

import pytest

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
