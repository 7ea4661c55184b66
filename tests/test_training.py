"""training/: config, self-supervised samples from real photos, networks, losses and the real
loop (smoke)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training needs the [train] extra (torch)")

from training.config import load_config  # noqa: E402
from training.data import (  # noqa: E402
    Perturbation,
    PhotoCache,
    build_cache,
    make_sample,
    vitonhd_pairs,
)
from training.losses import PerceptualLoss, masked_l1  # noqa: E402
from training.networks import (  # noqa: E402
    IN_CHANNELS,
    STRIDE,
    Generator,
    GeneratorConfig,
    MultiScaleDiscriminator,
    compose,
)
from tryon.generator import contract  # noqa: E402

CONFIGS = Path(__file__).resolve().parents[1] / "training" / "configs"
SAMPLE_SIZE = (128, 96)


class TestConfig:
    def test_overrides_and_groups(self) -> None:
        config = load_config(CONFIGS / "smoke.yaml", ["run.steps=7", "loss.l1=3.5"])
        assert config.run.steps == 7 and config.loss.l1 == 3.5
        assert config.data.size == (128, 96)
        assert config.model.levels == 5 and 2**config.model.levels <= STRIDE
        assert config.loss.perceptual == 1.0 and config.loss.mask > 0
        assert Path(config.base_dir) == CONFIGS

    def test_photos_are_a_tuple_and_a_string_is_accepted(self) -> None:
        # smoke.yaml names one glob as a string.
        config = load_config(CONFIGS / "smoke.yaml")
        assert config.data.photos == ("../../../shared/data/vitonhd/persons/*.jpg",)
        listed = load_config(CONFIGS / "smoke.yaml", ["data.photos=[a/*.jpg, b]"])
        assert listed.data.photos == ("a/*.jpg", "b")
        single = load_config(CONFIGS / "smoke.yaml", ["data.photos=c/*.png"])
        assert single.data.photos == ("c/*.png",)

    def test_photo_paths_cap_each_entry(self, shared_data: Path, tmp_path: Path) -> None:
        from training.trainer import photo_paths

        persons = shared_data / "vitonhd" / "persons"
        if not persons.is_dir():
            pytest.skip(f"{persons} is absent")
        config_file = tmp_path / "c.yaml"
        config_file.write_text(f"data:\n  photos: [{persons}, '{persons}/00[1-9]*.jpg']\n"
                               "  limit: 3\n")
        paths = photo_paths(load_config(config_file))
        first = sorted(p for p in persons.iterdir() if p.suffix == ".jpg")[:3]
        globbed = sorted(persons.glob("00[1-9]*.jpg"))[:3]
        assert paths == first + globbed and len(globbed) == 3

    def test_removed_and_unknown_keys_are_refused(self) -> None:
        for key in ("run.stepz=3", "model.change_smoothing=1.5", "loss.perceptual_weights=x"):
            with pytest.raises(ValueError, match="unknown config keys"):
                load_config(CONFIGS / "smoke.yaml", [key])

    def test_malformed_override_is_refused(self) -> None:
        with pytest.raises(ValueError, match="key=value"):
            load_config(CONFIGS / "smoke.yaml", ["run.steps"])


@pytest.fixture(scope="module")
def cache(shared_data: Path) -> PhotoCache:
    """The first six sorted VITON-HD person photos, analysed by the runtime's own stages."""
    persons = shared_data / "vitonhd" / "persons"
    paths = sorted(persons.glob("*.jpg"))[:6]
    if len(paths) < 6:
        pytest.skip(f"fewer than 6 photos in {persons}")
    return build_cache(paths, SAMPLE_SIZE)


class TestSamples:
    def test_cache(self, cache: PhotoCache) -> None:
        count = len(cache)
        assert 4 <= count <= 6, "most photos of people in tops are kept"
        assert cache.photos.shape == (count, *SAMPLE_SIZE, 3) and cache.photos.dtype == np.uint8
        for name in ("region", "hint", "garment", "valid"):
            masks = getattr(cache, name)
            assert masks.shape == (count, *SAMPLE_SIZE) and set(np.unique(masks)) <= {0, 1}
        assert (cache.hint <= cache.region).all() and (cache.garment <= cache.region).all()
        assert (cache.region <= cache.valid).all(), "no region on the padding"
        assert cache.landmarks.shape == (count, 33, 2) and cache.visibility.shape == (count, 33)
        assert cache.skin.shape == (count, 3) and (cache.skin >= 0).all() \
            and (cache.skin <= 255).all()
        assert (cache.limb_radius > 0).all()
        for index in range(count):
            assert cache.garment[index].mean() >= 0.05, "a top covers part of the crop"

    def test_shapes_and_ranges(self, cache: PhotoCache) -> None:
        padded = 0
        for index in range(len(cache)):
            inputs, target, weight = make_sample(cache, index, np.random.default_rng(index))
            assert inputs.shape == (IN_CHANNELS, *SAMPLE_SIZE) and inputs.dtype == np.float32
            assert target.shape == (3, *SAMPLE_SIZE) and target.dtype == np.float32
            assert weight.shape == (1, *SAMPLE_SIZE)
            # Weight 1 on the picture, 0 on the padding (a crop of the photo's own aspect
            # has none).
            assert set(np.unique(weight)) <= {0.0, 1.0} and weight.max() == 1.0
            padded += int(weight.min() == 0.0)
            # As at runtime, the padding repeats the agnostic photo's edge (the region's
            # hidden pixels grey), not the photo's own: the old top is not shown beside it.
            rows = int(weight[0].any(axis=1).sum())
            columns = int(weight[0].any(axis=0).sum())
            agnostic = inputs[contract.AGNOSTIC]
            assert (agnostic[:, rows:, :columns] == agnostic[:, rows - 1:rows, :columns]).all()
            assert (agnostic[:, :, columns:] == agnostic[:, :, columns - 1:columns]).all()
            for part in (contract.AGNOSTIC, contract.GARMENT, contract.SKIN):
                assert -1 <= inputs[part].min() and inputs[part].max() <= 1
            assert -1 <= target.min() and target.max() <= 1
            for part in (contract.REGION, contract.HINT, contract.POSE):
                assert set(np.unique(inputs[part])) <= {0.0, 1.0}
            assert 0 <= inputs[contract.GARMENT_MASK].min() \
                and inputs[contract.GARMENT_MASK].max() <= 1
            assert inputs[contract.POSE].any(axis=(1, 2)).sum() >= 3, "limbs are drawn"
            skin = cache.skin[index] / 127.5 - 1
            assert np.allclose(inputs[contract.SKIN], skin[:, None, None])
        assert padded > 0, "the padding has no weight"

    def test_padding_below_a_region_at_the_edge_is_grey(self, cache: PhotoCache) -> None:
        """A region that reaches the picture's last row and column (a photo cut off at the
        chest): the padding repeats grey below and beside it, never the photo's own top."""
        from dataclasses import replace

        index = next(i for i in range(len(cache)) if not cache.valid[i].all())
        valid = cache.valid[index] > 0
        rows, columns = int(valid.any(axis=1).sum()), int(valid.any(axis=0).sum())
        region, hint = cache.region.copy(), cache.hint.copy()
        region[index, rows - 1, :columns] = 1
        region[index, :rows, columns - 1] = 1
        hint[index, rows - 1, :columns] = 0
        hint[index, :rows, columns - 1] = 0
        edged = replace(cache, region=region, hint=hint)
        inputs, _, _ = make_sample(edged, index, np.random.default_rng(0),
                                   Perturbation(drop_arm_hint=0, drop_beside_top=0))
        agnostic = inputs[contract.AGNOSTIC]
        padding = ~valid
        assert padding.any() and np.abs(agnostic[:, padding]).max() < 1e-6  # GREY: 0

    def test_region_hint_and_garment(self, cache: PhotoCache) -> None:
        for index in range(len(cache)):
            for seed in range(3):
                inputs, target, _ = make_sample(cache, index, np.random.default_rng(seed))
                region = inputs[contract.REGION][0] > 0
                hint = inputs[contract.HINT][0] > 0
                mask = inputs[contract.GARMENT_MASK][0]
                assert np.array_equal(region, cache.region[index] > 0)
                assert not (hint & ~region).any(), "the hint lies in the region"
                assert not (hint & ~(cache.hint[index] > 0)).any(), "hints are only dropped"
                assert not ((mask > 0) & ~region).any(), "the garment lies in the region"
                assert (mask > 0.5).sum() > 0.5 * cache.garment[index].sum()
                garment = inputs[contract.GARMENT]
                assert not garment[:, mask == 0].any(), "no garment colour off its mask"
                agnostic = inputs[contract.AGNOSTIC]
                hidden = region & ~hint
                assert not agnostic[:, hidden].any(), "the region is grey (0) but for the hint"
                assert np.array_equal(agnostic[:, ~hidden], target[:, ~hidden]), \
                    "the photo shows outside the region and on the hint"
                assert np.array_equal(target, contract.to_unit(cache.photos[index]))

    def test_hint_beside_the_top_is_dropped_as_under_a_wider_old_top(
            self, cache: PhotoCache) -> None:
        """With ``drop_beside_top`` certain, the hint within the reach beside the photo's own
        top is cleared (the model must paint the wall and arms there, as beside a new top
        narrower than the old one); never, the hint is the cache's but for dropped arms."""
        always = Perturbation(drop_beside_top=1.0, drop_arm_hint=0.0)
        never = Perturbation(drop_beside_top=0.0, drop_arm_hint=0.0)
        cleared = 0
        for index in range(len(cache)):
            top = cache.garment[index] > 0
            beside = cv2.dilate(top.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
            beside &= ~top
            inputs, _, _ = make_sample(cache, index, np.random.default_rng(0), always)
            hint = inputs[contract.HINT][0] > 0
            assert not (hint & beside).any()
            cleared += int((cache.hint[index] > 0)[beside].any())
            kept, _, _ = make_sample(cache, index, np.random.default_rng(0), never)
            assert np.array_equal(kept[contract.HINT][0] > 0, cache.hint[index] > 0)
        assert cleared > 0, "some hint lay beside a top"

    def test_seeds_give_different_stand_ins(self, cache: PhotoCache) -> None:
        a, target_a, _ = make_sample(cache, 0, np.random.default_rng(0))
        b, target_b, _ = make_sample(cache, 0, np.random.default_rng(1))
        again, _, _ = make_sample(cache, 0, np.random.default_rng(0))
        assert np.array_equal(a, again), "a seed gives one sample"
        assert np.array_equal(target_a, target_b), "the target is the photo"
        assert not np.array_equal(a[contract.GARMENT], b[contract.GARMENT])
        assert not np.array_equal(a[contract.GARMENT_MASK], b[contract.GARMENT_MASK])
        # The stand-in is the photo's own top, a little moved: close to it, never equal.
        region = a[contract.GARMENT_MASK][0] > 0.99
        diff = np.abs(a[contract.GARMENT][:, region] - target_a[:, region]).mean()
        assert 0 < diff < 0.5

    def test_save_and_load(self, cache: PhotoCache, tmp_path: Path) -> None:
        cache.save(tmp_path / "c.npz")
        loaded = PhotoCache.load(tmp_path / "c.npz")
        assert len(loaded) == len(cache)
        assert np.array_equal(loaded.photos, cache.photos)
        assert np.array_equal(loaded.landmarks, cache.landmarks)

    def test_vitonhd_layout(self, shared_data: Path) -> None:
        pairs = vitonhd_pairs(shared_data / "vitonhd" / "sample6" / "test")
        assert len(pairs) >= 6
        assert all(p.image.is_file() and p.cloth.is_file() for p in pairs)
        assert all(p.cloth_mask is not None for p in pairs)


def _inputs(batch: int, size: tuple[int, int], seed: int = 0) -> torch.Tensor:
    """(batch, IN_CHANNELS, H, W) in the contract's ranges: a rectangular region, binary hint
    and garment mask inside it (disjoint), pictures in [-1, 1], the region grey."""
    generator = torch.Generator().manual_seed(seed)
    height, width = size
    inputs = torch.rand(batch, IN_CHANNELS, height, width, generator=generator) * 2 - 1
    region = torch.zeros(batch, 1, height, width)
    region[..., height // 8: 7 * height // 8, width // 8: 7 * width // 8] = 1
    hint = torch.zeros_like(region)
    hint[..., height // 8: height // 2, width // 8: width // 3] = 1
    garment = region * (1 - hint)
    garment[..., : height // 4, :] = 0
    inputs[:, contract.REGION] = region
    inputs[:, contract.HINT] = hint
    inputs[:, contract.GARMENT_MASK] = garment
    inputs[:, contract.GARMENT] *= garment
    inputs[:, contract.AGNOSTIC] *= 1 - region * (1 - hint)
    inputs[:, contract.POSE] = (inputs[:, contract.POSE] > 0.6).float()
    return inputs


class TestNetworks:
    @pytest.fixture(scope="class")
    def outputs(self) -> tuple[torch.Tensor, ...]:
        torch.manual_seed(0)
        generator = Generator(GeneratorConfig(width=8, levels=5)).eval()
        inputs = _inputs(2, (4 * STRIDE, 3 * STRIDE))
        with torch.no_grad():
            return (inputs, *generator(inputs))

    def test_generator_shapes_and_ranges(self, outputs: tuple[torch.Tensor, ...]) -> None:
        inputs, rgb, shade, weights = outputs
        assert inputs.shape == (2, IN_CHANNELS, 128, 96)
        assert rgb.shape == (2, 3, 128, 96) and shade.shape == (2, 1, 128, 96)
        assert weights.shape == (2, len(contract.LAYERS), 128, 96)
        assert rgb.abs().max() <= 1
        low, high = contract.SHADE_RANGE
        assert low <= shade.min() and shade.max() <= high
        assert weights.min() >= 0
        assert torch.allclose(weights.sum(dim=1), torch.ones(2, 128, 96), atol=1e-5)

    def test_weights_follow_the_masks(self, outputs: tuple[torch.Tensor, ...]) -> None:
        inputs, _, _, weights = outputs
        no_garment = inputs[:, contract.GARMENT_MASK] == 0
        no_hint = inputs[:, contract.HINT] == 0
        assert (weights[:, 0:1][no_garment] == 0).all()
        assert (weights[:, 1:2][no_hint] == 0).all()
        assert (weights[:, 2:3] > 0).all(), "the paint weight never reaches 0"
        # A fresh generator starts by keeping the garment and the hinted skin.
        garment = inputs[:, contract.GARMENT_MASK] > 0
        assert weights[:, 0:1][garment].mean() > 0.6
        assert weights[:, 1:2][inputs[:, contract.HINT] > 0].mean() > 0.6

    def test_levels_beyond_the_stride_are_refused(self) -> None:
        with pytest.raises(ValueError, match="stride"):
            Generator(GeneratorConfig(width=8, levels=6))

    def test_compose_is_the_photo_outside_the_region(
            self, outputs: tuple[torch.Tensor, ...]) -> None:
        inputs, rgb, shade, weights = outputs
        out = compose(inputs, rgb, shade, weights)
        assert out.shape == (2, 3, 128, 96) and out.abs().max() <= 1
        outside = (inputs[:, contract.REGION] == 0).expand(-1, 3, -1, -1)
        assert torch.equal(out[outside], inputs[:, contract.AGNOSTIC][outside])
        inside = ~outside
        assert (out[inside] != inputs[:, contract.AGNOSTIC][inside]).float().mean() > 0.9

    def test_compose_with_all_garment_weight_is_the_shaded_garment(self) -> None:
        inputs = _inputs(1, (64, 64), seed=3)
        rgb = torch.zeros(1, 3, 64, 64)
        shade = torch.full((1, 1, 64, 64), 0.8)
        weights = torch.zeros(1, 3, 64, 64)
        weights[:, 0] = 1
        out = compose(inputs, rgb, shade, weights)
        region = inputs[:, contract.REGION].expand(-1, 3, -1, -1) > 0
        garment = ((inputs[:, contract.GARMENT] + 1) * 0.8 - 1)
        assert torch.allclose(out[region], garment[region].clamp(-1, 1))

    def test_compose_matches_the_runtime(self, outputs: tuple[torch.Tensor, ...]) -> None:
        """With binary masks at one size, training's :func:`compose` and the runtime's
        :func:`tryon.generator.contract.compose` give the same picture."""
        inputs, rgb, shade, weights = (t[0].numpy() for t in outputs)
        ours = contract.from_unit(compose(*(torch.from_numpy(t[None]) for t in
                                            (inputs, rgb, shade, weights)))[0].numpy())
        agnostic = contract.from_unit(inputs[contract.AGNOSTIC])
        theirs = contract.compose(
            agnostic, inputs[contract.REGION][0], inputs[contract.HINT][0],
            contract.from_unit(inputs[contract.GARMENT]), inputs[contract.GARMENT_MASK][0],
            contract.from_unit(rgb), shade[0], weights.transpose(1, 2, 0))
        assert np.abs(ours - theirs).max() < 0.1

    def test_discriminator_scales(self) -> None:
        disc = MultiScaleDiscriminator(scales=2, width=8)
        outputs = disc(torch.zeros(1, 3, 64, 48), torch.zeros(1, IN_CHANNELS, 64, 48))
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
        half = torch.zeros(1, 1, 4, 4)
        half[..., :2] = 1
        wrong_outside = torch.zeros(1, 3, 4, 4)
        wrong_outside[..., 2:] = 1
        # Errors outside the mask count a tenth: 8 px × 0.1 / (8 + 8 × 0.1).
        assert masked_l1(wrong_outside, target, half).item() == pytest.approx(0.8 / 8.8,
                                                                               rel=1e-4)

    def test_perceptual_loss(self) -> None:
        pytest.importorskip("efficientnet_lite_pytorch",
                            reason="the train extra (efficientnet-lite-pytorch) is not installed")
        loss = PerceptualLoss()
        assert not loss.training and not any(p.requires_grad for p in loss.parameters())
        generator = torch.Generator().manual_seed(0)
        same = torch.rand(1, 3, 64, 48, generator=generator) * 2 - 1
        assert loss(same, same).item() == pytest.approx(0.0, abs=1e-6)
        other = torch.rand(1, 3, 64, 48, generator=generator) * 2 - 1
        assert loss(same, other).item() > 0
        blurred = torch.nn.functional.avg_pool2d(same, 3, stride=1, padding=1)
        assert 0 < loss(same, blurred).item() < loss(same, other).item()
        output = other.clone().requires_grad_(True)
        loss(output, same).backward()
        assert output.grad is not None and output.grad.abs().sum() > 0
        loss.train()
        assert not loss.training, "batch norm keeps ImageNet's statistics"


def test_the_garment_floor_keeps_the_product_inside_and_leaves_its_edge_and_hint() -> None:
    """Whatever the network's logits, the garment's weight is 1 deep inside its mask, and
    the network decides near its edge and on the hint
    (tryon.generator.contract.GARMENT_FLOOR_MARGIN)."""
    from training.networks import garment_floor

    inputs = torch.zeros(1, contract.IN_CHANNELS, 64, 64)
    inputs[:, contract.GARMENT_MASK, 8:56, 8:40] = 1
    inputs[:, contract.HINT, 40:56, 8:20] = 1
    generator = Generator(GeneratorConfig(width=8, levels=5, floor_margin=3)).eval()
    with torch.no_grad():
        generator.head.bias[4:].copy_(torch.tensor([-9.0, 0.0, 9.0]))  # "paint everything"
        _, _, weights = generator(inputs)
    floor = garment_floor(inputs, 3)[0, 0]
    assert floor[20, 24] == 1 and floor[9, 24] == 0, "the edge band is the network's"
    assert floor[50, 12] == 0 and floor[30, 30] == 1, "the hint is the network's"
    assert weights[0, 0, 20, 24] > 0.999
    assert weights[0, 0, 50, 12] < 0.5 and weights[0, 0, 9, 24] < 0.5


def test_smoke_config_runs_the_real_loop_and_resumes(shared_data: Path, tmp_path: Path) -> None:
    from training.trainer import Trainer

    out = tmp_path / "run"
    config = load_config(CONFIGS / "smoke.yaml", [f"run.out={out}", "run.steps=3",
                                                  "data.limit=4"])
    checkpoint = Trainer(config).fit()
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    assert state["step"] == 3
    assert {"generator", "generator_config", "train_size", "licence"} <= set(state)
    assert state["generator_config"] == {"width": 8, "levels": 5, "floor_margin": 2}
    assert state["train_size"] == [128, 96]
    assert "vitonhd/persons" in state["data"]
    assert list((out / "samples").glob("*.png"))
    resumed = load_config(CONFIGS / "smoke.yaml", [f"run.out={out}", "run.steps=5",
                                                   "data.limit=4"])
    trainer = Trainer(resumed)
    assert trainer.step == 3
    trainer.fit()
    assert torch.load(checkpoint, map_location="cpu", weights_only=False)["step"] == 5

    # A slim copy (half-precision EMA generator and discriminator, no optimisers) resumes too,
    # and a time limit stops the loop early with a checkpoint written.
    from training.trainer import slim_checkpoint

    slim_run = tmp_path / "slim-run"
    slim = slim_checkpoint(checkpoint, slim_run / "checkpoint.pt")
    kept = torch.load(slim, map_location="cpu", weights_only=False)
    assert "opt_g" not in kept and "generator_live" not in kept
    assert all(t.dtype == torch.float16 for t in kept["generator"].values()
               if t.is_floating_point())
    assert slim.stat().st_size < 0.6 * checkpoint.stat().st_size
    limited = load_config(CONFIGS / "smoke.yaml", [f"run.out={slim_run}", "run.steps=1000",
                                                   "run.minutes=0.0001", "data.limit=4"])
    trainer = Trainer(limited)
    assert trainer.step == 5
    trainer.fit()
    assert 5 < torch.load(slim, map_location="cpu", weights_only=False)["step"] < 1000
