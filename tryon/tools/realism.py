"""Distances between two sets of picture features, for ``tryon eval --unpaired``: KID and FID.

Features are (N, D) float arrays, one row per picture (D = 2048 Inception pool3 features in
``tryon eval``); both sets need the same D and at least 2 rows. Everything is computed in
float64.

- KID (Bińkowski et al., 2018), as torch-fidelity and clean-fid compute it: the unbiased
  estimate of the squared maximum mean discrepancy with the polynomial kernel
  ``k(x, y) = (x·y / D + 1)³``, on :data:`KID_SUBSETS` pairs of random subsets of
  ``min(KID_SUBSET_SIZE, N_x, N_y)`` rows (drawn without replacement, seeded); the mean and the
  standard deviation over the subsets. 0 for sets from one distribution (the estimate can be
  slightly negative); unlike FID it has no bias that depends on N.
- FID (Heusel et al., 2017), as pytorch-fid computes it: the Fréchet distance between the
  Gaussians fitted to both sets (mean, covariance with N − 1),
  ``|μx − μy|² + Tr(Σx + Σy − 2 (Σx Σy)^½)``; ≥ 0, 0 for identical sets. With N far below D
  it is strongly biased upwards: compare only figures computed with the same N.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["KID_SUBSETS", "KID_SUBSET_SIZE", "KidScore", "polynomial_mmd2", "kid", "fid"]

KID_SUBSETS = 100
KID_SUBSET_SIZE = 100
KERNEL_DEGREE = 3
KERNEL_COEF = 1.0


@dataclass(frozen=True)
class KidScore:
    """KID over the subsets: ``mean`` (≈ 0 for one distribution, larger is further apart)
    and ``std`` (their standard deviation; 0 when every subset is the whole set);
    ``subset_size`` rows per subset, ``subsets`` pairs of subsets."""

    mean: float
    std: float
    subset_size: int
    subsets: int

    def as_dict(self) -> dict[str, float]:
        """``{"mean", "std"}``, rounded to 6 decimals."""
        return {"mean": round(self.mean, 6), "std": round(self.std, 6)}


def polynomial_mmd2(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased MMD² of ``x`` and ``y``, both (m, D) with m ≥ 2, polynomial kernel
    ``(x·y / D + 1)³``: the within-set kernel means leave out the diagonal, the cross-set mean
    keeps every pair (torch-fidelity's ``mmd_est="unbiased"``)."""
    x, y = _features(x, "x"), _features(y, "y")
    if x.shape != y.shape:
        raise ValueError(f"subsets must have equal shapes, got {x.shape} and {y.shape}")
    m, dim = x.shape
    k_xx = _kernel(x, x, dim)
    k_yy = _kernel(y, y, dim)
    k_xy = _kernel(x, y, dim)
    within = (k_xx.sum() - np.trace(k_xx) + k_yy.sum() - np.trace(k_yy)) / (m * (m - 1))
    return float(within - 2 * k_xy.sum() / (m * m))


def kid(x: np.ndarray, y: np.ndarray, subsets: int = KID_SUBSETS,
        subset_size: int = KID_SUBSET_SIZE, seed: int = 0) -> KidScore:
    """KID of ``x`` (N_x, D) against ``y`` (N_y, D): :func:`polynomial_mmd2` on ``subsets``
    pairs of random subsets of ``min(subset_size, N_x, N_y)`` rows each, drawn with
    ``numpy.random.default_rng(seed)`` (the same seed draws the same subsets of ``y`` for any
    ``x`` of the same size)."""
    x, y = _check_pair(x, y)
    if subsets < 1 or subset_size < 2:
        raise ValueError(f"need subsets >= 1 and subset_size >= 2, got {subsets}, {subset_size}")
    size = min(subset_size, len(x), len(y))
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(subsets):
        rows_y = rng.choice(len(y), size, replace=False)
        rows_x = rng.choice(len(x), size, replace=False)
        values.append(polynomial_mmd2(x[rows_x], y[rows_y]))
    return KidScore(mean=float(np.mean(values)), std=float(np.std(values)), subset_size=size,
                    subsets=subsets)


def fid(x: np.ndarray, y: np.ndarray) -> float:
    """FID of ``x`` (N_x, D) against ``y`` (N_y, D). ``Tr (Σx Σy)^½`` is computed exactly as
    the nuclear norm of ``A Bᵀ`` where ``Σx = AᵀA``, ``Σy = BᵀB`` (A, B: the centred rows over
    √(N − 1)), which is fast for N ≪ D and needs no matrix square root."""
    x, y = _check_pair(x, y)
    mean_x, mean_y = x.mean(axis=0), y.mean(axis=0)
    a = (x - mean_x) / np.sqrt(len(x) - 1)
    b = (y - mean_y) / np.sqrt(len(y) - 1)
    trace_sqrt = np.linalg.svd(_gram_root(a) @ _gram_root(b).T, compute_uv=False).sum()
    distance = np.sum((mean_x - mean_y) ** 2) + np.sum(a * a) + np.sum(b * b) - 2 * trace_sqrt
    return max(float(distance), 0.0)


def _kernel(x: np.ndarray, y: np.ndarray, dim: int) -> np.ndarray:
    """(m, m) polynomial kernel matrix of the rows of ``x`` and ``y``."""
    return (x @ y.T / dim + KERNEL_COEF) ** KERNEL_DEGREE


def _gram_root(a: np.ndarray) -> np.ndarray:
    """A (k, D) matrix ``r`` with ``rᵀr = aᵀa`` and k = min(N, D): ``a`` itself when N ≤ D,
    else the triangular factor of its QR decomposition (same singular values in products)."""
    if a.shape[0] <= a.shape[1]:
        return a
    return np.linalg.qr(a, mode="r")


def _features(array: np.ndarray, name: str) -> np.ndarray:
    """``array`` as float64 (N, D) with N ≥ 2 and finite values, else ValueError."""
    features = np.asarray(array, dtype=np.float64)
    if features.ndim != 2 or features.shape[0] < 2 or features.shape[1] < 1:
        raise ValueError(f"{name} must be (N, D) features with N >= 2, got {features.shape}")
    if not np.isfinite(features).all():
        raise ValueError(f"{name} holds non-finite values")
    return features


def _check_pair(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both as float64 (N, D) with the same D."""
    x, y = _features(x, "x"), _features(y, "y")
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"feature sizes differ: {x.shape[1]} vs {y.shape[1]}")
    return x, y
