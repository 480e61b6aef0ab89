"""``xpmath.info()`` and the printable capability table."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import xpmath
from xpmath._capabilities import BACKEND_ORDER, MODES


def test_info_report_matches_backends() -> None:
    report = xpmath.info()
    assert [b.name for b in report.backends] == [b.name for b in xpmath.info_all()]
    text = str(report)
    for b in report.backends:
        assert b.name in text
    assert "default backend: numpy" in text and repr(report) == text
    data = report.as_dict()
    json.dumps(data)  # plain data
    assert data["backends"][0]["name"] == "numpy" and data["backends"][0]["usable"] is True
    html = report._repr_html_()
    assert html.startswith("<table>") and "numpy" in html


def test_info_follows_the_default_backend() -> None:
    with xpmath.use("array_api_strict"):
        assert xpmath.info().default_backend == "array_api_strict"


def test_capability_table_prints_and_converts() -> None:
    table = xpmath.capabilities("linalg.eig")
    text = repr(table)
    head = text.splitlines()[0].split()
    assert head == ["routine", *BACKEND_ORDER]
    assert "linalg.eig on dask: computed on call: the input is brought to the client" in text
    assert "<table>" in table._repr_html_()
    rows = xpmath.capabilities("linalg.eig", as_dict=True)["linalg.eig"]
    assert set(rows) == set(BACKEND_ORDER)
    assert rows["dask"]["mode"] == "host" and not rows["dask"]["jit_safe"]
    assert not rows["dask"]["lazy"] and rows["jax"]["lazy"]


def test_notes_belong_to_their_backend() -> None:
    rows = xpmath.capabilities("linalg.eig", as_dict=True)["linalg.eig"]
    assert "JAX" in rows["jax"]["note"]
    assert rows["numpy"]["note"] == "" and rows["torch"]["note"] == ""
    for cap in xpmath.capabilities():
        if cap.mode == "host":
            assert cap.note, f"{cap.routine} on {cap.backend} is host without a note"
        assert cap.mode in MODES


def test_whole_table_is_a_list_with_every_routine() -> None:
    table = xpmath.capabilities()
    assert isinstance(table, list) and len(table) % len(BACKEND_ORDER) == 0
    names = {c.routine for c in table}
    assert {"stats.norm", "optimize.minimize", "linalg.matmul"} <= names
    assert set(xpmath.capabilities(as_dict=True)) == names


@given(name=st.one_of(st.text(max_size=20), st.integers(), st.none()))
def test_capabilities_rejects_unknown_names(name) -> None:
    known = {c.routine for c in xpmath.capabilities()}
    if name is None or name in known:
        assert len(xpmath.capabilities(name)) >= len(BACKEND_ORDER)
        return
    with pytest.raises(xpmath.InvalidArgumentError, match="no routine"):
        xpmath.capabilities(name)
