"""Activations and the softmax family against SciPy/closed forms in float64; extreme inputs."""

from __future__ import annotations

import decimal
import math
import warnings

import numpy as np
import pytest
import scipy.special as sc
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from xpmath import nn

REFERENCES = {
    "sigmoid": (nn.sigmoid, sc.expit),
    "log_sigmoid": (nn.log_sigmoid, lambda x: -np.logaddexp(0, -x)),
    "relu": (nn.relu, lambda x: np.maximum(x, 0)),
    "leaky_relu": (nn.leaky_relu, lambda x: np.where(x < 0, 0.01 * x, x)),
    "elu": (nn.elu, lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0)))),
    "gelu": (nn.gelu, lambda x: x * sc.ndtr(x)),
    "tanh": (nn.tanh, np.tanh),
    "softplus": (nn.softplus, lambda x: np.logaddexp(0, x)),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_elementwise_matches_reference(bk, rng, name, dtype) -> None:
    bk.require(f"nn.{name}")
    f, ref = REFERENCES[name]
    x = rng.standard_normal((4, 7)) * 5
    out = bk.to_numpy(bk.call(f, bk.asarray(x, dtype)))
    assert out.dtype == np.dtype(dtype) and out.shape == x.shape
    np.testing.assert_allclose(
        out,
        ref(x.astype(dtype).astype(np.float64)),
        rtol=bk.rtol(dtype),
        atol=bk.rtol(dtype) * 1e-3,
    )


def test_gelu_tanh_form(bk, rng) -> None:
    x = rng.standard_normal(20) * 3
    ref = x * sc.expit(2 * np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))  # ½x(1 + tanh u)
    out = bk.call(lambda a: nn.gelu(a, approximate="tanh"), bk.asarray(x))
    np.testing.assert_allclose(bk.to_numpy(out), ref, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_extreme_inputs_are_finite_and_silent(bk, name) -> None:
    bk.require(f"nn.{name}")
    f, ref = REFERENCES[name]
    x = np.array([-1e4, -1000.0, -50.0, 0.0, 50.0, 1000.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = bk.to_numpy(bk.call(f, bk.asarray(x)))
    with np.errstate(all="ignore"):
        expected = ref(x)
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-300)


def test_sigmoid_limits(bk) -> None:
    out = bk.to_numpy(bk.call(nn.sigmoid, bk.asarray(np.array([-1000.0, 1000.0]))))
    assert out[0] == 0.0 and out[1] == 1.0


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_family(bk, rng, axis) -> None:
    x = rng.standard_normal((3, 5)) * 10
    xa = bk.asarray(x)
    np.testing.assert_allclose(
        bk.to_numpy(bk.call(nn.softmax, xa, axis=axis)),
        sc.softmax(x, axis=axis),
        rtol=1e-12,
        atol=1e-16,
    )
    np.testing.assert_allclose(
        bk.to_numpy(bk.call(nn.log_softmax, xa, axis=axis)),
        sc.log_softmax(x, axis=axis),
        rtol=1e-12,
        atol=1e-14,
    )
    for keepdims in (False, True):
        got = bk.to_numpy(bk.call(nn.logsumexp, xa, axis=axis, keepdims=keepdims))
        np.testing.assert_allclose(got, sc.logsumexp(x, axis=axis, keepdims=keepdims), rtol=1e-12)


def test_logsumexp_all_axes_and_tuple(bk, rng) -> None:
    x = rng.standard_normal((2, 3, 4))
    xa = bk.asarray(x)
    np.testing.assert_allclose(
        float(bk.to_numpy(bk.call(nn.logsumexp, xa))), sc.logsumexp(x), rtol=1e-12
    )
    got = bk.to_numpy(bk.call(nn.logsumexp, xa, axis=(0, 2)))
    np.testing.assert_allclose(got, sc.logsumexp(x, axis=(0, 2)), rtol=1e-12)


def test_softmax_stability(bk) -> None:
    out = bk.to_numpy(bk.call(nn.softmax, bk.asarray(np.array([1000.0, 1001.0]))))
    np.testing.assert_allclose(out, sc.softmax([0.0, 1.0]), rtol=1e-14)
    x = np.array([[-np.inf, -np.inf], [0.0, -np.inf], [np.inf, 0.0], [np.nan, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lse = bk.to_numpy(bk.call(nn.logsumexp, bk.asarray(x), axis=1))
    assert lse[0] == -np.inf and lse[1] == 0.0 and lse[2] == np.inf and np.isnan(lse[3])
    ls = bk.to_numpy(bk.call(nn.log_softmax, bk.asarray(np.array([0.0, 1000.0]))))
    np.testing.assert_allclose(ls, [-1000.0, 0.0])


def test_relu_propagates_nan(bk) -> None:
    out = bk.to_numpy(bk.call(nn.relu, bk.asarray(np.array([np.nan, -1.0]))))
    assert np.isnan(out[0]) and out[1] == 0


def test_integer_input_is_promoted(bk) -> None:
    out = nn.sigmoid(bk.asarray(np.array([0, 1])))
    assert bk.to_numpy(out).dtype.kind == "f"  # the backend's default float


def test_bad_arguments(bk) -> None:
    from xpmath import InvalidArgumentError, ShapeError

    x = bk.asarray(np.ones(3))
    with pytest.raises(InvalidArgumentError, match="approximate"):
        nn.gelu(x, approximate="fast")
    with pytest.raises(ShapeError, match="axis"):
        nn.softmax(x, axis=2)
    with pytest.raises(InvalidArgumentError, match="negative_slope"):
        nn.leaky_relu(x, negative_slope="a")


@pytest.mark.parametrize("weighted", [False, True])
def test_logsumexp_under_torch_vmap(rng, weighted) -> None:
    """``torch.func.vmap`` batches logsumexp (its sign is elementwise, not a masked write),
    with SciPy's values and signs per row, NaN and infinite rows included."""
    torch = pytest.importorskip("torch")
    x = rng.standard_normal((6, 5))
    x[1, 2], x[2, :] = np.nan, -np.inf
    x[3, 0] = np.inf
    w = rng.choice([-2.0, -1.0, 0.0, 1.0, 3.0], size=5) if weighted else None
    tw = None if w is None else torch.from_numpy(w)
    out, sign = torch.func.vmap(lambda r: nn.logsumexp(r, b=tw, return_sign=True))(
        torch.from_numpy(x)
    )
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want, want_sign = sc.logsumexp(x, axis=1, b=w, return_sign=True)
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-13)
    np.testing.assert_array_equal(sign.numpy(), want_sign)


def _exact_logsumexp(x: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """``(log|sum|, sign, condition)`` of ``sum(b * exp(x))`` in 60-digit decimal arithmetic:
    terms with ``b == 0`` left out; an infinite term (``x = +inf`` or an infinite ``b``, on an
    ``x`` above ``-inf``) decides alone (opposite signs: NaN); ``condition`` is
    ``sum|terms| / |sum|``, what the rounding of the terms is amplified by."""
    keep = b != 0  # (a NaN x under a zero weight too)
    x, b = x[keep], b[keep]
    if np.isnan(x).any() or np.isnan(b).any():
        return math.nan, math.nan, 1.0
    if np.any(np.isinf(b) & (x == -np.inf)):
        return math.nan, math.nan, 1.0  # inf * exp(-inf) = inf * 0
    live = x > -np.inf
    infinite = live & (np.isinf(b) | (x == np.inf))
    if infinite.any():
        signs = set(np.sign(b[infinite]))
        return (math.inf, signs.pop(), 1.0) if len(signs) == 1 else (math.nan, math.nan, 1.0)
    ctx = decimal.Context(prec=60)
    terms = [
        ctx.multiply(decimal.Decimal(bi), decimal.Decimal(xi).exp(ctx))
        for xi, bi in zip(x[live], b[live])
    ]
    total = sum(terms, decimal.Decimal(0))
    if total == 0:
        return -math.inf, 0.0, 1.0
    cond = float(sum(abs(t) for t in terms) / abs(total))
    return float(abs(total).ln(ctx)), float(np.sign(float(total)) or math.copysign(1, total)), cond


@given(
    data=hnp.arrays(
        np.float64,
        st.tuples(st.just(2), st.integers(1, 5)),
        elements=st.one_of(
            st.floats(-800, 800, allow_subnormal=False),  # (JAX on a CPU flushes those)
            st.sampled_from([0.0, 1.0, -1.0, math.inf, -math.inf, math.nan]),
        ),
    ),
)
# (a tiny weight at the maximum: the rest over it overflowed, and the log-sum was inf)
@example(data=np.array([[3.69519554e-229, 0.0, 0.0], [2.2250738585072014e-308, 4.0, 0.0]]))
def test_weighted_logsumexp_is_the_exact_sum(bk, data) -> None:
    """``logsumexp(x, b=b, return_sign=True)`` is the log-magnitude and sign of the exact sum,
    with infinite terms deciding alone: a finite term that overflows with the other sign
    makes no ``inf - inf``, and an infinite weight is not lost to ``inf * 0`` where
    ``exp`` underflows (SciPy gives NaN in both)."""
    x, b = data
    want_log, want_sign, cond = _exact_logsumexp(x, b)
    got_log, got_sign = (
        float(bk.to_numpy(v))
        for v in bk.call(
            lambda a, w: nn.logsumexp(a, b=w, return_sign=True), *map(bk.asarray, (x, b))
        )
    )
    if math.isnan(want_log):
        assert math.isnan(got_log) and math.isnan(got_sign)
        return
    assert got_sign == want_sign
    if math.isinf(want_log):
        assert got_log == want_log
    else:
        tol = 1e-13 * cond * max(1.0, abs(want_log)) + 1e-300
        assert abs(got_log - want_log) <= tol, (got_log, want_log, cond)
