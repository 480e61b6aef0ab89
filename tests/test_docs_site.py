"""The documentation site builds with warnings as errors, links only to pages that exist, and
gives every public name a page."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
sys.path.insert(0, str(DOCS / "_ext"))
from xpmath_docs import MODULES, public_names  # noqa: E402


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key == "id" and value:
                self.ids.add(value)
            linked = (key == "href" and tag == "a") or (key == "src" and tag == "img")
            if linked and value:
                self.links.append(value)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    # Sphinx writes generated sources (api/, tour/, _generated/) into its source folder: build
    # from a private copy, so the two pytest-xdist workers (each may run this module's
    # fixture) never write the same files at once. benchmarks/ sits beside it, as in the repo
    src = out / "docs"
    generated = ("_build", "_generated", "api", "tour", "sg_execution_times.rst")
    shutil.copytree(DOCS, src, ignore=shutil.ignore_patterns(*generated))
    (out / "benchmarks").symlink_to(DOCS.parent / "benchmarks", target_is_directory=True)
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html"]
    cmd += ["-d", str(out / "doctrees"), str(src), str(out / "html")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"sphinx-build -W failed:\n{proc.stdout}\n{proc.stderr}"
    return out / "html"


def test_every_internal_link_resolves(site: Path) -> None:
    pages = {p: _parse(p) for p in site.rglob("*.html")}
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if parts.fragment not in ids:
                    broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(sorted(set(broken))[:40])
    assert len(pages) > 100


def test_every_public_name_has_a_page(site: Path) -> None:
    missing = []
    for module in MODULES:
        for name in public_names(module):
            page = site / "api" / "generated" / f"{module}.{name}.html"
            if not page.exists():
                missing.append(f"{module}.{name}")
            else:
                importlib.import_module(module)
    assert not missing, f"public names without a page: {missing}"


def test_generated_pages_come_from_the_code(site: Path) -> None:
    caps = (site / "capabilities.html").read_text()
    assert "linalg.eig" in caps and "the input is brought to the client" in caps
    tour = (site / "tour" / "plot_foundations_tour.html").read_text()
    assert re.search(r"\d+ of \d+ steps agree with the known answers", tour)
    assert "<img" in tour
    bench = (site / "benchmarks.html").read_text()
    assert bench.count("<img") >= 3 and "GFLOP/s" in bench
    for page in ("architecture", "coming_from_scipy", "index"):
        assert (site / f"{page}.html").exists(), page


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(errors="replace"))
    return parser
