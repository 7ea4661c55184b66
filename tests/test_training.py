"""training/: config, self-supervised samples, networks, losses and the real loop (smoke)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training needs the [train] extra (torch)")

from training.config import load_config  # noqa: E402
from training.data import make_sample, vitonhd_pairs  # noqa: E402
from training.losses import PerceptualLoss, masked_l1  # noqa: E402
from training.networks import (  # noqa: E402
    STRIDE,
    Generator,
    GeneratorConfig,
    MultiScaleDiscriminator,
    blend,
)

CONFIGS = Path(__file__).resolve().parents[1] / "training" / "configs"


class TestConfig:
    def test_overrides_and_groups(self) -> None:
        config = load_config(CONFIGS / "smoke.yaml", ["run.steps=7", "loss.l1=3.5"])
        assert config.run.steps == 7 and config.loss.l1 == 3.5
        assert config.data.size == (128, 96)
        assert Path(config.base_dir) == CONFIGS

    def test_unknown_key_is_refused(self) -> None:
        with pytest.raises(ValueError, match="unknown config keys"):
            load_config(CONFIGS / "smoke.yaml", ["run.stepz=3"])

    def test_malformed_override_is_refused(self) -> None:
        with pytest.raises(ValueError, match="key=value"):
            load_config(CONFIGS / "smoke.yaml", ["run.steps"])


class TestSamples:
    def _sample(self, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rng = np.random.default_rng(1)
        photo = rng.integers(0, 255, (64, 48, 3), dtype=np.uint8)
        agnostic = np.full_like(photo, 128)
        region = np.zeros((64, 48), np.uint8)
        region[16:48, 12:36] = 1
        inputs, target = make_sample(photo, agnostic, region, np.random.default_rng(seed))
        return inputs, target, photo

    def test_shapes_and_ranges(self) -> None:
        inputs, target, _ = self._sample()
        assert inputs.shape == (8, 64, 48) and target.shape == (3, 64, 48)
        assert inputs.dtype == np.float32
        assert inputs[:6].min() >= -1 and inputs[:6].max() <= 1
        assert set(np.unique(inputs[6])) <= {0.0, 1.0}
        assert 0 <= inputs[7].min() and inputs[7].max() <= 1

    def test_outside_the_repaint_region_coarse_is_the_photo(self) -> None:
        inputs, target, _ = self._sample()
        outside = inputs[6] == 0
        assert outside.any()
        assert np.allclose(inputs[:3][:, outside], target[:, outside], atol=1e-6)

    def test_perturbation_depends_on_the_seed(self) -> None:
        a, _, _ = self._sample(0)
        b, _, _ = self._sample(1)
        assert not np.array_equal(a, b)

    def test_vitonhd_layout(self, shared_data: Path) -> None:
        pairs = vitonhd_pairs(shared_data / "vitonhd" / "sample6" / "test")
        assert len(pairs) >= 6
        assert all(p.image.is_file() and p.cloth.is_file() for p in pairs)
        assert all(p.cloth_mask is not None for p in pairs)


class TestNetworks:
    def test_generator_shapes_and_ranges(self) -> None:
        generator = Generator(GeneratorConfig(width=8, levels=4))
        inputs = torch.rand(2, 8, 4 * STRIDE, 3 * STRIDE) * 2 - 1
        rgb, alpha = generator(inputs)
        assert rgb.shape == (2, 3, 64, 48) and alpha.shape == (2, 1, 64, 48)
        assert rgb.abs().max() <= 1 and 0 <= alpha.min() and alpha.max() <= 1

    def test_blend_changes_only_the_repaint_region(self) -> None:
        inputs = torch.rand(1, 8, 32, 32) * 2 - 1
        inputs[:, 6] = 0
        inputs[:, 6, 8:24, 8:24] = 1
        rgb, alpha = torch.zeros(1, 3, 32, 32), torch.ones(1, 1, 32, 32)
        out = blend(inputs, rgb, alpha)
        assert torch.equal(out[..., :8, :], inputs[:, :3, :8, :])
        assert torch.equal(out[..., 8:24, 8:24], rgb[..., 8:24, 8:24])

    def test_smoothed_change_matches_the_runtime(self) -> None:
        """Training with ``model.change_smoothing`` sees what the runtime shows: the same
        Gaussian (OpenCV's, on the float change) applied to the generator's change."""
        import cv2

        from training.networks import gaussian_blur

        generator = torch.Generator().manual_seed(0)
        change = torch.rand(1, 3, 40, 30, generator=generator) * 2 - 1
        ours = gaussian_blur(change, 1.5)[0].permute(1, 2, 0).numpy()
        theirs = cv2.GaussianBlur(np.ascontiguousarray(change[0].permute(1, 2, 0).numpy()),
                                  (0, 0), 1.5)
        assert np.abs(ours - theirs).max() < 1e-5
        inputs = torch.zeros(1, 8, 40, 30)
        inputs[:, 6] = 1
        rgb, alpha = change, torch.ones(1, 1, 40, 30)
        assert torch.allclose(blend(inputs, rgb, alpha, 1.5), gaussian_blur(change, 1.5))

    def test_discriminator_scales(self) -> None:
        disc = MultiScaleDiscriminator(scales=2, width=8)
        outputs = disc(torch.zeros(1, 3, 64, 48), torch.zeros(1, 8, 64, 48))
        assert len(outputs) == 2
        assert outputs[1][-1].shape[-1] < outputs[0][-1].shape[-1]


class TestLosses:
    def test_masked_l1_weighs_the_region(self) -> None:
        target = torch.zeros(1, 3, 4, 4)
        output = torch.ones(1, 3, 4, 4)
        mask = torch.zeros(1, 1, 4, 4)
        assert masked_l1(output, target, mask).item() == pytest.approx(1.0)
        output_outside = output * (1 - torch.ones(1, 1, 4, 4))
        assert masked_l1(output_outside, target, torch.ones(1, 1, 4, 4)).item() == 0.0

    def test_perceptual_loss_from_a_local_backbone(self, tmp_path: Path) -> None:
        class Tiny(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.a = torch.nn.Conv2d(3, 4, 3, padding=1)
                self.b = torch.nn.Conv2d(4, 4, 3, stride=2, padding=1)

            def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
                first = self.a(x)
                return first, self.b(first)

        path = tmp_path / "backbone.pt"
        torch.jit.script(Tiny()).save(str(path))
        loss = PerceptualLoss(path)
        same = torch.rand(1, 3, 16, 16)
        assert loss(same, same).item() == pytest.approx(0.0, abs=1e-6)
        assert loss(same, -same).item() > 0
        with pytest.raises(FileNotFoundError):
            PerceptualLoss(tmp_path / "missing.pt")


def test_smoke_config_runs_the_real_loop_and_resumes(shared_data: Path, tmp_path: Path) -> None:
    from training.trainer import Trainer

    out = tmp_path / "run"
    config = load_config(CONFIGS / "smoke.yaml", [f"run.out={out}", "run.steps=3",
                                                  "data.limit=4"])
    checkpoint = Trainer(config).fit()
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    assert state["step"] == 3
    assert {"generator", "generator_config", "train_size", "licence"} <= set(state)
    assert list((out / "samples").glob("*.png"))
    resumed = load_config(CONFIGS / "smoke.yaml", [f"run.out={out}", "run.steps=5",
                                                   "data.limit=4"])
    trainer = Trainer(resumed)
    assert trainer.step == 3
    trainer.fit()
    assert torch.load(checkpoint, map_location="cpu", weights_only=False)["step"] == 5
