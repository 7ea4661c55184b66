"""Which pixels of a product a colourway changes: its main colour region.

The product's pixels (alpha or cut-out coverage at least ``min_coverage``) are clustered in
Lab (k-means; lightness down-weighted so shading does not split a colour). The main region is
the largest chromatic cluster when it covers at least ``min_main_share`` of the product, else
the largest cluster (a white or black product), plus every cluster of nearly the same hue and
chroma within ``merge_lightness`` in L (its shadows and highlights). Everything else — a white
sole under a blue upper, laces, logos, a printed pattern, metal — is kept. On a side view of a
shoe (wider than ``side_view_aspect`` × tall) neutral pixels in the bottom ``sole_band`` of
each column are kept too: a white sole under a white upper is in the same cluster as the
upper.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

__all__ = ["PartSettings", "ProductParts", "find_parts"]


@dataclass(frozen=True)
class PartSettings:
    """``clusters``: k of the k-means; ``lightness_weight``: L's weight against a*, b* in it;
    ``sample``: most pixels the k-means sees; ``min_coverage``: coverage (0–1) of a product
    pixel; ``neutral_chroma``: Lab chroma under which a colour counts as neutral (white, grey,
    black); ``min_main_share``: smallest share of the product a chromatic main colour has;
    ``merge_ab`` and ``merge_lightness``: Lab distances (a*b* plane, L) within which a cluster
    joins the main one; ``sole_band``: the kept sole's height as a fraction of the shoe's;
    ``side_view_aspect``: width/height above which a shoe photo is a side view;
    ``edge_sigma``: blur (pixels) of the region's edge; ``seed``: k-means seed."""

    clusters: int = 5
    lightness_weight: float = 0.5
    sample: int = 20_000
    min_coverage: float = 0.5
    neutral_chroma: float = 12.0
    min_main_share: float = 0.2
    merge_ab: float = 12.0
    merge_lightness: float = 35.0
    sole_band: float = 0.16
    side_view_aspect: float = 1.3
    edge_sigma: float = 1.0
    seed: int = 0


@dataclass(frozen=True)
class ProductParts:
    """``product``: (H, W) bool, the product's pixels; ``main``: (H, W) bool, the region a
    colourway changes; ``weight``: (H, W) float32 in [0, 1], ``main`` with a soft edge (0
    outside the product); ``main_lab``: (3,) float32, the region's median Lab colour;
    ``labels``: (H, W) int16 cluster per pixel, -1 outside the product."""

    product: np.ndarray
    main: np.ndarray
    weight: np.ndarray
    main_lab: np.ndarray
    labels: np.ndarray

    @property
    def main_share(self) -> float:
        """Fraction of the product's pixels in the main region (0–1)."""
        return float(self.main.sum() / max(1, self.product.sum()))


def find_parts(lab: np.ndarray, coverage: np.ndarray, *, everything: bool = False,
               shoe: bool = False, settings: PartSettings = PartSettings()) -> ProductParts:
    """The main region of a product.

    ``lab``: (H, W, 3) float32 Lab of the photo; ``coverage``: (H, W) float32 in [0, 1], the
    product's cut-out. ``everything``: the whole product is the region (``--parts all``);
    ``shoe``: keep a neutral sole band on side views.
    """
    product = coverage >= settings.min_coverage
    pixels = lab[product]
    if everything or len(pixels) < settings.clusters * 4:
        labels = np.where(product, 0, -1).astype(np.int16)
        return _parts(lab, product, product.copy(), labels, settings)
    scale = np.array([settings.lightness_weight, 1.0, 1.0], np.float32)
    centres = _kmeans(pixels * scale, settings)
    nearest = _nearest(pixels * scale, centres)
    labels = np.full(product.shape, -1, np.int16)
    labels[product] = nearest
    shares = np.bincount(nearest, minlength=len(centres)) / len(nearest)
    centres = centres / scale
    chroma = np.hypot(centres[:, 1], centres[:, 2])
    chromatic = [k for k in np.argsort(-shares) if chroma[k] >= settings.neutral_chroma]
    if chromatic and shares[chromatic[0]] >= settings.min_main_share:
        main_label = int(chromatic[0])
    else:
        main_label = int(np.argmax(shares))
    ab_gap = np.hypot(*(centres[:, 1:] - centres[main_label, 1:]).T)
    l_gap = np.abs(centres[:, 0] - centres[main_label, 0])
    joined = np.flatnonzero((ab_gap < settings.merge_ab) & (l_gap < settings.merge_lightness))
    main = np.isin(labels, joined) & product
    if shoe:
        main &= ~_neutral_sole(lab, product, settings)
    return _parts(lab, product, main, labels, settings)


def _parts(lab: np.ndarray, product: np.ndarray, main: np.ndarray, labels: np.ndarray,
           settings: PartSettings) -> ProductParts:
    main_lab = (np.median(lab[main], axis=0) if main.any()
                else np.zeros(3, np.float32)).astype(np.float32)
    return ProductParts(product, main, _soft(main, product, settings.edge_sigma), main_lab,
                        labels)


def _kmeans(points: np.ndarray, settings: PartSettings) -> np.ndarray:
    """(k, 3) centres of a seeded k-means on at most ``settings.sample`` of ``points``."""
    rng = np.random.default_rng(settings.seed)
    if len(points) > settings.sample:
        points = points[rng.choice(len(points), settings.sample, replace=False)]
    cv2.setRNGSeed(settings.seed)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 30, 0.1)
    _, _, centres = cv2.kmeans(np.ascontiguousarray(points, np.float32), settings.clusters,
                               None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    return centres.astype(np.float32)


def _nearest(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of each (N, 3) point's nearest (k, 3) centre, (N,) int16."""
    distances = ((points[:, None, :] - centres[None]) ** 2).sum(axis=2)
    return np.argmin(distances, axis=1).astype(np.int16)


def _neutral_sole(lab: np.ndarray, product: np.ndarray, settings: PartSettings) -> np.ndarray:
    """(H, W) bool: neutral pixels within ``sole_band`` of the shoe's height above the lowest
    product pixel of their column; nothing unless the shoe is seen from the side."""
    rows, cols = np.nonzero(product)
    height = rows.max() - rows.min() + 1
    width = cols.max() - cols.min() + 1
    band = np.zeros_like(product)
    if width < settings.side_view_aspect * height:
        return band
    lowest = np.full(product.shape[1], -1)
    np.maximum.at(lowest, cols, rows)
    depth = lowest[None, :] - np.arange(product.shape[0])[:, None]
    band = product & (depth >= 0) & (depth < settings.sole_band * height)
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    return band & (chroma < settings.neutral_chroma)


def _soft(main: np.ndarray, product: np.ndarray, sigma: float) -> np.ndarray:
    """``main`` with an edge blurred by ``sigma`` pixels inside the product only
    (normalised by the blurred product, so the silhouette keeps full weight)."""
    if sigma <= 0 or not main.any():
        return main.astype(np.float32)
    blurred = cv2.GaussianBlur(main.astype(np.float32), (0, 0), sigma)
    support = cv2.GaussianBlur(product.astype(np.float32), (0, 0), sigma)
    weight = np.where(product, blurred / np.maximum(support, 1e-6), 0.0)
    return np.clip(weight, 0.0, 1.0).astype(np.float32)
