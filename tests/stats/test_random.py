"""Random generator: reproducibility, validation, moments and goodness of fit.

Samplers are checked statistically with a fixed seed: each moment check is a 5-sigma
bound and each chi-square/KS test uses alpha = 1e-4, so a correct sampler fails with a
probability below about 1e-3 over the whole file (and never, for the fixed seeds)."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st

import xpmath
from xpmath import BackendMismatchError, InvalidArgumentError, ShapeError, random

N = 100_000
ALPHA = 1e-4


def _gen(bk, seed=1234):
    return random.default_rng(seed, backend=bk.name)


def test_same_seed_same_stream(bk) -> None:
    a = bk.to_numpy(_gen(bk, 5).normal(size=10))
    b = bk.to_numpy(_gen(bk, 5).normal(size=10))
    c = bk.to_numpy(_gen(bk, 6).normal(size=10))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_arrays_live_on_the_backend(bk) -> None:
    g = _gen(bk)
    for x in (g.random(3), g.integers(0, 5, 3), g.poisson(2.0, 3), g.permutation(4)):
        assert type(x).__module__.split(".")[0] == type(bk.asarray([0.0])).__module__.split(".")[0]


@pytest.mark.parametrize(
    ("name", "args", "dist"),
    [
        ("uniform", (-1.0, 3.0), ss.uniform(-1.0, 4.0)),
        ("normal", (2.0, 3.0), ss.norm(2.0, 3.0)),
        ("gamma", (2.5, 2.0), ss.gamma(2.5, scale=2.0)),
        ("beta", (2.0, 5.0), ss.beta(2.0, 5.0)),
        ("exponential", (1.5,), ss.expon(scale=1.5)),
    ],
)
def test_continuous_goodness_of_fit(bk, name, args, dist) -> None:
    x = bk.to_numpy(getattr(_gen(bk), name)(*args, size=N)).astype(np.float64)
    assert abs(x.mean() - dist.mean()) < 5 * dist.std() / np.sqrt(N)
    assert ss.kstest(x, dist.cdf).pvalue > ALPHA


@pytest.mark.parametrize(
    ("name", "args", "dist"),
    [
        ("bernoulli", (0.7,), ss.bernoulli(0.7)),
        ("binomial", (10, 0.3), ss.binom(10, 0.3)),
        ("poisson", (5.0,), ss.poisson(5.0)),
        ("integers", (1, 7), ss.randint(1, 7)),
    ],
)
def test_discrete_goodness_of_fit(bk, name, args, dist) -> None:
    x = bk.to_numpy(getattr(_gen(bk), name)(*args, size=N)).astype(np.int64)
    assert abs(x.mean() - dist.mean()) < 5 * dist.std() / np.sqrt(N)
    ks = np.arange(x.min(), x.max() + 1)
    observed = np.array([(x == k).sum() for k in ks])
    expected = dist.pmf(ks) * N
    keep = expected > 5
    obs = np.append(observed[keep], observed[~keep].sum())
    exp = np.append(expected[keep], N - expected[keep].sum())
    if exp[-1] < 5:
        obs, exp = obs[:-1], exp[:-1] * (N / exp[:-1].sum())
    assert ss.chisquare(obs, exp * obs.sum() / exp.sum()).pvalue > ALPHA


def test_permutation_choice_spawn(bk) -> None:
    g = _gen(bk)
    p = bk.to_numpy(g.permutation(50))
    assert sorted(p.tolist()) == list(range(50))
    arr = bk.asarray(np.arange(10.0) * 2)
    assert sorted(bk.to_numpy(g.permutation(arr)).tolist()) == list(np.arange(10.0) * 2)
    c = bk.to_numpy(g.choice(10, 6, replace=False))
    assert len(set(c.tolist())) == 6
    w = bk.asarray(np.array([0.1, 0.0, 0.9]))
    c = bk.to_numpy(g.choice(3, 20_000, p=w))
    assert 1 not in c.tolist() and abs((c == 2).mean() - 0.9) < 0.02
    a, b = g.spawn(2)
    assert not np.array_equal(bk.to_numpy(a.random(5)), bk.to_numpy(b.random(5)))


def test_validation(bk) -> None:
    g = _gen(bk)
    with pytest.raises(InvalidArgumentError, match="scale"):
        g.normal(0.0, -1.0, 3)
    with pytest.raises(InvalidArgumentError, match="p must be"):
        g.bernoulli(1.2, 3)
    with pytest.raises(InvalidArgumentError, match="lam"):
        g.poisson(-2.0, 3)
    with pytest.raises(InvalidArgumentError, match="high must be"):
        g.integers(5, 5)
    with pytest.raises(InvalidArgumentError, match="size"):
        g.random(-1)
    with pytest.raises(InvalidArgumentError, match="without replacement"):
        g.choice(3, 5, replace=False)
    with pytest.raises(ShapeError, match="permutation"):
        g.permutation(bk.asarray(np.array(1.0)))
    with pytest.raises(InvalidArgumentError, match="seed"):
        random.default_rng(-3, backend=bk.name)


@pytest.mark.parametrize("count", [math.inf, 1e300, 1e19])
def test_counts_beyond_int64_are_refused(bk, count) -> None:
    """A trial count or Poisson rate whose draws an int64 cannot hold (NumPy's own limits)
    is an xpmath error naming it on every backend, a number or an eager array (NumPy raised
    OverflowError or ValueError); the largest allowed ones draw."""
    g = _gen(bk)
    with pytest.raises(InvalidArgumentError, match="binomial: n must be in"):
        g.binomial(count, 0.5, 2)
    with pytest.raises(InvalidArgumentError, match="poisson: lam must be in"):
        g.poisson(count, 2)
    if bk.backend.eager:  # (a lazy array's values are not read to check them)
        with pytest.raises(InvalidArgumentError, match="every entry of lam"):
            g.poisson(bk.asarray(np.array([1.0, count])))
    if bk.name == "numpy":  # (at the limit, each backend's own sampler: NumPy's reference)
        assert 0 < int(g.poisson(9.2e18, 1)[0]) < 2**63
        assert 0 < int(g.binomial(9.2e18, 0.5, 1)[0]) < 2**63


_INT_DTYPES = ["int8", "int16", "int32", "uint8", "uint16", "uint32", "int64"]


@given(
    dtype=st.sampled_from(_INT_DTYPES),
    past=st.integers(1, 2**70),
    side=st.sampled_from(["high", "low"]),
)
def test_draws_a_dtype_cannot_hold_are_refused(bk, dtype, past, side) -> None:
    """integers' bounds, binomial's n and poisson's rate beyond what ``dtype`` holds are an
    xpmath error naming the argument and the dtype (NumPy wrapped integers(0, 300, int8) to
    negative draws, JAX saturated poisson(3e9) at 2**31 - 1, torch raised RuntimeError); the
    dtype's own range draws within it."""
    g = _gen(bk)
    if dtype == "int64" and bk.backend.float64_reason():
        return  # (refused as a PrecisionError: tested in test_dtype_conversion)
    info = np.iinfo(dtype)
    lo, hi = int(info.min), int(info.max)
    low, high = (lo, hi + 1 + past) if side == "high" else (lo - past, hi + 1)
    with pytest.raises(InvalidArgumentError, match=rf"integers: {side} must be .* dtype {dtype}"):
        g.integers(low, high, 3, dtype=dtype)
    x = bk.to_numpy(g.integers(lo, hi + 1, 50, dtype=dtype))
    assert x.dtype == np.dtype(dtype) and lo <= x.min() and x.max() <= hi
    if hi < 256:  # the whole range, both ends included (JAX and torch take it in two draws)
        x = bk.to_numpy(g.integers(lo, hi + 1, 5000, dtype=dtype))
        assert set(x.tolist()) == set(range(lo, hi + 1))
    if hi < 2**63 - 1:
        with pytest.raises(InvalidArgumentError, match=rf"binomial: n must be .* dtype {dtype}"):
            g.binomial(float(hi + min(past, 2**40)), 0.5, 3, dtype=dtype)
        with pytest.raises(InvalidArgumentError, match=rf"poisson: lam must be .* dtype {dtype}"):
            g.poisson(float(hi), 3, dtype=dtype)
        n = bk.to_numpy(g.binomial(float(hi), 0.5, 50, dtype=dtype))
        assert n.dtype == np.dtype(dtype) and n.min() >= 0 and n.max() <= hi
        lam = hi - 10 * math.sqrt(hi)
        k = bk.to_numpy(g.poisson(lam, 50, dtype=dtype))
        assert k.min() >= 0 and k.max() <= hi


#: every sampler with array parameters, as (name, draw(generator, params p in (0, 1), size))
SAMPLERS = {
    "normal": lambda g, p, q, size: g.normal(p, q, size),
    "uniform": lambda g, p, q, size: g.uniform(p - 1.0, q, size),
    "gamma": lambda g, p, q, size: g.gamma(p, q, size),
    "beta": lambda g, p, q, size: g.beta(p, q, size),
    "exponential": lambda g, p, q, size: g.exponential(p + q * 0, size),
    "bernoulli": lambda g, p, q, size: g.bernoulli(p * (q * 0 + 1), size),
    "binomial": lambda g, p, q, size: g.binomial(5, p * (q * 0 + 1), size),
    "poisson": lambda g, p, q, size: g.poisson(p + q, size),
}


@given(
    name=st.sampled_from(sorted(SAMPLERS)),
    p_shape=st.sampled_from([(), (3,), (2, 1), (1, 3)]),
    q_shape=st.sampled_from([(), (3,), (2, 3)]),
    lead=st.sampled_from([None, (), (4,)]),
    seed=st.integers(0, 2**31 - 1),
)
def test_property_array_parameters_draw_their_broadcast_shape(
    bk, name, p_shape, q_shape, lead, seed
) -> None:
    """NumPy's rule: with ``size`` None, one independent draw per entry of the parameters'
    broadcast shape (each array-parameter sampler gave one draw repeated over it, or a raw
    shape error); a ``size`` they broadcast to is drawn, one they do not is a ShapeError."""
    if bk.jit:
        return  # a generator is called eagerly
    rng = np.random.default_rng(seed)
    p = bk.asarray(rng.uniform(0.2, 0.9, p_shape)) if p_shape else 0.5
    q = bk.asarray(rng.uniform(0.5, 2.0, q_shape)) if q_shape else 1.5
    g = _gen(bk, seed)
    common = np.broadcast_shapes(p_shape, q_shape)
    size = None if lead is None else (*lead, *common)
    out = bk.to_numpy(SAMPLERS[name](g, p, q, size))
    assert out.shape == (common if size is None else size)
    if name not in ("bernoulli", "binomial", "poisson") and out.size > 1:
        assert len(np.unique(out)) == out.size, "entries share one draw"
    wide = [i for i, s in enumerate(common) if s > 1]
    if wide:  # a size the parameters cannot broadcast to: one axis one longer
        bad = tuple(s + (i == wide[0]) for i, s in enumerate(common))
        with pytest.raises(ShapeError, match="broadcast"):
            SAMPLERS[name](g, p, q, bad)


def test_array_parameters_set_each_entrys_distribution(bk) -> None:
    """Column j of normal(loc, scale, (N, 4)) has mean loc[j] and sd scale[j] (5 sigma)."""
    if bk.jit:
        pytest.skip("a generator is called eagerly")
    loc, scale = np.array([-5.0, 0.0, 5.0, 10.0]), np.array([1.0, 2.0, 3.0, 4.0])
    x = bk.to_numpy(_gen(bk).normal(bk.asarray(loc), bk.asarray(scale), (N, 4)))
    assert np.all(np.abs(x.mean(0) - loc) < 5 * scale / np.sqrt(N))
    assert np.all(np.abs(x.std(0) - scale) < 5 * scale / np.sqrt(2 * N))


@pytest.mark.parametrize(
    "draw",
    [
        lambda g, p: g.normal(p, 1.0),
        lambda g, p: g.uniform(p, 2.0),
        lambda g, p: g.gamma(p + 1.0),
        lambda g, p: g.poisson(p),
        lambda g, p: g.binomial(3, p * 0 + 0.5),
    ],
)
def test_array_parameters_of_another_backend_are_refused(bk, draw) -> None:
    """An array parameter must be of the generator's backend: another backend's (here a
    NumPy array, or a torch tensor on NumPy) raises BackendMismatchError naming both, where
    torch raised its own TypeError and JAX computed on the host array."""
    if bk.jit:
        pytest.skip("a generator is called eagerly")
    g = _gen(bk)
    own = bk.asarray(np.array([0.5, 1.5]))
    assert tuple(draw(g, own).shape) == (2,)
    other = "torch" if bk.name == "numpy" else "numpy"
    if other == "torch":
        pytest.importorskip("torch")
    foreign = xpmath.asarray(np.array([0.5, 1.5]), backend=other)
    with pytest.raises(BackendMismatchError, match=f"{other} array"):
        draw(g, foreign)


def test_jax_keys_inside_jit() -> None:
    jax = pytest.importorskip("jax")

    @jax.jit
    def draw(k):
        k1, k2 = random.split(k)
        return random.normal(k1, (4,)), random.uniform(k2, (4,))

    a, b = draw(random.key(0))
    a2, _ = draw(random.key(0))
    np.testing.assert_array_equal(np.asarray(a), np.asarray(a2))
    assert np.all((np.asarray(b) >= 0) & (np.asarray(b) < 1))


@given(
    entropy=st.lists(st.integers(0, 2**40), min_size=1, max_size=4),
    form=st.sampled_from(["list", "tuple", "numpy array", "backend array"]),
)
def test_a_sequence_of_ints_seeds_every_backend_as_numpy_does(bk, entropy, form) -> None:
    """A list, tuple or 1-D integer array of non-negative ints is entropy, as NumPy's
    ``default_rng`` takes it: every form gives one stream, NumPy's own on NumPy (it was a
    raw TypeError on JAX, a raw ValueError or TypeError for a 0-d array elsewhere, and a list
    was refused)."""
    if bk.jit:
        pytest.skip("a generator is made outside jit; the eager rows cover it")
    if form == "backend array" and bk.name == "jax" and max(entropy) >= 2**31:
        entropy = [v % 2**31 for v in entropy]  # (JAX's default int is 32 bits without x64)
    seed = {
        "list": entropy,
        "tuple": tuple(entropy),
        "numpy array": np.array(entropy, dtype=np.int64),
        "backend array": bk.asarray(np.array(entropy, dtype=np.int64)),
    }[form]
    got = bk.to_numpy(random.default_rng(seed, backend=bk.name).normal(size=4))
    want = bk.to_numpy(random.default_rng(list(entropy), backend=bk.name).normal(size=4))
    np.testing.assert_array_equal(got, want)
    if bk.name == "numpy":
        np.testing.assert_array_equal(got, np.random.default_rng(entropy).normal(size=4))


@given(seed=st.integers(0, 2**80), shift=st.sampled_from([2**32, 2**63, 2**64]))
@settings(max_examples=10)
def test_ints_of_any_size_seed_every_backend_with_distinct_streams(bk, seed, shift) -> None:
    """Python ints of any size, alone or in a list, are entropy on every backend as on NumPy
    (JAX raised a raw OverflowError from 2**63; a list holding one was refused everywhere),
    and seeds that differ above the low 32 bits give different streams."""
    if bk.jit:
        pytest.skip("a generator is made outside jit; the eager rows cover it")

    def draw(s):
        return bk.to_numpy(random.default_rng(s, backend=bk.name).random(size=4))

    np.testing.assert_array_equal(draw(seed), draw(seed))
    assert not np.array_equal(draw(seed), draw(seed + shift))
    assert not np.array_equal(draw([seed, 1]), draw([seed + shift, 1]))
    if bk.name == "numpy":
        np.testing.assert_array_equal(draw([seed, 1]), np.random.default_rng([seed, 1]).random(4))


def test_jax_keys_do_not_depend_on_64_bit_types() -> None:
    """Without 64-bit types JAX keeps a seed's low 32 bits (2**32 seeded as 0 did); xpmath
    builds the key ``jax.random.key`` makes with them on, from all of the seed's bits, in
    ``default_rng`` and in the functional ``random.key`` alike."""
    pytest.importorskip("jax")
    seeds = [0, 7, 2**32, 2**40 + 7, 2**63, 2**64 - 1, 2**70, [2**70, 3]]
    code = (
        "import jax, xpmath\n"
        f"for s in {seeds!r}:\n"
        "    key = xpmath.random.default_rng(s, backend='jax')._engine.key\n"
        "    print(jax.random.key_data(key).tolist())\n"
        "    if isinstance(s, int):  # the functional form's key: the same\n"
        "        k = jax.random.key_data(xpmath.random.key(s)).tolist()\n"
        "        assert k == jax.random.key_data(key).tolist(), (s, k)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("XPMATH_BACKEND", "JAX_ENABLE_X64")}
    got = {}
    for flag in ("0", "1"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={**env, "JAX_ENABLE_X64": flag},
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        got[flag] = out.stdout.split("\n")
    assert got["0"] == got["1"]
    assert got["0"][2].split() == ["[1,", "0]"]  # (2**32: its high word, as JAX's with x64)
    assert len(set(got["0"])) == len(seeds) + 1  # (and the empty last line)


@pytest.mark.parametrize(
    "seed",
    [-3, True, 1.5, "abc", [], [1, -2], [[1, 2]], np.array([1.5]), np.array(["a"]), {"a": 1}],
)
def test_seeds_that_are_not_entropy_name_the_seed(bk, seed) -> None:
    """Negative, boolean, fractional, text, empty and nested seeds: an InvalidArgumentError
    naming ``seed`` on every backend (several were NumPy's or JAX's raw errors)."""
    with pytest.raises(InvalidArgumentError, match="default_rng: seed must be"):
        random.default_rng(seed, backend=bk.name)


@pytest.mark.parametrize("kind", ["str", "object", "datetime64"])
def test_distribution_parameters_that_are_not_numbers_name_them(kind) -> None:
    """An array parameter of strings, objects or dates: a DTypeError naming it (NumPy's raw
    UFuncTypeError or TypeError came out of the first comparison with it)."""
    bad = {"str": np.array(["a", "b"]), "object": np.array([1, None], dtype=object)}.get(
        kind, np.zeros(2, dtype="datetime64[s]")
    )
    x = np.array([0.5, 1.5])
    for call, arg in [
        (lambda: xpmath.stats.norm.cdf(x, loc=bad), "loc"),
        (lambda: xpmath.stats.t.sf(x, bad), "df"),
        (lambda: xpmath.stats.binom.pmf(x, bad, 0.5), "n"),
        (lambda: random.default_rng(0, backend="numpy").uniform(bad, 3.0), "low"),
    ]:
        with pytest.raises(xpmath.DTypeError, match=rf"\b{arg} must be numeric"):
            call()
