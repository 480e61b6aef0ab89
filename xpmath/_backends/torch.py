"""PyTorch backend: CPU and CUDA tensors, autodiff through torch.func."""

from __future__ import annotations

import cmath
import functools
import math
from typing import Any

import numpy as np

from ._base import Backend
from .numpy import dot_step_check, floats_step_check

_HOST_FLOATS = ("torch.float64", "torch.float32")


class _TorchSpecial:
    """scipy.special-style names over torch.special; betainc is left to xpmath's generic one,
    except for small eager tensors (``host_when_small``): its continued fraction costs dozens
    of kernel launches per term, a round trip through SciPy one copy each way."""

    host_when_small = frozenset({"betainc"})

    def host_allowed(self, *arrays: Any) -> bool:
        """Concrete tensors outside autograd (the host copy would cut the graph)."""
        return all(self._backend.is_concrete(a) and not a.requires_grad for a in arrays)

    def __init__(self, backend: Backend) -> None:
        import torch

        self._backend = backend

        s = torch.special
        self.gammaln = s.gammaln
        self.erf = s.erf
        self.erfc = s.erfc
        self.ndtri = s.ndtri
        # torch's own ndtr is (1 + erf(x/√2)) / 2: it cancels in the lower tail (1e-10
        # relative at x = -5 in float64, 4% in float32) and is 0 below x ≈ -26, where SciPy's
        # is 1e-149; through erfc, as SciPy's, the tail keeps its digits
        self.ndtr = lambda x: s.erfc(x * -0.7071067811865476).mul_(0.5)  # one temporary
        self.xlogy = s.xlogy
        self.xlog1py = s.xlog1py
        self.digamma = s.digamma
        self.gammainc = s.gammainc
        self.gammaincc = s.gammaincc
        self.log_ndtr = s.log_ndtr
        self.expit = s.expit


class TorchBackend(Backend):
    name = "torch"
    module = "torch"
    type_modules = ("torch",)
    install = "pip install torch==2.13.0  (CPU build; see pytorch.org for CUDA builds)"
    has_autodiff = True
    _fast_module = "xpmath._backends.torch_fast"
    random_engine = "TorchEngine"
    fast_matmul = True
    unorderable = ("uint16", "uint32", "uint64")  # (no index_select kernel for them)

    def _load_namespace(self) -> Any:
        import array_api_compat.torch as xp

        return xp

    def devices(self) -> list[Any]:
        import torch

        devs = ["cpu"]
        if torch.cuda.is_available():
            devs += [f"cuda:{i}" for i in range(torch.cuda.device_count())]
        return devs

    def resolve_device(self, device: Any) -> Any:
        import torch

        if device is None:
            return None
        if isinstance(device, str) and device.startswith("gpu"):
            device = "cuda" + device[3:]
        return torch.device(device)

    def placement(self, x: Any) -> dict[str, Any]:
        dev = getattr(x, "device", None)
        return {} if dev is None else {"device": dev}

    def default_is_host(self) -> bool:
        import torch

        return torch.get_default_device().type == "cpu"

    def asarray(self, obj: Any, dtype: Any = None, device: Any = None) -> Any:
        import torch

        if dtype is not None:
            dtype = self.dtype(dtype)
        dev = self.resolve_device(device)
        if dev is None and not isinstance(obj, torch.Tensor):
            dev = torch.get_default_device()  # as torch.tensor does; as_tensor keeps NumPy's
        if isinstance(obj, np.ndarray) and (
            not obj.flags.writeable or any(s < 0 for s in obj.strides)
        ):
            obj = obj.copy()  # torch takes neither read-only memory nor negative strides
        return torch.as_tensor(obj, dtype=dtype, device=dev)

    def to_numpy(self, x: Any) -> np.ndarray:
        return x.detach().cpu().resolve_conj().numpy()

    def default_float(self) -> Any:
        import torch

        return torch.get_default_dtype()

    @functools.cached_property
    def _probes(self) -> tuple[Any, Any, Any]:
        """``(torch.compiler.is_compiling, is_functorch_wrapped_tensor, torch.float64)``,
        looked up once (an instance attribute from then on): they run on every finite-result
        guard and optimiser step."""
        import torch

        return (
            torch.compiler.is_compiling,
            torch._C._functorch.is_functorch_wrapped_tensor,
            torch.float64,
        )

    def is_concrete(self, x: Any) -> bool:
        probes = self._probes
        return not (probes[0]() or probes[1](x))

    def traced(self, x: Any) -> bool:
        return self._probes[1](x)  # (under torch.compile values are read at a graph break)

    def runs_ahead(self, x: Any) -> bool:
        return getattr(x, "is_cuda", False)  # CUDA kernels are queued on a stream

    def sum_is_finite(self, x: Any) -> bool:
        if x.is_cpu and x.ndim in (1, 2) and x.numel() <= 32:  # a few Python numbers add up
            # faster than torch starts a reduction (a traced tensor never gets here: the
            # callers ask is_concrete first)
            vals = x.tolist()
            return cmath.isfinite(sum(vals) if x.ndim == 1 else sum(map(sum, vals)))
        return cmath.isfinite(x.sum().item())  # one host read, no isfinite kernel

    def step_check(self, g: Any, x_new: Any) -> Any:
        probes = self._probes
        if g.dtype is probes[2] and g.is_cpu and g.numel() <= 32 and not probes[0]():
            # a short float64 CPU gradient as Python floats: no NumPy views to make (0.6 µs
            # each), and the fewest tests, as this runs every step (each costs 50 ns). A
            # float64 gradient makes a float64 or complex iterate; other shapes and values
            # fail on the way to a float and take the lanes below.
            try:
                return floats_step_check(g.tolist(), x_new.tolist())
            except (RuntimeError, TypeError):  # a torch.func-wrapped tensor has no values
                pass  # to read; an n-d array's nested lists, or complex ones, are no floats
        if (
            g.dtype is x_new.dtype
            and g.shape == x_new.shape
            and str(g.dtype) in _HOST_FLOATS
            and not (g.requires_grad or x_new.requires_grad)
            and self.is_concrete(g)
            and self.is_concrete(x_new)
        ):  # real float32/64 tensors on any device: one dot product (inside a CPU loop of
            # matmuls it also costs half a detour through NumPy views: benchmarks/gd_steps.py)
            return dot_step_check(g, x_new)
        return super().step_check(g, x_new)

    def host_norm(self, v: Any) -> float | None:
        probes = self._probes
        if v.dtype is probes[2] and v.is_cpu and v.numel() <= 32 and not probes[0]():
            try:  # (an n-d tensor's nested lists raise TypeError)
                return math.hypot(*v.tolist())
            except (RuntimeError, TypeError):  # a torch.func-wrapped tensor has no values
                return None
        return None

    def synchronize(self, x: Any = None) -> Any:
        import torch

        if torch.cuda.is_available() and (x is None or getattr(x, "is_cuda", False)):
            torch.cuda.synchronize()
        return x

    def jit(self, f: Any, **kwargs: Any) -> Any:
        import torch

        if kwargs.pop("torch_compile", False):
            return torch.compile(f, **kwargs)
        return f

    def grad(self, f: Any, argnums: Any = 0) -> Any:
        import torch.func

        return torch.func.grad(f, argnums=argnums)

    def value_and_grad(self, f: Any, argnums: Any = 0) -> Any:
        import torch.func

        g = torch.func.grad_and_value(f, argnums=argnums)

        def vg(*args: Any, **kwargs: Any) -> Any:
            grads, value = g(*args, **kwargs)
            return value, grads

        return vg

    def jacobian(self, f: Any, argnums: Any = 0) -> Any:
        import torch.func

        return _empty_safe(torch.func.jacfwd(f, argnums=argnums), f, argnums, 1)

    def hessian(self, f: Any, argnums: Any = 0) -> Any:
        import torch.func

        return _empty_safe(torch.func.hessian(f, argnums=argnums), f, argnums, 2)

    def special(self) -> Any:
        return _TorchSpecial(self)


def _empty_safe(derived: Any, f: Any, argnums: Any, order: int) -> Any:
    """``torch.func``'s forward-mode Jacobian (``order`` 1) or Hessian (2), also where an
    argument differentiated is empty: ``jacfwd`` vmaps over a basis of that argument, which
    fails for none (IndexError), where NumPy's and JAX's derivatives are empty arrays."""
    import torch
    import torch.func

    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    def run(*args: Any) -> Any:
        if all(args[i].numel() for i in nums):
            return derived(*args)
        y = f(*args)

        def block(j: int, i: int | None) -> Any:  # d/dx_i of df/dx_j (torch's nesting)
            sizes = [args[j]] if i is None else [args[j], args[i]]
            if all(a.numel() for a in sizes):
                g = torch.func.jacrev(f, argnums=j) if i is not None else f
                return torch.func.jacfwd(g, argnums=i if i is not None else j)(*args)
            shape = tuple(y.shape) + sum((tuple(a.shape) for a in sizes), ())
            return torch.zeros(shape, dtype=y.dtype, device=y.device)

        if order == 1:
            out = tuple(block(j, None) for j in nums)
        else:
            out = tuple(tuple(block(j, i) for i in nums) for j in nums)
            out = tuple(row[0] for row in out) if isinstance(argnums, int) else out
        return out[0] if isinstance(argnums, int) else out

    return run
