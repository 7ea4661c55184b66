"""What the shopper reads when a try-on fails: one plain sentence per error code.

Every :class:`~tryon.errors.ErrorCode` has a sentence in :data:`SHOPPER_MESSAGES`, and every
:class:`~tryon.serve.errors.ServeErrorCode` (what a try-on server, ``$TRYON_SERVER``, can
answer) one in :data:`SERVER_MESSAGES` (tests check both); codes added later fall back to
:data:`GENERIC_MESSAGE`. ``{picture}`` and ``{Picture}`` stand for "your photo" or "the
product photo", whichever the error is about.
"""

from __future__ import annotations

from tryon.errors import ErrorCode, TryOnError
from tryon.serve.errors import ServeErrorCode

__all__ = ["GENERIC_MESSAGE", "SERVER_MESSAGES", "SHOPPER_MESSAGES", "shopper_message",
           "shopper_warning"]

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
    ErrorCode.PERSON_FACING_AWAY:
        "You seem to be facing away from the camera — please use a photo taken from the "
        "front.",
    ErrorCode.PERSON_SIDE_ON:
        "You seem to be turned sideways — please use a photo taken from the front, facing "
        "the camera.",
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
    ErrorCode.ITEM_KIND_MISMATCH:
        "This product does not look like the kind of item chosen — please pick the item's "
        "kind again, or let us tell it for you.",
    ErrorCode.UNSUPPORTED_ITEM_VIEW:
        "This shoe is shown from the front, back or top — please use a side view of the shoe.",
    ErrorCode.BAD_ARGUMENT:
        "Something went wrong with this request — please start again.",
    ErrorCode.REFINER_UNAVAILABLE:
        "We could not finish the picture right now — please try again in a moment.",
    ErrorCode.EXPORT_FAILED:
        "Something went wrong on our side — please try again in a moment.",
}

_SERVICE_BUSY = "Our try-on service is busy right now — please try again in a moment."
_SERVICE_DOWN = "Our try-on service is unavailable right now — please try again in a moment."
_SERVICE_FAULT = "Something went wrong on our side — please try again in a moment."

# What a try-on server can answer besides the engine's codes (tryon.serve.errors). A shopper
# cannot fix any of these: they are told to wait, never about keys or limits.
SERVER_MESSAGES: dict[ServeErrorCode, str] = {
    ServeErrorCode.UNAUTHORIZED: _SERVICE_DOWN,  # the page's key is wrong: staff must act
    ServeErrorCode.RATE_LIMITED: _SERVICE_BUSY,
    ServeErrorCode.BUSY: _SERVICE_BUSY,
    ServeErrorCode.NOT_READY: _SERVICE_BUSY,
    ServeErrorCode.TIMEOUT:
        "Our try-on service took too long to answer — please try again in a moment.",
    ServeErrorCode.READ_TIMEOUT:
        "Our try-on service took too long to answer — please try again in a moment.",
    ServeErrorCode.SERVER_UNAVAILABLE: _SERVICE_DOWN,
    ServeErrorCode.REQUEST_TOO_LARGE:
        "Your photos are too large for our try-on service — please use smaller pictures.",
    ServeErrorCode.BAD_REQUEST: _SERVICE_FAULT,
    ServeErrorCode.NOT_FOUND: _SERVICE_FAULT,
    ServeErrorCode.METHOD_NOT_ALLOWED: _SERVICE_FAULT,
    ServeErrorCode.INTERNAL_ERROR: _SERVICE_FAULT,
    ServeErrorCode.INSECURE_BIND: _SERVICE_DOWN,
}

GENERIC_MESSAGE = "Something went wrong on our side — please try again, or try another photo."

# (words in the engine's warning, what the shopper reads; None: for staff, shown in details)
_WARNINGS: tuple[tuple[str, str | None], ...] = (
    ("people seen", "We saw more than one person and dressed the largest one."),
    ("foot is visible", "We could only see one of your feet, so only that foot got a shoe."),
    ("model installed", None),  # tryon.pipeline.NO_MODEL_WARNING: a technical note
)


def shopper_message(error: TryOnError | BaseException, picture: str | None = None) -> str:
    """The sentence to show for ``error``; :data:`GENERIC_MESSAGE` for anything unexpected.
    ``picture`` names the picture at fault ("the sketch"); by default "the product photo"
    when the engine's message is about the item, else "your photo"."""
    code = getattr(error, "code", None)
    template = (SHOPPER_MESSAGES.get(code) if isinstance(code, ErrorCode) else
                SERVER_MESSAGES.get(code) if isinstance(code, ServeErrorCode) else None)
    if template is None:
        return GENERIC_MESSAGE
    if picture is None:
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
