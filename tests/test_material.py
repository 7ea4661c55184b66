"""``tryon variant --material``: the materials baseline of issue 14 on real photos.

A red-brown leather swatch (cut from the MIT openvto leather jacket) on the white BSD saleor
plimsoll: the product's alpha kept, the main region's colour moved to the swatch's, the
white sole and the kept parts untouched with ``--parts main`` (changed with ``--parts all``),
the shoe's shading kept, the swatch's fine texture carried; seeded; swatches refused with a
plain message; the CLI's errors; the result accepted by the try-on.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from tests.conftest import DEMO_ASSETS
from tryon.errors import ErrorCode, TryOnError
from tryon.studio import delta_e_2000
from tryon.studio.colour import rgb_to_lab
from tryon.studio.material import SWATCH_MIN_SIDE, make_material_variant, prepare_swatch
from tryon.tools.cli import main
from tryon.tools.material_eval import cut_swatch

LEATHER_SOURCE = Path("openvto") / "clothes" / "jackets" / "4_front.jpg"
WHITE_SHOE = Path("shoes") / "saleor" / "saleor-white-plimsolls-2.png"
MYNTRA_SHOE = Path("shoes") / "myntra" / "10035.jpg"
DEMO_SHOES = DEMO_ASSETS / "shoes" / "blue-plimsolls.png"
DEMO_PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
# The region's mean a*b* must cover at least this share of the way to the swatch's.
MIN_COLOUR_MOVE = 0.8
# Correlation of the output's and the product's L (both blurred by SHADING_SIGMA px inside
# the region, so the new texture does not count) must reach this.
MIN_SHADING_CORR = 0.5
SHADING_SIGMA = 8.0
# The fine texture (std of L less its blur) inside the region over the swatch's (as scaled).
TEXTURE_RATIO = (0.7, 1.8)


@pytest.fixture(scope="module")
def leather(shared_data: Path) -> np.ndarray:
    swatch, inside = cut_swatch(shared_data / LEATHER_SOURCE)
    assert swatch.shape == (96, 96, 3) and inside == 1.0
    return swatch


@pytest.fixture(scope="module")
def leather_shoe(shared_data: Path, leather: np.ndarray):
    return make_material_variant(shared_data / WHITE_SHOE, leather, parts="main", kind="shoes")


def _made_swatch() -> np.ndarray:
    """(96, 96, 3) uint8: a seeded brown grain (blurred noise), for the tests that need no
    photo from ../shared."""
    rng = np.random.default_rng(7)
    grain = cv2.GaussianBlur(rng.normal(0.0, 1.0, (96, 96)).astype(np.float32), (0, 0), 1.5)
    grain = grain / grain.std()
    base = np.array([110.0, 70.0, 45.0])
    return np.clip(base + 14.0 * grain[..., None], 0, 255).astype(np.uint8)


def _blur_inside(plane: np.ndarray, region: np.ndarray, sigma: float) -> np.ndarray:
    mask = region.astype(np.float32)
    num = cv2.GaussianBlur(plane * mask, (0, 0), sigma)
    return num / np.maximum(cv2.GaussianBlur(mask, (0, 0), sigma), 1e-4)


def test_leather_on_a_white_sneaker(shared_data: Path, leather: np.ndarray,
                                    leather_shoe) -> None:
    photo = np.array(Image.open(shared_data / WHITE_SHOE).convert("RGBA"))
    variant = leather_shoe
    assert variant.rgba.shape == photo.shape and variant.rgba.dtype == np.uint8
    assert np.array_equal(variant.rgba[..., 3], photo[..., 3])  # the product's own alpha
    region = variant.parts.main
    assert 0.4 < variant.figures.main_share < 0.95
    before = rgb_to_lab(photo[..., :3][region]).mean(axis=0)
    after = rgb_to_lab(variant.rgba[..., :3][region]).mean(axis=0)
    swatch = rgb_to_lab(leather).reshape(-1, 3).mean(axis=0)
    assert before[0] > 85 and swatch[0] < 45  # a white shoe, a dark leather
    gap_before = float(np.hypot(*(before[1:] - swatch[1:])))
    gap_after = float(np.hypot(*(after[1:] - swatch[1:])))
    assert gap_before > 10
    assert gap_after < (1.0 - MIN_COLOUR_MOVE) * gap_before
    assert abs(after[0] - swatch[0]) < 0.2 * abs(before[0] - swatch[0])
    assert float(delta_e_2000(after, swatch)) < 3.0


def test_kept_parts_unchanged_with_parts_main(shared_data: Path, leather_shoe) -> None:
    photo = np.array(Image.open(shared_data / WHITE_SHOE).convert("RGBA"))
    variant = leather_shoe
    kept = variant.parts.product & (variant.parts.weight == 0)
    assert kept.sum() > 0.05 * variant.parts.product.sum()  # the sole, the blue lining, ...
    assert np.array_equal(variant.rgba[..., :3][kept], photo[..., :3][kept])
    assert variant.figures.kept_change == 0.0
    lab = rgb_to_lab(photo[..., :3])
    rows = np.nonzero(variant.parts.product.any(axis=1))[0]
    sole = (variant.parts.product & (np.arange(photo.shape[0])[:, None] > rows.max() - 20)
            & (lab[..., 0] > 85))
    assert sole.sum() > 500
    assert np.array_equal(variant.rgba[..., :3][sole], photo[..., :3][sole])


def test_parts_all_changes_the_sole(shared_data: Path, leather: np.ndarray,
                                    leather_shoe) -> None:
    everything = make_material_variant(shared_data / WHITE_SHOE, leather, parts="all",
                                       kind="shoes")
    assert everything.figures.main_share > leather_shoe.figures.main_share
    photo = np.array(Image.open(shared_data / WHITE_SHOE).convert("RGB"))
    sole = leather_shoe.parts.product & (leather_shoe.parts.weight == 0)
    change = delta_e_2000(rgb_to_lab(photo[sole]), rgb_to_lab(everything.rgba[..., :3][sole]))
    assert float(np.median(change)) > 20


def test_shading_and_texture_kept(shared_data: Path, leather_shoe) -> None:
    photo = np.array(Image.open(shared_data / WHITE_SHOE).convert("RGB"))
    region = leather_shoe.parts.main
    inner = cv2.erode(region.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    before = _blur_inside(rgb_to_lab(photo)[..., 0], region, SHADING_SIGMA)[inner]
    after = _blur_inside(rgb_to_lab(leather_shoe.rgba[..., :3])[..., 0], region,
                         SHADING_SIGMA)[inner]
    assert float(np.corrcoef(before, after)[0, 1]) > MIN_SHADING_CORR
    assert leather_shoe.figures.shading_corr > MIN_SHADING_CORR
    low, high = TEXTURE_RATIO
    assert low < leather_shoe.figures.texture_ratio < high
    assert leather_shoe.figures.texture_hf > 0.5  # not a flat colour


def test_seeded(shared_data: Path, leather: np.ndarray) -> None:
    first = make_material_variant(shared_data / MYNTRA_SHOE, leather, kind="shoes", seed=3)
    again = make_material_variant(shared_data / MYNTRA_SHOE, leather, kind="shoes", seed=3)
    other = make_material_variant(shared_data / MYNTRA_SHOE, leather, kind="shoes", seed=4)
    assert np.array_equal(first.rgba, again.rgba)
    assert not np.array_equal(first.rgba, other.rgba)
    assert np.array_equal(first.rgba[..., 3], other.rgba[..., 3])
    assert first.figures.delta_e == pytest.approx(other.figures.delta_e, abs=1.5)


def test_swatches_refused_with_a_plain_message(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    small = rng.integers(0, 255, (SWATCH_MIN_SIDE - 1, 64, 3), dtype=np.uint8)
    flat = np.clip(np.full((96, 96, 3), 120.0) + rng.normal(0, 0.3, (96, 96, 3)), 0,
                   255).astype(np.uint8)
    clear = np.dstack([rng.integers(0, 255, (96, 96, 3), dtype=np.uint8),
                       np.zeros((96, 96), np.uint8)])
    broken = tmp_path / "swatch.jpg"
    broken.write_bytes(b"not a picture")
    cases = [(small, ErrorCode.IMAGE_TOO_SMALL, "at least 32"),
             (flat, ErrorCode.BAD_ARGUMENT, "almost no texture"),
             (clear, ErrorCode.BAD_ARGUMENT, "transparent"),
             (broken, ErrorCode.BAD_IMAGE, "not a recognised image"),
             (tmp_path / "missing.jpg", ErrorCode.BAD_IMAGE, "no such file")]
    for swatch, code, words in cases:
        with pytest.raises(TryOnError) as info:
            prepare_swatch(swatch)
        assert info.value.code is code
        assert info.value.message.startswith("swatch: ") and words in info.value.message
    with pytest.raises(TryOnError) as info:  # the swatch is checked before the product
        make_material_variant(DEMO_SHOES, flat)
    assert info.value.code is ErrorCode.BAD_ARGUMENT


def test_cli_material(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    swatch = tmp_path / "grain.png"
    Image.fromarray(_made_swatch()).save(swatch)
    out = tmp_path / "v.png"
    item = str(DEMO_SHOES)
    assert main(["variant", "--item", item, "--material", str(tmp_path / "none.jpg"),
                 "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith("error: bad_image: swatch:")
    assert main(["variant", "--item", item, "--material", str(swatch), "--colour", "#7b1e2b",
                 "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith("error: bad_argument: --colour and --material")
    assert main(["variant", "--item", item, "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith("error: bad_argument: give --colour")
    assert main(["variant", "--item", item, "--material", str(swatch), "--method", "gan",
                 "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith("error: bad_argument: --method gan")
    assert not out.exists()
    out.write_bytes(b"keep me")
    assert main(["variant", "--item", item, "--material", str(swatch), "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == b"keep me"
    assert main(["variant", "--item", item, "--material", str(swatch), "--out", str(out),
                 "--overwrite", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["out"] == str(out) and report["kept_change"] == 0.0
    assert len(report["region_lab_mean"]) == len(report["swatch_lab_mean"]) == 3
    assert report["delta_e"] < 5.0
    picture = Image.open(out)
    assert picture.mode == "RGBA"
    alpha = np.array(Image.open(DEMO_SHOES).convert("RGBA"))[..., 3]
    assert np.array_equal(np.array(picture)[..., 3], alpha)


def test_material_variant_is_an_item_for_the_try_on(engine) -> None:
    variant = make_material_variant(DEMO_SHOES, _made_swatch(), kind="shoes")
    buffer = io.BytesIO()
    Image.fromarray(variant.rgba).save(buffer, format="PNG")
    result = engine.run(DEMO_PERSON, buffer.getvalue(), kind="shoes")
    assert result.kind == "shoes"
    assert result.image.shape[2] == 3
