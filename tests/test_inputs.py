"""Library calls with every kind of input a Python user passes, wrong constructor arguments and
a closed engine: the engine answers with its own error codes, never a raw TypeError."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import DEMO_ASSETS
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.decode import DecodeLimits, decode_image
from tryon.pipeline import TryOnEngine, TryOnResult

PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
TOP = DEMO_ASSETS / "tops" / "white-tee.jpg"
SHOE = DEMO_ASSETS / "shoes" / "blue-plimsolls.png"
VITON_PERSON = "vitonhd/persons/00006_00.jpg"


def _code(call: Callable[[], object]) -> TryOnError:
    with pytest.raises(TryOnError) as info:
        call()
    return info.value


@pytest.fixture(scope="module")
def reference(engine: TryOnEngine) -> TryOnResult:
    """The demo try-on from file paths: every other input form must give the same picture."""
    return engine.run(str(PERSON), str(TOP), kind="top")


@pytest.mark.parametrize("form", ["path", "bytes", "bytearray", "memoryview", "array", "pil"])
def test_every_input_form_gives_the_same_try_on(engine: TryOnEngine, reference: TryOnResult,
                                                form: str) -> None:
    person_bytes = PERSON.read_bytes()
    convert: dict[str, Callable[[Path], object]] = {
        "path": lambda path: path,
        "bytes": lambda path: path.read_bytes(),
        "bytearray": lambda path: bytearray(path.read_bytes()),
        "memoryview": lambda path: memoryview(path.read_bytes()),
        "array": lambda path: np.array(decode_image(path).rgb),
        "pil": Image.open,
    }
    result = engine.run(convert[form](PERSON), convert[form](TOP), kind="top")
    assert np.array_equal(result.image, reference.image)
    assert result.image.shape == decode_image(person_bytes).rgb.shape


def test_rgba_and_grey_arrays(engine: TryOnEngine, reference: TryOnResult,
                              shared_data: Path) -> None:
    rgb = decode_image(PERSON).rgb
    rgba = np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])
    assert np.array_equal(engine.run(rgba, TOP, kind="top").image, reference.image)
    # A product with real transparency keeps it: the RGBA array of a shoe photo gives what
    # its PNG file gives.
    shoe = decode_image(SHOE)
    assert shoe.alpha is not None
    as_array = engine.run(PERSON, np.dstack([shoe.rgb, shoe.alpha]), kind="shoes")
    assert np.array_equal(as_array.image, engine.run(PERSON, SHOE, kind="shoes").image)
    grey = np.asarray(Image.open(shared_data / VITON_PERSON).convert("L"))
    result = engine.run(grey, TOP, kind="top")
    assert result.image.shape == (*grey.shape, 3)


def test_pil_images_in_other_modes(engine: TryOnEngine, reference: TryOnResult) -> None:
    """A PIL image is read like a file: any mode becomes RGB, a lazily opened file loads."""
    with Image.open(PERSON) as photo:
        result = engine.run(photo.convert("RGBA"), Image.open(TOP).convert("P"), kind="top")
    assert result.image.shape == reference.image.shape


@pytest.mark.parametrize("wrong", [None, 7, 3.5, True, ["photo.jpg"], {"path": "x"}, object(),
                                   np.zeros((100, 100, 3), np.float32),
                                   np.zeros((100, 100, 2), np.uint8),
                                   np.zeros((4, 100, 100, 3), np.uint8),
                                   np.zeros(100, np.uint8)],
                         ids=["None", "int", "float", "bool", "list", "dict", "object",
                              "float-array", "two-channels", "4-d", "1-d"])
def test_wrong_types_are_bad_argument(engine: TryOnEngine, wrong: object) -> None:
    for person, item, what in ((wrong, TOP, "person photo"), (PERSON, wrong, "item photo")):
        error = _code(lambda p=person, i=item: engine.run(p, i, kind="top"))  # type: ignore[misc]
        assert error.code is ErrorCode.BAD_ARGUMENT, error
        assert error.message.startswith(what), error.message


def test_arrays_and_pil_images_pass_the_size_limits() -> None:
    limits = DecodeLimits(max_pixels=200 * 200)
    engine = TryOnEngine(limits=limits, refine=False, cache_size=0)
    big = np.zeros((300, 300, 3), np.uint8)
    tiny = np.zeros((20, 400, 3), np.uint8)
    assert _code(lambda: engine.run(big, TOP)).code is ErrorCode.IMAGE_TOO_LARGE
    assert _code(lambda: engine.run(Image.fromarray(big), TOP)).code is \
        ErrorCode.IMAGE_TOO_LARGE
    assert _code(lambda: engine.run(tiny, TOP)).code is ErrorCode.IMAGE_TOO_SMALL
    assert _code(lambda: engine.run(Image.fromarray(tiny), TOP)).code is \
        ErrorCode.IMAGE_TOO_SMALL
    over_bytes = bytearray(DecodeLimits().max_bytes + 1)
    assert _code(lambda: engine.run(memoryview(over_bytes), TOP)).code is \
        ErrorCode.IMAGE_TOO_LARGE
    engine.close()


@pytest.mark.parametrize("arguments", [
    {"cache_size": -1}, {"cache_size": 2.5}, {"cache_size": "8"}, {"cache_size": None},
    {"provider": None}, {"provider": "gpu"}, {"provider": 3},
    {"model_path": 5}, {"limits": "large"}, {"refine": "yes"},
    {"work_pixels": 100}, {"work_pixels": 2.0e6},
], ids=lambda arguments: "-".join(f"{k}={v!r}" for k, v in arguments.items()))
def test_wrong_constructor_arguments_are_bad_argument(arguments: dict[str, object]) -> None:
    error = _code(lambda: TryOnEngine(**arguments))  # type: ignore[arg-type]
    assert error.code is ErrorCode.BAD_ARGUMENT, error


@pytest.mark.parametrize("field", ["max_bytes", "max_pixels", "min_side"])
def test_wrong_limits_are_bad_argument(field: str) -> None:
    assert _code(lambda: DecodeLimits(**{field: 0})).code is ErrorCode.BAD_ARGUMENT
    assert _code(lambda: DecodeLimits(**{field: -5})).code is ErrorCode.BAD_ARGUMENT


def test_a_closed_engine_refuses_work() -> None:
    engine = TryOnEngine(refine=False)
    engine.run(PERSON, TOP, kind="top")
    engine.close()
    engine.close()  # closing twice is fine
    assert engine.closed
    for call in (lambda: engine.run(PERSON, TOP), lambda: engine.run_coarse(PERSON, TOP),
                 lambda: engine.refine_batch([]), engine.__enter__):
        error = _code(call)
        assert error.code is ErrorCode.BAD_ARGUMENT and "closed" in error.message


def test_an_engine_is_closed_after_its_with_block() -> None:
    with TryOnEngine(refine=False) as engine:
        assert not engine.closed
    error = _code(lambda: engine.run(PERSON, TOP))
    assert error.code is ErrorCode.BAD_ARGUMENT and "closed" in error.message
