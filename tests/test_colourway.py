"""The colourway GAN (``tryon variant --method gan``): its input contract hides the source
colour, the real exported model on a real saleor shoe (RGBA out, kept pixels bit-exact,
colour reached, accepted by the try-on), the CLI's method choice, and the smoke config's real
training loop followed by the export with its parity check.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import DEMO_ASSETS, PROJECT
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.decode import decode_image
from tryon.studio import colourway as cw
from tryon.studio import gan, make_variant
from tryon.tools.cli import main

MODEL = PROJECT / "models" / "colourway.onnx"
SMOKE = PROJECT / "training" / "configs" / "colourway-smoke.yaml"
DEMO_PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
SHOE = Path("shoes") / "saleor" / "saleor-blue-plimsolls-1.png"
# Requested vs the region's median (the runtime moves the median onto the target; what is
# left comes from the 8-bit sRGB gamut and the region's soft edge).
MAX_DELTA_E = 3.0
needs_model = pytest.mark.skipif(not MODEL.is_file(), reason=f"no exported colourway model "
                                 f"at {MODEL} (train and export it: docs/studio.md)")


class TestContract:
    def test_black_and_white_products_give_the_same_input(self) -> None:
        rng = np.random.default_rng(0)
        shading = cv2_blur(rng.uniform(0, 1, (64, 64)))
        main = np.zeros((64, 64), np.float32)
        main[8:56, 8:56] = 1
        inputs = []
        for low, high in ((20, 70), (150, 250)):  # a dark and a light grey product
            grey = np.round(low + (high - low) * shading).astype(np.uint8)
            rgb = np.dstack([grey] * 3)
            inputs.append(cw.assemble_inputs(rgb, main, main, np.array([50.0, 0, 0])))
        for name in ("structure", "detail"):
            dark, light = (x[cw.SLICES[name]] for x in inputs)
            assert np.abs(dark - light).mean() < 0.03, name
        assert inputs[0].shape == (cw.IN_CHANNELS, 64, 64)

    def test_target_planes_and_metadata(self) -> None:
        planes = cw.target_planes(np.array([50.0, 64.0, -32.0]), (4, 4))
        assert np.allclose(planes[:, 0, 0], [0.0, 1.0, -0.5])
        assert cw.check_metadata(cw.metadata()) is None
        assert cw.check_metadata({**cw.metadata(), "in_channels": "3"}) is not None


def cv2_blur(noise: np.ndarray) -> np.ndarray:
    import cv2

    smooth = cv2.GaussianBlur(noise.astype(np.float32), (0, 0), 3)
    return (smooth - smooth.min()) / (smooth.max() - smooth.min())


@needs_model
@pytest.mark.parametrize("colour", ["#f2f0ea", "#1f2a44", "#7b1e2b", "#111111"])
def test_gan_variant_of_a_saleor_shoe(shared_data: Path, colour: str) -> None:
    path = shared_data / SHOE
    variant = make_variant(path, colour, kind="shoes", method="gan")
    assert variant.method == "gan"
    decoded = decode_image(path)
    assert variant.rgba.shape == (*decoded.rgb.shape[:2], 4)
    assert np.array_equal(variant.rgba[..., 3], decoded.alpha)
    kept = variant.parts.weight == 0
    assert np.array_equal(variant.rgba[..., :3][kept], decoded.rgb[kept])  # bit-exact
    assert variant.figures.delta_e < MAX_DELTA_E
    assert variant.figures.kept_change == 0.0
    assert 0.3 < variant.figures.contrast_kept < 3.0  # shading neither erased nor exploded


@needs_model
def test_gan_variant_is_an_item_for_the_try_on(shared_data: Path, engine, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "navy.png"
    assert main(["variant", "--item", str(shared_data / SHOE), "--colour", "#1f2a44",
                 "--out", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["method"] == "gan"  # the default when the model exists
    assert Image.open(out).mode == "RGBA"
    result = engine.run(DEMO_PERSON, io.BytesIO(out.read_bytes()).getvalue(), kind="shoes")
    assert result.kind == "shoes"


def test_without_a_model_auto_falls_back_to_lab(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(gan, "DEFAULT_MODEL", tmp_path / "missing.onnx")
    shoe = DEMO_ASSETS / "shoes" / "blue-plimsolls.png"
    assert main(["variant", "--item", str(shoe), "--colour", "#7b1e2b",
                 "--out", str(tmp_path / "a.png")]) == 0
    assert capsys.readouterr().out.startswith("note: no colourway model")
    assert main(["variant", "--item", str(shoe), "--colour", "#7b1e2b", "--json",
                 "--out", str(tmp_path / "b.png")]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "lab"
    with pytest.raises(TryOnError) as info:
        make_variant(shoe, "#7b1e2b", method="gan", model_path=str(tmp_path / "x.onnx"))
    assert info.value.code is ErrorCode.REFINER_UNAVAILABLE
    with pytest.raises(TryOnError) as info:
        make_variant(shoe, "#7b1e2b", method="paint")
    assert info.value.code is ErrorCode.BAD_ARGUMENT


def test_smoke_config_trains_and_exports(shared_data: Path, smoke_train_export) -> None:  # noqa: ANN001
    from export.colourway import main as export_main

    _, model = smoke_train_export(SMOKE, "colourway-cache.npz", export_main)
    session = gan.ColourwayGAN(model, threads=1)
    assert session.metadata["step"] == "2"
    assert "non-commercial" in session.metadata["licence"]
    variant = make_variant(shared_data / SHOE, "#7b1e2b", kind="shoes", method="gan",
                           model_path=str(model))
    kept = variant.parts.weight == 0
    assert np.array_equal(variant.rgba[..., :3][kept], decode_image(shared_data / SHOE).rgb[kept])


def test_recolour_targets_are_far_in_lightness_and_in_gamut() -> None:
    """The trainer's recoloured batches (``loss.recolour``) ask for colours at least
    RECOLOUR_MIN_DL lighter or darker than the product's own, inside the sRGB gamut (they
    survive an 8-bit round trip), for light, dark and mid-grey products alike."""
    pytest.importorskip("torch")
    from training.colourway import RECOLOUR_MIN_DL, far_colours
    from tryon.studio.colour import lab_to_rgb, rgb_to_lab

    own = np.array([[95, 0, 0], [12, 5, -5], [50, 0, 0], [60, 30, 20]] * 50, np.float32)
    far = far_colours(own, np.random.default_rng(0))
    gap = np.abs(far[:, 0] - own[:, 0])
    assert gap.min() >= RECOLOUR_MIN_DL - 3  # the gamut round trip moves L a little
    assert np.abs(rgb_to_lab(lab_to_rgb(far)) - far).max() < 1.5
    assert far[:, 0].std() > 10 and np.hypot(far[:, 1], far[:, 2]).max() > 20


def test_training_lab_matches_opencv() -> None:
    """The differentiable sRGB → Lab of the colour loss agrees with OpenCV's (the runtime's)
    within 8-bit rounding."""
    torch = pytest.importorskip("torch")
    from training.colourway import lab_of
    from tryon.studio.colour import rgb_to_lab

    rgb = np.random.default_rng(1).integers(0, 256, (16, 16, 3)).astype(np.uint8)
    picture = torch.from_numpy(rgb.astype(np.float32) / 127.5 - 1).permute(2, 0, 1)[None]
    ours = lab_of(picture)[0].permute(1, 2, 0).numpy()
    assert np.abs(ours - rgb_to_lab(rgb)).max() < 0.5
