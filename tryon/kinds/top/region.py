"""The try-on region of a top: everything an old top could cover, found without colour guesses.

From the pose and the person mask only: the torso (shoulders to a little below the hips), the
shoulders and neck base, the collar and hood zone around the neck up to the chin, both arms to
the wrists,
each drawn wider than any sleeve, kept where they meet the person and a margin of background
beside it (a wider old top covered background that the new one may leave), minus the face,
the hands beyond the wrists and the hair (a beard hanging below the estimated chin stays with
the face). Inside it the generator decides every pixel, so no piece of the old top can
survive a wrong colour rule.

The *hint* says where the photo's own pixels are certainly right and may be kept: the
background inside the region (off the person mask, a few pixels away from it), the trousers
or skirt below the top (coloured like the clothing just below the hips and joined to it, when
that colour differs from the chest's; from their waistband line down, holes filled, so a new
top is tucked in as the old one was), bare skin on the arms (close in lightness and hue
to the face, joined to a visible hand or leaving the photo below a visible elbow) and, unless
the old top is itself skin-coloured, all bare skin joined to those or to the face's (neck,
shoulders, the chest above the old neckline). The generator sees those pixels and may keep them; a
wrong hint is at worst a patch the generator chose to keep, never a whole old top. The scene
drops the background and neck hints where the new garment reaches
(:mod:`tryon.kinds.top.scene`).

Coordinates: (x, y) photo pixels, x right, y down; masks (H, W) bool.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from scipy.ndimage import binary_fill_holes

from tryon.body.colour import (
    LAB_NEUTRAL,
    PLAIN_SPREAD,
    SKIN_LIGHTNESS,
    coloured_like,
    coloured_like_values,
    lit_median,
    plain_median,
    skin_colour,
    tighten_skin,
)
from tryon.body.landmarks import PoseLandmark as L
from tryon.body.person import PersonAnalysis
from tryon.body.pose import Pose, chin_point, mouth_and_eyes
from tryon.body.regions import ARMS, HANDS, Region, torso_core, torso_polygon
from tryon.imaging.blur import photo_grain
from tryon.imaging.geometry import (
    bbox_of_mask,
    close_disc,
    crop_box,
    dilate_disc,
    draw_capsule,
    draw_polygon,
    in_photo,
    labelled_any,
    open_disc,
    parts_at_least,
    parts_touching,
    past_line,
    perpendicular,
    unit,
)
from tryon.kinds.top.backdrop import Backdrop, above_body, beside_neck_backdrop
from tryon.kinds.top.compose import THIGH_BAND, attached_skin, worn_below
from tryon.kinds.top.neckline import best_path, vertical_change

__all__ = ["TopRegion", "below_hips", "face_skin_grain", "left_to_paint", "not_wall",
           "skin_tone_rgb", "top_region", "torso_zone"]

MIN_FACE_SKIN = 30  # skin-coloured pixels of the face needed for its tone and grain

# Sizes in shoulder widths.
UPPER_ARM_RADIUS = 0.24
FOREARM_RADIUS = 0.2
CUFF_RADIUS = 0.4  # body units: the arm zone's half-width at the wrist (bell sleeves)
SHOULDER_RADIUS = 0.22
NECK_RADIUS = 0.3
COLLAR_RADIUS = 0.42  # around the neck base: collars, hoods lying down, scarves of a top
TORSO_GROW = 0.12
BELOW_HIPS = 0.2  # the region reaches this far below the hip line (long tops, tunics)
HAND_EDGE = 0.03  # body units of a hand's disc kept beside its skin
HAND_REACH = 0.9  # body units past the wrist landmark a hand may hang (landmarks at a cuff)
HAND_RADIUS = 0.15  # body units each side of the forearm's line there (a hand is about 0.2 wide)
HAND_STRICT_REACH = 0.1  # body units from strict skin where loose skin may be a hand's
FLARE_REACH = 0.3  # body units beyond the torso's sides where the person is the old top's
# ... and beyond the side of a body turned side-on, whose arm on that side is behind it
# (:meth:`~tryon.body.pose.Pose.arm_hidden`), from TURNED_FROM body units under the shoulder
# line (the armpits, where the fit's panel begins to follow the body's sides) down: the side
# and back show there, and a pregnant woman's belly in profile reaches farther. Within
# FLARE_REACH of the torso, a strip of the old top 0.5-1.0 square body units wide stayed
# beside every new top on 3 of 593 VITON-HD persons (a turned woman's white blouse, two
# bellies in profile). Above the armpits the new top has no sleeve on that side to cover
# it: there the region's old top was painted as a pale blur.
TURNED_FLARE_REACH = 1.0
TURNED_FROM = 0.45
BACKGROUND_MARGIN = 0.12  # background beside the person kept in the region
CHIN_SAMPLE = 0.3  # eye-to-mouth distances above the chin line sampled for the chin's look
BEARD_REACH = 0.6  # eye-to-mouth distances below the chin line a beard or the chin may reach
MIN_CHIN_SAMPLE = 20  # pixels of the chin strip needed to sample its colour
COLLAR_COLUMN_RADIUS = 0.38
# Hair in the neck's column is kept as hair only within HAIR_MATCH of the head's hair colour
# and HAIR_NOT_TOP_MARGIN nearer it than the old top's (Lab, lightness weighted): a red tee's
# shaded collar under dark brown hair stayed.
HAIR_MATCH = 20.0
CHIN_WINDOW = 0.04  # body units about the chin's middle where a beard or bare skin is seen
BARE_CHIN_SHARE = 0.5  # of the person's pixels there skin-coloured: no beard
COLLAR_SPAN = 0.08  # body units a dark collar under the chin spans on each side of the neck
# A collar there is black, grey or white: its Lab a/b median within COLLAR_CHROMA of grey
# (:data:`~tryon.body.colour.LAB_NEUTRAL`); the neck's shade under the jaw, which the face's ellipse
# also takes in, keeps the skin's warmth.
COLLAR_CHROMA = 8.0
HAIR_NOT_TOP_MARGIN = 10.0
HAIR_FRONT_REACH = 0.8  # body units under the shoulder line long hair is looked for in front
HAIR_FRONT_HUE = 8.0  # Lab a/b units a part of it may lie off the head's hair's median
HAIR_FRONT_LIGHTNESS = (25, 75)  # percentiles of the head hair's lightness its median lies within
HAIR_FRONT_MAX_PART = 0.15  # square body units: a larger part is the old top's (a print's)
MIN_COLUMN_HAIR = 0.01  # square body units: a smaller part there is a rim or a shadow line
# Square body units of hair above the mouth under which the head counts as bald: the demo
# selfie's bald man 0.0003 (the shade by an ear); on 344 surveyed photos also two blondes
# whose fair hair the colour model did not find (0.0016) and faces cut by the photo's top;
# the least on a head with dark hair in view 0.009 (a close-cropped woman's).
BALD_HEAD_HAIR = 0.005
COLUMN_HAIR_CLOSE = 0.02  # body units: gaps closed in that hair before its parts are measured
HINT_ERODE = 1  # pixels taken off the skin and trousers hints' edge
SKIN_BRIDGE = 0.02  # body units: gaps this wide (twice) in an arm's skin still join it to its hand
SKIN_GAP = 0.05  # body units beside a forearm's hinted skin where loosely skin-coloured ones join
NECK_COLUMN = 0.22  # body units each side of the chin-to-neck-base line where the neck is
NECK_CHROMA = 20.0  # Lab a/b units from the face's skin of the neck in the jaw's shadow
# Kept skin (the bare body's hint, the face's and neck's skin below the chin) within this many
# pixels of the old top is the seam between them (an anti-aliased, JPEG-blurred blend of both):
# left to paint where it is a blend (kept, a white crew neck's edge stayed as a thin white ring
# between a real neck and the chest drawn under a new V-neck).
OLD_TOP_SEAM = 2
SEAM_BLEND = 1 / 3  # ... those at least this share of the way from the skin's colour to the top's
SEAM_CONTRAST = 40.0  # Lab units (8-bit scale) between the two colours, at least (a beige top's
# seam with pale skin is no blend to tell: the neck's own shading was taken for it)
BODY_HOLE = 0.075  # body units: gaps this wide (twice) in the bare body's hint are closed
WAIST_ABOVE_HIPS = 0.8  # body units above the hip landmarks a waistband may sit
WAIST_BELOW_HIPS = 0.4  # body units below them
MIDRIFF_HALF = 0.35  # body units each side of the torso's middle where a bare midriff is
# seen: across the waist (hands clasped there made a band of skin 0.15 units each side)
MIDRIFF_OFF_ARMS = 0.1  # body units off the arms' and hands' labels and the forearms' zone
MIDRIFF_SHARE = 0.7  # of the person there strict skin, in a slice of the midriff
MIDRIFF_SLICE = 0.02  # body units: the depth of a slice
MIDRIFF_SEEN = 0.3  # of a slice's nominal area on the person, at least
MIDRIFF_THICKNESS = 0.04  # body units of such slices at least
MIDRIFF_LOWEST = 0.2  # body units below the hip line the midriff may reach
WAISTBAND_BELOW = 3  # pixels under the waistband line that must be trousers-coloured ...
# ... or begin within WAISTBAND_GAP body units under them: the colour model misses the first
# rows under a pale denim waistband in places (its stitching, its shade), and with the line
# held to trousers exactly WAISTBAND_BELOW pixels under it, the crease across the crotch of
# high-waisted jeans won over their waistband; a crop top's midriff was drawn down over
# their top (0.03: still; 0.1: a black old top's dark print over black jeans counted as
# their top)
WAISTBAND_GAP = 0.05
WAISTBAND_STEP = 1  # rows per column the waistband line may climb or fall
WAISTBAND_DEPTH = 0.4  # body units: the most of a waistband or belt under the line
TROUSERS_CLOSE = 0.1  # body units: gaps in the colour-found trousers this wide are closed
BACKGROUND_GAP = 3  # pixels between the person mask and the background hint
CHEST_AT = 0.4  # the chest sample: this far from the shoulders to the hips
CHEST_HALF = 0.2  # its half side, body units
MIN_CHEST_SHARE = 0.5  # of the sample on the person and in the photo, least
SKIN_COLOURED_SHARE = 0.3  # of its person pixels strict skin: the old top is skin-coloured
# ... as it is when its colour is the face's skin's within this many Lab a/b units (OpenCV's
# 8-bit scale) and it is lit at least as light (:func:`_lit_like_skin`). On 300 unseen
# VITON-HD persons and the 16 openvto and demo photos the old top's colour (the torso core's
# median) lay 4.0-68.5 units from the face's: within 8, lit as light, only the openvto man's
# beige hoodie (4.0 and 6.0 in two photos); the next, a pink top, 10.0; olive, brown and
# sheer black tops 6.7-9.4, darker than the face.
SKIN_TOP_CHROMA = 8.0
# Then its sleeves pass for bare arms wherever they are shaded to the face's lightness: skin
# off the face and neck is taken only where its hue (Lab a, b) is nearer the hands' own
# skin than the old top's colour (:func:`_sleeve_hued`; the part of a hand's disc joined to
# its forearm that has the top's hue is its cuff), given at least MIN_HAND_SKIN
# square body units of the hands' strict skin whose hue lies HAND_TOP_APART or more from the
# top's (the openvto man's hands 6.0 from his beige hoodie, its shaded sleeves 1.4 from it
# and 7.1 from his hands). Not for other old tops near the face's hue: the nearer hue split
# real bare arms beside a rust print (VITON-HD 10816: hands 6.3 from the top, arms nearer it).
MIN_HAND_SKIN = 0.02
HAND_TOP_APART = 4.0
WRIST_SEED = 0.25  # body units around a visible wrist where strict skin seeds bare arms
SHOULDER_SEED = 0.2  # body units around a shoulder joint where strict skin seeds bare skin
ELBOW_SEED = 0.15  # body units around a visible elbow where bare skin seeds bare arms
BARE_ELBOW_SHARE = 0.5  # of the person's pixels there strict skin: a bare elbow
EDGE_BAND = 3  # pixels along the photo's edge where a forearm leaving the photo seeds skin
LONG_HEM_REACH = 0.9  # body units below the hip line an old top's hem is looked for
LONG_HEM_SPAN = 0.5  # of the hip joints' span a long old hem's part must be wide
HEM_LEGS_BAND = 0.1  # body units: the thighs' lowest band, where legs may show below a long hem
MIN_HEM_LEGS = 0.025  # square body units of legs there needed to take their colour
HEM_COVER = 0.6  # of the body between the hip line and that band the old top's colour covers
LEGS_BAND = (1.0, 1.4)  # body units below the hip line where plain legs are sampled
LOWEST_LEGS_BAND = 0.2  # body units: the legs' lowest band in a photo cut above LEGS_BAND
HEM_PROBE = 0.1  # body units under the region where such a photo's long old hem is looked for
LOWEST_LEGS_DEPTH = 0.8  # body units below the hip line the photo must reach for its lowest legs
UNLIKE_LEGS = 3.0  # of the plain spreads from the legs' colour beyond which a pixel is not theirs
OLD_TOP_REACH = 0.4  # body units beside the region an old top reaching out of it is looked for
WALL_RING = 0.15  # body units off the person where cloth the segmentation left out is looked
# for (told from the wall sampled as far again beyond) ...
FLARE_WIDTH = 0.05  # body units: ... as parts at least this wide
OLD_TOP_FOLD = 0.1  # body units: shaded folds this wide between its matched parts are its too
OLD_TOP_ABOVE_SHOULDERS = 0.25  # body units above the shoulder joints it may reach up to
OLD_TOP_EDGE = 0.06  # body units the parts found are grown by (their edge blends with the wall)
THIGH_HALF = 0.35  # ... within this many body units of the body's middle
THIGHS_LIKE_TOP = 0.3  # share of the thighs coloured like the old top: they are not told apart
TOP_LEGS_APART = 10.0  # Lab distance (lightness halved) between the old top's and the legs'
# colours under which nearness to one or the other cannot tell them apart
MIN_TOP_SAMPLE = 0.05  # square body units of the torso's core or thighs needed
LIGHTNESS_WEIGHT = 0.5  # of Lab lightness in the arm-or-top colour distance
SKIN_TOP_APART = 8.0  # Lab a/b distance between the face's skin and a skin-toned old top's
# colour from which skin pixels nearer the top's hue are taken for the top
TOP_SKIN_HUE = 12.0  # Lab a/b distance between the old top and the face's skin under which
# the arms' own tone is not looked for
ARM_TOP_APART = 15.0  # that distance from the old top's colour under which an arm's strict
# skin is taken for the top's sleeve and gives no tone
ARM_SKIN_CHROMA = 14.0  # Lab a/b units from an arm's own tone within which its skin is
# (the face's 9 left a tanned arm's shaded side, 13 from its lit middle, to be drawn over)
ARM_SKIN_CLOSE = 0.1  # body units: gaps in an arm's own-tone skin this wide are closed
MIN_ARM_SKIN = 0.02  # square body units of an arm's strict skin that give its own tone
# Each arm's labels (upper arm, forearm and hand) whose own skin tone is measured.
ARM_SIDES = ((Region.LEFT_UPPER_ARM, Region.LEFT_FOREARM, Region.LEFT_HAND),
             (Region.RIGHT_UPPER_ARM, Region.RIGHT_FOREARM, Region.RIGHT_HAND))
ARM_JOINTS = ((L.LEFT_SHOULDER, L.LEFT_ELBOW, L.LEFT_WRIST),
              (L.RIGHT_SHOULDER, L.RIGHT_ELBOW, L.RIGHT_WRIST))
DEFAULT_SKIN_RGB = np.array([200.0, 160.0, 135.0], np.float32)


@dataclass(frozen=True)
class TopRegion:
    """``region``: (H, W) bool, the pixels the generator decides; ``hint``: (H, W) bool inside
    ``region``, where the photo is certainly right (background, trousers, bare arms);
    ``protected``: (H, W) bool, face, hands and hair that stay
    in front; ``skin_rgb``: (3,) float32 in [0, 255], the person's skin tone (the generator's
    input); ``face_lit_rgb``: the same, of the face's lit half (what skin is drawn in when no
    bare skin shows: the median of a bearded face is the beard's); ``skin_grain``: the
    photo's grain on the face's skin (:func:`face_skin_grain`, grey levels), the most drawn
    skin is given. Parts of
    ``hint``: ``bare_skin`` (H, W) bool, bare arm skin (an arm may be in front of a new
    top); ``bare_body`` (H, W) bool, bare skin anywhere in the region joined to the face
    or the arms' (neck, shoulders, the chest above the old neckline; a new top covers it
    where it reaches, except the arms' part, which is in ``bare_skin`` too);
    ``worn_below`` (H, W) bool, the trousers or skirt from their waistband down, solid (a
    top is tucked into them as the old one was); the rest is background, which a new top
    covers. ``backdrop``: the old top's pixels beside the neck above the body's outline
    (a hood, a big collar) and the background filled in there
    (:mod:`tryon.kinds.top.backdrop`); not part of ``hint``, the scene adds it where the new
    top does not reach. ``above_body``: (H, W) bool, beside the neck above the body's outline
    (:func:`~tryon.kinds.top.backdrop.above_body`): the inside of a new top's back shows
    there (elsewhere the neck and shoulders are in front of it). ``skin``: (H, W) bool,
    person pixels close to the face's skin in lightness and hue (:func:`_strict_skin`),
    hinted or not. ``like_old_top``: (H, W) bool, pixels coloured like the old top where
    that colour is told from the legs' (:func:`_old_top_told`; all False where not).
    ``reaching_out``: (H, W) bool, the old top reaching out of the body's shapes (a ruffle, a
    flare; :func:`_old_top_beside`), part of ``region``: the wall shows there unless the new
    top covers it. ``long_hem``: (H, W) bool, the old top's hem hanging below the hips' band
    (:func:`_long_hem_below`), part of ``region``: never the legs' clothes. ``depth``,
    ``across``: (H, W) float32 body units, each pixel's distance below the hip line and from
    the body's middle line (:func:`below_hips`)."""

    region: np.ndarray
    hint: np.ndarray
    protected: np.ndarray
    skin_rgb: np.ndarray
    face_lit_rgb: np.ndarray
    skin_grain: float
    bare_skin: np.ndarray
    bare_body: np.ndarray
    worn_below: np.ndarray
    backdrop: Backdrop
    above_body: np.ndarray
    skin: np.ndarray
    like_old_top: np.ndarray
    reaching_out: np.ndarray
    long_hem: np.ndarray
    depth: np.ndarray
    across: np.ndarray


def top_region(photo: np.ndarray, person: PersonAnalysis) -> TopRegion:
    """The try-on region of a top on ``photo`` ((H, W, 3) uint8 RGB) analysed as ``person``."""
    pose = person.pose
    height, width = photo.shape[:2]
    unit_px = pose.unit_px
    labels = person.regions.labels
    zone = np.zeros((height, width), np.uint8)
    zone_arms = _arm_zone(pose, (height, width), unit_px)
    _draw_body(zone, pose, unit_px, zone_arms)
    collar = np.zeros_like(zone)
    neck_base = pose.neck_base
    # Up to the chin: a hood lying down rises beside the neck to the jaw.
    chin = chin_point(pose)
    draw_capsule(collar, chin, neck_base, COLLAR_RADIUS * unit_px, 1)
    # ... and no higher than the mouth: above it, beside the face, are the ears (the face's
    # ellipse leaves them out), which the zone reached on a close-up.
    below_mouth = _below_mouth(pose, (height, width))
    collar &= below_mouth.astype(np.uint8)
    zone |= collar
    on_person = person.person_mask
    zone |= _torso_band(pose, unit_px, (height, width)) & on_person
    near_person = dilate_disc(on_person, max(1, int(round(BACKGROUND_MARGIN * unit_px))))
    forearms = np.zeros_like(zone)
    for _, elbow, wrist in ARM_JOINTS:
        draw_capsule(forearms, pose.point(elbow), pose.point(wrist), FOREARM_RADIUS * unit_px, 1)
    # The hands' labels are discs around the hand landmarks: only their skin (grown a
    # little, for the hand's shaded edge) is the hand; the rest of a disc beside a hip is
    # the old top's hem, which once stayed beside the hand. Loosely skin-coloured pixels
    # count only near strictly skin-coloured ones: hands held behind the back are placed on
    # the waist, and a grey tee there matched dark skin loosely (two grey discs stayed).
    lab = cv2.cvtColor(photo, cv2.COLOR_RGB2LAB).astype(np.float32)
    face_tone = skin_colour(photo, person.regions.skin, person.regions.face_core)
    core = torso_core(pose, (height, width))
    top_sample = core & on_person  # where the old top is, whatever the arms and hair do
    top_colour = _top_colour(lab, top_sample, core)
    skin = _unlike_top(_strict_skin(person, lab, face_tone), lab, face_tone, top_colour)
    like_top = _like_top(lab, top_sample, unit_px)
    loose = person.regions.skin & dilate_disc(skin, max(1, int(round(HAND_STRICT_REACH
                                                                      * unit_px))))
    # The shaded edge is not coloured like the old top: a white tee's strip along the top
    # of a pale woman's clasped hands stayed there, white over a new denim jacket.
    hand_skin = dilate_disc(loose, max(1, int(round(HAND_EDGE * unit_px)))) & ~(like_top
                                                                                & ~loose)
    hands = labelled_any(labels, [int(r) for r in HANDS]) & (forearms == 0) & hand_skin
    # A top lit like skin (a beige hoodie): what has its hue rather than the hands' is its
    # sleeve, and the part of a hand's disc joined to the forearm that has it is its cuff.
    lit_like_skin = _lit_like_skin(top_colour, face_tone)
    sleeve_hued = (_sleeve_hued(skin, person, lab, top_colour)
                   if lit_like_skin and top_colour is not None else None)
    if sleeve_hued is not None:
        hands &= ~parts_touching(hands & sleeve_hued, dilate_disc(forearms > 0, 1))
    face, hair = labels == int(Region.FACE), labels == int(Region.HAIR)
    head = face | hair
    # Below the chin the face's ellipse is a collar, a turtleneck or a hood wherever it
    # reaches (a tilted head's ellipse reached past the neck's column over a turtleneck);
    # hair only in the neck's column (beside it, hair hangs in front of the shoulders), and
    # there not when coloured like the head's hair and unlike the old top's main colour: that
    # is long hair hanging beside the neck (a blonde's, over a dark print), not a collar.
    below_line, at_neck = _below_chin(pose, labels.shape, unit_px)
    hanging = _hair_not_top(lab, hair & at_neck, hair & ~below_line, top_colour, unit_px)
    # ... and the face's ellipse below the chin is hair where coloured like it (long hair
    # over the shoulders under a tilted ellipse: skin was drawn over it as neck).
    hair_under_face = _hair_not_top(lab, face & below_line, hair & ~below_line, top_colour,
                                    unit_px)
    # ... but under a bare chin no beard goes on down the neck: a dark part spanning the
    # neck there is a collar (a black mock neck under an afro was kept over a new V-neck),
    # and so is the hair-labelled part beside it coloured like it.
    collar_sides = np.zeros_like(hair)
    if _bare_chin(person, skin):
        collar = _collar_under_chin(hair_under_face, lab, pose, unit_px)
        hair_under_face &= ~collar
        if collar.any():
            collar_sides = parts_touching(hair & below_line & coloured_like(lab, collar),
                                          dilate_disc(collar, 1))
    # Hair hangs from the head's, above the mouth: the parts joined to none of it do not.
    unhung = hair & ~parts_touching(hair, hair & ~below_mouth)
    # Beside the neck too: nothing hangs from a bald head, and what is labelled hair there is
    # a shade (a hood's dark inner rim beside a bald man's beard was kept as a brown crescent
    # on every top).
    loose_hair = _hair_below_bald_head(hair, unhung, below_mouth, unit_px)
    below_chin = ((face & below_line & ~hair_under_face) | (hair & at_neck & ~hanging)
                  | collar_sides | loose_hair)
    # (The chin's skin joins the beard to such a part: it does not continue the chin.)
    head &= ~below_chin | (_chin_continued(photo, pose, head, below_chin,
                                           person.regions.skin | hair) & ~loose_hair)
    head &= ~_top_under_head_labels(lab, person, face, hair, like_top, hair & ~below_line,
                                    top_colour, below_mouth, unhung)
    # Hair's ends the segmentation left unlabelled above the body's outline beside the neck
    # (lying on an old blazer's shoulders, against a window): coloured like the head's hair,
    # not the old top, and joined to the labelled hair, they are hair and stay in front; left
    # in the region, the generator painted them as blurred brown blocks beside the neck.
    beside_neck = above_body(pose, (height, width), chin)
    head |= _hair_ends(lab, labels, beside_neck & on_person, hair, hair & ~below_line,
                       top_colour, unit_px)
    head |= _hair_in_front(lab, pose, (zone > 0) & on_person & ~head & ~hands & ~skin & ~like_top,
                           hair & below_mouth & ~at_neck, hair & ~below_mouth,
                           hair & ~below_line, top_colour, unit_px)
    protected = (hands | head) & on_person
    region = (zone > 0) & near_person & ~protected
    depth, across = below_hips(pose, (height, width))
    thighs = _legs_sample(person, depth, across, THIGH_BAND, without=person.regions.skin)
    like_old_top = _old_top_told(person, like_top, depth, across, thighs, lab, top_sample,
                                 top_colour, skin)
    # The blend of the old top's edge into the face's and neck's skin is the old top's (a
    # white crew neck's or turtleneck's edge stayed as a thin light ring under the neck).
    head_seam = _seam_with_old_top(protected & ~hair & ~hands & below_line, like_old_top,
                                   region, lab) & (zone > 0)
    protected &= ~head_seam
    region |= head_seam
    old_hem = like_old_top if like_old_top.any() else _unlike_legs(person, lab, depth, across)
    # Bare hands below the wrists are not a long hem, wherever the pose placed their
    # landmarks (on a skin-toned blouse's gathered cuff a hand was painted over, dark).
    hands_below = loose & _beyond_wrists(pose, (height, width), unit_px)
    long_hem = _long_hem_below(person, region, protected | hands_below, old_hem, depth)
    region |= long_hem
    reaching_out = _old_top_beside(person, region, protected | skin,
                                   _old_top_above_legs(like_old_top, like_top, thighs, lab,
                                                       top_sample),
                                   depth, _unlike_wall(lab, on_person, unit_px))
    region |= reaching_out
    off_person = ~dilate_disc(on_person, BACKGROUND_GAP) & ~reaching_out
    # Skin only where bare skin can be (arms, neck, face, hands): brown trousers on a person
    # with dark skin match the face's colour too, and are still trousers.
    bare = skin & person.regions.mask(*ARMS, Region.NECK, Region.FACE, *HANDS)
    # The old top's long hem is not the trousers, however unlike its chest (a floral
    # tunic's hem was taken for them and kept below a shorter new top).
    trousers = worn_below(photo, pose, on_person & ~bare & ~long_hem, np.zeros(2), hair)
    # Bare arms always reach a hand (or leave the photo below a visible elbow); a beige hood
    # or sleeve joins the face instead.
    arm_seeds = person.regions.mask(*HANDS) | (
        (_forearms_leaving(pose, (height, width), unit_px)
         | _near_wrists(pose, (height, width), unit_px)) & skin)
    # A skin-coloured old top (a beige hoodie) could pass for skin: then only the arms off
    # the torso are hinted, else all bare skin joined to the face, hands or arms.
    trusted = not (_skin_coloured_top(skin, person) or lit_like_skin)
    if trusted:
        # ... or bare skin at a visible elbow, when the old top is not itself skin-coloured:
        # hands in the pockets, the wrists out of sight, and bare forearms joined nothing;
        # judged sleeved, a tanned woman's arms were drawn over in a paler tone.
        arm_seeds = arm_seeds | _bare_elbows(pose, skin, on_person, unit_px)
    arm_skin = (skin | _arms_own_skin(person, skin, lab, face_tone, top_colour)
                if trusted else skin)
    if sleeve_hued is not None:
        # A beige hoodie's sleeves joined his hands: kept as his arms beside a new shirt.
        arm_skin = arm_skin & ~(sleeve_hued & ~person.regions.mask(Region.FACE, Region.NECK))
    # Eroded only against the rest of the region (not at its edge, where a seam would show).
    if trousers.any():
        trousers = _from_waistband(photo, trousers, on_person & ~bare & ~protected, pose,
                                   like_top)
    else:
        # Colour cannot tell them from the old top: under a bare midriff they are the legs'
        # clothes (their print's own edges gave a waistband line down the skirt).
        trousers = _below_bare_midriff(skin, person, depth, across,
                                       on_person & ~bare & ~protected, forearms > 0)
    below = _eroded(trousers | ~region) & region
    # The legs' clothes are no bare skin, however skin-coloured: a tan suede skirt beside a
    # hand joined its skin in the arm's zone, and a drawn upper arm took the skirt's tone.
    bare_skin = _skin_hint(arm_skin, person, region, collar > 0, zone_arms, arm_seeds,
                           on_torso=trusted) & region & ~below
    bare_body = (_body_skin_hint(skin, person, region,
                                 arm_seeds | (_near_shoulders(pose, (height, width), unit_px)
                                              & skin)) & ~below
                 if trusted else np.zeros_like(skin))
    if trusted:
        # Where the bare body's hint may grow: the region's pixels unlike the old top, not
        # the face, hands or hair in front.
        growable = region & ~like_top & ~protected
        bare_body |= _holes_closed(bare_body, person, growable)
        bare_body |= _shaded_neck(bare_body, person, chin, lab, face_tone, growable)
        # ... with the loosely skin-coloured pixels of the forearms just beside it, unlike
        # the old top: a bare forearm's shaded edge is the same skin (left out, the forearm
        # was judged sleeved and drawn over: a tattooed forearm became a flat tube). Not on
        # the chest and shoulders: their tanned edges darkened the drawn chest's tone, and a
        # rust ruffle beside an arm was kept.
        near = (dilate_disc(bare_skin | bare_body, max(1, int(round(SKIN_GAP * unit_px))))
                & person.regions.mask(Region.LEFT_FOREARM, Region.RIGHT_FOREARM))
        bare_body |= near & person.regions.skin & growable
        bare_body &= ~_seam_with_old_top(bare_body, like_old_top, region & ~bare_skin, lab)
        # ... and with the old top's trim, unlike both it and skin (a lace V's brown scallops
        # between the bare chest and a black top: their edge was kept, a dark line along the
        # chest drawn where the trim was).
        trim = (region & person.person_mask & ~like_old_top & ~skin & ~protected
                & ~bare_body & ~bare_skin)
        trim &= ~parts_touching(trim | hair, hair)  # hair behind the neck is no trim
        bare_body &= ~_seam_with_old_top(bare_body, trim, region & ~bare_skin, lab)
    hint = (bare_skin | bare_body | off_person | below) & region
    return TopRegion(region=region, hint=hint, protected=protected, skin=skin,
                     reaching_out=reaching_out, long_hem=long_hem,
                     like_old_top=like_old_top,
                     skin_rgb=skin_tone_rgb(photo, person),
                     face_lit_rgb=skin_tone_rgb(photo, person, lit=True),
                     skin_grain=face_skin_grain(photo, person), bare_skin=bare_skin,
                     bare_body=bare_body,
                     worn_below=below,
                     backdrop=beside_neck_backdrop(photo, person,
                                                   beside_neck & region & ~hint, chin),
                     above_body=beside_neck, depth=depth, across=across)


def _below_bare_midriff(skin: np.ndarray, person: PersonAnalysis, depth: np.ndarray,
                        across: np.ndarray, allowed: np.ndarray,
                        forearms: np.ndarray) -> np.ndarray:
    """(H, W) bool: the person below a bare midriff, where ``allowed`` ((H, W) bool): the
    legs' clothes, when colour cannot tell them from the old top (a crop top and a skirt of
    one print, a black crop top and black shorts). A midriff is a band across the torso's
    middle (within :data:`MIDRIFF_HALF` body units of it) at least
    :data:`MIDRIFF_THICKNESS` deep between the waist (:data:`WAIST_ABOVE_HIPS` over the hip
    line) and :data:`MIDRIFF_LOWEST` under it, in whose slices :data:`MIDRIFF_SHARE` of the
    person is strict ``skin``, off the arms: :data:`MIDRIFF_OFF_ARMS` off the ``forearms``
    ((H, W) bool: their zone) and the arms' and hands' labels (arms folded or hands clasped
    across a top's waist made such a band, and the top below them was kept). Slices with
    less than :data:`MIDRIFF_SEEN` of their nominal area on the person do not count. What
    lies under the band, down to :data:`WAIST_BELOW_HIPS` under the hip line, as far off the
    arms and off skin, is the trousers or skirt: a top does not go on below a bare belly.
    ``depth``/``across``: :func:`below_hips`. All False without such a band. A crop top's
    matching print skirt was in the region, painted as a blur."""
    out = np.zeros_like(skin)
    arms = person.regions.mask(*ARMS, *HANDS)
    near_arms = dilate_disc(arms | forearms,
                            max(1, int(round(MIDRIFF_OFF_ARMS * person.pose.unit_px))))
    middle = (across < MIDRIFF_HALF) & person.person_mask & ~near_arms
    torso_skin = skin & middle
    slices = np.floor(depth / MIDRIFF_SLICE).astype(np.int32)
    first = int(np.floor(-WAIST_ABOVE_HIPS / MIDRIFF_SLICE))
    last = int(np.floor(MIDRIFF_LOWEST / MIDRIFF_SLICE))
    inside = middle & (slices >= first) & (slices <= last)
    if not inside.any():
        return out
    offsets = slices[inside] - first
    people = np.bincount(offsets, minlength=last - first + 1)
    bare = np.bincount(offsets, weights=torso_skin[inside], minlength=last - first + 1)
    seen = people >= MIDRIFF_SEEN * 2 * MIDRIFF_HALF * MIDRIFF_SLICE * person.pose.unit_px ** 2
    midriff = seen & (bare >= MIDRIFF_SHARE * people)
    # The lowest run of bare slices deep enough (not bare slices anywhere: a print's pale
    # stripes).
    runs = np.flatnonzero(np.diff(np.concatenate([[0], midriff.astype(np.int8), [0]])))
    starts, ends = runs[::2], runs[1::2]
    deep = ends - starts >= int(np.ceil(MIDRIFF_THICKNESS / MIDRIFF_SLICE - 1e-6))
    if not deep.any():
        return out
    bottom = (first + int(ends[deep][-1])) * MIDRIFF_SLICE
    return allowed & (depth >= bottom) & (depth < WAIST_BELOW_HIPS) & ~near_arms & ~skin


def _old_top_told(person: PersonAnalysis, like_top: np.ndarray, depth: np.ndarray,
                  across: np.ndarray, thighs: np.ndarray | None, lab: np.ndarray,
                  top_sample: np.ndarray, top_colour: np.ndarray | None,
                  skin: np.ndarray) -> np.ndarray:
    """(H, W) bool: ``like_top`` ((H, W) bool, coloured like the old top, :func:`_like_top`)
    when the ``thighs`` (their sample, (H, W) bool or None, :func:`_legs_sample`:
    :data:`THIGH_BAND` below the hip line, :data:`THIGH_HALF` either side of the body's
    middle, less skin; ``depth``, ``across``: :func:`below_hips`) are mostly unlike it;
    else, for a plain old top (its ``top_sample`` (H, W) bool,
    :func:`~tryon.body.colour.plain_median`), the pixels of ``like_top`` nearer its colour
    (``top_colour``, (3,) Lab, :func:`_top_colour`) than the thighs' median when those two
    are :data:`TOP_LEGS_APART` and that tells the thighs apart, or the same with the legs'
    colour seen below a long hem (:func:`_legs_below_hem`, ``skin``: (H, W) bool, strict
    skin, :func:`_strict_skin`); else all False: black
    trousers under a black top cannot be told from its hem, nor can anything when the thighs
    are not in the photo. ``lab``: the photo in Lab, (H, W, 3) float32. The thighs' bare
    skin is left out of their sample: under black shorts it made the thighs unlike a black
    top, the shorts were taken for its hem, and the generator painted a grey smear over
    them below a longer new top."""
    none = np.zeros_like(like_top)
    if thighs is None:
        return none
    if like_top[thighs].mean() < THIGHS_LIKE_TOP:
        return like_top
    # The loose colour model of a pale top takes in pale legs too (a light-blue babydoll
    # over a grey skirt: its lower tier stayed under a crop top); the pixels nearer the
    # legs' own colour than the top's are theirs, when the two are far enough apart.
    if top_colour is None or plain_median(lab[top_sample]) is None:
        return none  # a print's colours lie on both sides of its median
    # A long old hem may cover most of the thighs' band, the legs showing only in its lowest
    # rows (a maroon tee's shirttail over light jeans stayed below a red crop top).
    told = _told_from_legs(lab, like_top, top_colour, np.median(lab[thighs], axis=0), thighs)
    if told is None:
        legs, lowest = _legs_below_hem(person, lab, like_top, depth, across, skin)
        told = _told_from_legs(lab, like_top, top_colour, legs, lowest)
    return none if told is None else told


def _told_from_legs(lab: np.ndarray, like_top: np.ndarray, top_colour: np.ndarray,
                    legs: np.ndarray | None, sample: np.ndarray) -> np.ndarray | None:
    """(H, W) bool: the pixels of ``like_top`` nearer the old top's colour (``top_colour``,
    (3,) Lab) than the legs' (``legs``, (3,) Lab), when those two are :data:`TOP_LEGS_APART`
    and less than :data:`THIGHS_LIKE_TOP` of the legs' ``sample`` ((H, W) bool) is then the
    top's; else None (also when ``legs`` is None). ``lab``: (H, W, 3) float32."""
    if legs is None or float(_lab_distance(legs[None, :], top_colour)[0]) < TOP_LEGS_APART:
        return None
    told = like_top & (_lab_distance(lab, top_colour) < _lab_distance(lab, legs))
    return told if told[sample].mean() < THIGHS_LIKE_TOP else None


def _old_top_above_legs(like_old_top: np.ndarray, like_top: np.ndarray,
                        thighs: np.ndarray | None, lab: np.ndarray,
                        top_sample: np.ndarray) -> np.ndarray:
    """(H, W) bool: the old top's colour where it reaches out of the region above the hip
    line: ``like_old_top`` (told from the legs, :func:`_old_top_told`), or, when the photo
    ends above the thighs (no sample of them, ``thighs`` None) and the old top is one
    plain colour (its ``top_sample`` (H, W) bool, :func:`~tryon.body.colour.plain_median`),
    ``like_top``: a white tee's boxy sleeve flaring past the arm's zone on a photo cut at the
    hips stayed as a white flap beside a narrower new sleeve. (A print's loose colour model
    took in the wall and the hair.) ``lab``: (H, W, 3) float32."""
    if (like_old_top.any() or thighs is not None
            or not top_sample.any() or plain_median(lab[top_sample]) is None):
        return like_old_top
    return like_top


def _legs_below_hem(person: PersonAnalysis, lab: np.ndarray, like_top: np.ndarray,
                    depth: np.ndarray, across: np.ndarray,
                    skin: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """((3,) float32 Lab or None, (H, W) bool): the legs' colour seen below a long old hem,
    and where it was sampled: the lowest :data:`HEM_LEGS_BAND` body units of the thighs'
    sample (:data:`THIGH_BAND`, :func:`_legs_sample`, less strict ``skin`` ((H, W) bool):
    loosely skin-coloured maroon leggings under a dark-skinned woman's long white tee were
    left out with her skin, the legs' sample was a sliver, and the tee's hem stayed below a
    new one; ``depth``, ``across``: :func:`below_hips`), when most
    of it is unlike the old top (``like_top``) but at least :data:`HEM_COVER` of the body
    above it, from the hip line, is like it (a white lace top over a striped skirt: its
    white stripes are like the top, the blue ones between them are not), it holds at least
    :data:`MIN_HEM_LEGS` square body units unlike the top, and those are one plain chroma
    (their lightness is let vary: denim's folds and fades); None otherwise. Skin is left out
    of the body above. ``lab``: (H, W, 3) float32."""
    thighs = _legs_sample(person, depth, across, THIGH_BAND, without=skin)
    if thighs is None:
        return None, np.zeros_like(skin)
    start = depth[thighs].max() - HEM_LEGS_BAND
    lowest = thighs & (depth >= start)
    legs = lowest & ~like_top
    above = ((depth >= 0) & (depth < start) & (across <= THIGH_HALF) & person.person_mask
             & ~person.regions.skin)
    if (like_top[lowest].mean() >= THIGHS_LIKE_TOP or not above.any()
            or like_top[above].mean() < HEM_COVER
            or legs.sum() < MIN_HEM_LEGS * person.pose.unit_px ** 2):
        return None, lowest
    return plain_median(lab[legs], spread=(np.inf, *PLAIN_SPREAD[1:])), lowest


def _lowest_legs(person: PersonAnalysis, depth: np.ndarray,
                 across: np.ndarray) -> np.ndarray | None:
    """(H, W) bool: the legs' lowest :data:`LOWEST_LEGS_BAND` body units in the photo (the
    person within :data:`THIGH_HALF` of the body's middle, :func:`below_hips`' ``depth`` and
    ``across``) when they end at least :data:`LOWEST_LEGS_DEPTH` below the hip line, less
    skin; None otherwise or when that is less than :data:`MIN_TOP_SAMPLE` square body units."""
    legs = (across <= THIGH_HALF) & person.person_mask & (depth > 0)
    if not legs.any():
        return None
    deepest = float(depth[legs].max())
    if deepest < LOWEST_LEGS_DEPTH:
        return None
    return _legs_sample(person, depth, across, (deepest - LOWEST_LEGS_BAND, deepest),
                        without=person.regions.skin)


def _legs_sample(person: PersonAnalysis, depth: np.ndarray, across: np.ndarray,
                 band: tuple[float, float],
                 without: np.ndarray | None = None) -> np.ndarray | None:
    """(H, W) bool: the person's legs ``band`` (body units below the hip line, ``depth``)
    within :data:`THIGH_HALF` of the body's middle (``across``; :func:`below_hips`), less
    ``without`` ((H, W) bool) when given, or None when that is less than
    :data:`MIN_TOP_SAMPLE` square body units (the legs are not in the photo)."""
    sample = (depth >= band[0]) & (depth <= band[1]) & (across <= THIGH_HALF) & person.person_mask
    if without is not None:
        sample &= ~without
    return None if sample.sum() < MIN_TOP_SAMPLE * person.pose.unit_px ** 2 else sample


def below_hips(pose: Pose, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """((H, W), (H, W)) float32 body units: each pixel's distance below the hip line (along
    the torso's down; negative above) and its distance from the body's middle line."""
    hips = pose.hips_middle
    down = pose.torso_down
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]].astype(np.float32)
    depth = ((xs - hips[0]) * down[0] + (ys - hips[1]) * down[1]) / pose.unit_px
    across = np.abs((xs - hips[0]) * down[1] - (ys - hips[1]) * down[0]) / pose.unit_px
    return depth, across


def not_wall(zone: TopRegion, person: PersonAnalysis) -> np.ndarray:
    """(H, W) bool: the person and the old top the segmentation left out
    (``zone.reaching_out``): never a source of the wall filled in (a bell sleeve's flare
    beside it was smeared in as a yellow haze)."""
    return person.person_mask | zone.reaching_out


def left_to_paint(zone: TopRegion, person: PersonAnalysis, hint: np.ndarray,
          covered: np.ndarray) -> np.ndarray:
    """(H, W) bool: the try-on region on the person (or the old top the segmentation left
    out, :func:`not_wall`), not protected, hinted or ``covered`` by the new top: what is left
    to paint."""
    return zone.region & not_wall(zone, person) & ~zone.protected & ~hint & ~covered


def _long_hem_below(person: PersonAnalysis, region: np.ndarray, protected: np.ndarray,
                    old_top: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """(H, W) bool: the old top's hem hanging below the region (a tunic, an oversized tee):
    person pixels under the region, below the hip line and down to :data:`LONG_HEM_REACH`
    body units under it, that are the old top where it is told from the legs (``old_top``:
    coloured like it, :func:`_old_top_told`, or unlike plain legs, :func:`_unlike_legs`),
    not ``protected`` and joined to the region (``depth``: body units below the hip line,
    :func:`below_hips`) in parts at least :data:`LONG_HEM_SPAN` of the hips wide, with what
    lies above them in their column (a print's parts coloured like the legs). The hem
    stayed below every new top, in the old top's colours."""
    candidates = (old_top & person.person_mask & ~protected & ~region
                  & (depth > 0) & (depth <= LONG_HEM_REACH))
    found = parts_touching(candidates, dilate_disc(region, 1) & ~region)
    # As wide as a hem across the body (a sequinned pocket on plain trousers is not).
    _, labels, stats, _ = cv2.connectedComponentsWithStats(found.astype(np.uint8), 8)
    wide = stats[:, cv2.CC_STAT_WIDTH] >= LONG_HEM_SPAN * person.pose.hip_width
    wide[0] = False
    found = wide[labels]
    if not found.any():
        return found
    # Up each column from its lowest found pixel to the region.
    above = np.maximum.accumulate(found[::-1], axis=0)[::-1]
    return above & person.person_mask & ~protected & ~region & (depth > 0)


def _unlike_legs(person: PersonAnalysis, lab: np.ndarray, depth: np.ndarray,
                 across: np.ndarray) -> np.ndarray:
    """(H, W) bool: pixels unlike the legs' clothes where those are one plain colour
    (:func:`~tryon.body.colour.plain_median` of their sample :data:`LEGS_BAND` body units
    below the hip line, within :data:`THIGH_HALF` of the body's middle, below any long old
    hem; or, in a photo that ends above that band, of the legs in its lowest rows,
    :func:`_lowest_legs`, one plain chroma whatever their lightness: faded grey jeans;
    unlike: beyond :data:`UNLIKE_LEGS` times :data:`~tryon.body.colour.PLAIN_SPREAD`
    in a channel); all False without such a sample. A floral tunic over black jeans: its
    print holds black, so its colour model took in the jeans and its hem was not told from
    them; over grey jeans on a photo cut at the thighs, its hem stayed below a shorter new
    top. From the lowest rows, only when at least :data:`HEM_COVER` of the body's first
    :data:`HEM_PROBE` body units under the region is unlike them. ``lab``: (H, W, 3)
    float32; ``depth``, ``across``: :func:`below_hips`."""
    sample = _legs_sample(person, depth, across, LEGS_BAND)
    lowest = sample is None
    spread = PLAIN_SPREAD
    if lowest:
        sample = _lowest_legs(person, depth, across)
        spread = (np.inf, *PLAIN_SPREAD[1:])
    median = None if sample is None else plain_median(lab[sample], spread=spread)
    none = np.zeros(depth.shape, bool)
    if median is None:
        return none
    reach = UNLIKE_LEGS * np.asarray(PLAIN_SPREAD, np.float32)
    unlike = np.any(np.abs(lab - median) > reach, axis=2)
    if lowest:
        # Sampled that near the region, the legs' own shading (light jeans' shadowed
        # crotch, a hand in a pocket) was unlike them: a hem must hang across the body
        # just under the region.
        under = _legs_sample(person, depth, across, (BELOW_HIPS, BELOW_HIPS + HEM_PROBE),
                             without=person.regions.skin)
        if under is None or unlike[under].mean() < HEM_COVER:
            return none
    return unlike


def _old_top_beside(person: PersonAnalysis, region: np.ndarray, kept: np.ndarray,
                    like_old_top: np.ndarray, depth: np.ndarray,
                    unlike_wall: np.ndarray) -> np.ndarray:
    """(H, W) bool: the old top reaching out of the region (a ruffled sleeve's flare, a
    turned body's far shoulder, a boxy hem's corner): person pixels within
    :data:`OLD_TOP_REACH` body units of the region, below the shoulders' tops
    (:data:`OLD_TOP_ABOVE_SHOULDERS`) and above the hip line
    (below it trousers matched in places, and white blots were filled in over them; a long
    hem there is :func:`_long_hem_below`'s), coloured like the old top where that colour
    is told from the legs' (``like_old_top``, :func:`_old_top_above_legs`: navy trousers
    above the hip line matched a navy top and were filled with the wall), not ``kept``
    (hands, skin; nor the face's and the hair's labels, nor beside them; nor the legs' labels: navy
    trousers under a two-tone top matched its navy half), and joined to the region
    (``depth``: body units below the hip line, :func:`below_hips`); with their soft outline
    (:data:`OLD_TOP_EDGE`). Left out, they stayed beside every new top in the old top's
    colour. (Grown along the whole region's edge too, the wall filled in there raised KID
    by 0.0002 for a faint line on one photo.) Off the person mask too where ``unlike_wall``
    ((H, W) bool, :func:`_unlike_wall`): the segmentation left out a bell sleeve's flare,
    which was kept as the wall and filled in orange beside the drawn forearm."""
    unit_px = person.pose.unit_px
    edge_px = max(1, int(round(OLD_TOP_EDGE * unit_px)))
    near = dilate_disc(region, max(1, int(round(OLD_TOP_REACH * unit_px))))
    # Below the shoulders' tops, not beside the head, nor at the edge of what stays (blonde
    # hair over a yellow top and light-brown hair beside a face over a rust one were taken,
    # and the wall filled in there left white flecks in the hair).
    pose = person.pose
    shoulders = pose.neck_base
    top_line = shoulders - pose.torso_down * OLD_TOP_ABOVE_SHOULDERS * unit_px
    below_shoulders = past_line(region.shape, top_line, pose.torso_down)
    kept = (kept | dilate_disc(person.regions.mask(Region.HAIR, Region.FACE), edge_px)
            | person.regions.mask(Region.LEGS))
    reach = near & below_shoulders & (depth <= 0) & ~kept & ~region
    # Off the person only as wide parts (the outline's soft edge, a strand of hair, is not).
    flare = open_disc(like_old_top & unlike_wall & reach,
                      max(1, int(round(FLARE_WIDTH * unit_px / 2))))
    allowed = (person.person_mask | flare) & reach
    # With the shaded folds between its lit parts (a ruffle's dark folds matched no colour).
    like = close_disc(like_old_top & allowed, max(1, int(round(OLD_TOP_FOLD * unit_px / 2))))
    found = parts_touching(like & allowed, dilate_disc(region, 1) & ~region)
    # ... and their outline (the region's edge is feathered into the photo, and a thin line
    # of the old top's colour stayed along it).
    return dilate_disc(found, edge_px) & reach


def _unlike_wall(lab: np.ndarray, on_person: np.ndarray, unit_px: float) -> np.ndarray:
    """(H, W) bool: off the person (``on_person`` (H, W) bool) within :data:`WALL_RING`
    body units of it, coloured unlike the wall there (its pixels
    :data:`WALL_RING` to twice that far: :func:`~tryon.body.colour.coloured_like`); all
    False when that ring is empty (the person fills the photo). ``lab``: (H, W, 3) float32."""
    inner = dilate_disc(on_person, max(1, int(round(WALL_RING * unit_px))))
    ring = dilate_disc(on_person, max(2, int(round(2 * WALL_RING * unit_px)))) & ~inner
    out = inner & ~on_person
    if not ring.any() or not out.any():
        return np.zeros_like(on_person)
    # Matched on the candidates only (the whole photo's match cost 4 ms).
    out[out] = ~coloured_like_values(lab[out][None], lab[ring])[0]
    return out


def _like_top(lab: np.ndarray, top_sample: np.ndarray, unit_px: float) -> np.ndarray:
    """(H, W) bool: pixels coloured like the old top (``top_sample``, (H, W) bool: the
    person in the torso's core, :func:`~tryon.body.regions.torso_core`;
    :func:`~tryon.body.colour.coloured_like`); all False when the sample is less than
    :data:`MIN_TOP_SAMPLE` square body units."""
    if top_sample.sum() < MIN_TOP_SAMPLE * unit_px ** 2:
        return np.zeros(top_sample.shape, bool)
    return coloured_like(lab, top_sample)


def _draw_body(zone: np.ndarray, pose: Pose, unit_px: float, arms: np.ndarray) -> None:
    """Paint (value 1) the torso, shoulders, neck and arms (``arms``, :func:`_arm_zone`)
    an old top could cover."""
    p = pose.point
    draw_polygon(zone, torso_zone(pose, unit_px), 1)
    draw_capsule(zone, p(L.LEFT_SHOULDER), p(L.RIGHT_SHOULDER), SHOULDER_RADIUS * unit_px, 1)
    mouth, _ = mouth_and_eyes(pose)
    neck_base = pose.neck_base
    draw_capsule(zone, (mouth + neck_base) / 2, neck_base, NECK_RADIUS * unit_px, 1)
    zone[arms] = 1


def torso_zone(pose: Pose, unit_px: float) -> np.ndarray:
    """(4, 2) xy corners of the region's torso: the body's torso
    (:func:`~tryon.body.regions.torso_polygon`) grown by :data:`TORSO_GROW` about its centre,
    its hip corners lowered by :data:`BELOW_HIPS` (long tops, tunics)."""
    torso = torso_polygon(pose, unit_px)
    centre = torso.mean(axis=0)
    grown = centre + (torso - centre) * (1 + TORSO_GROW)
    grown[2:] += pose.torso_down * BELOW_HIPS * unit_px
    return grown


def _torso_band(pose: Pose, unit_px: float, shape: tuple[int, int]) -> np.ndarray:
    """(H, W) uint8 0/1: the torso's rows (from the shoulder line to :data:`BELOW_HIPS`
    under the hips) :data:`FLARE_REACH` body units wider on each side than the torso: the
    person's pixels there are the old top's flared hem or the arms beside it (a wide tee's
    hem showed between a hanging arm and the body, beyond the grown torso); on a side whose
    arm is behind the body, :data:`TURNED_FLARE_REACH` wider from :data:`TURNED_FROM` under
    the shoulder line down."""
    torso = torso_polygon(pose, unit_px)
    across = unit(pose.point(L.LEFT_SHOULDER) - pose.point(L.RIGHT_SHOULDER))
    band = torso + np.array([across, -across, -across, across]) * FLARE_REACH * unit_px
    band[2:] += pose.torso_down * BELOW_HIPS * unit_px
    out = np.zeros(shape, np.uint8)
    draw_polygon(out, band, 1)
    down = pose.torso_down * unit_px
    for index, side, sign in ((0, "LEFT", 1.0), (1, "RIGHT", -1.0)):
        if pose.arm_hidden(side):
            outward = across * sign * TURNED_FLARE_REACH * unit_px
            top = torso[index] + down * TURNED_FROM
            bottom = band[3 - index]
            draw_polygon(out, np.array([top, top + outward, bottom + outward, bottom]), 1)
    return out


def _from_waistband(photo: np.ndarray, trousers: np.ndarray, allowed: np.ndarray,
                    pose: Pose, like_top: np.ndarray) -> np.ndarray:
    """(H, W) bool: the colour-found ``trousers`` from their waistband down, holes filled
    (a hole becomes a patch of trousers inside the new top), where ``allowed``. The
    waistband is the smooth line with the strongest vertical colour change above
    trousers-coloured pixels (or, when higher, beginning within :data:`WAISTBAND_GAP` body
    units under it, :func:`~tryon.kinds.top.neckline.best_path`), searched from
    :data:`WAIST_ABOVE_HIPS` body units over the hips to :data:`WAIST_BELOW_HIPS` under them:
    the hem of a beige hoodie over khaki trousers is such a line even where colour cannot
    tell the two apart.
    ``like_top``: (H, W) bool, coloured like the old top (:func:`_like_top`)."""
    unit_px = pose.unit_px
    hips_y = (pose.point(L.LEFT_HIP)[1] + pose.point(L.RIGHT_HIP)[1]) / 2
    y0 = max(0, int(hips_y - WAIST_ABOVE_HIPS * unit_px))
    y1 = min(trousers.shape[0], int(hips_y + WAIST_BELOW_HIPS * unit_px))
    columns = np.flatnonzero(trousers[y0:].any(axis=0))
    if columns.size == 0 or y1 - y0 < 2 * WAISTBAND_BELOW:
        return np.zeros_like(trousers)
    x0, x1 = int(columns[0]), int(columns[-1]) + 1
    strength = vertical_change(photo[y0:y1, x0:x1])
    # The line with trousers right under it, and the one with them a little further under:
    # the higher of the two (a crease across the crotch lies under the waistband, never
    # over it; with the gap alone, a black tee over black shorts, one colour, gave their
    # frayed hem over bare thighs).
    paths = []
    for gap in (0, max(1, int(round(WAISTBAND_GAP * unit_px)))):
        soon = cv2.dilate(trousers[:, x0:x1].astype(np.uint8), np.ones((gap + 1, 1), np.uint8),
                          anchor=(0, 0)) > 0  # trousers in this row or the gap's next ones
        under = np.zeros((y1 - y0, x1 - x0), bool)
        under[:-WAISTBAND_BELOW] = soon[y0 + WAISTBAND_BELOW:y1]
        paths.append(best_path(np.where(under, strength, 0.0).astype(np.float32),
                               step=WAISTBAND_STEP) + y0)
    path = min(paths, key=lambda line: float(line.mean()))
    rows = np.arange(trousers.shape[0])[:, None]
    out = np.zeros_like(trousers)
    # The colour-found trousers are ragged where folds shade them: closed over
    # TROUSERS_CLOSE body units, so no strip along their edge is left for the generator to
    # paint with the new top (its hem then hung in jagged tongues over the trousers).
    size = max(3, int(round(TROUSERS_CLOSE * unit_px)) | 1)
    closed = cv2.morphologyEx(trousers[:, x0:x1].astype(np.uint8), cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))) > 0
    below_line = rows >= path[None, :]
    found = below_line & closed
    # A waistband, a belt or a fly coloured unlike the trousers bit into their top: in each
    # column, from the line down to the first trousers pixel when that lies within
    # WAISTBAND_DEPTH body units of it, is trousers too.
    first = np.where(found.any(axis=0), found.argmax(axis=0), trousers.shape[0])
    near_line = first - path <= WAISTBAND_DEPTH * unit_px
    # Not what is coloured like the old top (``like_top``, (H, W) bool): a long top's hem,
    # curving down under a straight line, is no belt.
    band = (below_line & (rows < first[None, :]) & near_line[None, :]
            & ~like_top[:, x0:x1])
    # Below the line: the trousers with their holes filled (not the arms beside them).
    out[:, x0:x1] = binary_fill_holes(found | band) & allowed[:, x0:x1]
    return out


def _below_chin(pose: Pose, shape: tuple[int, int],
                unit_px: float) -> tuple[np.ndarray, np.ndarray]:
    """((H, W) bool, (H, W) bool): below the chin's line
    (:func:`~tryon.body.pose.chin_point`) both across the face's own down (the jaw of a
    tilted head) and across the chin-to-neck-base direction, and the neck's column below
    the latter (:data:`COLLAR_COLUMN_RADIUS` body units about the line from
    the chin to the neck base). The face ellipse and the colour-found "hair" reach into
    them; what is there is a collar, a turtleneck or a hood."""
    chin = chin_point(pose)
    neck_base = pose.neck_base
    column = np.zeros(shape, np.uint8)
    draw_capsule(column, chin, neck_base, COLLAR_COLUMN_RADIUS * unit_px, 1)
    mouth, eyes = mouth_and_eyes(pose)
    # The jaw's line is across the face's own down.
    below_line = past_line(shape, chin, unit(mouth - eyes))
    below = past_line(shape, chin, unit(neck_base - chin))
    return below_line & below, (column > 0) & below


def _bare_chin(person: PersonAnalysis, skin: np.ndarray) -> bool:
    """Whether the chin is bare: at least :data:`BARE_CHIN_SHARE` of the person's pixels in
    a square of :data:`CHIN_WINDOW` body units about the middle between the mouth and the
    chin point (:func:`~tryon.body.pose.chin_point`) are ``skin`` ((H, W) bool, strictly
    skin-coloured; a grey beard passed the loose skin colour)."""
    pose = person.pose
    mouth, _ = mouth_and_eyes(pose)
    x, y = (mouth + chin_point(pose)) / 2
    half = max(1, int(round(CHIN_WINDOW * pose.unit_px)))
    height, width = person.person_mask.shape
    window = (slice(max(0, int(y) - half), min(height, int(y) + half + 1)),
              slice(max(0, int(x) - half), min(width, int(x) + half + 1)))
    on_person = person.person_mask[window]
    if not on_person.any():
        return False
    return bool(skin[window][on_person].mean() >= BARE_CHIN_SHARE)


def _collar_under_chin(parts: np.ndarray, lab: np.ndarray, pose: Pose,
                       unit_px: float) -> np.ndarray:
    """(H, W) bool: the 8-connected parts of ``parts`` ((H, W) bool, below the chin) that
    span the neck: their 5th and 95th percentiles of the signed distance from the line from
    the chin to the neck base lie at least :data:`COLLAR_SPAN` body units on either side of
    it, and their median Lab a/b (``lab``, (H, W, 3) float32) within :data:`COLLAR_CHROMA`
    of grey. Long dark hair beside the jaw reaches past the line on one side only (0.05 to
    0.08 units on the other, 9 of 299 VITON-HD persons); dark collars span 0.10 to 0.17
    units each way; the neck's shade under the jaw is warm."""
    out = np.zeros_like(parts)
    if not parts.any():
        return out
    chin = chin_point(pose)
    neck_base = pose.neck_base
    down = unit(neck_base - chin)
    count, labels = cv2.connectedComponents(parts.astype(np.uint8), connectivity=8)
    for index in range(1, count):
        ys, xs = np.nonzero(labels == index)
        across = ((xs - chin[0]) * down[1] - (ys - chin[1]) * down[0]) / unit_px
        low, high = np.percentile(across, [5, 95])
        chroma = np.median(lab[ys, xs], axis=0)[1:] - LAB_NEUTRAL
        if low <= -COLLAR_SPAN and high >= COLLAR_SPAN and np.hypot(*chroma) < COLLAR_CHROMA:
            out[ys, xs] = True
    return out


def _chin_continued(photo: np.ndarray, pose: Pose, head: np.ndarray,
                    below: np.ndarray, chin_like: np.ndarray) -> np.ndarray:
    """(H, W) bool: the part of ``head & below`` (face or hair pixels under the chin line)
    that continues the chin: within :data:`BEARD_REACH` of the line, coloured like the head's
    strip just above it (:func:`~tryon.body.colour.coloured_like`: a beard, or the chin's
    skin) and joined to that strip. A beard hangs below the estimated chin; cut at the line it
    would end in a straight edge. The reach bounds what a wrong match (a beige hood under a
    bare chin) can keep. The strip is only its ``chin_like`` pixels ((H, W) bool: skin or
    hair): under a tilted head the line fell on a turtleneck's rim, the strip was the
    collar, and the collar below was kept as the chin's."""
    mouth, eyes = mouth_and_eyes(pose)
    step = float(np.hypot(*(mouth - eyes)))
    chin = chin_point(pose)
    out = np.zeros_like(below)
    reach = int(np.ceil((BEARD_REACH + CHIN_SAMPLE + 1) * step))
    x0, y0 = max(0, int(chin[0]) - reach), max(0, int(chin[1]) - reach)
    x1, y1 = min(below.shape[1], int(chin[0]) + reach), min(below.shape[0], int(chin[1]) + reach)
    if step < 1 or x1 <= x0 or y1 <= y0:
        return out
    down = unit(chin - mouth)
    ys, xs = np.mgrid[y0:y1, x0:x1]
    depth = (xs - chin[0]) * down[0] + (ys - chin[1]) * down[1]  # px below the chin line
    across = np.abs((xs - chin[0]) * down[1] - (ys - chin[1]) * down[0])
    window_head = head[y0:y1, x0:x1]
    strip = (window_head & (depth > -CHIN_SAMPLE * step) & (depth <= 0) & (across < step)
             & chin_like[y0:y1, x0:x1])
    candidates = window_head & below[y0:y1, x0:x1] & (depth <= BEARD_REACH * step)
    if strip.sum() < MIN_CHIN_SAMPLE or not candidates.any():
        return out
    lab = cv2.cvtColor(photo[y0:y1, x0:x1], cv2.COLOR_RGB2LAB).astype(np.float32)
    near = candidates & coloured_like(lab, strip)
    out[y0:y1, x0:x1] = parts_touching(near | strip, strip) & candidates
    return out


def _below_mouth(pose: Pose, shape: tuple[int, int]) -> np.ndarray:
    """(H, W) bool: below the line through the mouth across the body (along the body's
    down, from the mouth's middle to the shoulders' midpoint)."""
    mouth, _ = mouth_and_eyes(pose)
    neck_base = pose.neck_base
    return past_line(shape, mouth, unit(neck_base - mouth))


def _strict_skin(person: PersonAnalysis, lab: np.ndarray,
                 face_tone: np.ndarray | None) -> np.ndarray:
    """(H, W) bool: person pixels close to the face's skin (``face_tone``, (3,) Lab,
    :func:`~tryon.body.colour.skin_colour`) in lightness and hue (brown trousers and beige
    cloth share skin's chroma, not both); all False without a face. ``lab``: the photo in
    Lab, (H, W, 3) float32."""
    regions = person.regions
    if face_tone is None:
        return np.zeros(regions.skin.shape, bool)
    return tighten_skin(regions.skin & person.person_mask, lab, face_tone)


def _unlike_top(skin: np.ndarray, lab: np.ndarray, face: np.ndarray | None,
                cloth: np.ndarray | None) -> np.ndarray:
    """``skin`` ((H, W) bool) less its pixels whose hue (Lab a, b) is nearer the old top's
    colour ``cloth`` than the face's skin ``face`` ((3,) Lab each) when the top is
    skin-toned, its hue :data:`SKIN_TOP_APART` to :data:`TOP_SKIN_HUE` from the face's. A
    pale pink satin blouse (10 units) passed for skin in places, its sleeves and chest were
    hinted, and they stayed beside a new camisole. Lightness is left out (shaded skin is
    darker and lit skin lighter: a lit forearm was nearer a beige tee), and so is a top
    nearer in hue (a rust top 6 units from the face: the shaded neck went with it)."""
    if face is None or cloth is None:
        return skin
    if not SKIN_TOP_APART <= float(np.hypot(*(cloth[1:] - face[1:]))) < TOP_SKIN_HUE:
        return skin
    out = skin.copy()
    hue = lab[skin][:, 1:]
    out[skin] = (np.hypot(*(hue - face[1:]).T) < np.hypot(*(hue - cloth[1:]).T))
    return out


def _arms_own_skin(person: PersonAnalysis, skin: np.ndarray, lab: np.ndarray,
                   face: np.ndarray | None, cloth: np.ndarray | None) -> np.ndarray:
    """(H, W) bool: loosely skin-coloured person pixels on each arm (its labels and its
    part of the arm zone, :func:`_arm_zone`) close in lightness and hue to that arm's own
    strict ``skin`` ((H, W) bool, matched to the face; less the pixels within
    :data:`ARM_TOP_APART` of the old top's colour ``cloth``, :func:`_top_colour`; its
    median is the
    reference of :func:`~tryon.body.colour.tighten_skin`), nearer it than the old top's
    colour, small gaps closed. Tanned or sunlit arms differ from a made-up face's tone: only
    scattered highlights matched the face, the arm's hint broke apart and real bare arms
    were drawn over. An arm with fewer than :data:`MIN_ARM_SKIN` square body units of such
    skin adds nothing; nothing is added when the old top's colour is unknown or its hue
    within :data:`TOP_SKIN_HUE` of the face's skin (``face``, (3,) Lab)."""
    regions = person.regions
    pose = person.pose
    unit_px = pose.unit_px
    loose = regions.skin & person.person_mask
    out = np.zeros_like(skin)
    if cloth is None or face is None:  # the old top's or the face's colour unknown
        return out
    if float(np.hypot(*(cloth[1:] - face[1:]))) < TOP_SKIN_HUE:
        return out  # a skin-toned top (a pink blouse): colour cannot tell its sleeve
    size = max(3, int(round(ARM_SKIN_CLOSE * unit_px)) | 1)
    height, width = skin.shape
    for labels, joints in zip(ARM_SIDES, ARM_JOINTS, strict=True):
        arm = regions.mask(*labels) | _arm_zone(pose, skin.shape, unit_px, (joints,))
        # Worked out in the window of the arm's loose skin (the closing's reach around it).
        box = bbox_of_mask(loose & arm)
        if box is None:
            continue
        x0, y0, x1, y1 = crop_box(box, size, width, height)
        window = (slice(y0, y1), slice(x0, x1))
        arm_lab = lab[window]
        from_top = _lab_distance(arm_lab, cloth)
        # The strict skin unlike the old top: a pink sleeve passes for skin.
        seed = skin[window] & arm[window] & (from_top >= ARM_TOP_APART)
        if seed.sum() < MIN_ARM_SKIN * unit_px * unit_px:
            continue
        reference = np.median(arm_lab[seed], axis=0)
        # Nearer the old top's colour than the arm's: the top's side, a pink sleeve.
        candidates = (loose[window] & arm[window]
                      & (_lab_distance(arm_lab, reference) < from_top))
        found = tighten_skin(candidates, arm_lab, reference, ARM_SKIN_CHROMA)
        # Highlights and the arm's shaded edge fall outside the tone: closed over
        # ARM_SKIN_CLOSE body units within the candidates.
        closed = cv2.morphologyEx(found.astype(np.uint8), cv2.MORPH_CLOSE,
                                  cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
        out[window] |= (closed > 0) & candidates
    return out


def _sleeve_hued(skin: np.ndarray, person: PersonAnalysis, lab: np.ndarray,
                 top_colour: np.ndarray) -> np.ndarray | None:
    """(H, W) bool: the pixels whose hue (Lab a, b of ``lab``, (H, W, 3) float32) is nearer
    the old top's colour (``top_colour``, (3,) Lab) than the hands' own strict ``skin`` ((H,
    W) bool; its median there): a skin-coloured top's sleeves and cuffs. None when the hands
    show less than :data:`MIN_HAND_SKIN` square body units of ``skin`` or their hue lies
    within :data:`HAND_TOP_APART` of the top's (colour cannot tell them apart)."""
    unit_px = person.pose.unit_px
    hands = skin & person.regions.mask(*HANDS)
    if hands.sum() < MIN_HAND_SKIN * unit_px * unit_px:
        return None
    hand_hue = np.median(lab[hands], axis=0)[1:]
    top_hue = top_colour[1:]
    if float(np.hypot(*(hand_hue - top_hue))) < HAND_TOP_APART:
        return None
    hue = lab[..., 1:]
    return (np.hypot(*np.moveaxis(hue - top_hue, -1, 0))
            < np.hypot(*np.moveaxis(hue - hand_hue, -1, 0)))


def _top_colour(lab: np.ndarray, top_sample: np.ndarray,
                core: np.ndarray) -> np.ndarray | None:
    """(3,) float32 Lab median of ``top_sample`` ((H, W) bool: the person in the torso's
    ``core``): the old top's main colour (a print on the chest or skin above a neckline is a
    minority), or None when less than :data:`MIN_CHEST_SHARE` of the core is on the person."""
    if top_sample.sum() < MIN_CHEST_SHARE * max(int(core.sum()), 1):
        return None
    return np.median(lab[top_sample], axis=0)


def _top_under_head_labels(lab: np.ndarray, person: PersonAnalysis, face: np.ndarray,
                           hair: np.ndarray, like_top: np.ndarray, head_hair: np.ndarray,
                           top_colour: np.ndarray | None, below_mouth: np.ndarray,
                           unhung: np.ndarray) -> np.ndarray:
    """(H, W) bool: the old top under the face's and the hair's labels (``face``, ``hair``
    (H, W) bool): below the mouth, coloured like the old top (``like_top``), not loosely
    skin-coloured, not like the head's hair (``head_hair`` (H, W) bool, the hair above the
    chin; ``top_colour`` (3,) Lab, the old top's; :func:`_hair_not_top`: a beard stays),
    joined to the old top outside the labels, and under the hair's label only in parts of
    it not joined to the hair above the mouth (``unhung``, (H, W) bool). The labels laid over
    the old top's shoulders (a head bent towards one, a dark top beside the hair's ends) were
    protected and stayed as black patches beside the chin over a red tee. ``lab``: the photo
    in Lab, (H, W, 3) float32; ``below_mouth``: (H, W) bool, :func:`_below_mouth`."""
    pose = person.pose
    below = like_top & ~person.regions.skin & person.person_mask & below_mouth
    # Under the hair's label only apart from the head's hair: hair hanging onto the
    # shoulders is joined to it.
    candidates = (face | unhung) & below
    if not candidates.any():
        return candidates
    candidates &= ~_hair_not_top(lab, candidates, head_hair, top_colour, pose.unit_px)
    outside = like_top & ~face & ~hair
    return parts_touching(candidates | outside, outside) & candidates


def _hair_ends(lab: np.ndarray, labels: np.ndarray, beside_neck: np.ndarray,
               hair: np.ndarray, head_hair: np.ndarray, top_colour: np.ndarray | None,
               unit_px: float) -> np.ndarray:
    """(H, W) bool: the unlabelled pixels (``labels`` :attr:`Region.BACKGROUND`) of
    ``beside_neck`` ((H, W) bool: the person above the body's outline beside the neck) that
    are coloured like the head's hair rather than the old top (:func:`_hair_not_top`; ``lab``
    (H, W, 3) float32, ``head_hair`` the hair above the chin, ``top_colour`` (3,) Lab) and
    joined to the ``hair`` label ((H, W) bool): hair hanging onto the shoulders that the
    segmentation cut off at the chin."""
    unlabelled = beside_neck & (labels == int(Region.BACKGROUND))
    ends = _hair_not_top(lab, unlabelled, head_hair, top_colour, unit_px)
    return parts_touching(ends | hair, hair) & ends


def _hair_in_front(lab: np.ndarray, pose: Pose, candidates: np.ndarray, hanging: np.ndarray,
                   scalp: np.ndarray, head_hair: np.ndarray, top_colour: np.ndarray | None,
                   unit_px: float) -> np.ndarray:
    """(H, W) bool: long hair hanging in front of the old top, over the shoulders and the
    chest down to :data:`HAIR_FRONT_REACH` body units under the shoulder line: the
    ``candidates`` ((H, W) bool: the region's person pixels, not skin, hands, the head or
    coloured like the old top) coloured like the head's hair rather than the old top's main
    colour (:func:`_hair_not_top`; ``lab`` (H, W, 3) float32, ``head_hair`` the hair above
    the chin, ``top_colour`` (3,) Lab), in parts of the hair's hue and lightness
    (:data:`HAIR_FRONT_HUE`, :data:`HAIR_FRONT_LIGHTNESS`) no larger than
    :data:`HAIR_FRONT_MAX_PART`, joined to the labelled hair hanging below the mouth beside
    the neck's column (``hanging`` (H, W) bool), under a head with hair (``scalp`` (H, W)
    bool, the hair above the mouth: at least :data:`BALD_HEAD_HAIR` square body units; a
    bald man's beard is no long hair, and a hoodie's brown drawstring beside it was kept).
    The segmentation's hair stops at the shoulders: a blonde's ends over a navy top were
    drawn over as skin, the hair cut off."""
    if scalp.sum() < BALD_HEAD_HAIR * unit_px ** 2 or not hanging.any():
        return np.zeros_like(candidates)
    shoulders = pose.neck_base
    down = pose.torso_down
    above = ~past_line(candidates.shape, shoulders + down * HAIR_FRONT_REACH * unit_px, down)
    ends = _hair_not_top(lab, candidates & above, head_hair, top_colour, unit_px)
    found = parts_touching(ends | hanging, hanging) & ends
    if not found.any():
        return found
    # ... in parts of the hair's hue (a sparkly navy shoulder lay as near a brunette's dark
    # hair as her top's light stripes did, but bluer).
    # ... and of its lightness (a black top's studded sleeve band, lighter than black hair).
    count, parts = cv2.connectedComponents(found.astype(np.uint8), connectivity=8)
    hue = np.median(lab[head_hair][:, 1:], axis=0)
    darkest, lightest = np.percentile(lab[head_hair][:, 0], HAIR_FRONT_LIGHTNESS)
    for part in range(1, count):
        inside = parts == part
        colour = np.median(lab[inside], axis=0)
        if (np.abs(colour[1:] - hue).max() > HAIR_FRONT_HUE
                or not darkest <= colour[0] <= lightest
                or inside.sum() > HAIR_FRONT_MAX_PART * unit_px ** 2):
            found &= ~inside
    return found


def _hair_below_bald_head(hair: np.ndarray, unhung: np.ndarray, below_mouth: np.ndarray,
                          unit_px: float) -> np.ndarray:
    """(H, W) bool: when the head shows less than :data:`BALD_HEAD_HAIR` square body units
    (``unit_px`` pixels) of ``hair`` ((H, W) bool) above the mouth (``below_mouth``, (H, W)
    bool, :func:`_below_mouth`), the parts of ``hair`` below the mouth that join none of it
    (``unhung``, (H, W) bool) and are smaller than :data:`MIN_COLUMN_HAIR` square body
    units (a long beard is larger); else none. Earrings and the ends of long hair lie there
    too, under a head with hair."""
    if (hair & ~below_mouth).sum() >= BALD_HEAD_HAIR * unit_px * unit_px:
        return np.zeros_like(hair)
    loose = unhung & below_mouth
    return loose & ~parts_at_least(loose, MIN_COLUMN_HAIR * unit_px * unit_px)


def _hair_not_top(lab: np.ndarray, pixels: np.ndarray, head_hair: np.ndarray,
                  top_colour: np.ndarray | None, unit_px: float) -> np.ndarray:
    """(H, W) bool: the ``pixels`` ((H, W) bool) of ``lab`` ((H, W, 3) float32) within
    :data:`HAIR_MATCH` of the median of ``head_hair`` ((H, W) bool: the hair above the chin)
    and nearer it than ``top_colour`` ((3,) Lab, the old top's) by at least
    :data:`HAIR_NOT_TOP_MARGIN` (:func:`_lab_distance`), in parts of at least
    :data:`MIN_COLUMN_HAIR` square body units (``unit_px`` pixels) once gaps of
    :data:`COLUMN_HAIR_CLOSE` are closed (a hood's shaded rim beside a beard is a thin line of
    that colour, and stayed as a brown string over every new top); none without either
    colour or with fewer than :data:`MIN_CHIN_SAMPLE` head hair pixels."""
    out = np.zeros_like(pixels)
    if top_colour is None or head_hair.sum() < MIN_CHIN_SAMPLE or not pixels.any():
        return out
    hair_colour = np.median(lab[head_hair], axis=0)
    values = lab[pixels][:, None, :]
    to_hair = _lab_distance(values, hair_colour)[:, 0]
    to_top = _lab_distance(values, top_colour)[:, 0]
    out[pixels] = (to_hair < HAIR_MATCH) & (to_hair + HAIR_NOT_TOP_MARGIN < to_top)
    # Strands speckled by their highlights are closed (within ``pixels``) before measuring,
    # in the box of the matched pixels (grown by the closing's reach).
    radius = max(1, int(round(COLUMN_HAIR_CLOSE * unit_px)))
    box = bbox_of_mask(out)
    if box is None:
        return out
    x0, y0, x1, y1 = crop_box(box, 2 * radius, pixels.shape[1], pixels.shape[0])
    window = (slice(y0, y1), slice(x0, x1))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    out[window] = (cv2.morphologyEx(out[window].astype(np.uint8), cv2.MORPH_CLOSE, kernel) > 0
                   ) & pixels[window]
    return parts_at_least(out, MIN_COLUMN_HAIR * unit_px * unit_px)


def _lab_distance(lab: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """(h, w) float32: distance of ``lab`` ((h, w, 3) float32) from ``reference`` ((3,)),
    lightness weighted by :data:`LIGHTNESS_WEIGHT` (shading moves it most)."""
    diff = lab - reference
    return np.sqrt((LIGHTNESS_WEIGHT * diff[..., 0]) ** 2 + diff[..., 1] ** 2 + diff[..., 2] ** 2)


def _arm_zone(pose: Pose, shape: tuple[int, int], unit_px: float,
              joints: tuple[tuple[L, L, L], ...] = ARM_JOINTS) -> np.ndarray:
    """(H, W) bool: the arms of ``joints`` ((shoulder, elbow, wrist) per arm; both by
    default) as drawn in the try-on region (capsules of :data:`UPPER_ARM_RADIUS` and
    :data:`FOREARM_RADIUS` body units along the bones). The body-part labels draw arms
    narrower, and off the arm where the shoulder landmarks sit inside the body's outline: a
    bare arm's skin lay beside them, unhinted, and was painted."""
    zone = np.zeros(shape, np.uint8)
    p = pose.point
    for shoulder, elbow, wrist in joints:
        draw_capsule(zone, p(shoulder), p(elbow), UPPER_ARM_RADIUS * unit_px, 1)
        draw_capsule(zone, p(elbow), p(wrist), FOREARM_RADIUS * unit_px, 1)
        # Widening to the wrist, where a bell sleeve's flare hangs.
        across = perpendicular(unit(p(wrist) - p(elbow)))
        draw_polygon(zone, np.array([
            p(elbow) + across * FOREARM_RADIUS * unit_px,
            p(wrist) + across * CUFF_RADIUS * unit_px,
            p(wrist) - across * CUFF_RADIUS * unit_px,
            p(elbow) - across * FOREARM_RADIUS * unit_px]), 1)
    return zone > 0


def _skin_hint(skin: np.ndarray, person: PersonAnalysis, region: np.ndarray,
               collar: np.ndarray, arms: np.ndarray, seeds: np.ndarray,
               on_torso: bool) -> np.ndarray:
    """(H, W) bool: ``skin`` (strict) inside ``region`` on the arms (their labels and the
    ``arms`` zone, :func:`_arm_zone`; off the torso's label unless ``on_torso``: an arm
    hanging beside the body lies partly on it), outside the ``collar`` zone, joined to
    ``seeds`` ((H, W) bool: the visible hands and the skin where a forearm leaves the
    photo, :func:`_forearms_leaving`)."""
    regions = person.regions
    # Joined across gaps of SKIN_BRIDGE: a thin arm turned sideways, shaded where it
    # passes the trousers' pocket, broke in two and its upper part joined no hand.
    bridge = max(1, int(round(SKIN_BRIDGE * person.pose.unit_px)))
    attached = attached_skin(skin, seeds, bridge)
    limbs = regions.mask(*ARMS, Region.NECK) | (arms if on_torso
                                                 else arms & ~regions.mask(Region.TORSO))
    return _eroded(attached & limbs & region & ~collar)


def _body_skin_hint(skin: np.ndarray, person: PersonAnalysis, region: np.ndarray,
                    seeds: np.ndarray) -> np.ndarray:
    """(H, W) bool: ``skin`` (strict) in ``region`` joined through skin pixels to the face's
    skin or to ``seeds`` ((H, W) bool: hands, forearms leaving the photo, the skin round
    the shoulder joints, :func:`_near_shoulders`): the neck, the shoulders, the chest above
    the old neckline and the arms hanging from bare shoulders. Only for an old top that is
    not itself skin-coloured (:func:`_skin_coloured_top`): a beige hoodie joins the face's
    skin as a neck would."""
    face = person.regions.mask(Region.FACE) & skin
    return _eroded(attached_skin(skin & (region | face | seeds), face | seeds) & region)


def _holes_closed(hint: np.ndarray, person: PersonAnalysis, allowed: np.ndarray) -> np.ndarray:
    """(H, W) bool: the loosely skin-coloured person pixels in ``allowed`` ((H, W) bool) in
    the gaps of ``hint`` ((H, W) bool, the bare body's skin hint, :func:`_body_skin_hint`)
    up to twice :data:`BODY_HOLE` body units wide. A lit chest is lighter than the face:
    only fragments of a V-neck's bare chest were strict skin, and the skin drawn between
    them made a patchwork of real and drawn pieces (08271: 0.45 of the open chest kept as
    the photo). Only loosely skin-coloured pixels fill them: an old strap across the gap is
    no skin."""
    radius = max(1, int(round(BODY_HOLE * person.pose.unit_px)))
    loose = person.regions.skin & person.person_mask
    return close_disc(hint, radius) & loose & allowed


def _shaded_neck(hint: np.ndarray, person: PersonAnalysis, chin: np.ndarray,
                 lab: np.ndarray, face_tone: np.ndarray | None,
                 allowed: np.ndarray) -> np.ndarray:
    """(H, W) bool: the person pixels in ``allowed`` ((H, W) bool) within
    :data:`NECK_COLUMN` body units of the line from the ``chin`` ((2,) xy) to the neck base
    that are skin in the shade, loosely skin-coloured, within :data:`NECK_CHROMA` a/b units
    of the face's skin (``face_tone``, (3,) Lab; ``lab``: the photo in Lab, (H, W, 3)
    float32) and no lighter than it by :data:`~tryon.body.colour.SKIN_LIGHTNESS`, joined to
    ``hint`` ((H, W) bool, the bare body's skin hint) or to the face's skin through such
    pixels: the neck in the jaw's shadow is darker than the face, it was not strict skin,
    and a flat plate was drawn over half of a bare neck beside the real half. (Any loosely
    skin-coloured pixel kept a dark-skinned woman's pink crew-neck collar.)"""
    out = np.zeros_like(hint)
    if face_tone is None:
        return out
    pose = person.pose
    column = np.zeros(hint.shape, np.uint8)
    draw_capsule(column, chin, pose.neck_base, NECK_COLUMN * pose.unit_px, 1)
    box = bbox_of_mask(column > 0)
    if box is None:
        return out
    # Worked out in the column's box grown a pixel (a part joins a seed beside it), not over
    # the whole photo.
    x0, y0, x1, y1 = crop_box(box, 1, hint.shape[1], hint.shape[0])
    window = (slice(y0, y1), slice(x0, x1))
    loose = person.regions.skin[window] & person.person_mask[window]
    face = person.regions.labels[window] == int(Region.FACE)
    near = lab[window]
    shade = ((np.hypot(near[..., 1] - face_tone[1], near[..., 2] - face_tone[2]) < NECK_CHROMA)
             & (near[..., 0] < face_tone[0] + SKIN_LIGHTNESS))
    candidates = loose & shade & (column[window] > 0) & allowed[window]
    seeds = hint[window] | (face & loose)
    out[window] = parts_touching(candidates | seeds, seeds) & candidates
    return out


def _seam_with_old_top(kept: np.ndarray, like_old_top: np.ndarray,
                       painted: np.ndarray, lab: np.ndarray) -> np.ndarray:
    """(H, W) bool: the ``kept`` skin pixels ((H, W) bool) within :data:`OLD_TOP_SEAM`
    pixels of the old top (``like_old_top`` (H, W) bool) or of the other ``painted`` region
    pixels ((H, W) bool) whose colour (``lab``: the photo in Lab, (H, W, 3) float32) lies at
    least :data:`SEAM_BLEND` of the way from the kept skin's median away from the old top to
    the old top's median beside it (in distances to the two), when those medians are
    :data:`SEAM_CONTRAST` apart or more: the seam between them, a blend of both. Worked out in
    the kept skin's box grown by the seam's reach."""
    out = np.zeros_like(kept)
    box = bbox_of_mask(kept)
    if box is None:
        return out
    x0, y0, x1, y1 = crop_box(box, OLD_TOP_SEAM + 1, kept.shape[1], kept.shape[0])
    window = (slice(y0, y1), slice(x0, x1))
    body, old_top = kept[window], like_old_top[window]
    seam = dilate_disc(old_top | (painted[window] & ~body), OLD_TOP_SEAM) & body
    skin = body & ~seam
    top = old_top & dilate_disc(body, OLD_TOP_SEAM + 1)
    if not seam.any() or not skin.any() or not top.any():
        return out
    near = lab[window]
    skin_colour, top_colour = np.median(near[skin], axis=0), np.median(near[top], axis=0)
    if np.linalg.norm(skin_colour - top_colour) < SEAM_CONTRAST:
        return out
    to_skin = np.linalg.norm(near - skin_colour, axis=-1)
    to_top = np.linalg.norm(near - top_colour, axis=-1)
    out[window] = seam & (to_skin > SEAM_BLEND * (to_skin + to_top))
    return out


def _skin_coloured_top(skin: np.ndarray, person: PersonAnalysis) -> bool:
    """True when the chest (a square of :data:`CHEST_HALF` body units on each side,
    :data:`CHEST_AT` of the way from the shoulders to the hips) is mostly strict skin
    (:data:`SKIN_COLOURED_SHARE` of its person pixels), or mostly outside the photo or off
    the person (a close-up: what the top is made of is not seen)."""
    pose = person.pose
    half = CHEST_HALF * pose.unit_px
    x0, y0, x1, y1 = _chest_box(pose, skin.shape)
    on_person = person.person_mask[y0:y1, x0:x1] if x1 > x0 and y1 > y0 else np.zeros(0, bool)
    if on_person.sum() < MIN_CHEST_SHARE * (2 * half) ** 2:
        return True
    return bool(skin[y0:y1, x0:x1][on_person].mean() >= SKIN_COLOURED_SHARE)


def _lit_like_skin(top_colour: np.ndarray | None, face_tone: np.ndarray | None) -> bool:
    """True when the old top's colour (``top_colour``, (3,) Lab, OpenCV's 8-bit scale) is
    the face's skin's (``face_tone``, the same) in hue and saturation (its a and b within
    :data:`SKIN_TOP_CHROMA`) and lit at least as light: a beige hoodie. Lit, it is too light
    to be strict skin (the chest's sample, :func:`_skin_coloured_top`, saw 3 % of it), but
    in shade it passes for skin: its side beside an arm was hinted as bare skin from the hand
    up and kept as a beige wedge beside a new shirt."""
    if top_colour is None or face_tone is None:
        return False
    return bool(top_colour[0] >= face_tone[0]
                and np.hypot(*(top_colour[1:] - face_tone[1:])) <= SKIN_TOP_CHROMA)


def _chest_box(pose: Pose, shape: tuple[int, int]) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) pixels, clipped to ``shape`` (H, W): a square of :data:`CHEST_HALF`
    body units on each side, :data:`CHEST_AT` of the way from the shoulders to the hips."""
    shoulders = pose.neck_base
    hips = pose.hips_middle
    centre = shoulders + CHEST_AT * (hips - shoulders)
    half = CHEST_HALF * pose.unit_px
    height, width = shape
    return (int(max(0, centre[0] - half)), int(max(0, centre[1] - half)),
            int(min(width, centre[0] + half)), int(min(height, centre[1] + half)))


def _forearms_leaving(pose: Pose, shape: tuple[int, int], unit_px: float) -> np.ndarray:
    """(H, W) bool: the photo's edge (:data:`EDGE_BAND` pixels) inside the forearm capsules
    of the arms whose elbow is in the photo and visible; the hands of a photo cut at the
    waist are out of it, and its bare forearms end there. A close-up's elbows are out of
    the photo too: its sleeves at the edge (a beige hoodie's) seed nothing."""
    out = np.zeros(shape, np.uint8)
    for _, elbow, wrist in ARM_JOINTS:
        if not (pose.visible(elbow) and in_photo(pose.point(elbow), shape)):
            continue
        draw_capsule(out, pose.point(elbow), pose.point(wrist), FOREARM_RADIUS * unit_px, 1)
    edge = np.ones(shape, bool)
    edge[EDGE_BAND:-EDGE_BAND, EDGE_BAND:-EDGE_BAND] = False
    return (out > 0) & edge


def _beyond_wrists(pose: Pose, shape: tuple[int, int], unit_px: float) -> np.ndarray:
    """(H, W) bool: capsules of :data:`HAND_RADIUS` body units from each wrist on along its
    forearm for :data:`HAND_REACH` body units, where the hand hangs even when the pose put
    the wrist at a loose sleeve's cuff."""
    out = np.zeros(shape, np.uint8)
    for _, elbow, wrist in ARM_JOINTS:
        start = pose.point(wrist)
        end = start + unit(start - pose.point(elbow)) * HAND_REACH * unit_px
        draw_capsule(out, start, end, HAND_RADIUS * unit_px, 1)
    return out > 0


def _near_joints(pose: Pose, shape: tuple[int, int], unit_px: float,
                 joints: tuple[L, ...], radius: float, seen_only: bool = True) -> np.ndarray:
    """(H, W) bool: discs of ``radius`` body units around ``joints`` (only the visible ones
    when ``seen_only``)."""
    out = np.zeros(shape, np.uint8)
    for joint in joints:
        if pose.visible(joint) or not seen_only:
            x, y = pose.point(joint)
            cv2.circle(out, (int(round(x)), int(round(y))),
                       max(1, int(round(radius * unit_px))), 1, -1)
    return out > 0


def _near_wrists(pose: Pose, shape: tuple[int, int], unit_px: float) -> np.ndarray:
    """(H, W) bool: discs of :data:`WRIST_SEED` body units around the visible wrists. A
    hand in a pocket shows no skin, and the bare forearm above it, shaded where it goes in,
    joined no hand: it was taken for a sleeve and drawn over."""
    return _near_joints(pose, shape, unit_px, (L.LEFT_WRIST, L.RIGHT_WRIST), WRIST_SEED)


def _bare_elbows(pose: Pose, skin: np.ndarray, person: np.ndarray,
                 unit_px: float) -> np.ndarray:
    """(H, W) bool: ``skin`` ((H, W) bool, strict) in discs of :data:`ELBOW_SEED` body units
    around the visible elbows whose ``person`` pixels ((H, W) bool) there are at least
    :data:`BARE_ELBOW_SHARE` skin: a bare elbow (a print's skin-coloured motifs on an old
    sleeve over the elbow are a few, 0.11 of a cheetah print's disc; bare elbows 0.8-0.9)."""
    out = np.zeros_like(skin)
    for elbow in (L.LEFT_ELBOW, L.RIGHT_ELBOW):
        disc = _near_joints(pose, skin.shape, unit_px, (elbow,), ELBOW_SEED)
        on_person = disc & person
        if on_person.any() and skin[on_person].mean() >= BARE_ELBOW_SHARE:
            out |= disc & skin
    return out


def _near_shoulders(pose: Pose, shape: tuple[int, int], unit_px: float) -> np.ndarray:
    """(H, W) bool: discs of :data:`SHOULDER_SEED` body units around both shoulder joints.
    The upper arm of a body turned three-quarters, its hand behind the back, joins no hand
    and, past a strap and the hair, not the face's skin either: left unhinted beside a new
    top, it was filled from the wall (06564: the arm cut off above the elbow)."""
    return _near_joints(pose, shape, unit_px, (L.LEFT_SHOULDER, L.RIGHT_SHOULDER),
                        SHOULDER_SEED, seen_only=False)


def _eroded(mask: np.ndarray) -> np.ndarray:
    """``mask`` less :data:`HINT_ERODE` pixels at its edge."""
    size = 2 * HINT_ERODE + 1
    return cv2.erode(mask.astype(np.uint8), np.ones((size, size), np.uint8)) > 0


def face_skin_grain(photo: np.ndarray, person: PersonAnalysis) -> float:
    """The grain (:func:`~tryon.imaging.blur.photo_grain`, grey levels) of ``photo`` ((H, W,
    3) uint8 RGB) on the face's skin-coloured pixels, or infinity when the face shows fewer
    than :data:`MIN_FACE_SKIN` of them (no bound). Drawn skin takes the grain of the photo
    around it, which beside an old knit sweater was the knit's: forearms drawn out of its
    sleeves were speckled like sandpaper (7.1 grey levels against the face's 2.8)."""
    x0, y0, x1, y1 = person.regions.face_core
    skin = person.regions.skin[y0:y1, x0:x1]
    if skin.sum() < MIN_FACE_SKIN:
        return float("inf")
    return photo_grain(photo[y0:y1, x0:x1], skin)


def skin_tone_rgb(photo: np.ndarray, person: PersonAnalysis, lit: bool = False) -> np.ndarray:
    """(3,) float32 RGB in [0, 255]: the median of the face's skin-coloured pixels (of their
    brighter half when ``lit``, :func:`~tryon.body.colour.lit_median`), or a neutral tone
    when the face shows too little skin."""
    regions = person.regions
    x0, y0, x1, y1 = regions.face_core
    skin = regions.skin[y0:y1, x0:x1]
    if skin.sum() < MIN_FACE_SKIN:
        return DEFAULT_SKIN_RGB.copy()
    colours = photo[y0:y1, x0:x1][skin]
    return lit_median(colours) if lit else np.median(colours.astype(np.float32), axis=0)
