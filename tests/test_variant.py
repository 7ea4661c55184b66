"""``tryon variant``: the Lab recolouring baseline of issue 14 on real product photos.

Colour accuracy (CIEDE2000 of the recoloured region's median to the target), shading kept
(std of L in the region within a factor), kept parts untouched (a white sole under a blue
upper; a white sole under a white upper on a side view), output usable by the try-on, and
bad arguments refused with one error line.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import DEMO_ASSETS
from tryon.errors import ErrorCode, TryOnError
from tryon.studio import delta_e_2000, make_variant, parse_colour
from tryon.studio.colour import rgb_to_lab
from tryon.tools.cli import main

BURGUNDY = "#7b1e2b"
NAVY = "#1f2a44"
MAX_DELTA_E = 2.0  # the region's median against the target
# std of L in the region after / before: a moderate lightness change keeps the shading
# nearly as it was; a large one (white → navy) flattens or stretches it, within bounds.
MODERATE_CONTRAST = (0.75, 1.3)
LARGE_CONTRAST = (0.3, 2.5)
MAX_SOLE_CHANGE = 1.5  # median CIEDE2000 of a kept white sole
DEMO_SHOES = DEMO_ASSETS / "shoes" / "blue-plimsolls.png"
DEMO_PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"


def _target(colour: str) -> np.ndarray:
    return rgb_to_lab(np.array(parse_colour(colour), np.uint8))


def _region_median_error(variant, colour: str) -> float:
    lab = rgb_to_lab(variant.rgba[..., :3][variant.parts.main])
    return float(delta_e_2000(np.median(lab, axis=0), _target(colour)))


def _white_sole(path: Path, band: float = 0.12) -> np.ndarray:
    """(H, W) bool: bright neutral pixels in the bottom ``band`` of the product's height."""
    picture = np.array(Image.open(path).convert("RGBA"))
    lab = rgb_to_lab(picture[..., :3])
    product = picture[..., 3] >= 128
    rows = np.nonzero(product.any(axis=1))[0]
    bottom = np.zeros_like(product)
    bottom[int(rows.max() - band * (rows.max() - rows.min())):] = True
    neutral = np.hypot(lab[..., 1], lab[..., 2]) < 6
    return product & bottom & neutral & (lab[..., 0] > 85)


def _sole_change(path: Path, variant) -> float:
    sole = _white_sole(path)
    assert sole.sum() > 500, "the test photo should show a white sole"
    before = rgb_to_lab(np.array(Image.open(path).convert("RGB"))[sole])
    after = rgb_to_lab(variant.rgba[..., :3][sole])
    return float(np.median(delta_e_2000(before, after)))


def test_delta_e_2000_matches_reference_pairs() -> None:
    # Sharma, Wu & Dalal (2005) test data.
    pairs = [((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
             ((50, 2.5, 0), (73, 25, -18), 27.1492),
             ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644)]
    for first, second, expected in pairs:
        assert float(delta_e_2000(np.array(first), np.array(second))) == pytest.approx(
            expected, abs=1e-4)


@pytest.mark.parametrize("text", ["#12345", "red-ish", "", "#gggggg", "#1234567"])
def test_bad_colour_is_bad_argument(text: str) -> None:
    with pytest.raises(TryOnError) as info:
        parse_colour(text)
    assert info.value.code is ErrorCode.BAD_ARGUMENT


def test_colour_forms() -> None:
    assert parse_colour("#7B1E2B") == parse_colour("7b1e2b") == (0x7B, 0x1E, 0x2B)
    assert parse_colour("#fff") == (255, 255, 255)


def test_demo_shoe_in_burgundy_keeps_shading_and_alpha() -> None:
    variant = make_variant(DEMO_SHOES, BURGUNDY)
    assert _region_median_error(variant, BURGUNDY) < MAX_DELTA_E
    assert variant.figures.delta_e < MAX_DELTA_E
    low, high = MODERATE_CONTRAST
    assert low < variant.figures.contrast_kept < high
    assert variant.figures.kept_change < 0.5
    alpha = np.array(Image.open(DEMO_SHOES).convert("RGBA"))[..., 3]
    assert np.array_equal(variant.rgba[..., 3], alpha)
    assert 0.2 < variant.figures.main_share < 0.9  # the white sole and pattern are kept


def test_white_sole_kept_under_a_blue_upper(shared_data: Path) -> None:
    path = shared_data / "shoes" / "saleor" / "saleor-blue-plimsolls-1.png"
    variant = make_variant(path, BURGUNDY, parts="main")
    assert _region_median_error(variant, BURGUNDY) < MAX_DELTA_E
    assert _sole_change(path, variant) < MAX_SOLE_CHANGE


def test_white_sole_kept_under_a_white_upper_unless_all(shared_data: Path) -> None:
    path = shared_data / "shoes" / "saleor" / "saleor-white-plimsolls-2.png"
    main = make_variant(path, NAVY, parts="main", kind="shoes")
    assert main.figures.delta_e < MAX_DELTA_E
    assert _sole_change(path, main) < MAX_SOLE_CHANGE
    low, high = LARGE_CONTRAST
    assert low < main.figures.contrast_kept < high
    everything = make_variant(path, NAVY, parts="all", kind="shoes")
    assert _sole_change(path, everything) > 20  # --parts all recolours the sole too
    assert everything.figures.main_share > main.figures.main_share


@pytest.mark.parametrize(("name", "colour", "bounds"), [
    ("jackets/4_front.jpg", BURGUNDY, MODERATE_CONTRAST),   # brown leather → burgundy
    ("shirts/3_front.jpg", NAVY, LARGE_CONTRAST),           # white tee → navy
    ("shirts/4_front.jpg", "#f2f0ea", LARGE_CONTRAST),      # black tee → off-white
])
def test_garments_reach_the_colour(shared_data: Path, name: str, colour: str,
                                   bounds: tuple[float, float]) -> None:
    variant = make_variant(shared_data / "openvto" / "clothes" / name, colour)
    assert _region_median_error(variant, colour) < MAX_DELTA_E
    low, high = bounds
    assert low < variant.figures.contrast_kept < high
    assert variant.figures.main_share > 0.8  # a one-colour garment is recoloured whole


def test_variant_is_an_item_for_the_try_on(engine, tmp_path: Path) -> None:
    out = tmp_path / "burgundy.png"
    assert main(["variant", "--item", str(DEMO_SHOES), "--colour", BURGUNDY,
                 "--out", str(out)]) == 0
    picture = Image.open(out)
    assert picture.mode == "RGBA"
    buffer = io.BytesIO(out.read_bytes())
    result = engine.run(DEMO_PERSON, buffer.getvalue(), kind="shoes")
    assert result.kind == "shoes"
    assert result.image.shape[2] == 3


def test_cli_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "v.png"
    for colour in ("#12345", "red-ish"):
        assert main(["variant", "--item", str(DEMO_SHOES), "--colour", colour,
                     "--out", str(out)]) == 2
        assert capsys.readouterr().err.startswith("error: bad_argument: --colour")
    assert not out.exists()
    out.write_bytes(b"keep me")
    assert main(["variant", "--item", str(DEMO_SHOES), "--colour", NAVY,
                 "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == b"keep me"
    assert main(["variant", "--item", str(DEMO_SHOES), "--colour", NAVY, "--out", str(out),
                 "--overwrite", "--parts", "all"]) == 0
    assert Image.open(out).mode == "RGBA"
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    assert main(["variant", "--item", str(broken), "--colour", NAVY,
                 "--out", str(tmp_path / "w.png")]) == 2
    assert capsys.readouterr().err.startswith("error: bad_image:")
    assert main(["variant", "--item", str(DEMO_PERSON), "--colour", NAVY,
                 "--out", str(tmp_path / "p.png")]) == 2
    assert capsys.readouterr().err.startswith("error: unsupported_item:")
