"""Filling a gap with the texture beside it mirrored across its edge (tryon.imaging.mirror_fill)."""

from __future__ import annotations

import numpy as np

from tryon.imaging.mirror_fill import mirror_sources, mirrored_fill

PERIOD = 6  # pixels: the synthetic weave's stripes


def _stripes(angle_deg: float, shape: tuple[int, int] = (60, 80)) -> np.ndarray:
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]].astype(np.float32)
    phase = xs * np.cos(np.radians(angle_deg)) + ys * np.sin(np.radians(angle_deg))
    return np.where((phase // (PERIOD / 2)) % 2 == 0, 200.0, 40.0).astype(np.float32)


def test_stripes_across_the_edge_run_on_into_the_gap() -> None:
    """Vertical stripes beside a gap on their right: the gap is their mirror image, so the
    stripes go on at their period (the nearest pixel's colour drew one flat band)."""
    picture = _stripes(0.0)
    source = np.zeros(picture.shape, bool)
    source[:, :50] = True
    gap = ~source
    gap[:, 70:] = False
    filled = mirrored_fill(picture, source, gap)
    # Column 50 + k mirrors column 48 - k across the edge's last source column, 49.
    assert np.array_equal(filled[:, 50:70], picture[:, 48:28:-1])
    assert filled[:, 50:70].std(axis=1).min() > 50  # stripes, not a flat band
    assert np.array_equal(filled[:, :50], picture[:, :50])  # the source is untouched
    assert np.array_equal(filled[:, 70:], picture[:, 70:])  # so is what is not a gap


def test_a_gap_farther_than_the_reach_keeps_its_colour() -> None:
    picture = _stripes(30.0)
    source = np.zeros(picture.shape, bool)
    source[:, :40] = True
    filled = mirrored_fill(picture, source, ~source, reach=10)
    assert not np.array_equal(filled[:, 40:50], picture[:, 40:50])
    assert np.array_equal(filled[:, 52:], picture[:, 52:])


def test_a_mirror_image_off_the_source_is_looked_for_nearer() -> None:
    """A gap deeper than the source is thick: no colour comes from outside the source."""
    picture = np.zeros((20, 40, 3), np.float32)
    picture[:, :5] = (10.0, 20.0, 30.0)
    picture[:, 5:] = (250.0, 0.0, 0.0)  # not the source's colour
    source = np.zeros((20, 40), bool)
    source[:, :5] = True
    filled = mirrored_fill(picture, source, ~source)
    assert np.array_equal(np.unique(filled.reshape(-1, 3), axis=0), [[10.0, 20.0, 30.0]])


def test_nothing_to_fill_from_returns_the_picture() -> None:
    picture = _stripes(0.0)
    none = np.zeros(picture.shape, bool)
    assert mirrored_fill(picture, none, ~none) is picture
    assert mirrored_fill(picture, ~none, none) is picture


def test_mirror_sources_at_one_depth_leave_out_what_has_no_mirror() -> None:
    """With the mirror image alone (depth 1), a gap pixel whose mirror falls off the source
    (past its far edge) is left out, not given the nearest source pixel's colour."""
    source = np.zeros((20, 40), bool)
    source[:, :10] = True  # ten source columns, then a gap of thirty
    ys, xs, from_y, from_x = mirror_sources(source, ~source, depths=(1.0,))
    # 10 + k mirrors 8 - k through the nearest source column, 9, down to column 0.
    assert set(xs.tolist()) == set(range(10, 19))
    assert np.array_equal(from_x, 18 - xs) and np.array_equal(from_y, ys)
    # With every depth down to the nearest pixel, every gap pixel has a source.
    assert len(mirror_sources(source, ~source)[0]) == int((~source).sum())
