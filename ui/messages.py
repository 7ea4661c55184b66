"""What the shopper reads when a try-on fails: one plain sentence per engine error code.

Every :class:`~tryon.errors.ErrorCode` has a sentence in :data:`SHOPPER_MESSAGES` (a test
checks it); codes added later fall back to :data:`GENERIC_MESSAGE`. ``{picture}`` and
``{Picture}`` stand for "your photo" or "the product photo", whichever the error is about.
"""

from __future__ import annotations

from tryon.errors import ErrorCode, TryOnError

__all__ = ["GENERIC_MESSAGE", "SHOPPER_MESSAGES", "shopper_message", "shopper_warning"]

SHOPPER_MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.BAD_IMAGE:
        "We could not open {picture} — please use a JPEG, PNG or WebP picture.",
    ErrorCode.IMAGE_TOO_LARGE:
        "{Picture} is too large — please use a smaller picture (under 40 MB).",
    ErrorCode.IMAGE_TOO_SMALL:
        "{Picture} is too small — please use a larger, sharper picture.",
    ErrorCode.NO_PERSON:
        "We could not find anyone in your photo — use a photo of one person facing the camera.",
    ErrorCode.BODY_NOT_VISIBLE:
        "We could not see your shoulders — step back so your upper body is in the picture, "
        "facing the camera.",
    ErrorCode.BAD_ITEM:
        "We could not make out the product — use a photo of a top on a plain background "
        "(or with a transparent background).",
    ErrorCode.UNSUPPORTED_KIND:
        "We cannot try this kind of item on yet — please pick a top, trousers, a skirt, a "
        "dress or a pair of shoes.",
    ErrorCode.FEET_NOT_VISIBLE:
        "We could not see your feet — step back so your whole body is in the picture.",
    ErrorCode.LEGS_NOT_VISIBLE:
        "We could not see your legs — step back so your whole body, down to your feet, is in "
        "the picture.",
    ErrorCode.UNSUPPORTED_ITEM:
        "This picture does not look like a top, trousers, a dress or shoes — please use a "
        "product photo on a plain background.",
    ErrorCode.UNSUPPORTED_ITEM_VIEW:
        "This shoe is shown from the front, back or top — please use a side view of the shoe.",
    ErrorCode.BAD_ARGUMENT:
        "Something went wrong with this request — please start again.",
    ErrorCode.REFINER_UNAVAILABLE:
        "We could not finish the picture right now — please try again in a moment.",
    ErrorCode.EXPORT_FAILED:
        "Something went wrong on our side — please try again in a moment.",
}

GENERIC_MESSAGE = "Something went wrong on our side — please try again, or try another photo."

# (words in the engine's warning, what the shopper reads; None: for staff, shown in details)
_WARNINGS: tuple[tuple[str, str | None], ...] = (
    ("people seen", "We saw more than one person and dressed the largest one."),
    ("foot is visible", "We could only see one of your feet, so only that foot got a shoe."),
    ("model installed", None),  # tryon.pipeline.NO_MODEL_WARNING: a technical note
)


def shopper_message(error: TryOnError | BaseException) -> str:
    """The sentence to show for ``error``; :data:`GENERIC_MESSAGE` for anything unexpected."""
    code = getattr(error, "code", None)
    template = SHOPPER_MESSAGES.get(code) if isinstance(code, ErrorCode) else None
    if template is None:
        return GENERIC_MESSAGE
    about_item = str(getattr(error, "message", "")).startswith("item photo")
    picture = "the product photo" if about_item else "your photo"
    return template.format(picture=picture, Picture=picture[0].upper() + picture[1:])


def shopper_warning(warning: str) -> str | None:
    """A friendlier wording of an engine warning (the engine's text when none is known), or
    None for a technical note a shopper need not read."""
    for needle, sentence in _WARNINGS:
        if needle in warning.lower():
            return sentence
    return warning[0].upper() + warning[1:] if warning else warning
