"""The one error type the engine raises for bad or unsuitable input.

Every user-facing entry point (CLI, UI, library API) catches :class:`TryOnError` and shows
``error: <code>: <message>``; the codes below are stable and documented in ``docs/errors.md``.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["ErrorCode", "TryOnError"]


class ErrorCode(str, Enum):
    """Stable machine-readable error codes."""

    BAD_IMAGE = "bad_image"
    IMAGE_TOO_LARGE = "image_too_large"
    IMAGE_TOO_SMALL = "image_too_small"
    NO_PERSON = "no_person"
    BODY_NOT_VISIBLE = "body_not_visible"
    PERSON_FACING_AWAY = "person_facing_away"
    PERSON_SIDE_ON = "person_side_on"
    BAD_ITEM = "bad_item"
    UNSUPPORTED_KIND = "unsupported_kind"
    FEET_NOT_VISIBLE = "feet_not_visible"
    LEGS_NOT_VISIBLE = "legs_not_visible"
    UNSUPPORTED_ITEM_VIEW = "unsupported_item_view"
    UNSUPPORTED_ITEM = "unsupported_item"
    ITEM_KIND_MISMATCH = "item_kind_mismatch"
    BAD_ARGUMENT = "bad_argument"
    REFINER_UNAVAILABLE = "refiner_unavailable"
    EXPORT_FAILED = "export_failed"


class TryOnError(Exception):
    """Bad or unsuitable input, with a stable :class:`ErrorCode` and a short message."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(f"{code.value}: {message}")
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code.value}: {self.message}"
