"""Colour families: a Lab colour's plain name (for cluster names and colour purity)."""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["COLOUR_FAMILIES", "colour_family", "lab_to_hex"]

# Named sRGB references; a colour belongs to the family whose reference is nearest in Lab.
COLOUR_FAMILIES: dict[str, tuple[int, int, int]] = {
    "black": (20, 20, 22), "white": (245, 245, 242), "grey": (135, 135, 135),
    "red": (190, 30, 40), "orange": (235, 125, 40), "yellow": (240, 215, 60),
    "green": (50, 135, 70), "blue": (45, 90, 190), "navy": (28, 38, 80),
    "purple": (115, 55, 150), "pink": (240, 150, 180), "brown": (110, 70, 40),
    "beige": (215, 195, 160),
}
_NAMES = tuple(COLOUR_FAMILIES)
_REFERENCES = cv2.cvtColor(
    np.array([list(COLOUR_FAMILIES.values())], np.float32) / 255.0, cv2.COLOR_RGB2LAB)[0]


def colour_family(lab: np.ndarray) -> str:
    """The family name of one Lab colour ((3,): L in [0, 100], a and b about ±128)."""
    distances = np.linalg.norm(_REFERENCES - np.asarray(lab, np.float32)[None], axis=1)
    return _NAMES[int(np.argmin(distances))]


def lab_to_hex(lab: np.ndarray) -> str:
    """``#rrggbb`` of one Lab colour (clipped to sRGB)."""
    rgb = cv2.cvtColor(np.asarray(lab, np.float32).reshape(1, 1, 3), cv2.COLOR_LAB2RGB)[0, 0]
    red, green, blue = (int(round(v)) for v in np.clip(rgb, 0.0, 1.0) * 255)
    return f"#{red:02x}{green:02x}{blue:02x}"
