"""Self-supervised samples for the colourway GAN (:mod:`tryon.studio.colourway`).

No photo shows a product in two colours, so the model learns to give back the photo itself:
each catalog photo is cut out, its main colour region found (:func:`tryon.studio.parts.
find_parts`), the product cropped square at the contract's size (:class:`ColourwayCache`,
kept as ``.npz`` in the run folder). A sample's target colour is the region's own median Lab;
the input carries only the region's standardised lightness, never its colour or level
(:func:`tryon.studio.colourway.assemble_inputs`). Augmentation: mirror, a random turn of the
region's hue and a random chroma scale (the target colour follows), a small random shift.

Held out for evaluation, never trained on: every :data:`HOLD_OUT_EVERY`-th photo of each
folder in sorted order (:func:`split`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from training.catalog_models import HOLD_OUT_EVERY, NpzCache, analyse_photos, split, to_u8
from training.trainer import SampleDataset
from tryon.errors import TryOnError
from tryon.imaging.cutout import cut_out
from tryon.imaging.decode import decode_image
from tryon.studio import colourway as cw
from tryon.studio.colour import lab_to_rgb, rgb_to_lab
from tryon.studio.parts import find_parts

__all__ = ["HOLD_OUT_EVERY", "ColourwayCache", "ColourwayDataset", "analyse_photo",
           "build_cache", "split"]

HUE_TURN_P = 0.6
CHROMA_SCALE = (0.4, 1.6)
MAX_SHIFT = 6  # model pixels


def is_shoe_photo(path: Path) -> bool:
    """Shoe folders keep a neutral sole (the ``shoe`` rule of :func:`find_parts`)."""
    return "shoes" in Path(path).parts


def analyse_photo(path: Path, size: int = cw.SIZE[0]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(rgb (S, S, 3) uint8, coverage (S, S) uint8, main (S, S) uint8) of a photo cropped
    square around its product; None when nothing can be cut out or no main region exists."""
    try:
        decoded = decode_image(path)
        coverage = cut_out(decoded.rgb, decoded.alpha)
    except TryOnError:
        return None
    found = find_parts(rgb_to_lab(decoded.rgb), coverage, shoe=is_shoe_photo(path))
    if found.main.sum() < 50:
        return None
    crop = cw.square_crop(found.product, size)
    rgb = crop.take(decoded.rgb, cw.PAD_VALUE)
    cov = crop.take(coverage, 0.0)
    main = crop.take(found.weight, 0.0)
    return rgb, to_u8(cov), to_u8(main)


@dataclass(frozen=True)
class ColourwayCache(NpzCache):
    """Analysed photos: ``rgb`` (N, S, S, 3), ``coverage`` and ``main`` (N, S, S), uint8;
    ``names`` (N,) their paths (saved and loaded as one ``.npz``: :class:`NpzCache`)."""

    rgb: np.ndarray
    coverage: np.ndarray
    main: np.ndarray
    names: np.ndarray


def build_cache(paths: Sequence[Path], size: int = cw.SIZE[0],
                progress: bool = False) -> ColourwayCache:
    """Analyse ``paths`` (:func:`analyse_photo`); photos that give nothing are skipped."""
    found = analyse_photos(paths, lambda path: analyse_photo(path, size), progress)
    rgb, coverage, main = (np.stack(parts) for parts in zip(*(row for _, row in found),
                                                            strict=True))
    return ColourwayCache(rgb, coverage, main, np.array([str(path) for path, _ in found]))


def augment(rgb: np.ndarray, coverage: np.ndarray, main: np.ndarray,
            rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mirror, shift and (sometimes) turn the main region's hue and scale its chroma."""
    if rng.random() < 0.5:
        rgb, coverage, main = rgb[:, ::-1], coverage[:, ::-1], main[:, ::-1]
    dy, dx = rng.integers(-MAX_SHIFT, MAX_SHIFT + 1, 2)
    rgb = _shift(rgb, dy, dx, cw.PAD_VALUE)
    coverage, main = _shift(coverage, dy, dx, 0.0), _shift(main, dy, dx, 0.0)
    if rng.random() < HUE_TURN_P:
        lab = rgb_to_lab(rgb)
        angle = rng.uniform(0, 2 * np.pi)
        scale = rng.uniform(*CHROMA_SCALE)
        cos, sin = np.cos(angle) * scale, np.sin(angle) * scale
        a, b = lab[..., 1].copy(), lab[..., 2].copy()
        lab[..., 1], lab[..., 2] = cos * a - sin * b, sin * a + cos * b
        turned = lab_to_rgb(lab).astype(np.float32)
        rgb = np.round(cw.compose(turned, rgb.astype(np.float32), main)).astype(np.uint8)
    return np.ascontiguousarray(rgb), np.ascontiguousarray(coverage), np.ascontiguousarray(main)


def _shift(picture: np.ndarray, dy: int, dx: int, pad: float) -> np.ndarray:
    out = np.full_like(picture, pad)
    height, width = picture.shape[:2]
    ys, yd = (slice(0, height - dy), slice(dy, height)) if dy >= 0 else \
        (slice(-dy, height), slice(0, height + dy))
    xs, xd = (slice(0, width - dx), slice(dx, width)) if dx >= 0 else \
        (slice(-dx, width), slice(0, width + dx))
    out[yd, xd] = picture[ys, xs]
    return out


def make_sample(rgb: np.ndarray, coverage: np.ndarray, main: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(inputs (C, S, S), target (3, S, S) in [-1, 1], main weight (1, S, S)), float32, the
    target colour being the region's own median Lab."""
    region = main > 0.5
    target_lab = (np.median(rgb_to_lab(rgb[region]), axis=0) if region.any()
                  else np.array([50.0, 0.0, 0.0], np.float32))
    inputs = cw.assemble_inputs(rgb, coverage, main, target_lab)
    target = (rgb.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)
    return inputs, np.ascontiguousarray(target), main[None].astype(np.float32)


class ColourwayDataset(SampleDataset):
    """Augmented self-supervised samples; reproducible from (seed, epoch, index)
    (:class:`training.trainer.SampleDataset`'s bookkeeping); ``augmented=False``: the
    photos as they are."""

    def __init__(self, cache: ColourwayCache, seed: int, augmented: bool = True) -> None:
        super().__init__(cache, seed)  # type: ignore[arg-type]
        self.augmented = augmented

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        rgb = self.cache.rgb[index]
        coverage = self.cache.coverage[index].astype(np.float32) / 255.0
        main = self.cache.main[index].astype(np.float32) / 255.0
        if self.augmented:
            rng = np.random.default_rng((self.seed, self.epoch, index))
            rgb, coverage, main = augment(rgb, coverage, main, rng)
        return tuple(torch.from_numpy(a) for a in make_sample(rgb, coverage, main))
