"""Compare two benchmark runs cell by cell: FASTER, SLOWER, SAME or NOISY.

The rule, per cell present in both runs: ``change = new / old - 1`` in throughput and
``noise = max(old spread, new spread)`` (each spread is the timing's IQR over its median).

* ``|change| > max(threshold, 2 * noise)``: **FASTER** or **SLOWER** -- the difference is
  larger than the tolerance and than the noise of either run;
* otherwise, if ``2 * noise <= threshold``: **SAME** -- both runs are quiet enough to say so;
* otherwise **NOISY** -- the difference is inside noise too large to tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .results import spread

VERDICTS = ("FASTER", "SLOWER", "SAME", "NOISY")


@dataclass(frozen=True)
class Verdict:
    key: tuple[str, ...]
    old: float
    new: float
    change: float  # new/old - 1
    noise: float
    verdict: str
    unit: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "op": self.key[0],
            "variant": self.key[1],
            "backend": self.key[2],
            "size": self.key[3],
            "dtype": self.key[4],
            "old": self.old,
            "new": self.new,
            "change": self.change,
            "noise": self.noise,
            "verdict": self.verdict,
            "unit": self.unit,
        }


def verdict(change: float, noise: float, threshold: float = 0.05) -> str:
    """The verdict for a relative ``change`` given the runs' ``noise`` (see the module doc)."""
    if abs(change) > max(threshold, 2 * noise):
        return "FASTER" if change > 0 else "SLOWER"
    return "SAME" if 2 * noise <= threshold else "NOISY"


def _key(r: dict[str, Any]) -> tuple[str, ...]:
    return (r["op"], r["variant"], r["backend"], r["size"], r["dtype"])


def compare_rows(
    old: dict[str, Any], new: dict[str, Any], threshold: float = 0.05
) -> list[Verdict]:
    """Verdicts for the cells present in both results documents."""
    before = {_key(r): r for r in old["rows"]}
    out = []
    for r in new["rows"]:
        o = before.get(_key(r))
        if o is None or not o["value"] or r["value"] is None:
            continue
        change = r["value"] / o["value"] - 1.0
        noise = max(spread(o), spread(r))
        out.append(
            Verdict(
                _key(r),
                o["value"],
                r["value"],
                change,
                noise,
                verdict(change, noise, threshold),
                r["unit"],
            )
        )
    return out


def format_value(value: float) -> str:
    """A throughput with three significant figures at most (``1,234``, ``12.3``, ``1.23``)."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def format_verdicts(verdicts: list[Verdict], threshold: float = 0.05) -> str:
    """A table of verdicts and a one-line count."""
    head = (
        f"{'op':<7} {'variant':<11} {'backend':<8} {'size':<11} {'dtype':<8} "
        f"{'old':>10} {'new':>10} {'new/old':>8} {'noise':>6}  verdict"
    )
    lines = [head]
    for v in verdicts:
        op, var, bk, size, dt = v.key
        old, new = format_value(v.old), format_value(v.new)
        lines.append(
            f"{op:<7} {var:<11} {bk:<8} {size:<11} {dt:<8} {old:>10} {new:>10} "
            f"{1 + v.change:>8.2f} {100 * v.noise:>5.0f}%  {v.verdict}"
        )
    if not verdicts:
        lines.append("(no cells in common)")
    counts = {k: sum(v.verdict == k for v in verdicts) for k in VERDICTS}
    lines.append(
        ", ".join(f"{n} {k}" for k, n in counts.items())
        + f" (threshold {100 * threshold:g}%, noise = IQR/median)"
    )
    return "\n".join(lines) + "\n"


def regressions(verdicts: list[Verdict], pct: float) -> list[Verdict]:
    """SLOWER cells that lost more than ``pct`` percent of their throughput."""
    return [v for v in verdicts if v.verdict == "SLOWER" and -v.change * 100 > pct]


def compare(old: dict[str, Any], new: dict[str, Any], threshold: float = 0.05) -> str:
    """The verdict table of two results documents (kept for callers of the old API)."""
    return format_verdicts(compare_rows(old, new, threshold), threshold)
