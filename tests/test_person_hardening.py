"""Person analysis on awkward real photos: two people side by side (MediaPipe's mask covers
only the one it found) and greyscale copies that MediaPipe misses until their contrast is
stretched."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tryon.body.landmarks import PoseLandmark as L
from tryon.body.person import PersonAnalysis
from tryon.imaging.decode import decode_image

PERSONS = "vitonhd/persons"
SEVERAL = "people seen; using the largest"
# Greyscale copies that MediaPipe alone answers with no person (found by trying every grey
# copy of the first 600 VITON-HD persons; their colour originals work).
GREY_MISSED = ("01486_00.jpg", "03173_00.jpg")
SHOULDERS = [L.LEFT_SHOULDER, L.RIGHT_SHOULDER]


def _side_by_side(shared_data: Path, left: str, right: str) -> np.ndarray:
    """Two person photos of the same height next to each other: (H, 2W, 3) uint8 RGB."""
    photos = [decode_image(shared_data / PERSONS / name).rgb for name in (left, right)]
    return np.ascontiguousarray(np.concatenate(photos, axis=1))


@pytest.mark.parametrize("left, right", [("00006_00.jpg", "00008_00.jpg"),
                                         ("00013_00.jpg", "00017_00.jpg")])
def test_two_people_side_by_side_give_a_warning(analyzer, shared_data: Path, left: str,
                                                right: str) -> None:
    photo = _side_by_side(shared_data, left, right)
    result: PersonAnalysis = analyzer.analyze(photo)
    assert any(SEVERAL in warning for warning in result.warnings), result.warnings
    # The person used is one whole person: both shoulders on the same half of the picture.
    half = photo.shape[1] // 2
    sides = {bool(x < half) for x in result.pose.xy[SHOULDERS, 0]}
    assert len(sides) == 1


def test_the_larger_person_side_by_side_is_used(analyzer, shared_data: Path) -> None:
    """A person at 60 % size beside a full-size one: the full-size one is analysed, whichever
    MediaPipe found first."""
    big = decode_image(shared_data / PERSONS / "00013_00.jpg").rgb
    small_image = Image.open(shared_data / PERSONS / "00017_00.jpg")
    small = np.asarray(small_image.resize((230, 307), Image.Resampling.LANCZOS))
    canvas = np.full_like(big, 235)
    canvas[big.shape[0] - small.shape[0]:, 77:77 + small.shape[1]] = small
    for photo, big_left in ((np.concatenate([canvas, big], axis=1), False),
                            (np.concatenate([big, canvas], axis=1), True)):
        result = analyzer.analyze(np.ascontiguousarray(photo))
        assert any(SEVERAL in warning for warning in result.warnings), result.warnings
        on_left = result.pose.xy[SHOULDERS, 0].mean() < big.shape[1]
        assert on_left == big_left


@pytest.mark.parametrize("name", ["openvto/people/3_posture.jpg", "openvto/people/1_posture.jpg",
                                  "openvto/avatars/2.jpg", "fullbody/049205_0.jpg",
                                  "halfbody/01008_00.jpg", f"{PERSONS}/00006_00.jpg"])
def test_one_person_gives_no_warning(analyzer, shared_data: Path, name: str) -> None:
    """Photos with room beside a single person (the strip search runs) stay warning-free."""
    assert analyzer.analyze(decode_image(shared_data / name).rgb).warnings == ()


def _detections(analyzer, monkeypatch, photo: np.ndarray) -> int:
    """How many times the real detector runs while ``photo`` is analysed."""
    calls = []
    detect = analyzer._detect

    def counted(rgb):
        calls.append(rgb.shape)
        return detect(rgb)

    monkeypatch.setattr(analyzer, "_detect", counted)
    analyzer.analyze(photo)
    monkeypatch.undo()
    return len(calls)


def test_a_plain_wall_beside_the_person_is_not_searched(analyzer, shared_data: Path,
                                                        monkeypatch) -> None:
    """A full-body studio photo has wide strips of plain wall beside the person: they are
    not searched for a second person (one detection, not two); a strip with a person in it
    still is."""
    studio = decode_image(shared_data / "fullbody" / "049205_0.jpg").rgb
    assert _detections(analyzer, monkeypatch, studio) == 1
    pair = _side_by_side(shared_data, "00006_00.jpg", "00008_00.jpg")
    assert _detections(analyzer, monkeypatch, pair) >= 2


@pytest.mark.parametrize("name", GREY_MISSED)
def test_greyscale_copy_is_found_like_the_colour_photo(analyzer, shared_data: Path,
                                                       name: str) -> None:
    path = shared_data / PERSONS / name
    grey = np.ascontiguousarray(np.asarray(Image.open(path).convert("L").convert("RGB")))
    colour = analyzer.analyze(decode_image(path).rgb)
    found = analyzer.analyze(grey)
    assert found.mask.shape == grey.shape[:2]
    assert 0.2 < found.person_mask.mean() < 0.8
    shift = np.linalg.norm(found.pose.xy[SHOULDERS] - colour.pose.xy[SHOULDERS], axis=1)
    assert shift.max() < 0.15 * colour.pose.shoulder_width, shift
