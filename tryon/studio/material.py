"""A product in another material (the "materials" of issue 14): the non-learned baseline.

:func:`make_material_variant` carries the material of a swatch photo (leather, suede, canvas,
knit, denim, a print ...) onto a product's main region (found by
:func:`~tryon.studio.parts.find_parts`, as for colourways; soles, laces, logos and metal kept
unless ``parts="all"``), keeping the product's shading and folds:

1. **Swatch** (:func:`prepare_swatch`): decoded with the engine's decoder and limits (at
   least :data:`SWATCH_MIN_SIDE` px a side), converted to Lab, its lighting flattened (each
   channel less its blur at a quarter of the swatch's side, plus its mean) and refused when
   it has almost no texture (:data:`MIN_TEXTURE`). It is scaled so that its shorter side
   spans :data:`SWATCH_SPAN` of the product's width (the texture's scale is tied to the
   product's size, not to the swatch photo's pixels).
2. **Texture field** (:func:`quilt`): image quilting (Efros & Freeman 2001) of square patches
   of the scaled swatch over the region's bounding box: each patch is chosen at random among
   those whose overlap with what is already laid differs least (within 10 % of the best), and
   laid along a minimum-error boundary cut; seeded, so a seed gives the same picture.
3. **Transfer** (:func:`transfer_material`), in Lab: a\\* and b\\* are the texture's; L is the
   texture's L (the swatch's mean lightness and its detail) times the product's shading —
   the product's own L (lightly blurred, so its old weave does not show through) divided by
   its heavily blurred L, both inside the region — so folds and shadows stay and a dark
   leather on a white sneaker becomes a dark leather sneaker with the sneaker's shading. The
   result is blended in by the region's soft weight exactly as the colourway's Lab
   recolouring is; every kept pixel is the photo's own, bit-exact.

A learned model (a material GAN, as the colourway GAN is for colours) may replace the
transfer later; this baseline is what it will be measured against. See ``docs/materials.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.blur import wide_blur
from tryon.imaging.decode import DecodedImage, DecodeLimits, ImageInput, decode_image
from tryon.kinds import AUTO
from tryon.studio.colour import delta_e_2000, lab_to_rgb, rgb_to_lab
from tryon.studio.parts import PartSettings, ProductParts
from tryon.studio.variant import DEFAULT_PARTS, KEPT_MARGIN, analyse_product

__all__ = ["MIN_TEXTURE", "SWATCH_MIN_SIDE", "SWATCH_SPAN", "MaterialFigures",
           "MaterialSettings", "MaterialTransfer", "MaterialVariant", "Swatch",
           "make_material_variant", "measure_material", "prepare_swatch", "quilt",
           "shading_gain", "transfer_material"]

# A swatch needs at least this many pixels a side (smaller: image_too_small).
SWATCH_MIN_SIDE = 32
# The swatch's shorter side spans this fraction of the product's width: a swatch photo shows
# a hand's width of material, a product is a few of those wide.
SWATCH_SPAN = 1.0 / 8.0
# A swatch whose flattened L varies less than this (std, L units) has no texture to carry:
# a plain colour is a colourway (--colour).
MIN_TEXTURE = 1.0
# Each time a block (or one within a quarter patch of it) has been taken, its overlap error
# counts this much more: without it a print with few motifs is laid out on a visible grid.
REUSE_PENALTY = 0.5
# The quilting's boundary cuts are feathered by this blur (pixels).
SEAM_SIGMA = 1.0
# A swatch photo's shorter side is brought down to this many pixels before anything else.
SWATCH_WORK_SIDE = 512
# Blur (pixels) that splits L into its fine detail and the rest, for the texture figures.
HF_SIGMA = 1.5


@dataclass(frozen=True)
class MaterialSettings:
    """``span``: the swatch's shorter side over the product's width (:data:`SWATCH_SPAN`);
    ``min_scaled_side``, ``max_upscale``: bounds on the scaled swatch (px, factor); ``flatten``:
    the swatch's lighting blur as a fraction of its shorter side; ``min_texture``:
    :data:`MIN_TEXTURE`; ``patch``: quilting patch side as a fraction of the scaled swatch's
    shorter side; ``min_patch`` (px); ``overlap``: overlap as a fraction of the patch;
    ``tolerance``: patches within (1 + tolerance) × the best overlap error are candidates;
    ``shading_detail``, ``shading_blur``: the product's L blurs (fractions of its width) whose
    ratio is the shading; ``shading_offset``: L units added to both before dividing (a dark
    product's noisy shading is damped; a light one's barely changes); ``shading_spread``,
    ``max_shading_gain``: a shading whose log spreads less than ``shading_spread`` (robust
    std inside the region) is raised to a power up to ``max_shading_gain`` to reach it (a
    white product's folds are faint in L: on a dark material they would vanish under the
    texture); ``shading_range``: bounds of the final ratio; ``measure_blur``: blur
    (fraction of the width) of both L planes in the shading correlation figure."""

    span: float = SWATCH_SPAN
    min_scaled_side: int = 16
    max_upscale: float = 4.0
    flatten: float = 1.0 / 6.0
    min_texture: float = MIN_TEXTURE
    patch: float = 0.5
    min_patch: int = 8
    overlap: float = 1.0 / 6.0
    tolerance: float = 0.1
    shading_detail: float = 0.0015
    shading_blur: float = 0.1
    shading_offset: float = 10.0
    shading_spread: float = 0.08
    max_shading_gain: float = 2.5
    shading_range: tuple[float, float] = (0.3, 1.6)
    measure_blur: float = 0.02


DEFAULT_MATERIAL = MaterialSettings()


@dataclass(frozen=True)
class Swatch:
    """A checked swatch: ``lab`` ((h, w, 3) float32 Lab, the photo as it is), ``flat``
    ((h, w, 3) float32 Lab, its lighting flattened: what is quilted), ``texture`` (std of the
    flattened L, L units)."""

    lab: np.ndarray
    flat: np.ndarray
    texture: float

    @property
    def mean(self) -> np.ndarray:
        """(3,) float32: the swatch's mean Lab colour."""
        return self.lab.reshape(-1, 3).mean(axis=0).astype(np.float32)


@dataclass(frozen=True)
class MaterialFigures:
    """Measured on the written 8-bit picture. ``region_mean``, ``region_std``: mean and std
    of L, a*, b* inside the main region; ``swatch_mean``, ``swatch_std``: the same over the
    swatch photo; ``delta_e``: CIEDE2000 between the two means; ``texture_hf``: std of L less
    its blur (:data:`HF_SIGMA` px) inside the region (3 px in from its edge), ``swatch_hf``:
    the same on the swatch as scaled onto the product, ``product_hf``: on the product before;
    ``texture_ratio``: ``texture_hf / swatch_hf`` (1 = the swatch's fine texture carried as
    it is); ``shading_corr``: Pearson correlation, inside the region, of the output's L and
    the product's L, both blurred (``measure_blur`` of the width, so the new texture does not
    count; 1 = shading kept); ``kept_change``: median CIEDE2000 of the kept product pixels
    more than 3 px from the region (0 = untouched); ``main_share``: the region's share of the
    product (0–1)."""

    region_mean: tuple[float, float, float]
    region_std: tuple[float, float, float]
    swatch_mean: tuple[float, float, float]
    swatch_std: tuple[float, float, float]
    delta_e: float
    texture_hf: float
    swatch_hf: float
    product_hf: float
    texture_ratio: float
    shading_corr: float
    kept_change: float
    main_share: float


@dataclass(frozen=True)
class MaterialVariant:
    """``rgba``: (H, W, 4) uint8, the product in the swatch's material on a transparent
    background (the product's alpha); ``parts``: the regions used; ``kind``: the kind used for
    the sole rule (None when the classifier named none); ``figures``: measured on ``rgba``;
    ``scale``: swatch pixels → product pixels; ``patch``: the quilting patch side (product
    pixels); ``shading_gain``: the power the product's shading was raised to
    (:func:`shading_gain`; 1 = as it is); ``seed``: the quilting seed."""

    rgba: np.ndarray
    parts: ProductParts
    kind: str | None
    figures: MaterialFigures
    scale: float
    patch: int
    shading_gain: float
    seed: int


@dataclass(frozen=True)
class MaterialTransfer:
    """What :func:`transfer_material` gives: ``lab`` ((H, W, 3) float32 Lab, the region made
    of the material, blended in by its soft weight), ``scale`` (swatch pixels → product
    pixels), ``patch`` (the quilting patch side, product pixels), ``shading_gain``."""

    lab: np.ndarray
    scale: float
    patch: int
    shading_gain: float


def make_material_variant(item: ImageInput | DecodedImage, swatch: ImageInput | DecodedImage,
                          parts: str = "main", kind: str = AUTO, seed: int = 0, *,
                          part_settings: PartSettings = DEFAULT_PARTS,
                          settings: MaterialSettings = DEFAULT_MATERIAL) -> MaterialVariant:
    """``item`` (a product photo: path, bytes, array, PIL image or DecodedImage) made of the
    material of ``swatch`` (a photo of the material filling the frame, any of the same
    forms).

    ``parts``: ``main`` (the main colour region; soles, laces, logos, metal kept) or ``all``
    (the whole product). ``kind``: ``auto`` (the catalog classifier decides) or one of
    :data:`~tryon.kinds.KIND_CHOICES`; only ``shoes`` changes the region (the sole rule).
    ``seed``: the quilting's random seed (an int ≥ 0; the same seed, the same picture).
    The swatch is checked first: raises ``bad_image`` / ``image_too_large`` /
    ``image_too_small`` (under :data:`SWATCH_MIN_SIDE` px) for the swatch file,
    ``bad_argument`` (a swatch with transparent pixels or almost no texture; bad ``parts``,
    ``kind`` or ``seed``), then ``bad_image``, ``bad_item``, ``unsupported_item`` for the
    product, as colourways do.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"seed must be an int >= 0, got {seed!r}")
    checked = prepare_swatch(swatch, settings)
    product = analyse_product(item, parts, kind, part_settings)
    found = product.parts
    rgb = product.decoded.rgb
    scale, patch, gain = _swatch_scale(checked.flat.shape[:2], _width(found.product),
                                       settings), 0, 1.0
    if found.main.any():
        done = transfer_material(product.lab, found, checked, int(seed), settings)
        scale, patch, gain = done.scale, done.patch, done.shading_gain
        rgb = np.where(found.weight[..., None] > 0, lab_to_rgb(done.lab), rgb)  # kept: exact
    rgba = np.dstack([rgb, product.alpha]).astype(np.uint8)
    figures = measure_material(product.decoded.rgb, rgb, found, checked, scale, settings)
    return MaterialVariant(rgba, found, None if product.kind == AUTO else product.kind,
                           figures, scale, patch, gain, int(seed))


def prepare_swatch(swatch: ImageInput | DecodedImage,
                   settings: MaterialSettings = DEFAULT_MATERIAL) -> Swatch:
    """Decode and check a swatch photo (see :func:`make_material_variant` for the errors);
    messages start with "swatch:"."""
    if isinstance(swatch, DecodedImage):
        decoded = swatch
        height, width = decoded.rgb.shape[:2]
        if min(height, width) < SWATCH_MIN_SIDE:
            raise TryOnError(ErrorCode.IMAGE_TOO_SMALL, f"swatch: the image is {width}×"
                             f"{height} pixels; each side needs at least {SWATCH_MIN_SIDE}")
    else:
        try:
            decoded = decode_image(swatch, DecodeLimits(min_side=SWATCH_MIN_SIDE))
        except TryOnError as exc:
            raise TryOnError(exc.code, f"swatch: {exc.message}") from None
    if decoded.alpha is not None and float((decoded.alpha < 250).mean()) > 0.01:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "swatch: it has transparent pixels; give a "
                         "photo that the material fills from edge to edge")
    rgb = decoded.rgb
    shrink = SWATCH_WORK_SIDE / min(rgb.shape[:2])
    if shrink < 1.0:  # a big photo of a material: more pixels than any product needs
        size = (max(1, round(rgb.shape[1] * shrink)), max(1, round(rgb.shape[0] * shrink)))
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    lab = rgb_to_lab(rgb)
    flat = lab - wide_blur(lab, settings.flatten * min(lab.shape[:2]))
    flat = (flat + lab.reshape(-1, 3).mean(axis=0)).astype(np.float32)
    texture = float(flat[..., 0].std())
    if texture < settings.min_texture:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"swatch: it has almost no texture (its "
                         f"lightness varies by {texture:.2f}, at least {settings.min_texture:g}"
                         " is needed); for a plain colour use --colour")
    return Swatch(lab, flat, texture)


def transfer_material(lab: np.ndarray, parts: ProductParts, swatch: Swatch, seed: int = 0,
                      settings: MaterialSettings = DEFAULT_MATERIAL) -> MaterialTransfer:
    """``lab`` ((H, W, 3) float32 Lab of the product photo) with the region ``parts.weight``
    made of ``swatch``'s material (:class:`MaterialTransfer`); ``seed``: the quilting's.
    The region (``parts.main``) must not be empty."""
    width = _width(parts.product)
    scale = _swatch_scale(swatch.flat.shape[:2], width, settings)
    texture = _scaled(swatch.flat, scale)
    patch = max(settings.min_patch, round(settings.patch * min(texture.shape[:2])))
    patch = min(patch, *texture.shape[:2])
    overlap = max(2, round(settings.overlap * patch))
    touched = parts.weight > 0
    rows, cols = np.nonzero(touched)
    top, bottom, left, right = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
    field = quilt(texture, (bottom - top, right - left), patch, overlap,
                  np.random.default_rng(seed), settings.tolerance)
    shading, gain = _shading(lab[..., 0], parts.main, width, settings)
    shading = shading[top:bottom, left:right]
    moved = field.copy()
    moved[..., 0] = np.clip(field[..., 0] * shading, 0.0, 100.0)
    out = lab.copy()
    weight = parts.weight[top:bottom, left:right, None]
    box = lab[top:bottom, left:right]
    out[top:bottom, left:right] = box * (1.0 - weight) + moved * weight
    return MaterialTransfer(out.astype(np.float32), scale, int(patch), gain)


def quilt(texture: np.ndarray, size: tuple[int, int], patch: int, overlap: int,
          rng: np.random.Generator, tolerance: float = 0.1) -> np.ndarray:
    """Image quilting: a (size[0], size[1], C) float32 field of ``patch`` × ``patch`` blocks
    of ``texture`` ((h, w, C) float32, h and w ≥ ``patch``) overlapping by ``overlap`` px,
    each chosen at random among the blocks whose overlap error (sum of squared differences
    with what is already laid) is within (1 + ``tolerance``) of the least, and laid along the
    minimum-error boundary cut through the overlap (feathered by :data:`SEAM_SIGMA` px). The
    choice compares the first channel only (L: a third of the work, and the texture's
    structure is in it; the cut compares all) and weighs each candidate's error by
    (1 + :data:`REUSE_PENALTY` × how often a block near it was taken)."""
    texture = np.ascontiguousarray(texture, np.float32)
    guide = np.ascontiguousarray(texture[..., 0])
    height, width = size
    src_h, src_w = texture.shape[:2]
    step = patch - overlap
    rows = max(1, -(-(height - overlap) // step))
    cols = max(1, -(-(width - overlap) // step))
    canvas = np.zeros((rows * step + overlap, cols * step + overlap, texture.shape[2]),
                      np.float32)
    span_y, span_x = src_h - patch + 1, src_w - patch + 1
    used = np.zeros((span_y, span_x), np.float32)  # blocks taken near each position
    reach = max(1, patch // 4)
    for row in range(rows):
        for col in range(cols):
            y, x = row * step, col * step
            target = canvas[y:y + patch, x:x + patch]
            laid = np.ascontiguousarray(target[..., 0])
            error = np.zeros((span_y, span_x), np.float32)
            if col > 0:
                error += cv2.matchTemplate(guide, laid[:, :overlap].copy(),
                                           cv2.TM_SQDIFF)[:, :span_x]
            if row > 0:
                error += cv2.matchTemplate(guide, laid[:overlap].copy(),
                                           cv2.TM_SQDIFF)[:span_y]
            if row > 0 and col > 0:
                error -= cv2.matchTemplate(guide, laid[:overlap, :overlap].copy(),
                                           cv2.TM_SQDIFF)[:span_y, :span_x]
            np.maximum(error, 0.0, out=error)  # matchTemplate's rounding goes below 0
            error *= 1.0 + REUSE_PENALTY * used  # a block taken before is taken less
            best = float(error.min())
            choices = np.flatnonzero(error.ravel() <= best * (1.0 + tolerance) + 1e-3)
            sy, sx = np.unravel_index(int(rng.choice(choices)), error.shape)
            used[max(0, sy - reach):sy + reach + 1, max(0, sx - reach):sx + reach + 1] += 1.0
            block = texture[sy:sy + patch, sx:sx + patch]
            new = np.ones((patch, patch), bool)
            if col > 0:
                cost = ((block[:, :overlap] - target[:, :overlap]) ** 2).sum(axis=2)
                new[:, :overlap] &= _cut(cost)
            if row > 0:
                cost = ((block[:overlap] - target[:overlap]) ** 2).sum(axis=2)
                new[:overlap] &= _cut(cost.T).T
            if row > 0 or col > 0:  # the cut feathered by SEAM_SIGMA px, inside the overlap
                soft = cv2.GaussianBlur(new.astype(np.float32), (0, 0), SEAM_SIGMA)
                soft[overlap if row > 0 else 0:, overlap if col > 0 else 0:] = 1.0
                soft = soft[..., None]
                canvas[y:y + patch, x:x + patch] = block * soft + target * (1.0 - soft)
            else:
                canvas[y:y + patch, x:x + patch] = block
    return canvas[:height, :width].copy()


def measure_material(before: np.ndarray, after: np.ndarray, parts: ProductParts,
                     swatch: Swatch, scale: float,
                     settings: MaterialSettings = DEFAULT_MATERIAL) -> MaterialFigures:
    """Figures of a material variant (:class:`MaterialFigures`): ``before``, ``after``
    ((H, W, 3) uint8 RGB), the regions, the swatch and its scale onto the product."""
    nan3 = (float("nan"),) * 3
    swatch_mean = _triple(swatch.lab.reshape(-1, 3).mean(axis=0))
    swatch_std = _triple(swatch.lab.reshape(-1, 3).std(axis=0))
    scaled_l = _scaled(swatch.flat, scale)[..., 0]
    swatch_hf = _hf_std(scaled_l, np.pad(np.ones(np.array(scaled_l.shape) - 6, bool), 3))
    region = parts.main
    if not region.any():
        return MaterialFigures(nan3, nan3, swatch_mean, swatch_std, float("nan"), float("nan"),
                               swatch_hf, float("nan"), float("nan"), float("nan"), 0.0, 0.0)
    lab_before = rgb_to_lab(before)
    lab_after = rgb_to_lab(after)
    inside = lab_after[region]
    region_mean = inside.mean(axis=0)
    delta_e = float(delta_e_2000(region_mean, np.asarray(swatch_mean)))
    inner = cv2.erode(region.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    if not inner.any():
        inner = region
    texture_hf = _hf_std(lab_after[..., 0], inner)
    product_hf = _hf_std(lab_before[..., 0], inner)
    sigma = max(1.0, settings.measure_blur * _width(parts.product))
    smooth_after = _blur_inside(lab_after[..., 0], region, sigma)[inner]
    smooth_before = _blur_inside(lab_before[..., 0], region, sigma)[inner]
    shading_corr = (float(np.corrcoef(smooth_after, smooth_before)[0, 1])
                    if smooth_after.std() > 1e-6 and smooth_before.std() > 1e-6
                    else float("nan"))
    near = cv2.dilate(region.astype(np.uint8), np.ones((2 * KEPT_MARGIN + 1,) * 2, np.uint8))
    kept = parts.product & ~near.astype(bool)
    change = (float(np.median(delta_e_2000(lab_before[kept], lab_after[kept])))
              if kept.any() else 0.0)
    ratio = texture_hf / swatch_hf if swatch_hf > 1e-6 else float("nan")
    return MaterialFigures(_triple(region_mean), _triple(inside.std(axis=0)), swatch_mean,
                           swatch_std, delta_e, texture_hf, swatch_hf, product_hf, ratio,
                           shading_corr, change, parts.main_share)


# -- helpers ------------------------------------------------------------------------------
def _width(product: np.ndarray) -> int:
    """The product's bounding-box width in pixels (at least 1)."""
    cols = np.flatnonzero(product.any(axis=0))
    return int(cols.max() - cols.min() + 1) if len(cols) else 1


def _swatch_scale(shape: tuple[int, int], width: int, settings: MaterialSettings) -> float:
    """Swatch pixels → product pixels: its shorter side onto ``span`` × the product's width,
    at least ``min_scaled_side`` px, at most ``max_upscale`` ×."""
    short = float(min(shape))
    scale = settings.span * width / short
    scale = max(scale, settings.min_scaled_side / short)
    return float(min(scale, max(settings.max_upscale, settings.min_scaled_side / short)))


def _scaled(picture: np.ndarray, scale: float) -> np.ndarray:
    height, width = picture.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if size == (width, height):
        return picture
    method = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_CUBIC
    return cv2.resize(picture, size, interpolation=method)


def _cut(cost: np.ndarray) -> np.ndarray:
    """(P, O) bool: for an overlap strip's squared error ``cost`` ((P, O), the old picture on
    the left, the new block on the right), True right of the minimum-error path from top to
    bottom (dynamic programming; the path moves at most one column a row)."""
    total = cost.astype(np.float64)  # a copy
    best = np.empty(total.shape[1])
    for r in range(1, len(total)):
        prev = total[r - 1]
        best[:] = prev
        np.minimum(best[1:], prev[:-1], out=best[1:])
        np.minimum(best[:-1], prev[1:], out=best[:-1])
        total[r] += best
    rows = total.tolist()
    path = [0] * len(rows)
    last = rows[-1]
    path[-1] = last.index(min(last))
    for r in range(len(rows) - 2, -1, -1):
        lo = max(0, path[r + 1] - 1)
        window = rows[r][lo:path[r + 1] + 2]
        path[r] = lo + window.index(min(window))
    return np.arange(cost.shape[1])[None, :] >= np.array(path)[:, None]


def _blur_inside(plane: np.ndarray, region: np.ndarray, sigma: float) -> np.ndarray:
    """``plane`` blurred by ``sigma`` px using only ``region``'s pixels (normalised
    convolution); outside the region's reach the plane's own values."""
    mask = region.astype(np.float32)
    stack = wide_blur(np.dstack([plane.astype(np.float32) * mask, mask]), sigma)
    num, den = stack[..., 0], stack[..., 1]
    return np.where(den > 1e-4, num / np.maximum(den, 1e-4), plane).astype(np.float32)


def _shading(lightness: np.ndarray, region: np.ndarray, width: int,
             settings: MaterialSettings) -> tuple[np.ndarray, float]:
    """((H, W) float32, the gain): the product's shading, its lightly blurred L over its
    heavily blurred L (both inside ``region``, plus ``shading_offset``), raised to the power
    :func:`shading_gain`, within ``shading_range``."""
    fine = _blur_inside(lightness, region, max(0.5, settings.shading_detail * width))
    broad = _blur_inside(lightness, region, max(2.0, settings.shading_blur * width))
    low, high = settings.shading_range
    offset = settings.shading_offset
    log_ratio = np.log(np.maximum(fine + offset, 1e-3) / np.maximum(broad + offset, 1.0))
    gain = shading_gain(log_ratio[region], settings)
    return np.clip(np.exp(gain * log_ratio), low, high).astype(np.float32), gain


def shading_gain(log_ratio: np.ndarray, settings: MaterialSettings = DEFAULT_MATERIAL) -> float:
    """The power (≥ 1, ≤ ``max_shading_gain``) that brings the robust spread of the
    region's log shading ratio (``log_ratio``, (N,)) up to ``shading_spread``."""
    if log_ratio.size == 0:
        return 1.0
    low, high = np.percentile(log_ratio, [5.0, 95.0])
    spread = float(high - low) / 3.29  # 5–95 % of a normal distribution is 3.29 std
    if spread <= 1e-6:
        return 1.0
    return float(np.clip(settings.shading_spread / spread, 1.0, settings.max_shading_gain))


def _hf_std(lightness: np.ndarray, where: np.ndarray) -> float:
    """std of ``lightness`` less its blur (:data:`HF_SIGMA` px) over the pixels ``where``."""
    lightness = lightness.astype(np.float32)
    detail = lightness - cv2.GaussianBlur(lightness, (0, 0), HF_SIGMA,
                                          borderType=cv2.BORDER_REFLECT)
    return float(detail[where].std()) if where.any() else float("nan")


def _triple(values: np.ndarray) -> tuple[float, float, float]:
    first, second, third = (float(v) for v in values)
    return first, second, third
