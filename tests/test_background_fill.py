"""The wall where an old top was: filled from the background beside it, texture and all.

A band of real background beside the person is hidden and filled
(:func:`tryon.kinds.top.backdrop.filled_from_background`, as the top's scene fills what an old
top wider than the new one covered); the real pixels are the truth. The photos are the MIT
openvto customer photos in a park (gravel) and a living room (a window and a bookshelf).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from tryon.body.person import PersonAnalyzer
from tryon.imaging.decode import decode_image
from tryon.imaging.geometry import dilate_disc
from tryon.kinds.top.backdrop import filled_from_background

BAND = 0.15  # body units beside the person's outline, from the shoulders to the hips
DETAIL_SIGMA = 2.0  # pixels: the detail is what a Gaussian of this sigma takes away
MIN_DETAIL = 0.7  # of the real band's detail the fill keeps, at least
MAX_SHIFT = 16.0  # Lab units (OpenCV's 8-bit scale) between the fill's median and the band's


def _detail(picture: np.ndarray, where: np.ndarray) -> float:
    grey = cv2.cvtColor(picture, cv2.COLOR_RGB2GRAY).astype(np.float32)
    return float(np.abs(grey - cv2.GaussianBlur(grey, (0, 0), DETAIL_SIGMA))[where].mean())


@pytest.mark.parametrize("photo_name", ["2_posture.jpg", "3_posture.jpg"])
def test_a_hidden_band_of_background_is_filled_with_its_texture(
        shared_data: Path, analyzer: PersonAnalyzer, photo_name: str) -> None:
    """The smooth fill alone drew a pale, blurred band where the old top's outline had been
    (gravel's detail 5.1 against 11.0 real, a window and bookshelf's 4.9 against 15.1); the
    background mirrored across the band's edge carries its texture on (13.0 and 21.8)."""
    photo = decode_image(shared_data / "openvto" / "people" / photo_name).rgb
    person = analyzer.analyze(photo)
    unit_px = person.pose.unit_px
    grown = dilate_disc(person.person_mask, int(round(BAND * unit_px)))
    rows = np.arange(photo.shape[0])[:, None]
    band = (grown & ~person.person_mask & (rows > person.pose.neck_base[1])
            & (rows < person.pose.hips_middle[1]))
    assert band.sum() > 5000
    filled = filled_from_background(photo, band, grown, unit_px)
    assert filled is not None
    assert np.array_equal(filled[~band], photo[~band])  # only the band is filled
    assert _detail(filled, band) >= MIN_DETAIL * _detail(photo, band)
    lab_real = cv2.cvtColor(photo, cv2.COLOR_RGB2LAB).astype(np.float32)[band]
    lab_fill = cv2.cvtColor(filled, cv2.COLOR_RGB2LAB).astype(np.float32)[band]
    assert np.linalg.norm(np.median(lab_fill, axis=0) - np.median(lab_real, axis=0)) < MAX_SHIFT
