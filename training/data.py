"""Self-supervised training samples for the refiner, built with the runtime's own stages.

From an ordinary photo of a dressed person: MediaPipe finds the body, :func:`tryon.compose.
clear_top` finds and clears the top (exactly as at inference), and the cut-out top is pasted
back perturbed the way a real warp errs (thin-plate jitter, scale, shift, colour and light,
blur, a ragged edge). The generator learns to turn that coarse composite back into the photo.

Arrays: pictures are (H, W, 3) uint8 RGB, masks (H, W) uint8 {0, 1} or float32 [0, 1];
network tensors follow training/networks.py (channels first, pictures in [-1, 1]).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from tryon.compose import clear_top
from tryon.decode import decode_image
from tryon.errors import TryOnError
from tryon.person import PersonAnalyzer
from tryon.refine import AGNOSTIC_UNDER_ITEM
from tryon.tps import fit_tps, warp_image

__all__ = ["PhotoCache", "build_cache", "make_sample", "Perturbation", "vitonhd_pairs",
           "VitonPair"]


@dataclass(frozen=True)
class VitonPair:
    """One entry of the official VITON-HD layout: the person photo, the in-shop cloth and
    its mask (``None`` when the layout has no ``cloth-mask`` folder)."""

    image: Path
    cloth: Path
    cloth_mask: Path | None


def vitonhd_pairs(root: Path, pairs_file: Path | None = None) -> list[VitonPair]:
    """Entries of a VITON-HD style folder (``image/``, ``cloth/``, ``cloth-mask/``) listed
    by ``pairs_file`` (lines ``person cloth``; default ``root/../test_pairs.txt`` or
    ``root/pairs.txt``). Missing files are skipped."""
    candidates = [pairs_file] if pairs_file else [root / "pairs.txt",
                                                  root.parent / "test_pairs.txt"]
    listing = next((p for p in candidates if p is not None and p.is_file()), None)
    if listing is None:
        raise FileNotFoundError(f"no pairs file for {root}")
    pairs = []
    for line in listing.read_text().splitlines():
        names = line.split()
        if len(names) < 2:
            continue
        image, cloth = root / "image" / names[0], root / "cloth" / names[1]
        mask = root / "cloth-mask" / names[1]
        if image.is_file() and cloth.is_file():
            pairs.append(VitonPair(image, cloth, mask if mask.is_file() else None))
    return pairs


@dataclass(frozen=True)
class PhotoCache:
    """Analysed photos at the training size: ``photos``/``agnostic`` (N, H, W, 3) uint8,
    ``regions`` (N, H, W) uint8 {0, 1}, the old top of each photo."""

    photos: np.ndarray
    agnostic: np.ndarray
    regions: np.ndarray

    def __len__(self) -> int:
        return len(self.photos)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, photos=self.photos, agnostic=self.agnostic,
                            regions=self.regions)

    @classmethod
    def load(cls, path: Path) -> PhotoCache:
        with np.load(path) as data:
            return cls(photos=data["photos"], agnostic=data["agnostic"],
                       regions=data["regions"])


def build_cache(photos: list[Path], size: tuple[int, int], min_region: float = 0.05,
                progress: bool = False) -> PhotoCache:
    """Analyse ``photos`` (paths of upper-body photos) and keep those whose cleared top
    covers at least ``min_region`` of the frame, resized to ``size`` = (H, W)."""
    height, width = size
    kept: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    iterator = photos
    if progress:
        from tqdm import tqdm

        iterator = tqdm(photos, desc="analysing photos", unit="photo")
    with PersonAnalyzer() as analyzer:
        for path in iterator:
            try:
                rgb = decode_image(path).rgb
                person = analyzer.analyze(rgb)
            except TryOnError:
                continue
            full = (0, 0, rgb.shape[1], rgb.shape[0])
            cleared = clear_top(rgb, person, full)
            if cleared.old_top.mean() < min_region:
                continue
            kept.append((
                cv2.resize(rgb, (width, height), interpolation=cv2.INTER_AREA),
                cv2.resize(cleared.agnostic, (width, height), interpolation=cv2.INTER_AREA),
                cv2.resize(cleared.old_top.astype(np.uint8), (width, height),
                           interpolation=cv2.INTER_NEAREST),
            ))
    if not kept:
        raise ValueError("none of the photos gave a usable training sample")
    pics, agn, reg = zip(*kept, strict=True)
    return PhotoCache(photos=np.stack(pics), agnostic=np.stack(agn), regions=np.stack(reg))


@dataclass(frozen=True)
class Perturbation:
    """How far a simulated warp errs. Distances are fractions of the picture's width."""

    jitter: float = 0.012
    shift: float = 0.01
    scale: float = 0.03
    brightness: float = 0.12
    colour: float = 6.0
    blur: float = 1.0
    edge: int = 2


def make_sample(photo: np.ndarray, agnostic: np.ndarray, region: np.ndarray,
                rng: np.random.Generator, perturb: Perturbation = Perturbation()) -> tuple[
                    np.ndarray, np.ndarray]:
    """(inputs (8, H, W) float32, target (3, H, W) float32 in [-1, 1]) for one photo: the
    top (``region``) cut out of ``photo``, warped, recoloured and pasted on ``agnostic``."""
    item_rgb, item_alpha = _perturbed_item(photo, region, rng, perturb)
    alpha = item_alpha[..., None]
    coarse = agnostic.astype(np.float32) * (1 - alpha) + item_rgb * alpha
    repaint = (region > 0) | (item_alpha > 0.01)
    repaint = cv2.dilate(repaint.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    # Outside the repaint region the coarse composite is the photo itself, as at inference.
    coarse = np.where(repaint[..., None], coarse, photo.astype(np.float32))
    # Under the pasted item the agnostic photo is mid-grey, as at inference, so the network
    # cannot learn to copy the old garment's (inpainted) colours into the new one.
    hidden = agnostic.astype(np.float32) * (1 - alpha) + AGNOSTIC_UNDER_ITEM * alpha
    inputs = np.concatenate([
        _to_unit(coarse), _to_unit(hidden),
        repaint[None].astype(np.float32), item_alpha[None].astype(np.float32)])
    return inputs.astype(np.float32), _to_unit(photo.astype(np.float32))


def _to_unit(picture: np.ndarray) -> np.ndarray:
    """(H, W, 3) values in [0, 255] → (3, H, W) in [-1, 1]."""
    return np.transpose(picture / 127.5 - 1.0, (2, 0, 1))


def _perturbed_item(photo: np.ndarray, region: np.ndarray, rng: np.random.Generator,
                    p: Perturbation) -> tuple[np.ndarray, np.ndarray]:
    """The cut-out top warped and recoloured: (H, W, 3) float32 RGB and (H, W) alpha."""
    height, width = region.shape
    ys, xs = np.nonzero(region)
    if len(xs) < 10:
        return photo.astype(np.float32), region.astype(np.float32)
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, 3), np.linspace(y0, y1, 3)), -1)
    source = grid.reshape(-1, 2)
    centre = source.mean(axis=0)
    scale = 1 + rng.uniform(-p.scale, p.scale)
    target = (centre + (source - centre) * scale + rng.uniform(-p.shift, p.shift, 2) * width
              + rng.normal(0, p.jitter * width, source.shape))
    inverse = fit_tps(target, source, smoothing=1.0)
    box = (0, 0, width, height)
    rgba = np.dstack([photo, region.astype(np.uint8) * 255])
    warped = warp_image(rgba, inverse, box).astype(np.float32)
    rgb, alpha = warped[..., :3], warped[..., 3] / 255.0
    light = 1 + rng.uniform(-p.brightness, p.brightness)
    rgb = np.clip(rgb * light + rng.uniform(-p.colour, p.colour, 3), 0, 255)
    sigma = rng.uniform(0, p.blur)
    if sigma > 0.3:
        rgb = cv2.GaussianBlur(rgb, (0, 0), sigma)
    if p.edge:
        size = int(rng.integers(1, p.edge + 1)) * 2 + 1
        kernel = np.ones((size, size), np.uint8)
        alpha = cv2.erode(alpha, kernel) if rng.random() < 0.5 else cv2.dilate(alpha, kernel)
    return rgb, np.clip(alpha, 0, 1)
