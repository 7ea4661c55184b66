"""Real pictures for the sampled-designs GAN (:mod:`tryon.studio.samples`).

Each catalog photo is cut out (:func:`tryon.imaging.cutout.cut_out`), laid on white and
cropped square around the product (:func:`tryon.studio.colourway.square_crop`: bounding box
+ 6 % per side) at the contract's size, with its mask (:class:`SamplesCache`, kept as ``.npz``
in the run folder). A sample is the picture on white and its mask, mirrored half of the time
(shoes face either way); the rest of the augmentation is DiffAugment's, applied to real and
generated pictures alike in the trainer (:mod:`training.samples`).

Held out for evaluation, never trained on: every 10th photo of each folder in sorted order
(:func:`training.catalog_models.split`, shared with the other Studio models).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from training.catalog_models import NpzCache, analyse_photos, to_u8
from training.trainer import SampleDataset
from tryon.errors import TryOnError
from tryon.imaging.cutout import cut_out
from tryon.imaging.decode import decode_image
from tryon.studio import samples as sm
from tryon.studio.colourway import square_crop

__all__ = ["SamplesCache", "SamplesDataset", "analyse_photo", "build_cache", "make_sample"]

MIN_PIXELS = 50  # photo pixels of product a photo needs


@dataclass(frozen=True)
class SamplesCache(NpzCache):
    """Analysed photos: ``picture`` (N, S, S, 3) uint8 on white, ``alpha`` (N, S, S) uint8,
    ``names`` (N,) their paths (saved and loaded as one ``.npz``)."""

    picture: np.ndarray
    alpha: np.ndarray
    names: np.ndarray


def analyse_photo(source: object, size: int = sm.SIZE[0]
                  ) -> tuple[np.ndarray, np.ndarray] | None:
    """(picture on white (S, S, 3) uint8, alpha (S, S) uint8) of a product photo cropped
    square around the product; None when nothing can be cut out."""
    try:
        decoded = decode_image(source)
        coverage = cut_out(decoded.rgb, decoded.alpha)
    except TryOnError:
        return None
    product = coverage >= 0.5
    if int(product.sum()) < MIN_PIXELS:
        return None
    crop = square_crop(product, size)
    white = sm.on_white(decoded.rgb.astype(np.float32), coverage)
    picture = crop.take(np.round(white).astype(np.uint8), 255)
    return picture, to_u8(crop.take(coverage, 0.0))


def build_cache(paths: Sequence[Path], size: int = sm.SIZE[0],
                progress: bool = False) -> SamplesCache:
    """Analyse ``paths`` (:func:`analyse_photo`); photos that give nothing are skipped."""
    found = analyse_photos(paths, lambda path: analyse_photo(path, size), progress)
    return SamplesCache(np.stack([row[0] for _, row in found]),
                        np.stack([row[1] for _, row in found]),
                        np.array([str(path) for path, _ in found]))


def make_sample(picture: np.ndarray, alpha: np.ndarray, mirror: bool
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(real (4, S, S): picture on white in [-1, 1] and alpha in [-1, 1]; picture (3, S, S)
    in [-1, 1]; alpha (1, S, S) in [0, 1]), float32."""
    if mirror:
        picture, alpha = picture[:, ::-1], alpha[:, ::-1]
    rgb = (picture.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)
    mask = (alpha.astype(np.float32) / 255.0)[None]
    real = np.concatenate([rgb, mask * 2 - 1])
    return (np.ascontiguousarray(real), np.ascontiguousarray(rgb),
            np.ascontiguousarray(mask))


class SamplesDataset(SampleDataset):
    """Real pictures of a :class:`SamplesCache`, mirrored at random; reproducible from
    (seed, epoch, index)."""

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        rng = np.random.default_rng((self.seed, self.epoch, index))
        return tuple(torch.from_numpy(a) for a in make_sample(
            self.cache.picture[index], self.cache.alpha[index], bool(rng.random() < 0.5)))
