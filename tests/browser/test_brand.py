"""One brand colour for every button, pager, progress bar and meter; underlines for running text.

Colours are read from the screen, not from CSS: a progress bar's or a meter's fill is a browser
pseudo-element that getComputedStyle cannot see.
"""

import base64

import pytest
from playwright.sync_api import expect

from tests.helpers import GUIDE

BRAND = {"light": (29, 79, 145), "dark": (140, 184, 255)}
DESK = {"width": 1280, "height": 800}

# A PNG decoded on a blank page of the same browser: the site's pages forbid data: images.
DECODE = """async data => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + data;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  return [...context.getImageData(0, 0, 1, 1).data.slice(0, 3)];
}"""


def colour_at(page, locator, dx: float = 4) -> tuple[int, int, int]:
    """The colour a reader sees `dx` px inside the left edge of `locator`, halfway down."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    clip = {"x": box["x"] + dx, "y": box["y"] + box["height"] / 2, "width": 1, "height": 1}
    png = base64.b64encode(page.screenshot(clip=clip)).decode()
    blank = page.context.new_page()
    try:
        return tuple(blank.evaluate(DECODE, png))
    finally:
        blank.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_buttons_progress_meter_and_pager_share_the_brand_colour(
    page, live_starter, reader_with_progress, grow_catalogue, scheme
):
    grow_catalogue(300)
    reader_with_progress(page.context)
    page.set_viewport_size(DESK)
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    seen = {}
    page.goto(f"{live_starter.url}/compare/")
    seen["button"] = colour_at(page, page.locator(".compare-picker .btn-primary"))
    seen["header button"] = colour_at(page, page.locator(".site-search .btn-primary"))
    page.goto(f"{live_starter.url}/compare/account-manager-vs-project-manager/")
    seen["meter"] = colour_at(page, page.locator("meter"))
    page.goto(f"{live_starter.url}{GUIDE}")
    seen["progress"] = colour_at(page, page.locator("progress"))
    page.goto(f"{live_starter.url}/roles/?page=2")
    seen["pager"] = colour_at(page, page.locator(".pager .active .page-link"))
    assert seen == dict.fromkeys(seen, BRAND[scheme])


def decoration(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).textDecorationLine")


def test_only_links_in_running_text_are_underlined(page, live_starter):
    page.set_viewport_size(DESK)
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{live_starter.url}/compare/account-manager-vs-project-manager/")
    quiet = {
        "role header": page.get_by_role("columnheader", name="Account Manager").get_by_role("link"),
        "criterion": page.get_by_role("rowheader", name="Tools used").get_by_role("link"),
        "header link": page.locator(".site-header").get_by_role("link", name="Roles"),
        "contents": page.get_by_role("navigation", name="On this page").get_by_role("link").first,
    }
    for name, link in quiet.items():
        assert decoration(link) == "none", name
        link.hover()
        assert decoration(link) == "underline", f"{name} on hover"
    page.goto(f"{live_starter.url}/roles/")
    card = page.locator(".role-card__name a").first
    assert decoration(card) == "none"
    card.focus()
    assert decoration(card) == "underline"

    page.goto(f"{live_starter.url}/faq/can-a-scrum-master-also-be-the-project-manager/")
    running = page.locator(".faq-page__topic a").first
    expect(running).to_be_visible()
    assert decoration(running) == "underline"
