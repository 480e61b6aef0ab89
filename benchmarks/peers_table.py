"""Summarise ``pytest benchmarks/test_peers.py --benchmark-json=FILE``: xpmath ÷ the fastest
peer, per function, backend and size (a speed ratio: above 1 means xpmath is faster).

    python benchmarks/peers_table.py FILE [--markdown]
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict


def rows(path: str) -> list[tuple[str, str, str, float, str, float, float]]:
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    groups: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    for b in doc["benchmarks"]:
        e = b["extra_info"]
        groups[(e["case"], e["backend"], e["size"])][e["impl"]] = b["stats"]["median"]
    out = []
    for (case, bk, size), t in groups.items():
        peers = {k: v for k, v in t.items() if k != "xpmath"}
        if "xpmath" not in t or not peers:
            continue
        best = min(peers, key=peers.__getitem__)
        out.append((case, bk, size, t["xpmath"], best, peers[best], peers[best] / t["xpmath"]))
    return out


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    table = rows(argv[0])
    print("| function | backend | size | xpmath | fastest peer | peer time | xpmath ÷ peer speed |")
    print("|---|---|---|---|---|---|---|")
    for case, bk, size, ours, peer, theirs, ratio in table:
        flag = "" if ratio >= 1 else " **"
        print(
            f"| {case} | {bk} | {size} | {ours * 1e3:.3g} ms | {peer} | {theirs * 1e3:.3g} ms "
            f"| {ratio:.2f}×{flag} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
