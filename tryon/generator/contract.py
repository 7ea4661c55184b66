"""The try-on generator's contract: one place for what training, export and runtime share.

Numpy and OpenCV only (never torch), imported by ``training/`` (to build samples), ``export/``
(written into the ONNX metadata) and :mod:`tryon.generator.runtime` (to run the model).

Model input ``inputs``: (N, :data:`IN_CHANNELS`, H, W) float32, H and W multiples of
:data:`STRIDE` (trained at :data:`TRAIN_SIZE`), channels in the order of :data:`CHANNELS`:

- ``agnostic`` (3): the photo with the try-on region mid-grey (0) except the hint; RGB
  as ``x / 127.5 - 1`` in [-1, 1];
- ``region`` (1): 1 where the generator decides the pixel (the try-on region), else 0;
- ``hint`` (1): 1 where the photo's own pixels inside the region are certainly right
  (background, trousers, bare arms: :mod:`tryon.kinds.top.region`; shown in ``agnostic``, the
  generator may keep them), else 0;
- ``garment`` (3): the warped product, RGB in [-1, 1], 0 where it is absent;
- ``garment_mask`` (1): the warped product's coverage in [0, 1];
- ``skin`` (3): the person's skin tone (RGB in [-1, 1]) on every pixel;
- ``pose`` (:data:`POSE_CHANNELS`): one plane per limb group of :data:`POSE_GROUPS`, the
  33 MediaPipe landmarks' limbs drawn as capsules of radius :data:`LIMB_RADIUS` shoulder
  widths, 1 on the limb, else 0.

Model outputs: ``rgb`` (N, 3, H, W) in [-1, 1], the painted picture; ``shade`` (N, 1, H, W)
in [:data:`SHADE_RANGE`], the light and folds multiplied onto the garment; ``weights``
(N, 3, H, W), non-negative, summing to 1 over the channel axis: how much of the (shaded)
garment, of the photo (``keep``, only where ``hint``) and of the painted picture each pixel
takes (:data:`LAYERS`); the garment's weight is 1 on its floor (:data:`GARMENT_FLOOR_MARGIN`
inside its coverage, away from the hint and the hands), computed inside the model.
The try-on picture is (:func:`compose`)::

    inside the region: w_garment * garment * shade + w_keep * photo + w_paint * rgb
    outside:           the photo

At full resolution the runtime upsamples ``rgb``, ``shade`` and ``weights`` and uses the
full-resolution garment and photo, so a print or logo stays as sharp as the product photo.
Training composes with the model's shade as it is (:func:`compose`); the runtime applies its
level on the garment in full (:func:`garment_light`) and :data:`SHADE_STRENGTH` of its
variation about that level (a calibration measured on the VITON-HD pairs), and keeps the
photo whole inside the hint's core (:func:`compose_for_runtime`, :func:`hint_core`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np

from tryon.body.landmarks import PoseLandmark as L
from tryon.imaging.blur import MAD_TO_SIGMA

__all__ = ["CHANNELS", "CONTRACT_VERSION", "Crop", "GREY", "IN_CHANNELS", "LAYERS",
           "GARMENT_FLOOR_CLEAR", "GARMENT_FLOOR_MARGIN", "LIMB_RADIUS", "MIN_LIGHT_PIXELS",
           "OUTPUTS", "POSE_CHANNELS", "POSE_GROUPS", "SHADE_RANGE", "SHADE_STRENGTH", "STRIDE",
           "TRAIN_SIZE", "assemble_inputs", "compose", "compose_for_runtime", "crop_for",
           "draw_pose_map", "from_unit", "garment_light", "hint_core", "metadata",
           "paint_in_garment_hue", "to_unit"]

CONTRACT_VERSION = "tryon-generator/1"
TRAIN_SIZE = (256, 192)  # (H, W) model pixels
STRIDE = 32
GREY = 127.5  # the region's value in the agnostic photo (0 after normalisation)
CROP_MARGIN = 0.15  # the crop is the region's bounding box grown by this fraction per side
LIMB_RADIUS = 0.1  # shoulder widths
SHADE_RANGE = (0.6, 1.4)
SHADE_STRENGTH = 0.3  # the share of the model's shading about its level the composition applies
MIN_LIGHT_PIXELS = 100  # garment pixels needed for the shade's level (else 1)
HUE_CORE = 0.9  # garment_mask on the garment's core, where the paint's hue error is measured
MIN_HUE_PIXELS = 200  # core pixels needed to measure it (else the paint is left as it is)
HUE_REACH = 2.0  # robust spreads of the model's garment colour within which paint is shifted
MIN_HUE_REACH = 8.0  # Lab units: the least such reach per channel
# Lab L units (0-100): the reach in lightness. The light grey wall painted beside a black
# tee with a photo print (its rendering's median L 55, a/b error −6, −6) was moved by the
# error in a and b alone and glowed cyan round the outline (0.096 square body units of light
# wall paint tinted 4+ a/b units from the wall, 0.024 with this reach); pairs 0.863353 /
# 0.152984 -> 0.863524 / 0.152932 (spread-scaled, at least 15: 0.863474 / 0.152956).
LIGHT_REACH = 15.0
HUE_SAMPLE = 4096  # core pixels the medians are taken over, about (every k-th)
MIN_HUE_ERROR = 1.0  # Lab a/b units: a smaller hue error leaves the paint as it is
# Lab a/b units: a rendering of the core whose robust spread in a or b is wider is no colour
# of the garment to correct (the model painted skin or several colours there); the paint is
# left as it is. On 33 random try-ons coherent renderings spread 0.4-9.7 (a teal tee's
# blue one 2.6 and 5.0); under a camisole the model rendered the skin beneath (18.9, 17.5),
# under a red, white and navy tee a mix (21.6, 18.4), and moving all paint by their
# "errors" haloed the person's outline cyan.
MAX_RENDER_SPREAD = 10.0
# The garment floor: the warped product's own pixels are always kept (weight 1) this many
# model pixels (at TRAIN_SIZE's width; scaled with the width) inside its coverage, except
# near the hint and the hands. The network decides only the garment's edge band, where the
# fit may be off, and the hinted pixels (it keeps trousers below a top that ends there); it
# had learnt to paint over dark prints and the lower torso, blurring them. Forearms in front
# of the body are cut out of the warped panel, and the hint out of the new sleeves, before
# the model sees them (tryon.pipeline).
GARMENT_FLOOR_MARGIN = 3
HINT_CORE_MARGIN = 2  # pixels: the hint's edge, where the model's mix is kept
GARMENT_FLOOR_CLEAR = ("hands",)  # pose groups kept clear of the floor (with the hint)

POSE_GROUPS: tuple[tuple[str, tuple[tuple[L, L], ...]], ...] = (
    ("torso", ((L.LEFT_SHOULDER, L.RIGHT_SHOULDER), (L.LEFT_SHOULDER, L.LEFT_HIP),
               (L.RIGHT_SHOULDER, L.RIGHT_HIP), (L.LEFT_HIP, L.RIGHT_HIP))),
    ("left_upper_arm", ((L.LEFT_SHOULDER, L.LEFT_ELBOW),)),
    ("left_forearm", ((L.LEFT_ELBOW, L.LEFT_WRIST),)),
    ("right_upper_arm", ((L.RIGHT_SHOULDER, L.RIGHT_ELBOW),)),
    ("right_forearm", ((L.RIGHT_ELBOW, L.RIGHT_WRIST),)),
    ("hands", ((L.LEFT_WRIST, L.LEFT_INDEX), (L.LEFT_WRIST, L.LEFT_PINKY),
               (L.LEFT_WRIST, L.LEFT_THUMB), (L.RIGHT_WRIST, L.RIGHT_INDEX),
               (L.RIGHT_WRIST, L.RIGHT_PINKY), (L.RIGHT_WRIST, L.RIGHT_THUMB))),
    ("head", ((L.NOSE, L.LEFT_SHOULDER), (L.NOSE, L.RIGHT_SHOULDER),
              (L.LEFT_EAR, L.RIGHT_EAR), (L.MOUTH_LEFT, L.MOUTH_RIGHT))),
)
POSE_CHANNELS = len(POSE_GROUPS)
CHANNELS = ("agnostic_r", "agnostic_g", "agnostic_b", "region", "hint", "garment_r",
            "garment_g", "garment_b", "garment_mask", "skin_r", "skin_g", "skin_b",
            *(f"pose_{name}" for name, _ in POSE_GROUPS))
IN_CHANNELS = len(CHANNELS)
LAYERS = ("garment", "keep", "paint")
OUTPUTS = ("rgb", "shade", "weights")
# Channel slices of the input, by name.
AGNOSTIC, REGION, HINT, GARMENT, GARMENT_MASK, SKIN = (
    slice(0, 3), slice(3, 4), slice(4, 5), slice(5, 8), slice(8, 9), slice(9, 12))
POSE = slice(12, 12 + POSE_CHANNELS)


def to_unit(picture: np.ndarray) -> np.ndarray:
    """(H, W, 3) values in [0, 255] → (3, H, W) float32 in [-1, 1]."""
    return np.transpose(np.asarray(picture, np.float32) / 127.5 - 1.0, (2, 0, 1))


def from_unit(planes: np.ndarray) -> np.ndarray:
    """(3, H, W) in [-1, 1] → (H, W, 3) float32 in [0, 255]."""
    return np.clip((np.transpose(planes, (1, 2, 0)) + 1.0) * 127.5, 0, 255)


@dataclass(frozen=True)
class Crop:
    """Where the model looks: ``box`` (x0, y0, x1, y1) photo pixels, scaled to ``size``
    (h, w) model pixels (aspect kept, at most :data:`TRAIN_SIZE`) and padded at the bottom
    and right to ``padded`` (h, w)."""

    box: tuple[int, int, int, int]
    size: tuple[int, int]
    padded: tuple[int, int]

    @property
    def scale(self) -> float:
        """Model pixels per photo pixel."""
        return self.size[1] / max(1, self.box[2] - self.box[0])


def crop_for(region: np.ndarray, padded: tuple[int, int] = TRAIN_SIZE) -> Crop:
    """The crop around ``region`` ((H, W) bool, not empty): its bounding box grown by
    :data:`CROP_MARGIN`, clipped to the photo, to fit ``padded`` (h, w) with aspect kept."""
    ys, xs = np.nonzero(region)
    if len(xs) == 0:
        raise ValueError("the try-on region is empty")
    height, width = region.shape
    y0, y1, x0, x1 = int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1
    grow_y, grow_x = max(2, round(CROP_MARGIN * (y1 - y0))), max(2, round(CROP_MARGIN * (x1 - x0)))
    y0, y1 = max(0, y0 - grow_y), min(height, y1 + grow_y)
    x0, x1 = max(0, x0 - grow_x), min(width, x1 + grow_x)
    scale = min(padded[0] / (y1 - y0), padded[1] / (x1 - x0))
    size = (min(padded[0], max(1, round((y1 - y0) * scale))),
            min(padded[1], max(1, round((x1 - x0) * scale))))
    return Crop(box=(x0, y0, x1, y1), size=size, padded=padded)


def resize(picture: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``picture`` resized to ``size`` (h, w): area averaging to shrink, bilinear to enlarge."""
    height, width = picture.shape[:2]
    if (height, width) == size:
        return picture.copy()
    shrink = size[0] * size[1] < height * width
    return cv2.resize(picture, (size[1], size[0]),
                      interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)


def draw_pose_map(xy: np.ndarray, visibility: np.ndarray, size: tuple[int, int],
                  radius: float) -> np.ndarray:
    """(:data:`POSE_CHANNELS`, h, w) float32 in {0, 1}: the limbs of :data:`POSE_GROUPS`
    drawn as capsules of ``radius`` pixels; ``xy``: (33, 2) landmark pixels in the same
    frame as ``size`` (h, w); limbs with an end of visibility < 0.3 are left out."""
    planes = np.zeros((POSE_CHANNELS, *size), np.uint8)
    thickness = max(1, int(round(2 * radius)))
    for channel, (_, limbs) in enumerate(POSE_GROUPS):
        canvas = planes[channel]
        for a, b in limbs:
            if min(visibility[int(a)], visibility[int(b)]) < 0.3:
                continue
            pa = tuple(int(round(v)) for v in xy[int(a)])
            pb = tuple(int(round(v)) for v in xy[int(b)])
            cv2.line(canvas, pa, pb, 1, thickness, cv2.LINE_8)
    return planes.astype(np.float32)


def assemble_inputs(agnostic: np.ndarray, region: np.ndarray, hint: np.ndarray,
                    garment: np.ndarray, garment_mask: np.ndarray, skin_rgb: np.ndarray,
                    pose_map: np.ndarray, picture: tuple[int, int] | None = None) -> np.ndarray:
    """(IN_CHANNELS, h, w) float32 model input from model-sized pieces: ``agnostic`` (h, w, 3)
    photo in [0, 255] (the region's non-hint pixels are set to :data:`GREY` here),
    ``region``/``hint`` (h, w) in [0, 1], ``garment`` (h, w, 3) in [0, 255] and
    ``garment_mask`` (h, w) in [0, 1], ``skin_rgb`` (3,) in [0, 255], ``pose_map`` from
    :func:`draw_pose_map`. ``picture``: the (rows, columns) that show the photo when the rest,
    below and right, is padding (the masks and garment 0 there); the agnostic photo's edge,
    its hidden pixels grey, is repeated into the padding (the photo's own edge there showed
    the old top beside an empty region, and the model painted it along the photo's edge)."""
    region = np.asarray(region, np.float32)
    hint = np.asarray(hint, np.float32) * region
    hidden = region * (1 - hint)
    shown = agnostic.astype(np.float32) * (1 - hidden[..., None]) + GREY * hidden[..., None]
    if picture is not None and tuple(picture) != region.shape:
        rows, columns = picture
        shown = cv2.copyMakeBorder(np.ascontiguousarray(shown[:rows, :columns]), 0,
                                   region.shape[0] - rows, 0, region.shape[1] - columns,
                                   cv2.BORDER_REPLICATE)
    mask = np.clip(np.asarray(garment_mask, np.float32), 0, 1)
    cloth = to_unit(garment) * mask[None]
    skin = np.broadcast_to((np.asarray(skin_rgb, np.float32) / 127.5 - 1)[:, None, None],
                           (3, *region.shape))
    return np.concatenate([to_unit(shown), region[None], hint[None], cloth, mask[None], skin,
                           pose_map]).astype(np.float32)


def compose(photo: np.ndarray, region: np.ndarray, hint: np.ndarray, garment: np.ndarray,
            garment_mask: np.ndarray, rgb: np.ndarray, shade: np.ndarray,
            weights: np.ndarray) -> np.ndarray:
    """The try-on picture as training composes it, (h, w, 3) float32 in [0, 255], from
    pictures at one size: ``photo``/``garment`` (h, w, 3) in [0, 255], ``region``/``hint``/
    ``garment_mask`` (h, w) in [0, 1], the model's ``rgb`` (h, w, 3) in [0, 255], ``shade``
    (h, w) and ``weights`` (h, w, 3) (upsampled where the model ran smaller). The weights are
    masked by the full-size garment mask and hint and renormalised, so a garment's edge stays
    as sharp as its mask."""
    w_garment = weights[..., 0] * np.clip(garment_mask, 0, 1)
    w_keep = weights[..., 1] * np.clip(hint, 0, 1)
    w_paint = np.maximum(weights[..., 2], 1e-4)
    total = w_garment + w_keep + w_paint
    inside = (w_garment[..., None] * garment * shade[..., None] + w_keep[..., None] * photo
              + w_paint[..., None] * rgb) / total[..., None]
    region = np.clip(region, 0, 1)[..., None]
    return np.clip(inside * region + photo * (1 - region), 0, 255).astype(np.float32)


def compose_for_runtime(photo: np.ndarray, region: np.ndarray, hint: np.ndarray,
                        garment: np.ndarray, garment_mask: np.ndarray, rgb: np.ndarray,
                        shade: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """:func:`compose` as the runtime applies it (same arguments): the model's shading about
    its level (:func:`garment_light`) damped to :data:`SHADE_STRENGTH` (at full strength it
    darkened garments' sides into a vignette; on the 24 VITON-HD pairs 0.5 gave region L1
    0.1655, 0.3 0.1635 and none 0.1612: the model's folds seldom fall where the photo's do;
    0.3 keeps some of their depth, with none garments look pasted on), the level itself in
    full (a product photo is lit brighter than the garment worn in a grey studio: damped with
    the folds, a peach blouse stayed a product shot's bright peach; pairs SSIM 0.8622 →
    0.8627, region L1 0.1554 → 0.1539, KID 0.0077 → 0.0074), and the photo kept whole inside
    the hint's core (:func:`hint_core`: drawn arms, trousers and background came out soft
    mixed with the model's upsampled paint); the paint's hue first set right where it
    continues the garment (:func:`paint_in_garment_hue`)."""
    level = garment_light(shade, garment_mask, region)
    damped = level * (1.0 + (shade / level - 1.0) * SHADE_STRENGTH)
    rgb = paint_in_garment_hue(rgb, garment, garment_mask, region)
    picture = compose(photo, region, hint, garment, garment_mask, rgb, damped, weights)
    sure = (hint_core(hint) * np.clip(region, 0, 1))[..., None]
    return (picture * (1 - sure) + photo * sure).astype(np.float32)


def garment_light(shade: np.ndarray, garment_mask: np.ndarray, region: np.ndarray) -> float:
    """The level of the model's ``shade`` ((h, w), in :data:`SHADE_RANGE`) on the garment:
    its median where ``garment_mask`` and ``region`` ((h, w) in [0, 1]) are at least 0.5,
    or 1.0 with fewer than :data:`MIN_LIGHT_PIXELS` such pixels. Always within
    :data:`SHADE_RANGE`, never 0."""
    on_garment = (np.asarray(garment_mask) >= 0.5) & (np.asarray(region) >= 0.5)
    if int(on_garment.sum()) < MIN_LIGHT_PIXELS:
        return 1.0
    return float(np.clip(np.median(shade[on_garment]), *SHADE_RANGE))


def paint_in_garment_hue(rgb: np.ndarray, garment: np.ndarray, garment_mask: np.ndarray,
                         region: np.ndarray) -> np.ndarray:
    """The model's paint ``rgb`` ((h, w, 3) float32 in [0, 255]) with the hue error of its
    rendering of the garment taken out. The model renders the garment under its floor too,
    where the composition shows the garment's own pixels; where it paints the garment's
    edges, a sleeve's outer side or the part over an arm, that rendering shows, and its hue
    drifts on colours it seldom saw (a teal tee's edges came out blue; on 36 random try-ons
    the error's median was 4.7 Lab a/b units, 10.9 at the 75th percentile). The error is
    the difference of the medians of Lab a and b between that rendering and the
    ``garment`` ((h, w, 3) in [0, 255]) on the garment's core (``garment_mask`` at least
    :data:`HUE_CORE` in the ``region``, (h, w) in [0, 1] each); paint coloured like the
    rendering (a Gaussian weight of its Lab distance from the rendering's median: in a and
    b within :data:`HUE_REACH` robust spreads, at least :data:`MIN_HUE_REACH`, in lightness
    within :data:`LIGHT_REACH`) is shifted by it, lightness kept (shifted too, the pairs
    lost 0.0026 SSIM: the model's folds are darker than the flat product). Without the
    lightness term a near-neutral wall beside a dark or printed top was "like" a
    near-neutral rendering and took its error: a cyan glow round a black tee. Unchanged
    with fewer than
    :data:`MIN_HUE_PIXELS` core pixels, an error under :data:`MIN_HUE_ERROR`, or a
    rendering spread wider than :data:`MAX_RENDER_SPREAD` in a or b (no one colour). The medians
    are taken over about :data:`HUE_SAMPLE` of the core's pixels."""
    core = np.flatnonzero((np.asarray(garment_mask) >= HUE_CORE)
                          & (np.asarray(region) >= 0.5))
    if core.size < MIN_HUE_PIXELS:
        return rgb
    # The medians on a sample of the core (every k-th pixel): as good, and a few ms less.
    core = core[::max(1, core.size // HUE_SAMPLE)]
    sample = _lab(rgb.reshape(-1, 3)[core][:, None])[:, 0]
    rendered = np.median(sample, axis=0)
    error = np.median(_lab(garment.reshape(-1, 3)[core][:, None])[:, 0], axis=0) - rendered
    if float(np.hypot(error[1], error[2])) < MIN_HUE_ERROR:
        return rgb
    spread = np.median(np.abs(sample - rendered), axis=0) * MAD_TO_SIGMA
    if float(spread[1:].max()) > MAX_RENDER_SPREAD:
        return rgb
    reach = np.maximum(spread[1:] * HUE_REACH, MIN_HUE_REACH)
    paint = _lab(rgb)
    weight = np.exp(-(((paint[..., 0] - rendered[0]) / LIGHT_REACH) ** 2
                      + ((paint[..., 1] - rendered[1]) / reach[0]) ** 2
                      + ((paint[..., 2] - rendered[2]) / reach[1]) ** 2))
    paint[..., 1] += error[1] * weight
    paint[..., 2] += error[2] * weight
    return np.clip(cv2.cvtColor(paint, cv2.COLOR_LAB2RGB) * 255.0, 0, 255).astype(np.float32)


def _lab(picture: np.ndarray) -> np.ndarray:
    """(h, w, 3) float32 CIE Lab (L in [0, 100]) of an RGB picture in [0, 255]."""
    return cv2.cvtColor(np.clip(picture, 0, 255).astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)


def hint_core(hint: np.ndarray) -> np.ndarray:
    """(h, w) float32 in [0, 1]: the hint ((h, w) in [0, 1]) at least 0.5, eroded by
    :data:`HINT_CORE_MARGIN` pixels and softened over one: where the photo is kept whole."""
    size = 2 * HINT_CORE_MARGIN + 1
    core = cv2.erode((np.asarray(hint) >= 0.5).astype(np.uint8), np.ones((size, size), np.uint8))
    return cv2.GaussianBlur(core.astype(np.float32), (3, 3), 0) * core


def metadata() -> dict[str, str]:
    """The contract as ONNX metadata (string values), read back by
    :mod:`tryon.generator.runtime`."""
    return {
        "contract": CONTRACT_VERSION,
        "input_channels": ",".join(CHANNELS),
        "outputs": ",".join(OUTPUTS),
        "layers": ",".join(LAYERS),
        "normalisation": "rgb = x / 127.5 - 1 (x in 0..255); masks in [0, 1]",
        "channel_order": "RGB",
        "layout": "NCHW",
        "train_size": f"{TRAIN_SIZE[0]}x{TRAIN_SIZE[1]}",
        "stride": str(STRIDE),
        "agnostic_grey": str(GREY),
        "crop_margin": str(CROP_MARGIN),
        "limb_radius_shoulder_widths": str(LIMB_RADIUS),
        "pose_groups": ";".join(f"{name}:" + ",".join(f"{int(a)}-{int(b)}" for a, b in limbs)
                                for name, limbs in POSE_GROUPS),
        "shade_range": f"{SHADE_RANGE[0]},{SHADE_RANGE[1]}",
        "garment_floor": (f"weights = (1, 0, 0) where garment_mask > 0.5 eroded by "
                          f"{GARMENT_FLOOR_MARGIN} px per {TRAIN_SIZE[1]} px of width, "
                          "less hint and pose " + ",".join(GARMENT_FLOOR_CLEAR)
                          + " grown as much (inside the model)"),
        "shade_strength": str(SHADE_STRENGTH),
        "composition": ("inside region, with level = the median of shade where garment_mask "
                        "and region >= 0.5 (1 with fewer than "
                        f"{MIN_LIGHT_PIXELS} such pixels) and shade = level * "
                        "(1 + (shade / level - 1) * shade_strength), and rgb's Lab a, b "
                        "shifted by the garment's median a, b less rgb's where garment_mask "
                        f">= {HUE_CORE} (at least {MIN_HUE_PIXELS} pixels, every "
                        f"(count // {HUE_SAMPLE})-th; not below {MIN_HUE_ERROR} a/b units; "
                        f"none when rgb's a or b spread there, {MAD_TO_SIGMA} * MAD, exceeds "
                        f"{MAX_RENDER_SPREAD}), "
                        "weighted by "
                        f"exp(-((rgb_L - its median there) / {LIGHT_REACH})^2 "
                        "- sum(((rgb_ab - its median there) / max("
                        f"{HUE_REACH} * {MAD_TO_SIGMA} * MAD, {MIN_HUE_REACH}))^2)) "
                        "(Lab, L 0-100): "
                        "(wg*m*garment*shade + wk*hint*photo + wp*rgb) / "
                        "(wg*m + wk*hint + wp), then photo where the hint (>= 0.5) eroded by "
                        f"{HINT_CORE_MARGIN} px is (softened over 1 px); outside: photo"),
        "landmarks": "MediaPipe Pose, 33 landmarks, pixel xy",
    }


def check_metadata(found: Mapping[str, str]) -> str | None:
    """None when ``found`` (a model's metadata) follows this contract, else what differs."""
    if found.get("contract") != CONTRACT_VERSION:
        return f"contract {found.get('contract')!r}, expected {CONTRACT_VERSION!r}"
    if found.get("input_channels") != ",".join(CHANNELS):
        return "its input channels differ from this engine's"
    return None
