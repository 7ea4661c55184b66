"""Real model inputs from real photos: calibration sets for int8 and golden test vectors.

Generator inputs come from :meth:`tryon.pipeline.TryOnEngine.run_coarse` (its ``scene`` is
exactly what the generator gets), cropped, scaled and padded the way the runtime does
(:func:`tryon.generator.runtime._model_inputs`), at any fixed size. Catalog inputs come from
product photos prepared the way :mod:`tryon.catalog.model` does. Golden vectors use only the
MIT/BSD demo photos bundled in ``tryon/assets/demo``; calibration may use the non-commercial
photos of ``../shared/data`` (they are never written into the package).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tryon.catalog import contract as catalog_contract
from tryon.generator import contract
from tryon.generator.scene import Scene

__all__ = ["DEMO_DIR", "SHARED_DATA", "Photo", "calibration_items", "calibration_pairs",
           "catalog_inputs", "demo_items", "demo_pairs", "generator_inputs", "picture_size",
           "real_scenes"]

REPO = Path(__file__).resolve().parents[2]
DEMO_DIR = REPO / "tryon" / "assets" / "demo"
SHARED_DATA = REPO.parent / "shared" / "data"
CALIBRATION_PERSON_OFFSET = 600  # the generator was trained on the first 600 persons
GARMENT_PATTERN = "*_00.jpg"  # the VITON-HD tops among garments/ootd
DEMO_PAIRS = (("woman-studio.jpg", "white-tee.jpg"), ("man-selfie.jpg", "bandana-shirt.jpg"),
              ("man-living-room.jpg", "denim-jacket.jpg"))
DEMO_ITEMS = ("tops/white-tee.jpg", "bottoms/blue-jeans.jpg", "shoes/dash-force.png")
CATALOG_FOLDERS = ("garments/ootd", "garments/idm", "openvto/clothes/shirts",
                   "openvto/clothes/pants", "openvto/clothes/jackets", "shoes/saleor",
                   "shoes/myntra")


@dataclass(frozen=True)
class Photo:
    """One try-on (``person``, ``item``) or one product (``item`` only) by path, and a short
    ``label`` for file names and reports."""

    label: str
    item: Path
    person: Path | None = None


def demo_pairs() -> list[Photo]:
    """The MIT demo people with demo tops (:data:`DEMO_PAIRS`)."""
    return [Photo(f"{Path(p).stem}+{Path(i).stem}", DEMO_DIR / "tops" / i,
                  DEMO_DIR / "people" / p) for p, i in DEMO_PAIRS]


def demo_items() -> list[Photo]:
    """MIT/BSD demo products for the catalog model's golden vectors."""
    return [Photo(Path(item).stem, DEMO_DIR / item) for item in DEMO_ITEMS]


def calibration_pairs(count: int, data: Path = SHARED_DATA) -> list[Photo]:
    """``count`` (person, top) pairs: VITON-HD persons the generator was not trained on, each
    with the next in-shop top of ``garments/ootd`` (cycled), then the demo pairs."""
    persons = sorted((data / "vitonhd" / "persons").glob("*.jpg"))[CALIBRATION_PERSON_OFFSET:]
    garments = sorted((data / "garments" / "ootd").glob(GARMENT_PATTERN))
    if not persons or not garments:
        raise FileNotFoundError(f"no VITON-HD persons or ootd tops under {data}")
    pairs = [Photo(f"{p.stem}+{garments[i % len(garments)].stem}", garments[i % len(garments)],
                   p) for i, p in enumerate(persons[:count])]
    return pairs + demo_pairs()


def calibration_items(count: int, data: Path = SHARED_DATA) -> list[Photo]:
    """``count`` product photos taken in turn from :data:`CATALOG_FOLDERS`."""
    folders = [sorted(p for p in (data / f).glob("*") if p.suffix.lower() in (".jpg", ".png"))
               for f in CATALOG_FOLDERS]
    chosen: list[Photo] = []
    index = 0
    while len(chosen) < count and any(index < len(f) for f in folders):
        chosen += [Photo(f[index].stem, f[index]) for f in folders if index < len(f)]
        index += 1
    if not chosen:
        raise FileNotFoundError(f"no product photos under {data}")
    return chosen[:count]


def real_scenes(pairs: Sequence[Photo], limit: int | None = None) -> list[tuple[Photo, Scene]]:
    """The generator's scene of each pair (tops), skipping pairs the engine rejects (no
    person, no region), until ``limit`` scenes are made."""
    from tryon.errors import TryOnError
    from tryon.pipeline import TryOnEngine

    scenes: list[tuple[Photo, Scene]] = []
    with TryOnEngine(refine=False) as engine:
        for pair in pairs:
            if limit is not None and len(scenes) >= limit:
                break
            try:
                scene = engine.run_coarse(str(pair.person), str(pair.item), kind="top").scene
            except TryOnError:
                continue
            if scene is not None and scene.region.any():
                scenes.append((pair, scene))
    return scenes


def generator_inputs(scene: Scene, size: tuple[int, int]) -> np.ndarray:
    """(1, IN_CHANNELS, H, W) float32: ``scene`` cropped, scaled, padded and drawn for a model
    of input ``size`` (H, W), exactly as :class:`tryon.generator.runtime.TryOnGenerator`."""
    from tryon.generator.runtime import _model_inputs

    return _model_inputs(scene, contract.crop_for(scene.region, size))[None]


def picture_size(scene: Scene, size: tuple[int, int]) -> tuple[int, int]:
    """(rows, columns) of :func:`generator_inputs` (and of the model's outputs) that show the
    photo; the rest, below and right, is padding that the runtime discards."""
    return contract.crop_for(scene.region, size).size


def catalog_inputs(items: Sequence[Photo]) -> list[tuple[Photo, np.ndarray]]:
    """(1, 3, S, S) float32 inputs of the catalog model for product photos, prepared as
    :func:`tryon.catalog.model.describe_items` does (bounded, cut out, letterboxed on white)."""
    from tryon.catalog.features import item_mask
    from tryon.catalog.model import _bounded, prepare
    from tryon.imaging.decode import decode_image

    out = []
    for item in items:
        decoded = decode_image(str(item.item))
        rgb, alpha = _bounded(decoded.rgb, decoded.alpha)
        picture = prepare(rgb, item_mask(rgb, alpha).mask)
        out.append((item, catalog_contract.normalise(picture[None])))
    return out
