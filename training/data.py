"""Self-supervised training samples for the try-on generator, built with the runtime's stages.

From an ordinary photo of a dressed person (no pairs): MediaPipe finds the body,
:func:`tryon.kinds.top.region.top_region` gives the try-on region and the skin hint exactly as at
inference, and the photo's own top (the person inside the region less bare skin, face,
hands, hair and trousers) stands in for the warped product: its folds and light flattened,
warped at random, sometimes shortened or narrowed, its edge made ragged, recoloured a little.
The region is grey in the agnostic photo; the hint on one or both arms is sometimes dropped,
so the generator learns to paint bare arms from the pose and the skin tone alone. The photo
is the target.

Arrays: pictures (H, W, 3) uint8 RGB, masks (H, W) uint8 {0, 1}; model tensors follow
:mod:`tryon.generator.contract` (channels first, pictures in [-1, 1]).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import cv2
import numpy as np

from tryon.body.landmarks import PoseLandmark as L
from tryon.body.person import PersonAnalysis, PersonAnalyzer
from tryon.body.regions import HANDS, Region
from tryon.errors import TryOnError
from tryon.generator import contract
from tryon.imaging.decode import decode_image
from tryon.imaging.geometry import dilate_disc, draw_capsule
from tryon.imaging.tps import fit_tps, warp_image
from tryon.kinds.top.compose import attached_skin, worn_below
from tryon.kinds.top.region import TopRegion, top_region

__all__ = ["PhotoCache", "Perturbation", "VitonPair", "build_cache", "make_sample",
           "vitonhd_pairs"]

MIN_GARMENT = 0.05  # least share of the crop the photo's own top must cover
FOLD_SCALES = (1.5, 10.0)  # model pixels: luminance detail between these is taken as folds


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
    """Analysed photos cropped as the runtime crops them, at the training size (h, w):
    ``photos`` (N, h, w, 3) uint8; ``region``, ``hint``, ``garment`` (the photo's own top)
    and ``valid`` (not padding) (N, h, w) uint8 {0, 1}; ``landmarks`` (N, 33, 2) float32
    model pixels; ``visibility`` (N, 33) float32; ``skin`` (N, 3) float32 RGB in [0, 255];
    ``limb_radius`` (N,) float32 model pixels."""

    photos: np.ndarray
    region: np.ndarray
    hint: np.ndarray
    garment: np.ndarray
    valid: np.ndarray
    landmarks: np.ndarray
    visibility: np.ndarray
    skin: np.ndarray
    limb_radius: np.ndarray

    def __len__(self) -> int:
        return len(self.photos)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, **{f.name: getattr(self, f.name) for f in fields(self)})

    @classmethod
    def load(cls, path: Path) -> PhotoCache:
        with np.load(path) as data:
            return cls(**{f.name: data[f.name] for f in fields(cls)})


def build_cache(photos: list[Path], size: tuple[int, int], progress: bool = False) -> PhotoCache:
    """Analyse ``photos`` (paths of person photos showing the upper body) and keep those
    where a top covers at least :data:`MIN_GARMENT` of the crop, cropped and scaled to
    ``size`` = (h, w) as :func:`tryon.generator.contract.crop_for` does at inference."""
    kept: list[dict[str, np.ndarray]] = []
    iterator = photos
    if progress:
        from tqdm import tqdm

        iterator = tqdm(photos, desc="analysing photos", unit="photo")
    with PersonAnalyzer() as analyzer:
        for path in iterator:
            try:
                rgb = decode_image(path).rgb
                person = analyzer.analyze(rgb)
                item = _photo_item(rgb, person, size)
            except (TryOnError, ValueError):
                continue
            if item is not None:
                kept.append(item)
    if not kept:
        raise ValueError("none of the photos gave a usable training sample")
    return PhotoCache(**{f.name: np.stack([k[f.name] for k in kept])
                         for f in fields(PhotoCache)})


def _own_top(rgb: np.ndarray, person: PersonAnalysis, zone: TopRegion) -> np.ndarray:
    """(H, W) bool: the photo's own top inside ``zone.region``: the person, less bare skin
    (``zone.skin``, close to the face's in lightness and hue, joined to the face or a hand),
    the face, hands and hair, and the trousers or skirt below when their colour differs from
    the chest's."""
    skin = attached_skin(zone.skin, person.regions.mask(Region.FACE, *HANDS))
    clothed = person.person_mask & ~skin
    below = worn_below(rgb, person.pose, clothed, np.zeros(2))
    return zone.region & clothed & ~below


def _photo_item(rgb: np.ndarray, person: PersonAnalysis,
                size: tuple[int, int]) -> dict[str, np.ndarray] | None:
    """One cache entry for an analysed photo, or None when it shows too little of a top."""
    zone = top_region(rgb, person)
    if not zone.region.any():
        return None
    crop = contract.crop_for(zone.region, size)
    x0, y0, x1, y1 = crop.box
    garment = _own_top(rgb, person, zone)
    pad = (size[0] - crop.size[0], size[1] - crop.size[1])

    def fit(picture: np.ndarray, nearest: bool) -> np.ndarray:
        small = cv2.resize(picture[y0:y1, x0:x1], (crop.size[1], crop.size[0]),
                           interpolation=cv2.INTER_NEAREST if nearest else cv2.INTER_AREA)
        border = cv2.BORDER_CONSTANT if nearest else cv2.BORDER_REPLICATE
        return cv2.copyMakeBorder(small, 0, pad[0], 0, pad[1], border, value=0)

    masks = {name: fit(mask.astype(np.uint8), True) for name, mask in (
        ("region", zone.region), ("hint", zone.hint), ("garment", garment))}
    if masks["garment"].mean() < MIN_GARMENT:
        return None
    scale = crop.scale
    return {
        "photos": fit(rgb, False), **masks,
        "valid": fit(np.ones(rgb.shape[:2], np.uint8), True),
        "landmarks": ((person.pose.xy - np.array([x0, y0])) * scale).astype(np.float32),
        "visibility": person.pose.visibility.astype(np.float32),
        "skin": zone.skin_rgb.astype(np.float32),
        "limb_radius": np.float32(contract.LIMB_RADIUS * person.pose.shoulder_width * scale),
    }


@dataclass(frozen=True)
class Perturbation:
    """How the stand-in garment differs from the photo's own top. Distances are fractions of
    the picture's width; probabilities per sample."""

    jitter: float = 0.01
    shift: float = 0.008
    scale: float = 0.03
    brightness: float = 0.08
    colour: float = 5.0
    blur: float = 0.8
    edge: int = 2
    flatten: float = 0.85  # share of the fold detail taken out
    shorten: float = 0.3
    shorten_most: float = 0.08  # of the garment's height
    narrow: float = 0.3
    drop_arm_hint: float = 0.4  # per arm
    # An old top wider than the new one: at runtime the pixels beside the new top that the
    # old one covered are unhinted and must be painted (the wall, the arms); in the photo's
    # own-top samples they were hinted, and the model painted skin-coloured streaks there.
    # So, per sample with this probability, the hint is dropped within a random reach (up
    # to ``beside_reach`` of the width) beside the photo's own top.
    drop_beside_top: float = 0.3
    beside_reach: float = 0.06


def make_sample(cache: PhotoCache, index: int, rng: np.random.Generator,
                perturb: Perturbation = Perturbation()) -> tuple[np.ndarray, np.ndarray,
                                                                 np.ndarray]:
    """(inputs (IN_CHANNELS, h, w) float32, target (3, h, w) float32 in [-1, 1], loss weight
    (1, h, w) float32: 1 in the region, 0 on padding) for entry ``index`` of ``cache``."""
    photo = cache.photos[index]
    region = cache.region[index].astype(np.float32)
    size = region.shape
    xy, visibility = cache.landmarks[index], cache.visibility[index]
    garment, alpha = _stand_in(photo, cache.garment[index], rng, perturb)
    # As at inference (tryon.generator.runtime): the garment only in the region.
    alpha = alpha * region
    hint = cache.hint[index].copy()
    for shoulder, elbow, wrist in ((L.LEFT_SHOULDER, L.LEFT_ELBOW, L.LEFT_WRIST),
                                   (L.RIGHT_SHOULDER, L.RIGHT_ELBOW, L.RIGHT_WRIST)):
        if rng.random() < perturb.drop_arm_hint:
            arm = np.zeros(size, np.uint8)
            radius = 3 * float(cache.limb_radius[index])
            draw_capsule(arm, xy[int(shoulder)], xy[int(elbow)], radius, 1)
            draw_capsule(arm, xy[int(elbow)], xy[int(wrist)], radius, 1)
            hint[arm > 0] = 0
    if rng.random() < perturb.drop_beside_top:
        reach = max(1, int(round(rng.uniform(0.2, 1.0) * perturb.beside_reach * size[1])))
        top = cache.garment[index] > 0
        hint[dilate_disc(top, reach) & ~top] = 0
    pose_map = contract.draw_pose_map(xy, visibility, size, float(cache.limb_radius[index]))
    valid = cache.valid[index] > 0
    picture = (int(valid.any(axis=1).sum()), int(valid.any(axis=0).sum()))
    inputs = contract.assemble_inputs(photo, region, hint, garment, alpha, cache.skin[index],
                                      pose_map, picture)
    weight = valid.astype(np.float32)[None]
    return inputs, contract.to_unit(photo), weight


def _stand_in(photo: np.ndarray, garment: np.ndarray, rng: np.random.Generator,
              p: Perturbation) -> tuple[np.ndarray, np.ndarray]:
    """The photo's own top as a flat product warped onto the body: (h, w, 3) float32 RGB in
    [0, 255] and (h, w) float32 alpha in [0, 1]."""
    height, width = garment.shape
    mask = garment.astype(np.float32)
    rgb = _flatten_folds(photo, mask, p.flatten)
    ys, xs = np.nonzero(garment)
    if len(xs) < 10:
        return rgb * mask[..., None], mask
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    if rng.random() < p.shorten:
        cut = int(round(rng.uniform(0.02, p.shorten_most) * (y1 - y0)))
        mask[max(y0, y1 - cut):] = 0
    grid = np.stack(np.meshgrid(np.linspace(x0, x1, 4), np.linspace(y0, y1, 4)), -1)
    source = grid.reshape(-1, 2)
    centre = source.mean(axis=0)
    scale = 1 + rng.uniform(-p.scale, p.scale, 2)
    if rng.random() < p.narrow:
        scale[0] -= rng.uniform(0.02, 0.08)
    target = (centre + (source - centre) * scale + rng.uniform(-p.shift, p.shift, 2) * width
              + rng.normal(0, p.jitter * width, source.shape))
    inverse = fit_tps(target, source, smoothing=1.0)
    rgba = np.dstack([rgb, mask * 255]).astype(np.float32)
    warped = warp_image(rgba, inverse, (0, 0, width, height))
    rgb, alpha = warped[..., :3], np.clip(warped[..., 3] / 255.0, 0, 1)
    light = 1 + rng.uniform(-p.brightness, p.brightness)
    rgb = np.clip(rgb * light + rng.uniform(-p.colour, p.colour, 3), 0, 255)
    sigma = rng.uniform(0, p.blur)
    if sigma > 0.3:
        rgb = cv2.GaussianBlur(rgb, (0, 0), sigma)
    if p.edge:
        kernel = np.ones((int(rng.integers(1, p.edge + 1)) * 2 + 1,) * 2, np.uint8)
        alpha = cv2.erode(alpha, kernel) if rng.random() < 0.5 else cv2.dilate(alpha, kernel)
    return (rgb * (alpha > 0)[..., None]).astype(np.float32), alpha.astype(np.float32)


def _flatten_folds(photo: np.ndarray, mask: np.ndarray, strength: float) -> np.ndarray:
    """(h, w, 3) float32: ``photo`` with the luminance detail between the
    :data:`FOLD_SCALES` (folds and light, not print or weave) mostly removed on ``mask``,
    as a product photographed flat would look."""
    rgb = photo.astype(np.float32)
    luma = rgb.mean(axis=2)

    def masked_blur(values: np.ndarray, sigma: float) -> np.ndarray:
        num = cv2.GaussianBlur(values * mask, (0, 0), sigma)
        return num / np.maximum(cv2.GaussianBlur(mask, (0, 0), sigma), 1e-3)

    folds = masked_blur(luma, FOLD_SCALES[0]) - masked_blur(luma, FOLD_SCALES[1])
    return np.clip(rgb - strength * (folds * mask)[..., None], 0, 255)
