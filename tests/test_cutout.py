"""cut-out: product masks from alpha or from a plain studio background."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import DEMO_ASSETS
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.cutout import _weighted_distance, crop_item, cut_out, enclosed_gaps
from tryon.imaging.decode import decode_image
from tryon.kinds.top.garment import MAX_GARMENT_SIDE, prepare_garment


def _tshirt_mask(width: int = 640, height: int = 680) -> np.ndarray:
    """(H, W) uint8 0/1 T-shirt silhouette with sleeves angled down."""
    mask = np.zeros((height, width), np.uint8)
    torso = np.array([[170, 110], [270, 90], [370, 90], [470, 110], [470, 600], [170, 600]])
    sleeve = np.array([[170, 110], [70, 240], [130, 290], [170, 250]])
    for polygon in (torso, sleeve, sleeve * [-1, 1] + [width, 0]):
        cv2.fillPoly(mask, [polygon.astype(np.int32)], 1)
    return mask


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum()) / max(1, int((a | b).sum()))


def _white_on_white(faint_gaps: bool) -> tuple[np.ndarray, np.ndarray]:
    """A white T-shirt (250) on a light grey studio background (236) with camera noise and a
    faint outline one step darker; with ``faint_gaps`` the outline is missing in places."""
    rng = np.random.default_rng(7)
    mask = _tshirt_mask()
    rgb = np.where(mask[..., None] > 0, 250.0, 236.0) + rng.normal(0, 1.2, mask.shape + (1,))
    outline = cv2.morphologyEx(mask, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0
    if faint_gaps:
        outline[:, ::9] = False  # every ninth column has no outline at all
    rgb[outline] -= 14
    return np.clip(rgb, 0, 255).astype(np.uint8).repeat(3, axis=2), mask > 0


class TestStudioBackground:
    @pytest.mark.parametrize("faint_gaps", [False, True])
    def test_white_tshirt_on_white(self, faint_gaps: bool) -> None:
        rgb, truth = _white_on_white(faint_gaps)
        mask = cut_out(rgb, None) >= 0.5
        assert _iou(mask, truth) > 0.97

    def test_dark_garment_is_exact(self) -> None:
        truth = _tshirt_mask() > 0
        rgb = np.where(truth[..., None], 40, 240).astype(np.uint8).repeat(3, axis=2)
        mask = cut_out(rgb, None) >= 0.5
        assert _iou(mask, truth) > 0.98
        assert not mask[:20].any() and not mask[:, :20].any()

    def test_output_is_soft_mask_of_input_size(self) -> None:
        rgb, _ = _white_on_white(False)
        big = cv2.resize(rgb, (1280, 1360), interpolation=cv2.INTER_NEAREST)
        mask = cut_out(big, None)
        assert mask.shape == big.shape[:2] and mask.dtype == np.float32
        assert 0.0 <= float(mask.min()) and float(mask.max()) <= 1.0

    def test_blank_photo_is_bad_item(self) -> None:
        with pytest.raises(TryOnError) as info:
            cut_out(np.full((300, 300, 3), 240, np.uint8), None)
        assert info.value.code is ErrorCode.BAD_ITEM

    def test_product_filling_the_frame_is_bad_item(self) -> None:
        rng = np.random.default_rng(0)
        noise = rng.integers(0, 255, (300, 300, 3), dtype=np.uint8)
        with pytest.raises(TryOnError) as info:
            cut_out(noise, None)
        assert info.value.code is ErrorCode.BAD_ITEM


class TestAlpha:
    def test_alpha_is_used_as_is(self) -> None:
        truth = _tshirt_mask()
        alpha = (truth * 255).astype(np.uint8)
        rgb = np.full(truth.shape + (3,), 250, np.uint8)  # colour says nothing
        mask = cut_out(rgb, alpha)
        assert np.array_equal(mask >= 0.5, truth > 0)


def test_demo_white_tee_keeps_its_sleeves() -> None:
    """The bundled white T-shirt on a light background: solid body and both sleeves."""
    item = decode_image(DEMO_ASSETS / "tops" / "white-tee.jpg")
    mask = cut_out(item.rgb, item.alpha)
    solid = mask >= 0.5
    count, _ = cv2.connectedComponents(solid.astype(np.uint8))
    assert count == 2  # one product, no holes punched through the body
    hull = cv2.convexHull(cv2.findNonZero(solid.astype(np.uint8)))
    assert solid.sum() / cv2.contourArea(hull) > 0.8
    assert len(prepare_garment(item.rgb, mask).sleeves) == 2


def test_white_tee_on_white_is_cut_out_whole(shared_data: Path) -> None:
    """A white T-shirt on the even white of a studio shot: the background tolerance follows
    the background's own noise (none here), so the shirt's off-white parts are not flooded as
    background (a fixed tolerance of 7 kept only 25 % of the frame; the shirt covers 33 %)."""
    rgb = decode_image((shared_data / "vitonhd/paired/cloth/12562_00.jpg").read_bytes()).rgb
    assert float((cut_out(rgb, None) >= 0.5).mean()) > 0.3


def _mirror_iou(solid: np.ndarray) -> float:
    """IoU of a (H, W) bool mask with its left-right mirror image about the best vertical
    axis near its box's middle (1 for a mask symmetric about some column)."""
    xs = np.flatnonzero(solid.any(axis=0))
    best = 0.0
    for axis2 in range(xs[0] + xs[-1] - 40, xs[0] + xs[-1] + 41):
        mirrored = np.roll(solid[:, ::-1], axis2 - (solid.shape[1] - 1), axis=1)
        best = max(best, float((mirrored & solid).sum()) / float((mirrored | solid).sum()))
    return best


@pytest.mark.parametrize(("name", "least"), [("12562_00", 0.85), ("07764_00", 0.955),
                                             ("07382_00", 0.955)])
def test_white_tops_on_flat_white_keep_their_faint_parts(shared_data: Path, name: str,
                                                         least: float) -> None:
    """White tops shot front-on on a retouched, perfectly flat white: the flood ran through
    their faintest outlines and took a sleeve and a hem's corner of the Minnie tee (12562,
    its mask's mirror IoU 0.74), the lower corner of a sleeve (07764) and a notch of a crop
    top's side (07382) for background. Their cloth has grain, the background none
    (cutout._grainy_parts): each mask is now as symmetric as the product (mirror IoU 0.74 /
    0.952 / 0.936 before, 0.894 / 0.958 / 0.965 now)."""
    rgb = decode_image(shared_data / f"vitonhd/paired/cloth/{name}.jpg").rgb
    solid = cut_out(rgb, None) >= 0.5
    assert _mirror_iou(solid) > least
    if name == "12562_00":
        assert solid[700:760, 520:580].mean() > 0.95  # the hem's lower right corner


@pytest.mark.parametrize(("name", "points"), [("00151_00", [(562, 572), (201, 566)]),
                                              ("09176_00", [(558, 562)])])
def test_the_background_between_sleeve_and_body_stays_background(
        shared_data: Path, name: str, points: list[tuple[int, int]]) -> None:
    """Long sleeves hanging beside the body on a flat white enclose slivers of background
    whose soft shadows and JPEG ringing have some grain too: they are not taken for cloth
    (the middle of each sliver, (x, y), stays out of the mask)."""
    rgb = decode_image(shared_data / f"vitonhd/paired/cloth/{name}.jpg").rgb
    mask = cut_out(rgb, None)
    assert all(mask[y, x] < 0.5 for x, y in points)


def test_the_background_distance_is_numpys_bit_for_bit() -> None:
    # Looked up per channel for speed; the flood's threshold compares it with a tolerance,
    # so it must be the float32 norm itself, not a close value.
    rng = np.random.default_rng(0)
    lab8 = rng.integers(0, 256, (97, 131, 3), dtype=np.uint8)
    weights = np.array([0.5, 1.0, 1.0], np.float32)
    for centre in (np.array([250.0, 128.0, 128.0], np.float32),
                   np.median(lab8.reshape(-1, 3).astype(np.float32), axis=0),
                   rng.uniform(0, 255, 3).astype(np.float32)):
        expected = np.linalg.norm((lab8.astype(np.float32) - centre) * weights, axis=2)
        found = _weighted_distance(lab8, centre, weights)
        assert found.dtype == expected.dtype and np.array_equal(found, expected)


def _background_lab(rgb: np.ndarray) -> np.ndarray:
    """(3,) float32 Lab (OpenCV 8-bit scale): the median of a product photo's top and bottom
    rows, its studio background."""
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    return np.median(np.concatenate([lab[:4].reshape(-1, 3), lab[-4:].reshape(-1, 3)]), axis=0)


def _background_coloured(rgb: np.ndarray, background: np.ndarray) -> np.ndarray:
    """(H, W) bool: pixels of ``rgb`` within 4 Lab units of ``background``."""
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    return np.linalg.norm(lab - background, axis=-1) < 4.0


@pytest.mark.parametrize("name", ["00470_00", "02783_00", "09176_00", "09263_00"])
def test_the_background_a_sleeve_encloses_is_not_worn(engine, shared_data: Path,
                                                       name: str) -> None:
    """A long sleeve touching the body further down encloses the background between them
    (a floral blouse, a print turtleneck, a gingham polo, a chain-print blouse, each on a
    flat studio white). The cut-out kept it as cloth and the fit warped it along the
    wearer's side: a white strip with the sleeve's shadow beside the arm (2001, 3651, 585
    and 142 background-coloured pixels of the garment layer on the person, each tried on
    its own model). It is left out of the prepared top: ≤ 63 now."""
    cloth = shared_data / f"vitonhd/paired/cloth/{name}.jpg"
    background = _background_lab(decode_image(cloth).rgb)
    result = engine.run(shared_data / f"vitonhd/paired/image/{name}.jpg", cloth, kind="top")
    garment = np.clip(np.rint(result.scene.garment), 0, 255).astype(np.uint8)  # [0, 255]
    worn = (result.scene.garment_mask >= 0.5) & _background_coloured(garment, background)
    assert int(worn.sum()) <= 100


@pytest.mark.parametrize("name", ["garments/idm/09266_00.jpg",   # black and white stripes
                                  "vitonhd/paired/cloth/07382_00.jpg",   # white crop top
                                  "vitonhd/paired/cloth/12562_00.jpg",   # white tee
                                  "vitonhd/paired/cloth/00151_00.jpg"])  # Breton stripes
def test_pale_cloth_is_no_enclosed_gap(shared_data: Path, name: str) -> None:
    """A garment whose own colour is its background's (white, white stripes) has thin
    upright pale parts that look like the background a sleeve encloses: none is taken out."""
    rgb = decode_image(shared_data / name).rgb
    assert not enclosed_gaps(rgb, cut_out(rgb, None)).any()


@pytest.mark.parametrize("name", ["09933_00", "08348_00"])  # camisoles
def test_the_background_inside_a_camisoles_strap_is_not_cloth(shared_data: Path,
                                                              name: str) -> None:
    """A camisole's strap leaning on its lace encloses a sliver of the background: it is
    found, and it is background-coloured but for its rim (2 work pixels, about a quarter of
    it: the outline's anti-aliased edge)."""
    rgb = decode_image(shared_data / f"vitonhd/paired/cloth/{name}.jpg").rgb
    alpha = cut_out(rgb, None)
    gaps = enclosed_gaps(rgb, alpha)
    assert gaps.sum() > 500
    assert _background_coloured(rgb, _background_lab(rgb))[gaps].mean() > 0.7


@pytest.mark.parametrize("name", ["garments/idm/04743_00.jpg",   # white tee, a crease
                                  "garments/idm/09256_00.jpg"])  # dalmatian spots
def test_thin_pale_lines_in_cloth_are_no_enclosed_gap(shared_data: Path, name: str) -> None:
    """A white tee's crease and the pale lines between a dalmatian print's spots are thin,
    long, upright and background-coloured, one a side: a work pixel wide, too thin for the
    background between a sleeve and the body."""
    rgb = decode_image(shared_data / name).rgb
    cropped, alpha = crop_item(rgb, cut_out(rgb, None), MAX_GARMENT_SIDE, "garment")
    assert not enclosed_gaps(cropped, alpha).any()
