"""``manifest.json``'s model descriptions, derived from the contract modules (never restated):
inputs and outputs, the pre- and post-processing as exact steps, the landmark schema.

Every number here is read from :mod:`tryon.generator.contract`, :mod:`tryon.catalog.contract`
or :mod:`tryon.catalog.model`; the few the engine keeps inside functions (the pose
visibility cut, the feather, the compose weight floor) name the function that holds them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from tryon.body.landmarks import PoseLandmark
from tryon.catalog import contract as catalog
from tryon.catalog import model as catalog_model
from tryon.generator import contract

__all__ = ["MANIFEST_VERSION", "catalog_description", "generator_description", "sha256"]

MANIFEST_VERSION = "tryon-mobile/1"
UNIT_RGB = "float32 in [-1, 1]: x / 127.5 - 1 for x in [0, 255]"
# What each channel group of the contract means; names and indices come from contract.CHANNELS.
_CHANNEL_GROUPS = (
    (contract.AGNOSTIC, UNIT_RGB, "the photo; inside the region and outside the hint set to "
     f"grey {contract.GREY} (0 after normalisation)"),
    (contract.REGION, "{0, 1}", "1 where the generator decides the pixel (try-on region)"),
    (contract.HINT, "{0, 1}", "1 where the photo's own pixels inside the region are certainly "
     "right (background, trousers, bare arms); always inside region"),
    (contract.GARMENT, UNIT_RGB, "the warped product, multiplied by garment_mask (0 where "
     "absent)"),
    (contract.GARMENT_MASK, "[0, 1]", "the warped product's coverage, multiplied by region"),
    (contract.SKIN, UNIT_RGB, "the person's skin tone, the same value on every pixel"),
    (contract.POSE, "{0, 1}", "one plane per limb group (pose_groups): limbs drawn as lines of "
     "thickness 2 * radius"),
)


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _channels() -> list[dict[str, Any]]:
    rows = []
    for group, value_range, meaning in _CHANNEL_GROUPS:
        for index in range(group.start, group.stop):
            rows.append({"index": index, "name": contract.CHANNELS[index],
                         "range": value_range, "meaning": meaning})
    return rows


def _pose_groups() -> list[dict[str, Any]]:
    return [{"channel": contract.CHANNELS[contract.POSE.start + i], "limbs": [
        [int(a), int(b), PoseLandmark(a).name.lower(), PoseLandmark(b).name.lower()]
        for a, b in limbs]} for i, (_, limbs) in enumerate(contract.POSE_GROUPS)]


def generator_description(metadata: dict[str, str]) -> dict[str, Any]:
    """The try-on generator's section: ``metadata`` is the source model's ``metadata_props``
    (licence, training data, kinds, step)."""
    floor = contract.GARMENT_FLOOR_MARGIN
    return {
        "what": "try-on generator: paints the try-on region of a top from the agnostic photo, "
                "pose, warped product and skin tone",
        "contract": contract.CONTRACT_VERSION,
        "licence": metadata.get("licence", "unknown"),
        "training_data": metadata.get("training_data", ""),
        "kinds": metadata.get("kinds", "top"),
        "trained_at": metadata.get("train_size", ""),
        "inputs": [{
            "name": "inputs", "shape": [1, contract.IN_CHANNELS, "H", "W"], "dtype": "float32",
            "layout": "NCHW", "channel_order": "RGB within each picture",
            "normalisation": contract.metadata()["normalisation"],
            "channels": _channels()}],
        "outputs": [
            {"name": "rgb", "shape": [1, 3, "H", "W"], "dtype": "float32", "layout": "NCHW",
             "range": "[-1, 1] (tanh)", "channel_order": "RGB",
             "meaning": "the painted picture; x = (rgb + 1) * 127.5"},
            {"name": "shade", "shape": [1, 1, "H", "W"], "dtype": "float32", "layout": "NCHW",
             "range": list(contract.SHADE_RANGE),
             "meaning": "light and folds, multiplied onto the garment"},
            {"name": "weights", "shape": [1, len(contract.LAYERS), "H", "W"],
             "dtype": "float32", "layout": "NCHW", "range": "[0, 1], sum 1 over channels",
             "channel_order": list(contract.LAYERS),
             "meaning": "how much of the shaded garment, of the photo (keep) and of the painted "
                        "picture each pixel takes; " + contract.metadata()["garment_floor"]}],
        "landmarks": {"schema": metadata.get("landmark_schema", "mediapipe_pose_33"),
                      "source": "MediaPipe Pose (33 landmarks, pixel x right, y down; left/"
                                "right are the person's own sides)",
                      "names": [landmark.name.lower() for landmark in PoseLandmark]},
        "pose_groups": _pose_groups(),
        "preprocessing": [
            "Inputs per photo (photo pixels): photo (H, W, 3) uint8 RGB; region and hint (H, W) "
            "bool (the try-on region of the top and the certain photo pixels in it); garment "
            "(H, W, 3) float RGB in [0, 255], the product warped onto the body, and "
            "garment_mask (H, W) in [0, 1]; skin_rgb (3,); landmarks (33, 2) xy pixels with "
            "visibility (33,); shoulder_width = distance between landmarks 11 and 12 (pixels).",
            f"Crop (contract.crop_for): the region's bounding box [x0, x1) x [y0, y1) grown by "
            f"{contract.CROP_MARGIN} of its width/height per side (at least 2 px), clipped to the "
            "photo.",
            "Scale (aspect kept): s = min(H / crop_h, W / crop_w); the crop is resized to "
            "(round(crop_h * s), round(crop_w * s)) at most (H, W): area averaging when "
            "shrinking, bilinear when enlarging (contract.resize).",
            "Masks after resizing: region = resized region > 0.5; hint = (resized hint > 0.5) "
            "and region; garment_mask = clip(resized garment_mask, 0, 1) * region.",
            f"Agnostic photo: the resized photo where region and not hint is set to "
            f"{contract.GREY}.",
            "Pad at the bottom and right to exactly (H, W): the agnostic photo with its edge "
            "values repeated (replicate: the photo's own edge would show the old top beside an "
            "empty region), region, hint, garment and garment_mask with 0.",
            "Normalise (contract.assemble_inputs): x / 127.5 - 1 for the agnostic photo, "
            "garment * garment_mask and skin.",
            f"Pose map (contract.draw_pose_map): landmarks moved by (-x0, -y0) and scaled by s; "
            f"for each pose group, each limb whose two ends have visibility >= 0.3 is drawn as "
            f"an 8-connected line of value 1 and thickness max(1, round(2 * r)), r = "
            f"{contract.LIMB_RADIUS} * shoulder_width * s model pixels.",
            "Concatenate the 19 channels in the order of inputs.channels, batch 1, NCHW."],
        "postprocessing": [
            "Take the unpadded part of each output: rows [0, round(crop_h * s)), columns "
            "[0, round(crop_w * s)).",
            "Upsample rgb (as (rgb + 1) * 127.5, clipped to [0, 255]), shade and weights to the "
            "crop's full size (crop_h, crop_w): bilinear (area averaging if smaller).",
            "Full resolution stays full resolution: the photo and the warped garment (and its "
            "mask, multiplied by region) are cut from the photo-sized pictures, never from the "
            "model-sized ones, so a print or logo stays as sharp as the product photo.",
            "Feather (tryon.compositing.feather): soft_region = min(region, GaussianBlur("
            "erode(region, 3x3), 5x5, sigma 1)).",
            "Compose (contract.compose): wg = weights[0] * garment_mask, wk = weights[1] * hint, "
            "wp = max(weights[2], 1e-4); inside = (wg * garment * shade + wk * photo + wp * rgb)"
            " / (wg + wk + wp); out = clip(inside * soft_region + photo * (1 - soft_region), 0, "
            "255). Formula: " + contract.metadata()["composition"] + ".",
            "Round (+0.5, clip, uint8) and write into the crop only where region is set; every "
            "other pixel of the photo stays byte-identical."],
        "app_does_itself": [
            "pose: MediaPipe Pose from its mobile SDK (33 landmarks, the schema above)",
            "person mask and the try-on region/hint (tryon.kinds.top.region)",
            "the product's cut-out and the thin-plate warp onto the body (tryon.kinds.top.fit)",
            "skin tone, the crop and composition (the steps above)"],
        "garment_floor_margin_px": floor,
    }


def catalog_description() -> dict[str, Any]:
    """The catalog embedding model's section, from :mod:`tryon.catalog.contract`."""
    side = catalog.INPUT_SIDE
    return {
        "what": "catalog embedding model (EfficientNet-Lite0 features) for similar items, "
                "clusters and the item-kind classifier",
        "licence": catalog.metadata()["licence"],
        "weights": catalog.metadata()["weights"],
        "inputs": [{"name": catalog.INPUT_NAME, "shape": [1, 3, side, side],
                    "dtype": "float32", "layout": catalog.LAYOUT,
                    "channel_order": catalog.CHANNEL_ORDER,
                    "normalisation": catalog.metadata()["normalisation"],
                    "range": "[-1, 1]"}],
        "outputs": [{"name": catalog.OUTPUT_NAME, "shape": [1, catalog.EMBEDDING_DIM],
                     "dtype": "float32", "range": ">= 0 (mean of ReLU6 features)",
                     "meaning": "not normalised; divide by its L2 norm before cosine "
                                "similarity"}],
        "preprocessing": [
            f"Bring the product photo down to a longest side of {catalog_model.DESCRIBE_SIDE} "
            "px (area averaging).",
            "Cut the item out (alpha, else background removal); lay it on white "
            f"({catalog.BACKGROUND}) with its mask.",
            f"Crop to the mask's box (mask >= 0.5) plus {catalog_model.CROP_MARGIN} of the "
            "box's longer side per side.",
            f"Letterbox into a white square of the longer side (centred), resize to {side}x"
            f"{side} (area averaging when shrinking, else bilinear), round to uint8.",
            f"(x - {catalog.MEAN}) / {catalog.STD}, HWC -> CHW, batch 1."],
        "postprocessing": ["embedding / max(||embedding||_2, 1e-8)"],
    }
