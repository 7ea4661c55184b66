"""Sketch → product (``tryon design --sketch``): the committed model on a hand-drawn demo
sketch gives an RGBA PNG that the try-on engine takes as shoes; the sketch reader (dark on
light and light on dark alike, blank paper refused); the command's error codes; and the
smoke config's real training loop followed by the export with its parity check.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import DEMO_ASSETS, PROJECT
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.decode import decode_image
from tryon.studio import sketch as sk
from tryon.studio.design import DEFAULT_MODEL, SketchModel, read_sketch
from tryon.tools.cli import main

SKETCHES = DEMO_ASSETS / "sketches"
SNEAKER = SKETCHES / "sneaker.png"
DEMO_PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
SMOKE = PROJECT / "training" / "configs" / "sketch-smoke.yaml"
MAX_DELTA_E = 5.0  # after the runtime's Lab correction (gamut and soft edges leave a little)


def _design(tmp_path: Path, *extra: str, sketch: Path = SNEAKER, name: str = "d.png"
            ) -> tuple[int, Path]:
    out = tmp_path / name
    return main(["design", "--sketch", str(sketch), "--out", str(out), *extra]), out


def test_committed_model_matches_the_contract() -> None:
    model = SketchModel(DEFAULT_MODEL, threads=1)
    assert sk.check_metadata(model.metadata) is None
    assert "non-commercial" in model.metadata["licence"]
    assert int(model.metadata["step"]) > 0
    assert DEFAULT_MODEL.stat().st_size < 4e6


def test_design_is_an_rgba_shoe_the_try_on_accepts(tmp_path: Path, capsys) -> None:
    code, out = _design(tmp_path, "--colour", "#7b1e2b", "--json")
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["delta_e"] < MAX_DELTA_E
    decoded = decode_image(out)
    assert decoded.alpha is not None and decoded.rgb.shape[:2] == (512, 512)
    solid = decoded.alpha >= 128
    assert 0.1 < solid.mean() < 0.8  # a product with background around it
    assert cv2.connectedComponents(solid.astype(np.uint8))[0] - 1 <= 3
    tried = tmp_path / "tried.png"
    code = main(["run", "--person", str(DEMO_PERSON), "--item", str(out), "--kind", "shoes",
                 "--out", str(tried), "--no-refine", "--json"])
    assert code == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["kind"] == "shoes"
    assert decode_image(tried).rgb.shape == decode_image(DEMO_PERSON).rgb.shape


def test_light_on_dark_and_unevenly_lit_sketches_read_alike() -> None:
    dark_on_light = decode_image(SNEAKER).rgb
    light_on_dark = 255 - dark_on_light
    a, b = read_sketch(dark_on_light), read_sketch(light_on_dark)
    assert a.shape == sk.SIZE and a.max() == pytest.approx(1.0, abs=0.11)
    assert np.abs(a - b).mean() < 0.01
    # A phone photo of the paper: light falling off to 55 % on one side, a warm cast, noise.
    height, width = dark_on_light.shape[:2]
    light = np.linspace(0.55, 1.0, width)[None, :, None] * np.linspace(0.8, 1.0, height)[
        :, None, None]
    noise = np.random.default_rng(0).normal(0, 4, dark_on_light.shape)
    photo = np.clip(dark_on_light * light * np.array([1.0, 0.97, 0.9]) + noise, 0, 255)
    assert np.abs(a - read_sketch(photo.astype(np.uint8))).mean() < 0.01
    ink = a > 0.5
    rows, cols = np.nonzero(ink)
    # cropped to the strokes and centred: the drawing spans the window but for its margin
    assert cols.max() - cols.min() > 0.8 * sk.SIZE[1]
    assert abs((rows.min() + rows.max()) / 2 - sk.SIZE[0] / 2) < 4


def test_blank_sketch_is_bad_item(tmp_path: Path, capsys) -> None:
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((300, 400, 3), 245, np.uint8))
    code, out = _design(tmp_path, "--colour", "#7b1e2b", sketch=blank)
    assert code == 2 and not out.exists()
    assert capsys.readouterr().err.strip() == (
        "error: bad_item: no strokes found in the sketch; draw the product's outline with dark "
        "lines on light paper (or light on dark)")
    with pytest.raises(TryOnError) as caught:
        read_sketch(np.full((100, 100, 3), 30, np.uint8))
    assert caught.value.code is ErrorCode.BAD_ITEM


@pytest.mark.parametrize("colour", ["red", "#12345", "#gg0000", ""])
def test_bad_colour_is_bad_argument(tmp_path: Path, capsys, colour: str) -> None:
    code, out = _design(tmp_path, "--colour", colour)
    assert code == 2 and not out.exists()
    err = capsys.readouterr().err
    assert err.startswith("error: bad_argument: --colour") and err.count("\n") == 1


def test_out_rules_and_bad_image(tmp_path: Path, capsys) -> None:
    code, _ = _design(tmp_path, "--colour", "#1f2a44", name="d.jpg")
    assert code == 2 and "error: bad_argument:" in capsys.readouterr().err
    existing = tmp_path / "d.png"
    existing.write_bytes(b"old")
    code, _ = _design(tmp_path, "--colour", "#1f2a44")
    assert code == 2 and "already exists" in capsys.readouterr().err
    assert existing.read_bytes() == b"old"
    code, _ = _design(tmp_path, "--colour", "#1f2a44", "--overwrite")
    assert code == 0 and decode_image(existing).alpha is not None
    capsys.readouterr()
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    code, _ = _design(tmp_path, "--colour", "#1f2a44", sketch=text, name="e.png")
    assert code == 2
    assert capsys.readouterr().err.startswith("error: bad_image:")


def test_smoke_config_trains_and_exports(smoke_train_export, tmp_path: Path) -> None:  # noqa: ANN001
    import torch

    from export.sketch import main as export_main
    from training.cli import main as train_main

    slim = tmp_path / "slim.pt"
    _, model = smoke_train_export(SMOKE, "sketch-cache.npz", export_main, "--slim", str(slim))
    loaded = SketchModel(model, threads=1)
    assert loaded.metadata["step"] == "2" and "non-commercial" in loaded.metadata["licence"]
    assert slim.is_file()
    picture, alpha = loaded.paint(read_sketch(SNEAKER), np.array([40.0, 30.0, 10.0]))
    assert picture.shape == (*sk.SIZE, 3) and alpha.shape == sk.SIZE
    # Training goes on from the slim checkpoint (fp16 EMA weights, fresh optimisers).
    again = tmp_path / "again"
    again.mkdir()
    shutil.copy(slim, again / "checkpoint.pt")
    assert train_main(["--config", str(SMOKE), f"run.out={again}", "run.steps=3"]) == 0
    assert torch.load(again / "checkpoint.pt", weights_only=False)["step"] == 3
