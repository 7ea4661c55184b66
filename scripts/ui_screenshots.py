"""Screenshots of the front end in a real browser, for docs/ (issue 5).

Drives ``streamlit run ui/app.py`` in Debian's Chromium (Playwright, ``/usr/bin/chromium``):
the shopper page in a phone-sized window (390 × 844) trying on a top, then shoes, then
showing the details; and the kiosk (1080 × 1920, portrait) taking a photo with a fake camera
fed from a demo photo, trying on a top, then shoes. Each PNG shows the successive windows
side by side: ``docs/ui-shopper-phone.png`` and ``docs/ui-kiosk.png`` (half size); a
landscape kiosk (1920 × 1080) result is ``docs/ui-kiosk-landscape.png`` (half size).

    .venv/bin/python scripts/ui_screenshots.py [--out docs]
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
    running_app,
    shopper_with_photo,
    wait_for_image,
    write_y4m,
)

PHOTO = DEMO_ASSETS / "people" / "woman-studio.jpg"
AFTER_IMG = ".st-key-after img"
GAP = 24


def _pick(page: Any, name: str, previous: str | None) -> str:
    page.get_by_role("button", name=name, exact=True).click()
    return wait_for_image(page, AFTER_IMG, previous)


def _shot(page: Any, selector: str | None = None) -> Image.Image:
    """The window as it is, after scrolling ``selector`` to the top (or the page top)."""
    if selector is None:
        page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
    else:
        page.eval_on_selector(selector, "e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(600)
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
    """Phone window: photo and catalog, the top on, the shoes on, the details."""
    with running_app(work / "shopper.log") as url:
        context = open_chromium(playwright, work / "profile-shopper", (390, 844))
        page = shopper_with_photo(context, url, PHOTO)
        src = _pick(page, "Denim jacket", None)
        shots = [_shot(page), _shot(page, ".st-key-result")]
        _pick(page, "Blue plimsolls", src)
        shots.append(_shot(page, ".st-key-result"))
        page.get_by_text("Show details").click()
        page.locator(".st-key-details img").first.wait_for()
        page.wait_for_timeout(1000)
        shots.append(_shot(page, ".st-key-download"))
        _stitch(shots, out / "ui-shopper-phone.png")
        context.close()


def kiosk(playwright: Any, out: Path, work: Path) -> None:
    """Portrait kiosk window: camera, catalog, the top on, the shoes on; then a landscape
    kiosk window with another top."""
    camera = write_y4m(PHOTO, work / "camera.y4m")
    with running_app(work / "kiosk.log", kiosk=True) as url:
        context = open_chromium(playwright, work / "profile-kiosk", (1080, 1920), camera=camera)
        page = context.new_page()
        page.goto(url)
        page.get_by_role("button", name="Take Photo").wait_for()
        page.wait_for_timeout(2000)  # let the fake camera deliver frames
        shots = [_shot(page)]
        page.get_by_role("button", name="Take Photo").click()
        page.get_by_text("Pick something to try on").wait_for()
        page.wait_for_timeout(1000)
        shots.append(_shot(page))
        src = _pick(page, "Denim jacket", None)
        shots.append(_shot(page))
        page.get_by_role("button", name="Try something else").click()
        page.get_by_text("Pick something to try on").wait_for()
        _pick(page, "Blue plimsolls", src)
        shots.append(_shot(page))
        _stitch(shots, out / "ui-kiosk.png", scale=0.5)
        context.close()

        context = open_chromium(playwright, work / "profile-wide", (1920, 1080), camera=camera)
        page = context.new_page()
        page.goto(url)
        page.get_by_role("button", name="Take Photo").wait_for()
        page.wait_for_timeout(2000)
        page.get_by_role("button", name="Take Photo").click()
        page.get_by_text("Pick something to try on").wait_for()
        _pick(page, "White tee", None)
        _stitch([_shot(page)], out / "ui-kiosk-landscape.png", scale=0.5)
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    parser.add_argument("--only", choices=["shopper", "kiosk"], default=None)
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
    print(f"screenshots in {args.out}")


if __name__ == "__main__":
    main()
