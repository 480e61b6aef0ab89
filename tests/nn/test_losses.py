"""Losses and one_hot against float64 closed forms; stability on extreme logits."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sc
from hypothesis import given
from hypothesis import strategies as st

from xpmath import DTypeError, InvalidArgumentError, ShapeError, nn


def test_one_hot(bk, rng) -> None:
    labels = rng.integers(0, 5, size=(3, 4))
    out = bk.to_numpy(bk.call(lambda a: nn.one_hot(a, 5), bk.asarray(labels)))
    np.testing.assert_array_equal(out, np.eye(5)[labels])
    assert out.dtype.kind == "f"


def test_one_hot_errors(bk) -> None:
    with pytest.raises(DTypeError, match="labels"):
        nn.one_hot(bk.asarray(np.array([0.5])), 3)
    with pytest.raises(InvalidArgumentError, match="num_classes"):
        nn.one_hot(bk.asarray(np.array([0])), 0)
    if bk.eager:
        with pytest.raises(InvalidArgumentError, match=r"\[0, 3\)"):
            nn.one_hot(bk.asarray(np.array([0, 3])), 3)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse(bk, rng, reduction) -> None:
    p, t = rng.standard_normal((2, 5, 3))
    out = bk.call(lambda a, b: nn.mse(a, b, reduction=reduction), bk.asarray(p), bk.asarray(t))
    ref = (p - t) ** 2
    ref = {"mean": ref.mean(), "sum": ref.sum(), "none": ref}[reduction]
    np.testing.assert_allclose(bk.to_numpy(out), ref, rtol=1e-12)


def test_binary_cross_entropy(bk, rng) -> None:
    z = rng.standard_normal(50) * 4
    y = rng.uniform(size=50)
    p = sc.expit(z)
    ref = -(y * np.log(p) + (1 - y) * np.log1p(-p))
    za, ya, pa = bk.asarray(z), bk.asarray(y), bk.asarray(p)
    got = bk.call(lambda a, b: nn.binary_cross_entropy(a, b, reduction="none"), pa, ya)
    np.testing.assert_allclose(bk.to_numpy(got), ref, rtol=1e-10)
    got = bk.call(lambda a, b: nn.binary_cross_entropy(a, b, from_logits=True), za, ya)
    np.testing.assert_allclose(float(bk.to_numpy(got)), ref.mean(), rtol=1e-10)


@pytest.mark.filterwarnings("error::RuntimeWarning")  # extremes are handled, not warned about
def test_binary_cross_entropy_extremes(bk) -> None:
    z = bk.asarray(np.array([-1000.0, 1000.0]))
    y = bk.asarray(np.array([1.0, 0.0]))
    out = bk.to_numpy(nn.binary_cross_entropy(z, y, from_logits=True, reduction="none"))
    np.testing.assert_allclose(out, [1000.0, 1000.0])
    p = bk.asarray(np.array([0.0, 1.0]))
    out = bk.to_numpy(nn.binary_cross_entropy(p, y, reduction="none"))
    np.testing.assert_allclose(out, [100.0, 100.0])  # clamped logs, as in PyTorch


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_cross_entropy_labels_and_probs(bk, rng, smoothing) -> None:
    logits = rng.standard_normal((6, 4)) * 3
    labels = rng.integers(0, 4, size=6)
    target = np.eye(4)[labels] * (1 - smoothing) + smoothing / 4
    ref = -(target * sc.log_softmax(logits, axis=1)).sum(axis=1)
    la = bk.asarray(logits)
    got = bk.call(
        lambda a, b: nn.cross_entropy(a, b, reduction="none", label_smoothing=smoothing),
        la,
        bk.asarray(labels),
    )
    np.testing.assert_allclose(bk.to_numpy(got), ref, rtol=1e-12)
    probs = rng.dirichlet(np.ones(4), size=6)
    got = bk.call(lambda a, b: nn.cross_entropy(a, b, axis=1), la, bk.asarray(probs))
    ref = -(probs * sc.log_softmax(logits, axis=1)).sum(axis=1).mean()
    np.testing.assert_allclose(float(bk.to_numpy(got)), ref, rtol=1e-12)


@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple),
    pick=st.integers(-3, 2),
    smoothing=st.sampled_from([0.0, 0.25, 1.0]),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_cross_entropy_labels_on_any_class_axis(bk, shape, pick, smoothing, seed) -> None:
    """Integer labels with the classes on any axis (PyTorch's ``(N, C, d1, ...)`` with
    ``axis=1``) and smoothing up to 1 (the uniform target): the closed form per sample."""
    rng = np.random.default_rng(seed)
    ax = pick % len(shape)
    logits = rng.standard_normal(shape) * 3
    k = shape[ax]
    labels = rng.integers(0, k, size=shape[:ax] + shape[ax + 1 :])
    target = np.moveaxis(np.eye(k)[labels] * (1 - smoothing) + smoothing / k, -1, ax)
    ref = -(target * sc.log_softmax(logits, axis=ax)).sum(axis=ax)
    got = bk.call(
        lambda a, b: nn.cross_entropy(a, b, axis=ax, reduction="none", label_smoothing=smoothing),
        bk.asarray(logits),
        bk.asarray(labels),
    )
    np.testing.assert_allclose(bk.to_numpy(got), ref, rtol=1e-12, atol=1e-14)


def test_cross_entropy_smoothing_beyond_one_is_refused(bk) -> None:
    a = bk.asarray(np.ones((2, 3)))
    with pytest.raises(InvalidArgumentError, match=r"label_smoothing must be in \[0, 1\]"):
        nn.cross_entropy(a, bk.asarray(np.array([0, 1])), label_smoothing=1.5)


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_cross_entropy_extreme_logits_finite(bk) -> None:
    logits = bk.asarray(np.array([[1000.0, -1000.0], [0.0, -np.inf]]))
    out = bk.to_numpy(nn.cross_entropy(logits, bk.asarray(np.array([1, 0])), reduction="none"))
    np.testing.assert_allclose(out, [2000.0, 0.0])


def test_loss_shape_errors(bk) -> None:
    a = bk.asarray(np.ones((2, 3)))
    with pytest.raises(ShapeError, match="pred and target"):
        nn.mse(a, bk.asarray(np.ones(3)))
    with pytest.raises(ShapeError, match="integer target"):
        nn.cross_entropy(a, bk.asarray(np.array([0, 1, 2])))
    with pytest.raises(InvalidArgumentError, match="reduction"):
        nn.mse(a, a, reduction="avg")
