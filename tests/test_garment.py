"""garment preparation: parts and keypoints on synthetic and real tops."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.decode import decode_image
from tryon.kinds.top.garment import prepare_garment


def _tshirt(width: int = 600, height: int = 640) -> np.ndarray:
    """(H, W) float32 alpha of a flat T-shirt: torso 300×420, sleeves angled down."""
    mask = np.zeros((height, width), np.uint8)
    torso = np.array([[150, 100], [250, 80], [350, 80], [450, 100], [450, 560], [150, 560]])
    left_sleeve = np.array([[150, 100], [60, 220], [120, 270], [150, 230]])
    right_sleeve = left_sleeve * [-1, 1] + [width, 0]
    for polygon in (torso, left_sleeve, right_sleeve):
        cv2.fillPoly(mask, [polygon.astype(np.int32)], 1)
    return mask.astype(np.float32)


class TestSynthetic:
    def test_tshirt_parts_and_keypoints(self) -> None:
        alpha = _tshirt()
        rgb = np.full(alpha.shape + (3,), 120, np.uint8)
        garment = prepare_garment(rgb, alpha)
        kp = garment.keypoints
        assert {s.side for s in garment.sleeves} == {"left", "right"}
        assert kp.left_shoulder[0] < kp.neck[0] < kp.right_shoulder[0]
        assert kp.neck[1] <= min(kp.left_shoulder[1], kp.right_shoulder[1])
        assert kp.left_hem[1] > kp.left_armpit[1] > kp.left_shoulder[1]
        # The hem spans the torso, not the sleeves (the crop shifts x by a margin).
        hem_width = kp.right_hem[0] - kp.left_hem[0]
        assert abs(hem_width - 300) < 12
        for sleeve in garment.sleeves:
            outward = sleeve.cuff[0] < kp.left_hem[0] if sleeve.side == "left" \
                else sleeve.cuff[0] > kp.right_hem[0]
            assert outward
            assert sleeve.cuff[1] > sleeve.shoulder[1]
        # Panel and sleeves tile the garment.
        union = garment.panel.copy()
        for sleeve in garment.sleeves:
            union |= sleeve.mask
        assert np.array_equal(union, garment.alpha >= 0.5) or (
            (union ^ (garment.alpha >= 0.5)).mean() < 0.01)

    def test_mirrored_tshirt_gives_mirrored_keypoints(self) -> None:
        alpha = _tshirt()
        rgb = np.full(alpha.shape + (3,), 120, np.uint8)
        a = prepare_garment(rgb, alpha).keypoints
        b = prepare_garment(rgb, np.ascontiguousarray(alpha[:, ::-1])).keypoints
        width = prepare_garment(rgb, alpha).rgb.shape[1]
        assert abs((width - 1 - b.right_shoulder[0]) - a.left_shoulder[0]) < 3
        assert abs(b.left_hem[1] - a.left_hem[1]) < 2

    def test_sleeveless_vest_has_no_sleeves(self) -> None:
        mask = np.zeros((600, 500), np.uint8)
        cv2.fillPoly(mask, [np.array([[150, 60], [200, 60], [230, 140], [270, 140], [300, 60],
                                      [350, 60], [380, 200], [380, 540], [120, 540],
                                      [120, 200]])], 1)
        garment = prepare_garment(np.full((600, 500, 3), 90, np.uint8), mask.astype(np.float32))
        assert garment.sleeves == ()

    def test_empty_alpha_is_bad_item(self) -> None:
        with pytest.raises(TryOnError) as info:
            prepare_garment(np.zeros((100, 100, 3), np.uint8), np.zeros((100, 100), np.float32))
        assert info.value.code is ErrorCode.BAD_ITEM


@pytest.mark.parametrize(("name", "sleeves"), [
    ("garments/ootd/00055_00.jpg", 2),      # T-shirt
    ("garments/ootd/00151_00.jpg", 2),      # long-sleeved striped top
    ("garments/ootd/02015_00.jpg", 0),      # strap top
    ("vitonhd/paired/cloth/14673_00.jpg", 0),  # tank top with a rounded (shirt-tail) hem
    ("garments/idm/04469_00.jpg", 2),       # wrap top, its tie hanging at one side
    ("openvto/clothes/jackets/1_front.jpg", 2),
    ("openvto/clothes/shirts/1_front.jpg", 2),
    # a loose tee whose body is wider than the line from shoulder to hem corner: that strip
    # down each side, joined to the sleeve, once put the "cuff" at the hem (no sleeves)
    ("garments/idm/09164_00.jpg", 2),
    # a bustier: its side panels and hanging straps start at its armpits, not its shoulders
    ("garments/idm/14627_00.jpg", 0),
    # a halter top, its hem far wider than its neck: the flanks are its body, not sleeves
    ("vitonhd/paired/cloth/04825_00.jpg", 0),
])
def test_real_tops(shared_data: Path, name: str, sleeves: int) -> None:
    from tryon.imaging.cutout import cut_out

    item = decode_image(shared_data / name)
    garment = prepare_garment(item.rgb, cut_out(item.rgb, item.alpha))
    assert len(garment.sleeves) == sleeves
    kp = garment.keypoints
    assert kp.left_shoulder[0] < kp.neck[0] < kp.right_shoulder[0]
    assert kp.left_hem[1] > kp.left_shoulder[1] and kp.right_hem[1] > kp.right_shoulder[1]


@pytest.mark.parametrize("name", ["vitonhd/paired/cloth/04743_00.jpg",  # fitted tee
                                  "garments/idm/09166_00.jpg",         # Gucci tee
                                  "vitonhd/paired/cloth/03032_00.jpg"])  # triangular sleeves
def test_a_short_sleeves_cuff_is_the_middle_of_its_opening(shared_data: Path,
                                                           name: str) -> None:
    """Short sleeves on a long armhole slant down and out: the opening's corner at the armpit
    lies farther from the shoulder point than the sleeve's tip, and was taken for the cuff
    (the sleeve then pointed down along its own seam and was fitted as a flap beside the
    arm). The cuff is the middle of the opening: the sleeve points outwards, and its cuff
    lies well away from the armpit."""
    from tryon.imaging.cutout import cut_out

    item = decode_image(shared_data / name)
    garment = prepare_garment(item.rgb, cut_out(item.rgb, item.alpha))
    assert {sleeve.side for sleeve in garment.sleeves} == {"left", "right"}
    for sleeve in garment.sleeves:
        outwards = -1.0 if sleeve.side == "left" else 1.0
        assert sleeve.axis[0] * outwards > 0.5, (sleeve.side, sleeve.axis)
        seam = float(np.hypot(*(sleeve.armpit - sleeve.shoulder)))
        assert np.hypot(*(sleeve.cuff - sleeve.armpit)) > 0.25 * seam


def test_a_torn_hem_is_no_pair_of_hanging_sleeves(shared_data: Path) -> None:
    """The openvto distressed tee (in the README's grids): its hem is torn in the middle and
    its corners hang a little lower, so the parts under the hem's middle were taken for
    sleeves hanging beside the body, the hem ended where they began (0.57 of the shoulders'
    span) and the tee's sides became its sleeves, worn down to the wrists over the old
    jacket's. The hem is as wide as the body, the short sleeves end above its middle."""
    from tryon.imaging.cutout import cut_out

    rgb = decode_image((shared_data / "openvto/clothes/shirts/4_front.jpg").read_bytes()).rgb
    garment = prepare_garment(rgb, cut_out(rgb, None))
    kp = garment.keypoints
    span = float(kp.right_shoulder[0] - kp.left_shoulder[0])
    hem_y = (kp.left_hem[1] + kp.right_hem[1]) / 2
    shoulders_y = (kp.left_shoulder[1] + kp.right_shoulder[1]) / 2
    print(f"hem width: {(kp.right_hem[0] - kp.left_hem[0]) / span:.2f} spans")
    assert kp.right_hem[0] - kp.left_hem[0] > 0.9 * span
    assert [sleeve.side for sleeve in garment.sleeves] == ["left", "right"]
    for sleeve in garment.sleeves:
        assert sleeve.cuff[1] < shoulders_y + 0.6 * (hem_y - shoulders_y)


def test_turtleneck_with_hanging_sleeves(shared_data: Path) -> None:
    """A turtleneck whose sleeves hang along the body: the silhouette's upper corners at the
    steepest weighting are the collar's; the shoulders are the corners below, where the
    outline turns down the sleeves (the old code found the collar: span 0.37 of the width)."""
    from tryon.imaging.cutout import cut_out

    rgb = decode_image((shared_data / "vitonhd/paired/cloth/02783_00.jpg").read_bytes()).rgb
    garment = prepare_garment(rgb, cut_out(rgb, None))
    kp = garment.keypoints
    width = np.ptp(np.nonzero((garment.alpha >= 0.5).any(axis=0))[0])
    assert (kp.right_shoulder[0] - kp.left_shoulder[0]) > 0.6 * width
    # Its sleeves reach below the hem, so they are split from the body there.
    assert {sleeve.side for sleeve in garment.sleeves} == {"left", "right"}
    assert kp.right_hem[0] - kp.left_hem[0] < 0.8 * width



def _inner_back(shared_data: Path, name: str) -> tuple[float, bool]:
    """(area of the inside of the back found, in squared shoulder spans; whether the prepared
    garment carries exactly that mask)."""
    from tryon.imaging.cutout import crop_item, cut_out
    from tryon.kinds.top.garment import MAX_GARMENT_SIDE
    from tryon.kinds.top.neckline import inner_back

    item = decode_image(shared_data / name)
    mask = cut_out(item.rgb, item.alpha)
    garment = prepare_garment(item.rgb, mask)
    rgb, alpha = crop_item(item.rgb, mask, MAX_GARMENT_SIDE, "garment")
    kp = garment.keypoints
    inside = inner_back(rgb, alpha >= 0.5, kp.left_shoulder, kp.right_shoulder)
    span = float(kp.right_shoulder[0] - kp.left_shoulder[0])
    return float(inside.sum()) / span ** 2, bool((garment.inner_back == inside).all())


@pytest.mark.parametrize("name", ["garments/ootd/00055_00.jpg",   # Vans tee, dark inside
                                  "garments/ootd/00126_00.jpg",   # FILA tee
                                  "vitonhd/paired/cloth/07764_00.jpg"])  # GAP V-neck
def test_the_inside_of_the_back_is_cut_away(shared_data: Path, name: str) -> None:
    """The inside of the back seen through the neck opening (the back's neck band, the
    label, the lining) is hidden behind the neck when worn: preparation marks it, down to
    the front neckline, and the generator paints the neck there."""
    area, carried = _inner_back(shared_data, name)
    assert area > 0.01 and carried


def test_a_dark_print_under_a_white_tees_neckline_is_not_its_neckline(shared_data: Path) -> None:
    """A white tee with a faint crew neckline above a black-and-red print: the print's top
    edge was the strongest edge under the collar and was taken for the front neckline, so the
    white front down to the print (0.107 square spans) was cut away as the inside of the
    back and a disc of drawn skin showed under the chin. A deep lens lighter than the front
    below it is looked for again above that edge: only the collar's inside is cut away."""
    area, carried = _inner_back(shared_data, "vitonhd/paired/cloth/04743_00.jpg")
    assert carried and 0.0 < area < 0.04, area


@pytest.mark.parametrize("name", ["vitonhd/paired/cloth/02783_00.jpg",  # turtleneck
                                  "garments/ootd/02015_00.jpg"])  # strap top
def test_a_closed_neck_or_strap_top_keeps_its_top(shared_data: Path, name: str) -> None:
    assert _inner_back(shared_data, name)[0] == 0.0


def test_all_of_a_dark_lining_in_the_neck_opening_is_the_back(shared_data: Path) -> None:
    """A royal-blue scoop-neck tee whose navy lining shows through the neck opening: the best
    neckline path ran along the collar's binding on one side and left most of the lining,
    which the neck hides when worn, on the chest as a dark patch. Every dark pixel between
    the shoulders above the front neckline is now the inside of the back, and the bright
    front is not."""
    dark, bright, count = _marked_in_the_neck(shared_data, "garments/idm/09305_00.jpg",
                                              depth=0.5, inset=5, darker=40, within=10)
    print(f"dark lining marked: {dark:.3f}, bright front marked: {bright:.3f}")
    assert count > 1000
    assert dark > 0.9
    assert bright < 0.1


def test_an_open_collars_v_is_the_back(shared_data: Path) -> None:
    """A pink gingham blouse with a shirt collar, open to the first button: the inside of the
    back shows in shade through the collar's V far below its corners. Only the back's collar
    band above the label was found (0.020 square spans), and the V was worn on the chest as a
    dark triangle on every person. The shade under the neckline is followed down the V."""
    from tryon.imaging.cutout import crop_item, cut_out
    from tryon.kinds.top.garment import MAX_GARMENT_SIDE

    item = decode_image(shared_data / "garments/idm/09176_00.jpg")
    mask = cut_out(item.rgb, item.alpha)
    garment = prepare_garment(item.rgb, mask)
    rgb, _ = crop_item(item.rgb, mask, MAX_GARMENT_SIDE, "garment")
    kp = garment.keypoints
    span = float(kp.right_shoulder[0] - kp.left_shoulder[0])
    lightness = cv2.cvtColor(cv2.GaussianBlur(rgb, (0, 0), 2),
                             cv2.COLOR_RGB2LAB)[..., 0].astype(np.float32)
    # The V: dark pixels in the middle fifth, from the collar down half a span.
    x0, x1 = int(kp.neck[0] - 0.1 * span), int(kp.neck[0] + 0.1 * span)
    y0, y1 = int(kp.neck[1]), int(kp.neck[1] + 0.5 * span)
    garment_l = float(np.median(lightness[garment.alpha >= 0.5]))
    v = (lightness[y0:y1, x0:x1] < garment_l - 60) & (garment.alpha[y0:y1, x0:x1] >= 0.5)
    assert v.sum() > 0.01 * span ** 2
    assert garment.inner_back[y0:y1, x0:x1][v].mean() > 0.9
    assert garment.inner_back.sum() / span ** 2 < 0.1


@pytest.mark.parametrize(("name", "most"), [
    ("garments/idm/09164_00.jpg", 0.06),  # black tee, white print under the neckline
    ("vitonhd/paired/cloth/03751_00.jpg", 0.2),  # navy leaf print under a wide neckline
])
def test_a_dark_front_under_the_neckline_is_not_an_open_collar(shared_data: Path, name: str,
                                                               most: float) -> None:
    """Dark cloth under a neckline is the front (a black tee above its print, a wide scoop
    over a navy print), not the shade of an open collar: only the lens above the neckline
    is the back (0.031 and 0.102 square spans; followed down as a collar's V by a looser
    rule, 0.14 and 0.41)."""
    area, carried = _inner_back(shared_data, name)
    assert carried and area < most, area


def test_the_backs_seam_in_the_collars_shadow_is_the_back(shared_data: Path) -> None:
    """A red tee's inside of the back, seen through its crew neck, ends in a seam in the
    collar's shadow, 40 L darker than the lens above the neckline and so unlike its colour:
    only a quarter of those dark pixels were the back (0.25), and the rest was worn as a dark
    red V on the neck. Pixels beside the back that are deeper in shade than it are the back
    too (0.97)."""
    from tryon.imaging.cutout import cut_out

    item = decode_image(shared_data / "vitonhd/paired/cloth/01430_00.jpg")
    garment = prepare_garment(item.rgb, cut_out(item.rgb, item.alpha))
    kp = garment.keypoints
    span = float(kp.right_shoulder[0] - kp.left_shoulder[0])
    x0, x1 = int(kp.neck[0] - 0.2 * span), int(kp.neck[0] + 0.2 * span)
    y1 = int(kp.neck[1] + 0.25 * span)
    lightness = cv2.cvtColor(garment.rgb, cv2.COLOR_RGB2LAB)[:y1, x0:x1, 0]
    dark = (lightness < 100) & (garment.alpha[:y1, x0:x1] >= 0.5)
    assert dark.sum() > 0.005 * span ** 2
    assert garment.inner_back[:y1, x0:x1][dark].mean() > 0.9


@pytest.mark.parametrize("name", ["vitonhd/paired/cloth/09176_00.jpg",   # gingham polo
                                  "vitonhd/paired/cloth/00151_00.jpg",   # striped boat neck
                                  "garments/idm/04469_00.jpg"])
def test_a_hanging_sleeves_inner_side_is_not_the_panel(shared_data: Path, name: str) -> None:
    """Long sleeves hang along the body with a gap of background under each armpit: the
    strip of sleeve beyond that gap lies inside the shoulder-to-hem quadrilateral, and was
    taken into the panel (warped, it hung from the armpit as a flap, painted as a ruffle
    between a bent arm and the body: 0.6 % of the gingham polo's panel, 1.1 % of the
    striped top's). No part of the panel is cut off from its middle by background in its
    row and touching a sleeve."""
    from tryon.imaging.cutout import cut_out
    from tryon.imaging.geometry import dilate_disc, parts_touching

    rgb = decode_image((shared_data / name).read_bytes()).rgb
    garment = prepare_garment(rgb, cut_out(rgb, None))
    kp = garment.keypoints
    centre = int(round((kp.left_shoulder[0] + kp.right_shoulder[0]) / 2))
    beside = np.zeros_like(garment.panel)
    for y in np.flatnonzero(garment.panel[:, centre]):
        row = garment.panel[y]
        left = centre - int(np.argmin(row[centre::-1]))  # first gap leftwards
        right = centre + int(np.argmin(row[centre:])) if not row[centre:].all() else row.size
        beside[y, :left + 1] = row[:left + 1]
        beside[y, right:] = row[right:]
    sleeves = np.zeros_like(garment.panel)
    for sleeve in garment.sleeves:
        sleeves |= sleeve.mask
    assert len(garment.sleeves) == 2
    strips = parts_touching(beside, dilate_disc(sleeves, 2))
    assert strips.sum() < 0.001 * garment.panel.sum()


def test_a_breton_tops_stripes_under_its_neckband_are_the_front(shared_data: Path) -> None:
    """A striped boat-neck top with a yellow neckband (VITON-HD 00151): the strongest
    lightness edge under the collar corners is a stripe's, straight across under the band,
    and the inside of the back was cut down to it, the front band and a stripe with it (0.023
    square shoulder spans below the band; worn, the neck opening came out square, a stripe
    deep). The band's own hue edge is found: at most 0.006 of the front is cut below it."""
    from tryon.imaging.cutout import cut_out

    rgb = decode_image((shared_data / "vitonhd/paired/cloth/00151_00.jpg").read_bytes()).rgb
    garment = prepare_garment(rgb, cut_out(rgb, None))
    lab = cv2.cvtColor(garment.rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    band = (lab[..., 2] > 165) & (garment.alpha >= 0.5)  # yellow
    band[garment.rgb.shape[0] // 3:] = False  # the neckband, not the cuffs
    below = 0
    for x in np.flatnonzero(garment.inner_back.any(axis=0)):
        rows = np.flatnonzero(band[:, x])
        if rows.size:
            below += int(garment.inner_back[rows.max() + 1:, x].sum())
    kp = garment.keypoints
    span = float(kp.right_shoulder[0] - kp.left_shoulder[0])
    assert garment.inner_back.sum() > 0.02 * span ** 2  # the back is found
    assert below < 0.006 * span ** 2


@pytest.mark.parametrize("name", ["vitonhd/paired/cloth/01430_00.jpg",   # Fiorucci tee
                                  "garments/idm/09164_00.jpg"])           # black tee
def test_a_label_sewn_into_the_back_goes_with_it(shared_data: Path, name: str) -> None:
    """A label inside the back of the neck opening is the back's whatever the path along
    the front neckline does around it: enclosed by the inside of the back, it is cut away
    with it (found at half weight for lightness, the Fiorucci tee's path passed over the
    label's lower edge and left the label on the chest, a white patch under the chin)."""
    from tryon.imaging.cutout import cut_out

    rgb = decode_image((shared_data / name).read_bytes()).rgb
    garment = prepare_garment(rgb, cut_out(rgb, None))
    back = garment.inner_back
    assert back.any()
    # What the back's outline encloses (its holes) is the back.
    contours, _ = cv2.findContours(back.astype(np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_NONE)
    enclosed = np.zeros(back.shape, np.uint8)
    cv2.drawContours(enclosed, contours, -1, 1, thickness=cv2.FILLED)
    holes = (enclosed > 0) & ~back
    assert holes.sum() < 0.02 * back.sum()


def test_the_backs_shade_below_its_binding_is_the_back(shared_data: Path) -> None:
    """A white Minnie Mouse tee whose grey inside of the back, with the brand's label,
    darkens down to the front neckline: the best path ran along the back's binding, only the
    lens above it was the back (0.44 of the grey above the print), and the grey crescent
    below stayed on the chest under a drawn neck. On a plain front, the shade joined to the
    back, nearer its colour than the front's and of its hue, is the back too (0.99)."""
    grey, bright, count = _marked_in_the_neck(shared_data, "garments/ootd/12562_00.jpg",
                                              depth=0.25, inset=4, darker=25, within=5)
    print(f"grey back marked: {grey:.3f}, bright front marked: {bright:.3f}")
    assert count > 1000
    assert grey > 0.9
    assert bright < 0.1


def _marked_in_the_neck(shared_data: Path, name: str, *, depth: float, inset: int,
                        darker: float, within: float) -> tuple[float, float, int]:
    """In a window from the shoulder points' height down ``depth`` shoulder spans, less
    1/``inset`` of the span each side: the share of the pixels at least ``darker`` (Lab L,
    0–255) below the front's lightness (sampled just under the window) that the prepared
    garment marks as the inside of the back, the share of those within ``within`` of the
    front's that it marks, and how many darker pixels there are."""
    from tryon.imaging.cutout import crop_item, cut_out
    from tryon.kinds.top.garment import MAX_GARMENT_SIDE

    item = decode_image(shared_data / name)
    mask = cut_out(item.rgb, item.alpha)
    garment = prepare_garment(item.rgb, mask)
    rgb, _ = crop_item(item.rgb, mask, MAX_GARMENT_SIDE, "garment")
    kp = garment.keypoints
    lightness = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)[..., 0].astype(np.float32)
    x0, x1 = int(kp.left_shoulder[0]), int(kp.right_shoulder[0])
    y0 = int(min(kp.left_shoulder[1], kp.right_shoulder[1]))
    y1 = int(y0 + depth * (x1 - x0))
    window = (slice(y0, y1), slice(x0 + (x1 - x0) // inset, x1 - (x1 - x0) // inset))
    solid = garment.alpha[window] >= 0.5
    front = float(np.median(lightness[y1:y1 + 40, x0:x1]))
    dark = solid & (lightness[window] < front - darker)
    bright = solid & (np.abs(lightness[window] - front) < within)
    back = garment.inner_back[window]
    return float(back[dark].mean()), float(back[bright].mean()), int(dark.sum())


def test_a_strap_the_cut_out_lost_leaves_the_shoulders_level(shared_data: Path) -> None:
    """A navy cold-shoulder top with two thin straps on white: the cut-out keeps the left
    strap and loses the right one (2 px wide at its working size), so the left shoulder
    was found at the strap's top and the right one on the flutter sleeve, 0.52 of their span
    lower, and the right half of the top was taken for a sleeve (the panel 0.72 of the
    silhouette) and warped down the arm. Corners that far apart in height are found again
    below the lower one: level, the whole top its panel."""
    from tryon.imaging.cutout import cut_out

    item = decode_image(shared_data / "garments/ootd/050002_1.jpg")
    garment = prepare_garment(item.rgb, cut_out(item.rgb, item.alpha))
    left, right = garment.keypoints.left_shoulder, garment.keypoints.right_shoulder
    assert abs(left[1] - right[1]) < 0.1 * (right[0] - left[0])
    assert garment.panel.sum() > 0.9 * (garment.alpha >= 0.5).sum()


@pytest.mark.parametrize(("name", "darker"), [("garments/idm/09166_00.jpg", True),  # Gucci
                                              ("garments/ootd/050181_1.jpg", False)])  # navy
def test_a_label_inside_the_back_is_painted_over(shared_data: Path, name: str,
                                                 darker: bool) -> None:
    """A white tee's black-framed brand label and a navy tee's light blue one, sewn into the
    back just under its binding: the neckline found ran along the binding above them, so
    they were worn on the chest under the chin. The neck hides them when worn; preparation
    paints them over with the cloth around them."""
    from tryon.imaging.cutout import crop_item, cut_out
    from tryon.kinds.top.garment import MAX_GARMENT_SIDE

    item = decode_image(shared_data / name)
    mask = cut_out(item.rgb, item.alpha)
    garment = prepare_garment(item.rgb, mask)
    before, _ = crop_item(item.rgb, mask, MAX_GARMENT_SIDE, "garment")
    kp = garment.keypoints
    span = float(kp.right_shoulder[0] - kp.left_shoulder[0])
    x0, x1 = int(kp.neck[0] - 0.12 * span), int(kp.neck[0] + 0.12 * span)
    y0, y1 = int(kp.neck[1]), int(kp.neck[1] + 0.25 * span)

    def unlike_cloth(rgb: np.ndarray) -> int:
        lightness = cv2.cvtColor(np.ascontiguousarray(rgb[y0:y1, x0:x1]),
                                 cv2.COLOR_RGB2LAB)[..., 0].astype(np.float32)
        cloth = float(np.median(lightness))
        off = cloth - lightness if darker else lightness - cloth
        return int((off > 40).sum())

    assert unlike_cloth(before) > 0.002 * span ** 2  # the label
    assert unlike_cloth(garment.rgb) < 0.1 * unlike_cloth(before)


STAND_WINDOW = (0.1, 0.2)  # spans each side of the middle, and down from the top
LABEL_LIGHTNESS = 20  # Lab L (0-255) a label differs from the cloth around it by
MOST_LABEL_LEFT = 0.1  # of its pixels


@pytest.mark.parametrize(("name", "darker"), [
    ("demo:bandana-shirt.jpg", False),
    ("openvto/clothes/shirts/1_front.jpg", False),
    ("garments/ootd/050002_1.jpg", False),  # a navy dress's white label at its raised back
    ("garments/idm/09133_00.jpg", True),  # a white camisole's black label above its front
])
def test_a_label_on_a_closed_collars_stand_is_painted_over(shared_data: Path, name: str,
                                                           darker: bool) -> None:
    """A collar photographed closed at the back (a shirt's, a jacket's, a raised back) shows
    no front neckline to follow, and its label sewn into the stand was worn at the neck: a
    white patch over the demo bandana shirt's collar. Preparation paints
    it over with the cloth around it (not the white background beside it). Measured: solid
    blobs (a 5-pixel square fits in) of near-grey pixels LABEL_LIGHTNESS lighter (or darker)
    than the cloth, on the garment in the stand's window."""
    from tests.conftest import DEMO_ASSETS
    from tryon.imaging.cutout import crop_item, cut_out
    from tryon.kinds.top.garment import MAX_GARMENT_SIDE

    path = DEMO_ASSETS / "tops" / name[5:] if name.startswith("demo:") else shared_data / name
    item = decode_image(path)
    mask = cut_out(item.rgb, item.alpha)
    garment = prepare_garment(item.rgb, mask)
    before, alpha = crop_item(item.rgb, mask, MAX_GARMENT_SIDE, "garment")
    kp = garment.keypoints
    span = float(kp.right_shoulder[0] - kp.left_shoulder[0])
    middle = (kp.left_shoulder[0] + kp.right_shoulder[0]) / 2
    on = alpha >= 0.5
    top = int(np.flatnonzero(on[:, int(middle)])[0])
    window = (slice(top, top + int(STAND_WINDOW[1] * span)),
              slice(int(middle - STAND_WINDOW[0] * span), int(middle + STAND_WINDOW[0] * span)))

    def label_pixels(rgb: np.ndarray) -> int:
        lab = cv2.cvtColor(np.ascontiguousarray(rgb[window]), cv2.COLOR_RGB2LAB).astype(
            np.float32)
        cloth = on[window]
        off = lab[..., 0] - float(np.median(lab[..., 0][cloth]))
        grey = np.hypot(lab[..., 1] - 128, lab[..., 2] - 128) < 12
        label = cloth & grey & ((-off if darker else off) > LABEL_LIGHTNESS)
        solid = cv2.morphologyEx(label.astype(np.uint8), cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
        return int(solid.sum())

    assert label_pixels(before) > 0.002 * span ** 2  # the label
    assert label_pixels(garment.rgb) < MOST_LABEL_LEFT * label_pixels(before)
