"""Where a gradient-descent step's time goes, per backend: the hand-written loop, the same
loop with one host read a step, with xpmath's step check read a step (and with the check's
former nine-operation form, for comparison), and ``optimize.gradient_descent`` itself; and
the first call of each (with JAX's compilation: a program with the data compiled into it is
slow to build).

The workload is the bench's (``xpmath bench --op gd``): least squares ``||A w - y||^2 / 2m``
with ``jac(w) = (A w - y) A / m``. On an eager GPU backend a step is a handful of kernel
launches and the host must queue them faster than the device runs them, so every extra
operation and every read can show; on JAX both loops are compiled and only ``hand`` and
``xpmath`` are timed. All variants of a backend are timed in interleaved rounds
(:func:`xpmath.bench.timing.measure_interleaved`, synchronised before each clock read).

    python benchmarks/gd_steps.py --backend numpy,torch,jax --size 2000x500 --steps 50
    python benchmarks/gd_steps.py --device gpu --backend cupy,jax,torch --size 20000x2000 \\
        --json gd-steps.json

``.ci/gpu`` runs it on the GPU; the rows answer whether xpmath's loop or its check is what
keeps gradient descent below 0.9x the hand-written loop there.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from typing import Any

import xpmath
from xpmath import optimize
from xpmath._backends import BACKENDS
from xpmath._backends import bench_support as support
from xpmath._dispatch import default_backend
from xpmath.bench.timing import measure_interleaved


def _old_check(xp: Any, g: Any, x_new: Any) -> Any:
    """The step check before it became one reduction (nine operations on torch)."""
    gsq = xp.sum(xp.real(g * xp.conj(g)))
    return xp.where(xp.all(xp.isfinite(x_new)), gsq, gsq * math.nan)


def variants(
    name: str, m: int, d: int, dtype: str, steps: int, device: str
) -> dict[str, Callable[[], Any]]:
    """The loops to time on one backend, each a call that runs ``steps`` steps."""
    b = default_backend(name)
    xp = b.xp
    a = support.data(b, (m, d), dtype, 4, device)
    y = support.data(b, (m,), dtype, 5, device)
    w0 = b.persist(xp.zeros_like(a[0]))
    lr, inv_m = 0.5, 1.0 / m

    def jac(w: Any) -> Any:
        return xp.matmul(xp.matmul(a, w) - y, a) * inv_m

    def loss(w: Any) -> Any:
        r = xp.matmul(a, w) - y
        return xp.sum(r * r) * (0.5 * inv_m)

    def ours() -> Any:
        return optimize.gradient_descent(loss, w0, jac=jac, lr=lr, steps=steps).x

    out = {"hand": support.raw_gd(b, a, y, lambda: w0, lr, inv_m, steps)}
    if b.eager and not b.compiles:

        def looped(read: Callable[[Any, Any], float] | None) -> Callable[[], Any]:
            def loop() -> Any:
                w = w0
                for _ in range(steps):
                    g = jac(w)
                    w_new = w - lr * g
                    if read is not None and not read(g, w_new) <= math.inf:
                        break  # (never: the data keeps every step finite)
                    w = w_new
                return w

            return loop

        out["hand + one read"] = looped(lambda g, w: float(w[0]))
        out["hand + check"] = looped(lambda g, w: float(b.step_check(g, w)))
        out["hand + old check"] = looped(lambda g, w: float(_old_check(xp, g, w)))
    out["xpmath"] = ours
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", default="numpy,torch,jax")
    p.add_argument("--device", default="cpu", choices=["cpu", "gpu"])
    p.add_argument("--size", default="2000x500", help="MxD, or several: 2000x500,20000x2000")
    p.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--budget", type=float, default=1.0, help="seconds of sampling per loop")
    p.add_argument("--json", help="write the rows here")
    args = p.parse_args(argv)
    try:
        sizes = [tuple(int(v) for v in size.split("x")) for size in args.size.lower().split(",")]
    except ValueError:
        sizes = []
    if not sizes or any(len(s) != 2 or min(s) < 1 for s in sizes):
        p.error(f"--size must be MxD or several of them, like 2000x500; got {args.size!r}")
    if args.dtype == "float64":
        xpmath.enable_x64()
    rows, skipped = [], []
    for name in args.backend.split(","):
        b = BACKENDS.get(name)
        ok, why = (False, f"unknown backend {name!r}") if b is None else b.status()
        if ok and support.bench_device(b, args.device) != args.device:
            ok, why = False, f"no {args.device} for {name}"
        if not ok:
            skipped.append({"backend": name, "reason": why})
            print(f"{name}: skipped ({why})")
            continue
        for m, d in sizes:
            rows += _timed(b, name, m, d, args)
    if args.json:
        doc = {"command": " ".join(sys.argv), "rows": rows, "skipped": skipped}
        with open(args.json, "w") as fh:
            json.dump(doc, fh, indent=1)
    return 0 if rows else 1


def _timed(b: Any, name: str, m: int, d: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The rows of one backend and size (printed as they come)."""
    rows = []
    loops = variants(name, m, d, args.dtype, args.steps, args.device)
    timings = measure_interleaved(list(loops.values()), b.synchronize, budget=args.budget)
    hand = timings[0].median
    for label, t in zip(loops, timings):
        row = {
            "backend": name,
            "device": support.device_name(b, args.device),
            "variant": label,
            "size": f"{m}x{d}",
            "dtype": args.dtype,
            "steps": args.steps,
            "us_per_step": t.median / args.steps * 1e6,
            "vs_hand": hand / t.median,
            "spread": t.spread,
            "first_call_s": t.first_call,  # with JAX's compilation
        }
        rows.append(row)
        print(
            f"{name:6} {f'{m}x{d}':<11} {label:17} {row['us_per_step']:10.1f} us/step"
            f"  x{row['vs_hand']:.2f} of hand  (+-{100 * t.spread:.0f}%)"
            f"  first call {t.first_call:.2f} s"
        )
    return rows


if __name__ == "__main__":
    sys.exit(main())
