"""The last lines of `.ci/gpu`: tests and benchmark at a glance (read from the files written)."""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET


def tests(path: str, rc: str) -> list[str]:
    if not os.path.exists(path):
        return [f"tests: no junit file (pytest exit status {rc}; see tests.log)"]
    root = ET.parse(path).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    n = {k: int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped")}
    passed = n["tests"] - n["failures"] - n["errors"] - n["skipped"]
    out = [
        f"tests: {passed} passed, {n['failures']} failed, {n['errors']} errors, "
        f"{n['skipped']} skipped in {float(suite.get('time', 0)):.0f} s (exit status {rc})"
    ]
    bad = []
    for case in suite.iter("testcase"):
        for tag in ("failure", "error"):
            el = case.find(tag)
            if el is not None:
                msg = ((el.get("message") or "").splitlines() or [""])[0][:160]
                bad.append(f"  {tag}: {case.get('classname')}::{case.get('name')}: {msg}")
    out += bad[:20] + ([f"  ... and {len(bad) - 20} more"] if len(bad) > 20 else [])
    return out


def bench(path: str, rc: str, label: str) -> list[str]:
    if not os.path.exists(path):
        return [f"bench {label}: no results (exit status {rc})"]
    with open(path) as fh:
        doc = json.load(fh)
    out = [f"bench {label}:" + (" (partial)" if doc.get("partial") else "")]
    for key, dev in (doc.get("ceilings") or {}).items():
        mem = max((dev.get("memory_GBs") or {}).values(), default=0)
        spec = dev.get("spec") or {}
        hbm = f" of {spec['hbm_GBs']:,.0f} spec" if spec.get("hbm_GBs") else ""
        out.append(f"  {key} {dev.get('name')}: memory {mem:,.0f} GB/s{hbm}")
    for r in doc.get("rows", []):
        frac = f"{100 * r['fraction']:.0f}% of ceiling" if r.get("fraction") is not None else ""
        spec = f", {100 * r['spec_fraction']:.0f}% of spec" if r.get("spec_fraction") else ""
        out.append(
            f"  {r['op']:<6} {r['variant']:<8} {r['backend']:<6} {r['size']:<11} {r['dtype']:<8} "
            f"{r['value']:>10,.1f} {r['unit']:<7} x{r['ratio']:.2f} vs raw, {frac}{spec}"
        )
    return out


def gd_steps(path: str, rc: str) -> list[str]:
    if not os.path.exists(path):
        return [f"gradient-descent steps: no results (exit status {rc})"]
    with open(path) as fh:
        doc = json.load(fh)
    out = ["gradient-descent steps (benchmarks/gd_steps.py):"]
    for r in doc.get("rows", []):
        out.append(
            f"  {r['backend']:<6} {r['variant']:<17} {r['size']:<11} "
            f"{r['us_per_step']:>9,.1f} us/step x{r['vs_hand']:.2f} of hand"
        )
    out += [f"  {s['backend']}: skipped ({s['reason']})" for s in doc.get("skipped", [])]
    return out


def main() -> None:
    outdir, test_rc, bench_rc, tf32_rc, gd_rc, seconds = sys.argv[1:7]
    lines = [f"xpmath GPU run: {seconds} s in all"]
    lines += tests(os.path.join(outdir, "junit.xml"), test_rc)
    lines += bench(os.path.join(outdir, "bench-fp32.json"), bench_rc, "float32")
    lines += bench(os.path.join(outdir, "bench-tf32.json"), tf32_rc, "matmul tf32 (opt-in)")
    lines += gd_steps(os.path.join(outdir, "gd-steps.json"), gd_rc)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
