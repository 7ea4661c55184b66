"""tps: exactness, identity, affine reproduction, warping and shape errors."""

from __future__ import annotations

import numpy as np
import pytest

from tryon.imaging.tps import alpha_8bit, fit_tps, warp_image

RNG = np.random.default_rng(7)


class TestFitTps:
    def test_identical_control_points_give_the_identity(self) -> None:
        points = RNG.uniform(0, 100, (9, 2))
        mapping = fit_tps(points, points)
        queries = RNG.uniform(-50, 150, (200, 2))
        np.testing.assert_allclose(mapping(queries), queries, atol=1e-8)

    def test_passes_through_control_points(self) -> None:
        source = RNG.uniform(0, 100, (8, 2))
        target = source + RNG.normal(0, 10, (8, 2))
        np.testing.assert_allclose(fit_tps(source, target)(source), target, atol=1e-6)

    def test_reproduces_an_affine_map_everywhere(self) -> None:
        source = RNG.uniform(0, 100, (7, 2))
        matrix = np.array([[1.2, 0.3], [-0.2, 0.9]])
        target = source @ matrix.T + [5, -3]
        queries = RNG.uniform(0, 100, (50, 2))
        np.testing.assert_allclose(fit_tps(source, target)(queries),
                                   queries @ matrix.T + [5, -3], atol=1e-6)

    @pytest.mark.parametrize("shape", [(3,), (4, 3), (2, 2)])
    def test_rejects_bad_shapes(self, shape: tuple[int, ...]) -> None:
        bad = np.zeros(shape)
        with pytest.raises(ValueError):
            fit_tps(bad, bad)

    def test_rejects_mismatched_counts(self) -> None:
        with pytest.raises(ValueError):
            fit_tps(np.zeros((4, 2)), np.zeros((5, 2)))


class TestWarpImage:
    image = RNG.integers(0, 256, (40, 30, 3), dtype=np.uint8)
    corners = np.array([[0, 0], [29, 0], [0, 39], [29, 39], [15, 20]], float)

    def test_identity_warp_is_exact(self) -> None:
        mapping = fit_tps(self.corners, self.corners)
        assert np.array_equal(warp_image(self.image, mapping, (0, 0, 30, 40)), self.image)

    def test_window_of_identity_is_a_crop(self) -> None:
        mapping = fit_tps(self.corners, self.corners)
        out = warp_image(self.image, mapping, (5, 7, 20, 30))
        assert np.array_equal(out, self.image[7:30, 5:20])

    def test_translation_moves_pixels(self) -> None:
        mapping = fit_tps(self.corners, self.corners + [3, 2])
        out = warp_image(self.image, mapping, (0, 0, 30, 40))
        assert np.array_equal(out[:-2, :-3], self.image[2:, 3:])

    def test_outside_the_source_gets_the_border_value(self) -> None:
        mapping = fit_tps(self.corners, self.corners + [100, 0])
        out = warp_image(self.image[..., 0], mapping, (0, 0, 30, 40), border_value=7)
        assert out.shape == (40, 30) and np.all(out == 7)

    def test_empty_window_is_an_error(self) -> None:
        with pytest.raises(ValueError):
            warp_image(self.image, fit_tps(self.corners, self.corners), (5, 5, 5, 9))


def test_a_fine_check_shrunk_by_a_warp_is_averaged_not_aliased() -> None:
    """A 2-pixel check warped to a third of its size: sampled sparsely it came out as a
    coarser false pattern (moiré); shrunk by area averaging first it is an even grey."""
    ys, xs = np.mgrid[0:600, 0:600]
    check = np.where(((xs // 2) + (ys // 2)) % 2 == 0, 255, 0).astype(np.uint8)
    corners = np.array([[0.0, 0.0], [600.0, 0.0], [0.0, 600.0], [600.0, 600.0]])
    inverse = fit_tps(corners / 3.0, corners)  # output pixels -> source pixels, 3x
    out = warp_image(check, inverse, (0, 0, 200, 200)).astype(np.float32)
    inner = out[10:-10, 10:-10]
    assert abs(float(inner.mean()) - 127.5) < 10
    assert float(inner.std()) < 20  # aliased, the samples land on whole checks: std ~ 127


def test_a_parts_8bit_alpha_is_the_garments_masked() -> None:
    # The fit rounds the garment's alpha to 8 bits once and masks it for each part it warps;
    # that must be the part's own alpha rounded (what warp_rgba took before), value for value.
    rng = np.random.default_rng(0)
    alpha = rng.random((120, 90)).astype(np.float32)
    alpha[rng.random(alpha.shape) < 0.2] = 0.0
    alpha[rng.random(alpha.shape) < 0.2] = 1.0
    part = (rng.random(alpha.shape) < 0.5).astype(np.uint8)
    assert np.array_equal(alpha_8bit(alpha) * part, alpha_8bit(alpha * part))
