"""Screenshots of the front end in a real browser, for docs/ (issue 5).

Drives ``streamlit run ui/app.py`` in Debian's Chromium (Playwright, ``/usr/bin/chromium``):
the shopper page in a phone-sized touch window (390 × 844): a text file named photo.jpg
refused at upload, a selfie with the shoes greyed out, a full-body photo ready, the window
as it is right after tapping a top (the page scrolls itself to the result), the divider
moved by a tap, then shoes, the "More like this" row under them, and the first of its
items tapped; and the kiosk (1080 × 1920, portrait) counting down over the camera (fed from
a demo photo), the catalog, a top, then shoes. Each PNG shows the successive windows side
by side: ``docs/ui-shopper-phone.png`` and ``docs/ui-kiosk.png`` (half size); a landscape
kiosk (1920 × 1080) result is ``docs/ui-kiosk-landscape.png`` (half size). The staff's
trends page (``?view=trends``, 1280 wide, with a made-up dates CSV in which the white tee
sells more every month) is ``docs/ui-trends.png``.

    .venv/bin/python scripts/ui_screenshots.py [--out docs] [--only shopper|kiosk|trends]
"""

from __future__ import annotations

import argparse
import io
import tempfile
from pathlib import Path
from typing import Any

from PIL import Image

from ui.catalog import DEMO_ASSETS
from ui.harness import (
    browser_unavailable,
    open_chromium,
    outside_requests,
    record_requests,
    running_app,
    shopper_with_photo,
    wait_for_result,
    write_y4m,
)
from ui.page import TAKE_PHOTO, TRY_ANOTHER

PHOTO = DEMO_ASSETS / "people" / "woman-studio.jpg"
SELFIE = DEMO_ASSETS / "people" / "man-selfie.jpg"
GAP = 24
TRENDS_WINDOW = (1280, 2000)
LIKE_BUTTON = ".st-key-more-like-this button[data-testid=stBaseButton-secondary]"


def _pick(page: Any, name: str, previous: str | None, touch: bool = False) -> str:
    # Enabled only: a re-run of the page may leave the previous, disabled one beside it.
    button = page.get_by_role("button", name=name, exact=True, disabled=False)
    button.scroll_into_view_if_needed()
    button.tap() if touch else button.click()
    return wait_for_result(page, previous)


def _shot(page: Any, top: bool = False) -> Image.Image:
    """The window as it is (scrolled to the page top first with ``top``)."""
    if top:
        page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
    page.wait_for_timeout(1500)  # the page's own scroll, pictures decoded
    return Image.open(io.BytesIO(page.screenshot())).convert("RGB")


def _stitch(shots: list[Image.Image], path: Path, scale: float = 1.0) -> None:
    """Windows side by side on grey, scaled by ``scale``; saved as PNG."""
    width = sum(shot.width for shot in shots) + GAP * (len(shots) + 1)
    height = max(shot.height for shot in shots) + 2 * GAP
    sheet = Image.new("RGB", (width, height), (200, 200, 200))
    x = GAP
    for shot in shots:
        sheet.paste(shot, (x, GAP))
        x += shot.width + GAP
    if scale != 1.0:
        sheet = sheet.resize((round(width * scale), round(height * scale)),
                             Image.Resampling.LANCZOS)
    sheet.save(path, optimize=True)


def shopper(playwright: Any, out: Path, work: Path) -> None:
    """Phone window: a bad file, a selfie, the photo ready, the top on (the window as the
    pick left it), the divider tapped, the shoes on."""
    bad = work / "photo.jpg"
    bad.write_text("this is not a picture\n")
    with running_app(work / "shopper.log") as url:
        context = open_chromium(playwright, work / "profile-shopper", (390, 844), touch=True)
        requests = record_requests(context)
        shots = []
        for photo in (bad, SELFIE):
            page = shopper_with_photo(context, url, photo)
            page.locator(".st-key-photo-status").scroll_into_view_if_needed()
            shots.append(_shot(page))
            page.close()
        page = shopper_with_photo(context, url, PHOTO)
        page.get_by_role("button", name="Denim jacket", exact=True,
                         disabled=False).scroll_into_view_if_needed()
        shots.append(_shot(page))
        src = _pick(page, "Denim jacket", None, touch=True)
        shots.append(_shot(page))
        box = page.locator(".st-key-result figure.cmp").bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
        shots.append(_shot(page))
        page.get_by_role("button", name=TRY_ANOTHER).tap()
        page.get_by_role("button", name="Blue plimsolls", exact=True).wait_for()
        src = _pick(page, "Blue plimsolls", src, touch=True)
        shots.append(_shot(page))
        alike = page.locator(LIKE_BUTTON).first
        alike.scroll_into_view_if_needed()
        shots.append(_shot(page))
        alike.tap()
        wait_for_result(page, src)
        shots.append(_shot(page))
        _stitch(shots, out / "ui-shopper-phone.png", scale=0.75)
        context.close()
    _no_outside(requests)


def _no_outside(requests: list[str]) -> None:
    outside = outside_requests(requests)
    if outside:
        raise SystemExit(f"requests left 127.0.0.1: {outside}")


def _take_photo(page: Any) -> Image.Image:
    """Tap the kiosk's "Take photo"; the window while it counts down."""
    take = page.get_by_role("button", name=TAKE_PHOTO, exact=True)
    take.wait_for()
    page.wait_for_timeout(2000)  # let the fake camera deliver frames
    take.click()
    page.get_by_text("2", exact=True).wait_for()
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    page.get_by_text("Pick something to try on").wait_for()
    return shot


def kiosk(playwright: Any, out: Path, work: Path) -> None:
    """Portrait kiosk window: countdown, catalog, the top on, the shoes on; then a landscape
    kiosk window with another top."""
    camera = write_y4m(PHOTO, work / "camera.y4m")
    with running_app(work / "kiosk.log", kiosk=True) as url:
        context = open_chromium(playwright, work / "profile-kiosk", (1080, 1920), camera=camera)
        requests = record_requests(context)
        page = context.new_page()
        page.goto(url)
        shots = [_take_photo(page), _shot(page)]
        src = _pick(page, "Denim jacket", None)
        shots.append(_shot(page))
        page.get_by_role("button", name=TRY_ANOTHER).click()
        page.get_by_text("Pick something to try on").wait_for()
        _pick(page, "Blue plimsolls", src)
        shots.append(_shot(page))
        _stitch(shots, out / "ui-kiosk.png", scale=0.5)
        context.close()

        context = open_chromium(playwright, work / "profile-wide", (1920, 1080), camera=camera)
        wide_requests = record_requests(context)
        page = context.new_page()
        page.goto(url)
        _take_photo(page)
        _pick(page, "White tee", None)
        _stitch([_shot(page)], out / "ui-kiosk-landscape.png", scale=0.5)
        context.close()
    _no_outside(requests + wide_requests)


def _dates_csv(path: Path, months: int = 6) -> Path:
    """Made-up sales: the white tee more every month, the plimsolls once a month."""
    rows = [f"white-tee.jpg,2026-{m:02d}-{d:02d}" for m in range(1, months + 1)
            for d in range(1, m + 1)]
    rows += [f"blue-plimsolls.png,2026-{m:02d}-01" for m in range(1, months + 1)]
    path.write_text("file,date\n" + "\n".join(rows) + "\n")
    return path


def trends(playwright: Any, out: Path, work: Path) -> None:
    """The staff page with a dates CSV: summary, map, trends, clusters."""
    with running_app(work / "trends.log") as url:
        context = open_chromium(playwright, work / "profile-trends", TRENDS_WINDOW)
        requests = record_requests(context)
        page = context.new_page()
        page.goto(f"{url}/?view=trends")
        page.locator(".st-key-cluster-0 [data-testid=stImage] img").first.wait_for(
            timeout=120_000)
        page.locator("input[type=file]").set_input_files(str(_dates_csv(work / "dates.csv")))
        page.locator(".st-key-trends [data-testid=stVegaLiteChart] canvas, "
                     ".st-key-trends [data-testid=stVegaLiteChart] svg").first.wait_for()
        _stitch([_shot(page, top=True)], out / "ui-trends.png", scale=0.6)
        context.close()
    _no_outside(requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    parser.add_argument("--only", choices=["shopper", "kiosk", "trends"], default=None)
    args = parser.parse_args()
    reason = browser_unavailable()
    if reason:
        raise SystemExit(reason)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        if args.only in (None, "shopper"):
            shopper(playwright, args.out, Path(tmp))
        if args.only in (None, "kiosk"):
            kiosk(playwright, args.out, Path(tmp))
        if args.only in (None, "trends"):
            trends(playwright, args.out, Path(tmp))
    print(f"screenshots in {args.out}")


if __name__ == "__main__":
    main()
