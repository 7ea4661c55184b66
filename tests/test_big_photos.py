"""Big photos: the engine works on a copy of at most 2 MP and puts the edit back into the
full-size photo, whose other pixels stay byte for byte. No wall-clock assertions here: the
figures are in docs/benchmarks.md (``tryon bench``'s ``big_photo``)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from tests.conftest import DEMO_ASSETS
from tryon.imaging.decode import decode_image
from tryon.imaging.resolution import WORK_MAX_PIXELS, full_size, working_copy, working_size
from tryon.pipeline import TryOnEngine, TryOnResult
from tryon.tools.bench import BIG_PHOTO_SIZE, big_photo

TOP = DEMO_ASSETS / "tops" / "bandana-shirt.jpg"
SHOE = DEMO_ASSETS / "shoes" / "dash-force.png"
BIG_SIZE = (4096, 3072)  # (H, W): 12.6 MP, six times the working size


def _upscaled_jpeg(path: Path, size: tuple[int, int]) -> bytes:
    """The photo at ``path`` stretched (bilinear) to ``size`` (H, W), as a JPEG."""
    rgb = decode_image(path).rgb
    big = cv2.resize(rgb, (size[1], size[0]), interpolation=cv2.INTER_LINEAR)
    buffer = io.BytesIO()
    Image.fromarray(big).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _near_the_edit(edited: np.ndarray, full: tuple[int, int]) -> np.ndarray:
    """(H, W) bool: full-size pixels within one working pixel (plus one) of ``edited``, the
    (h, w) working-size mask of what the try-on changed."""
    height, width = full
    reach = math.ceil(width / edited.shape[1]) + 1
    grown = cv2.resize(edited.astype(np.uint8), (width, height),
                       interpolation=cv2.INTER_NEAREST)
    kernel = np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)
    return cv2.dilate(grown, kernel) > 0


def _check_full_size(result: TryOnResult, picture: np.ndarray, working: np.ndarray,
                     photo: np.ndarray) -> None:
    """``picture`` (full size) equals ``photo`` away from where ``working`` (the working-size
    result) differs from the working photo, and differs from it there."""
    assert picture.shape == photo.shape and picture.dtype == np.uint8
    edited = np.any(working != result.working, axis=2)
    assert edited.mean() > 0.01, "the try-on changed something"
    near = _near_the_edit(edited, photo.shape[:2])
    assert np.array_equal(picture[~near], photo[~near])
    assert (picture[near] != photo[near]).any(axis=-1).mean() > 0.3


@pytest.fixture(scope="module")
def big_top(engine: TryOnEngine, shared_data: Path) -> tuple[TryOnResult, np.ndarray]:
    """A 12.6 MP upscale of a VITON-HD person photo with a demo top, and the photo as
    decoded."""
    data = _upscaled_jpeg(shared_data / "vitonhd/persons/00013_00.jpg", BIG_SIZE)
    return engine.run(data, TOP, kind="top"), decode_image(data).rgb


def test_big_photo_is_worked_on_at_the_bounded_size(big_top: tuple[TryOnResult, np.ndarray],
                                                     engine: TryOnEngine) -> None:
    result, photo = big_top
    work_height, work_width = result.working.shape[:2]
    assert result.work_photo is not None
    assert (work_height, work_width) == working_size(*BIG_SIZE, engine.work_pixels)
    assert work_height * work_width <= WORK_MAX_PIXELS
    assert result.person.mask.shape == (work_height, work_width)
    assert result.scene is not None and result.scene.region.shape == (work_height, work_width)
    assert np.array_equal(result.photo, photo)
    assert all(layer.shape[:2] == (work_height, work_width)
               for layer in result.layers().values())


def test_big_photo_result_has_full_size_and_photo_pixels_outside_the_edit(
        big_top: tuple[TryOnResult, np.ndarray]) -> None:
    result, photo = big_top
    assert result.refined and result.scene is not None
    # What the generator may change is its region: the full-size picture keeps the photo
    # everywhere else.
    near = _near_the_edit(result.scene.region, photo.shape[:2])
    assert np.array_equal(result.image[~near], photo[~near])
    assert not np.array_equal(result.image, photo)
    _check_full_size(result, result.coarse, result.composite.image, photo)


def test_big_photo_with_shoes(engine: TryOnEngine, shared_data: Path) -> None:
    data = _upscaled_jpeg(shared_data / "fullbody" / sorted(
        p.name for p in (shared_data / "fullbody").glob("*.jpg"))[0], BIG_SIZE)
    result = engine.run(data, SHOE, kind="shoes")
    _check_full_size(result, result.image, result.composite.image, decode_image(data).rgb)


def test_full_size_puts_an_edit_back(shared_data: Path) -> None:
    """A painted square on the working copy of a real photo: upsampled into the full-size
    photo there, the photo's own pixels everywhere else."""
    photo = decode_image(_upscaled_jpeg(shared_data / "vitonhd/persons/00006_00.jpg",
                                        (3000, 2250)))
    work = working_copy(photo, 500_000)
    assert work.rgb.shape[0] * work.rgb.shape[1] <= 500_000
    edited = work.rgb.copy()
    edited[100:300, 150:400] = (200, 30, 60)
    full = full_size(photo.rgb, work.rgb, edited)
    mask = np.zeros(work.rgb.shape[:2], bool)
    mask[100:300, 150:400] = True
    near = _near_the_edit(mask, photo.rgb.shape[:2])
    assert np.array_equal(full[~near], photo.rgb[~near])
    scale = photo.width / work.width
    inside = full[int(110 * scale):int(290 * scale), int(160 * scale):int(390 * scale)]
    assert np.all(inside == (200, 30, 60))
    assert np.array_equal(full_size(photo.rgb, work.rgb, work.rgb), photo.rgb)


def test_a_small_photo_is_not_copied() -> None:
    photo = decode_image(DEMO_ASSETS / "people" / "man-selfie.jpg")
    assert working_copy(photo) is photo


def test_bench_big_photo_is_48_megapixels() -> None:
    image = Image.open(io.BytesIO(big_photo()))
    assert image.format == "JPEG" and image.size == BIG_PHOTO_SIZE[::-1]
    assert image.size[0] * image.size[1] == 48_000_000


def test_bench_big_photo_case(engine: TryOnEngine) -> None:
    """``tryon bench``'s big-photo case: its figures and ratios (never their values)."""
    from tryon.tools.bench import _big_photo

    figures = _big_photo(engine, TOP.read_bytes(), runs=1, top_ms=100.0)
    assert figures["size"] == list(BIG_PHOTO_SIZE) and figures["runs"] == 1
    work_height, work_width = figures["work_size"]
    assert work_height * work_width <= WORK_MAX_PIXELS
    for name in ("big_ms", "work_ms"):
        assert 0 < figures[name]["median"] <= figures[name]["p90"]
    assert figures["big_over_work"] > 0 and figures["big_over_top"] > 0
