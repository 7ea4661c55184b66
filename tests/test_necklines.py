"""What a new top's neck opening shows on the person."""

from __future__ import annotations

import itertools
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import drawn_skin_lightness
from tryon.kinds.top.neckline import best_path

OPEN_COLLAR_BLOUSE = "garments/idm/09176_00.jpg"
DARK_L = 125  # OpenCV's 8-bit Lab lightness: the back's inside in shade is darker
MOST_DARK = 0.01  # square body units of it under the neck, at most


@pytest.mark.parametrize("person", ["06961_00.jpg", "06953_00.jpg"])
def test_an_open_collar_shows_the_neck_not_the_inside_of_the_back(engine, shared_data: Path,
                                                                   person: str) -> None:
    """A gingham blouse open to its first button, on a blonde woman in a white tee and one in
    a navy long-sleeved tee: the inside of its back, seen through the collar's V on the
    product photo, was worn on the chest as a dark triangle (0.043 square body units of dark
    pixels in the neck's column down to half a unit below the shoulders). The generator now
    paints the neck and chest there (0.002 and 0.001)."""
    result = engine.run(shared_data / "vitonhd/persons" / person,
                        shared_data / OPEN_COLLAR_BLOUSE, kind="top")
    pose = result.person.pose
    unit = pose.unit_px
    middle = pose.neck_base
    x0, x1 = int(middle[0] - 0.15 * unit), int(middle[0] + 0.15 * unit)
    y0, y1 = int(middle[1] - 0.1 * unit), int(middle[1] + 0.5 * unit)
    lightness = cv2.cvtColor(result.image, cv2.COLOR_RGB2LAB)[y0:y1, x0:x1, 0]
    assert np.count_nonzero(lightness < DARK_L) < MOST_DARK * unit ** 2


RED_TEE = "vitonhd/paired/cloth/01430_00.jpg"
MOST_NECK_TONE_GAP = 35.0  # Lab units (OpenCV's 8-bit scale) from the real neck's median


def test_a_neck_drawn_under_a_beard_takes_the_faces_lit_skin(engine, shared_data: Path) -> None:
    """A bearded man in a beige hoodie, no bare skin trusted (the hoodie is skin-coloured):
    the neck drawn above a new tee took the face's median skin, which the beard pulls down,
    and was a dark brown plate over his real neck (71 Lab units from its median). Drawn skin
    with no bare skin beside it takes the face's lit half now (25)."""
    from tryon.body.pose import chin_point

    result = engine.run(shared_data / "openvto/people/1_selfie.jpg", shared_data / RED_TEE,
                        kind="top")
    scene, pose = result.scene, result.person.pose
    unit = pose.unit_px
    chin = chin_point(pose)
    base = pose.neck_base
    ys, xs = np.mgrid[0:scene.hint.shape[0], 0:scene.hint.shape[1]]
    column = (np.abs(xs - base[0]) < 0.2 * unit) & (ys > chin[1]) & (ys < base[1])
    drawn = column & scene.hint & np.any(scene.photo != result.working, axis=2)
    assert drawn.sum() > 0.02 * unit ** 2
    tone = np.median(cv2.cvtColor(scene.photo, cv2.COLOR_RGB2LAB)[drawn].astype(np.float32), 0)
    neck = np.median(cv2.cvtColor(result.working, cv2.COLOR_RGB2LAB)[drawn].astype(np.float32), 0)
    assert np.linalg.norm(tone - neck) < MOST_NECK_TONE_GAP


V_NECK_TEE = "vitonhd/paired/cloth/11791_00.jpg"
LEAST_CHEST_LIGHT = 0.78  # of the lit face's Lab lightness: the drawn chest's median


def test_a_chest_drawn_under_a_shadowed_neck_is_lit_like_the_face(engine,
                                                                   shared_data: Path) -> None:
    """A bearded man in a crew-neck jumper: the only bare skin beside a V-neck's opening is
    his neck in the beard's shadow, whose tone made the drawn chest a dark brown plate (its
    median 0.70 of the lit face's lightness; real bare chests are as light as the face's lit
    half, median 1.00, 10th percentile 0.86). A tone darker than the lit face takes
    its colour now (0.82 after the neckline's shading)."""
    result = engine.run_coarse(shared_data / "openvto/avatars/3.jpg", shared_data / V_NECK_TEE,
                               kind="top")
    pose = result.person.pose
    unit = pose.unit_px
    middle = pose.neck_base
    ys, xs = np.mgrid[0:result.working.shape[0], 0:result.working.shape[1]]
    chest = ((np.abs(xs - middle[0]) < 0.25 * unit) & (ys > middle[1])
             & (ys < middle[1] + 0.25 * unit))
    drawn, share = drawn_skin_lightness(result, chest)
    assert drawn.sum() > 0.02 * unit ** 2
    assert share > LEAST_CHEST_LIGHT


V_NECK_TEE = "vitonhd/paired/cloth/11791_00.jpg"
COLLAR_DARK_L = 70  # OpenCV's 8-bit Lab lightness of a dark collar (or dark hair)


def _dark_under_chin_kept(engine, shared_data: Path, person: str) -> float:
    """The share of the photo's dark pixels in the neck's column under the chin (0.15 body
    units about the chin-to-neck-base line) that the try-on of a V-neck tee keeps as they
    are (within 12 Lab units)."""
    from tryon.body.pose import chin_point
    from tryon.imaging.geometry import draw_capsule

    result = engine.run(shared_data / "vitonhd/persons" / person, shared_data / V_NECK_TEE,
                        kind="top")
    photo, pose = result.working, result.person.pose
    chin = chin_point(pose)
    neck_base = pose.neck_base
    column = np.zeros(photo.shape[:2], np.uint8)
    draw_capsule(column, chin, neck_base, 0.15 * pose.unit_px, 1)
    rows = np.arange(photo.shape[0])[:, None]
    before = cv2.cvtColor(photo, cv2.COLOR_RGB2LAB).astype(np.float32)
    after = cv2.cvtColor(result.image, cv2.COLOR_RGB2LAB).astype(np.float32)
    dark = ((before[..., 0] < COLLAR_DARK_L) & (column > 0) & (rows > chin[1])
            & result.person.person_mask)
    assert dark.sum() > 0.02 * pose.unit_px ** 2
    return float((np.abs(after - before).max(axis=2) < 12)[dark].mean())


@pytest.mark.parametrize(("person", "before"), [("00287_00.jpg", 0.711), ("00740_00.jpg", 0.404),
                                                ("10579_00.jpg", 0.416)])
def test_a_dark_collar_under_a_bare_chin_is_cleared(engine, shared_data: Path, person: str,
                                                    before: float) -> None:
    # A glittery black turtleneck under an afro, an olive one, a black ruffled mock neck:
    # the face's ellipse reaches under the chin, and there the collar, coloured like the
    # hair, was kept as hair over a new V-neck (a dark band between the chin and the drawn
    # neck). Under a bare chin no beard goes on down the neck.
    kept = _dark_under_chin_kept(engine, shared_data, person)
    assert kept < before / 4  # 0.06, 0.03 and 0.01 now


@pytest.mark.parametrize("person", ["09631_00.jpg", "13198_00.jpg", "01641_00.jpg"])
def test_long_dark_hair_beside_the_jaw_is_still_kept(engine, shared_data: Path,
                                                     person: str) -> None:
    # Long dark hair hanging beside the jaw crosses the neck's middle line on one side only:
    # it is not a collar and stays in front of the new top.
    assert _dark_under_chin_kept(engine, shared_data, person) > 0.35


LACE_V_CAMISOLE = "vitonhd/persons/08650_00.jpg"
SCOOP_TEE = "garments/idm/09305_00.jpg"
LINE_DEPTH = 15  # Lab lightness (8-bit) a pixel lies under its 7×7 median: a dark line
MOST_LINE_SHARE = 0.015  # of the open neckline's pixels, at most


def test_an_old_lace_trim_leaves_no_lines_on_the_drawn_chest(engine, shared_data: Path) -> None:
    """A black camisole with a brown lace trim along its V-neck, a blue scoop-neck tee tried
    on: the trim's scallops, neither skin nor the camisole's black, stayed as dark lines on
    the chest drawn where the V had been (the bare chest's edge along them was kept, and
    thin strips of them were taken for hair over the shoulders). 4.9 % of the open
    neckline's pixels lay as dark lines under their surroundings; 0.3 % now."""
    from tryon.imaging.geometry import dilate_disc

    result = engine.run(shared_data / LACE_V_CAMISOLE, shared_data / SCOOP_TEE, kind="top")
    assert result.scene is not None
    pose = result.person.pose
    unit, base = pose.unit_px, pose.neck_base
    lightness = cv2.cvtColor(result.image, cv2.COLOR_RGB2LAB)[..., 0]
    local = cv2.medianBlur(lightness, 7).astype(np.float32)
    rows, cols = np.mgrid[0:lightness.shape[0], 0:lightness.shape[1]]
    # The chest in the new neckline, not within a few pixels of the tee's soft edge.
    near_tee = dilate_disc(result.scene.garment_mask >= 0.2, max(1, int(0.08 * unit)))
    opening = ((rows > base[1]) & (rows < base[1] + 0.6 * unit)
               & (np.abs(cols - base[0]) < 0.6 * unit) & ~near_tee)
    assert opening.sum() > 0.03 * unit ** 2
    lines = opening & (lightness < local - LINE_DEPTH)
    assert lines.sum() < MOST_LINE_SHARE * opening.sum()


def test_best_path_is_the_best_of_all_paths() -> None:
    # The neckline's path through a score map (a dynamic programme, all shifts of a column
    # at once): checked against every path on small random maps, ties included.
    rng = np.random.default_rng(0)
    for trial in range(60):
        depth, columns, step = int(rng.integers(1, 6)), int(rng.integers(1, 6)), 1 + trial % 2
        score = np.round(rng.normal(size=(depth, columns)) * 2).astype(np.float32)
        ends = (rng.random(depth) < 0.6, rng.random(depth) < 0.6)
        ends[0][int(rng.integers(0, depth))] = True
        ends[1][int(rng.integers(0, depth))] = True
        best = max((sum(float(score[r, c]) for c, r in enumerate(rows))
                    for rows in itertools.product(range(depth), repeat=columns)
                    if ends[0][rows[0]] and ends[1][rows[-1]]
                    and all(abs(a - b) <= step for a, b in itertools.pairwise(rows))),
                   default=None)
        if best is None:
            continue  # no path joins the allowed ends
        path = best_path(score, ends, step)
        assert ends[0][path[0]] and ends[1][path[-1]]
        assert np.all(np.abs(np.diff(path)) <= step)
        assert float(score[path, np.arange(columns)].sum()) == best
