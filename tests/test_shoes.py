"""Shoes: item preparation, feet from the pose, the pipeline on full-body photos."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import DEMO_ASSETS
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.cutout import cut_out
from tryon.imaging.decode import decode_image
from tryon.kinds.shoes.product import looks_like_shoes, prepare_shoes

DASH_FORCE = DEMO_ASSETS / "shoes" / "dash-force.png"


def _prepare(path: Path, mirror: bool = False):
    item = decode_image(path)
    rgb, alpha = item.rgb, item.alpha
    if mirror:
        rgb = np.ascontiguousarray(rgb[:, ::-1])
        alpha = None if alpha is None else np.ascontiguousarray(alpha[:, ::-1])
    return prepare_shoes(rgb, cut_out(rgb, alpha))


class TestPrepareShoes:
    def test_side_view_faces_right_with_keypoints(self) -> None:
        (shoe,) = _prepare(DASH_FORCE)
        assert shoe.toe[0] > shoe.heel[0]
        assert abs(shoe.toe[1] - shoe.heel[1]) < 2  # both on the sole line
        assert shoe.collar[1] < shoe.heel[1] - 0.3 * shoe.height
        assert shoe.collar[0] < (shoe.heel[0] + shoe.toe[0]) / 2  # opening over the heel half
        assert shoe.alpha.shape == shoe.rgb.shape[:2]

    def test_mirrored_photo_gives_the_same_shoe(self) -> None:
        (a,) = _prepare(DASH_FORCE)
        (b,) = _prepare(DASH_FORCE, mirror=True)
        assert abs(a.length - b.length) < 3
        assert abs(a.collar[0] - b.collar[0]) < 0.05 * a.length

    def test_product_shadow_is_dropped(self) -> None:
        (shoe,) = _prepare(DASH_FORCE)
        # The studio shadow lies under the sole: nothing of it survives below the sole line.
        assert shoe.alpha[int(shoe.heel[1]) + 3:].max(initial=0.0) < 0.5

    @pytest.mark.parametrize("name", ["saleor-blue-plimsolls-2.png",   # pair from the top
                                      "saleor-blue-plimsolls-3.png",   # pair from the back
                                      "saleor-white-plimsolls-1.png"])  # pair from the top
    def test_top_and_back_views_are_refused(self, shared_data: Path, name: str) -> None:
        with pytest.raises(TryOnError) as info:
            _prepare(shared_data / "shoes" / "saleor" / name)
        assert info.value.code is ErrorCode.UNSUPPORTED_ITEM_VIEW

    @pytest.mark.parametrize("name", ["10035.jpg", "10037.jpg", "10080.jpg", "10093.jpg"])
    def test_shoes_on_white(self, shared_data: Path, name: str) -> None:
        (shoe,) = _prepare(shared_data / "shoes" / "myntra" / name)
        assert shoe.length > 0.7 * shoe.rgb.shape[1]
        assert 0.25 < shoe.height / shoe.length < 0.8

    def test_shape_tells_shoes_from_tops(self) -> None:
        shoe = decode_image(DASH_FORCE)
        top = decode_image(DEMO_ASSETS / "tops" / "denim-jacket.jpg")
        assert looks_like_shoes(cut_out(shoe.rgb, shoe.alpha))
        assert not looks_like_shoes(cut_out(top.rgb, top.alpha))


def _dresscode_pairs(shared: Path) -> list[tuple[Path, Path]]:
    root = shared / "dresscode_sample" / "dresscode"
    pairs = []
    for image in sorted(root.glob("*/images/*_0.jpg")):
        label = image.parent.parent / "label_maps" / image.name.replace("_0.jpg", "_4.png")
        if label.is_file():
            pairs.append((image, label))
    return pairs


class TestPipeline:
    @pytest.mark.parametrize("person", ["fullbody/049205_0.jpg", "fullbody/051482_0.jpg",
                                        "openvto/avatars/1.jpg", "openvto/people/1_posture.jpg"])
    def test_full_body_photo_gets_two_shoes_on_the_feet(self, engine, shared_data: Path,
                                                         person: str) -> None:
        result = engine.run(shared_data / person, DASH_FORCE, kind="shoes")
        assert result.kind == "shoes" and len(result.fitted) == 2
        photo, out = result.photo, result.image
        height = photo.shape[0]
        changed = np.any(out != photo, axis=2)
        assert changed.any()
        # Everything outside the repaint region is byte-identical, and that region is low.
        assert not (changed & ~result.composite.repaint).any()
        assert np.nonzero(changed)[0].min() > 0.55 * height
        for shoe in result.fitted:
            foot = shoe.foot
            heel, toe = shoe.sole
            # The sole runs the way the foot points and sits at or below the heel landmark.
            assert np.sign(toe[0] - heel[0]) == np.sign(foot.toe[0] - foot.heel[0]) or abs(
                foot.toe[0] - foot.heel[0]) < 0.3 * foot.full_length
            assert max(heel[1], toe[1]) >= foot.heel[1] - 0.05 * foot.full_length
            coverage = result.composite.item_mask >= 0.5
            x0, y0, x1, y1 = shoe.box
            assert coverage[y0:y1, x0:x1].any()

    def test_upper_body_photo_is_feet_not_visible(self, engine, shared_data: Path) -> None:
        for name in ("00006_00.jpg", "00008_00.jpg"):
            with pytest.raises(TryOnError) as info:
                engine.run(shared_data / "vitonhd" / "persons" / name, DASH_FORCE, kind="shoes")
            assert info.value.code is ErrorCode.FEET_NOT_VISIBLE

    def test_iou_with_labelled_shoes(self, engine, shared_data: Path) -> None:
        """Placed shoes against DressCode's labelled shoes (9 = left, 10 = right). Printed
        for the record (pytest -s); the median must show the shoes land on the feet."""
        pairs = _dresscode_pairs(shared_data)
        if not pairs:
            pytest.skip("no DressCode label maps under ../shared/data/dresscode_sample")
        scores = []
        for image, label in pairs:
            labels = np.array(Image.open(label))
            truth = (labels == 9) | (labels == 10)
            placed = engine.run(image, DASH_FORCE, kind="shoes").composite.item_mask >= 0.5
            iou = float((placed & truth).sum()) / max(1, int((placed | truth).sum()))
            scores.append(iou)
            print(f"shoe IoU {image.name}: {iou:.3f}")
        print(f"shoe IoU median over {len(scores)}: {np.median(scores):.3f}")
        assert np.median(scores) > 0.1
        assert max(scores) > 0.4


def test_one_foot_in_the_photo_gets_one_shoe_and_a_warning(engine, shared_data: Path) -> None:
    import io

    photo = Image.open(shared_data / "fullbody" / "049205_0.jpg")
    buffer = io.BytesIO()
    photo.crop((0, 0, 420, photo.height)).save(buffer, "JPEG")  # the left foot is cut off
    result = engine.run(buffer.getvalue(), DASH_FORCE, kind="shoes")
    assert len(result.fitted) == 1
    assert any("one shoe" in warning for warning in result.warnings)


def test_trouser_hems_stay_in_front(engine, shared_data: Path) -> None:
    """Trousers over the shoes (openvto avatar 1): the hem found at each foot is left as it
    was, and it is trouser-coloured cloth, not the old shoe."""
    import cv2

    result = engine.run(shared_data / "openvto" / "avatars" / "1.jpg", DASH_FORCE,
                        kind="shoes")
    for shoe in result.fitted:
        hem = shoe.regions.hem
        assert hem.sum() > 200
        inner = cv2.erode(hem.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
        assert np.array_equal(result.image[inner], result.photo[inner])
        assert not (hem & shoe.regions.old_shoe).any()
