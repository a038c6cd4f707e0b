"""How pages fit a phone and how they print."""

from playwright.sync_api import expect

from tests.helpers import GUIDE

PHONE = {"width": 375, "height": 740}

# Elements wider than the page, to name in a failure: the innermost ones that stick out and are
# not inside a box that scrolls or clips them.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5 && !clipped(el))
    .filter(el => ![...el.children].some(kid => kid.getBoundingClientRect().right > width + 0.5))
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + [...el.classList].join('.') : ''));
}"""


def test_no_page_scrolls_sideways_on_a_phone(page, each_page_type, save_screenshot):
    page.set_viewport_size(PHONE)
    too_wide = {}
    for name in each_page_type(page):
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll_width > client_width:
            too_wide[name] = (scroll_width, page.evaluate(OVERFLOWING))
            save_screenshot(page, f"phone {name}")
    assert too_wide == {}


def test_comparison_table_scrolls_in_its_box_with_the_criterion_column_kept_on_a_phone(
    page, live_starter
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_starter.url}/compare/account-manager-vs-project-manager-vs-scrum-master/")
    box = page.locator(".comparison-table")
    scroll_width, client_width = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll_width > client_width, "three roles do not fit 375 px: the box should scroll"

    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    criterion = page.get_by_role("rowheader", name="Tools used", exact=True)
    criterion.scroll_into_view_if_needed()
    header = criterion.bounding_box()
    assert header["x"] >= 0
    assert header["x"] + header["width"] <= PHONE["width"]
    assert header["width"] >= 100, "the criterion column is too narrow to read"
    # Nothing scrolled over it: the criterion is what a reader sees at its centre.
    centre = (header["x"] + header["width"] / 2, header["y"] + header["height"] / 2)
    assert (
        page.evaluate(
            "([x, y, name]) => document.elementFromPoint(x, y).closest('th')?.textContent.trim()",
            [*centre, "Tools used"],
        )
        == "Tools used"
    )
    # The last role's value has come into view beside it, none of its text under the column.
    text = (
        criterion.locator("xpath=..")
        .locator("td")
        .last.evaluate("""td => {
            const range = document.createRange();
            range.selectNodeContents(td);
            const box = range.getBoundingClientRect();
            return {left: box.left, right: box.right};
        }""")
    )
    assert text["left"] >= header["x"] + header["width"]
    assert text["right"] <= PHONE["width"]
    # So has the caption, which stays where it was rather than scrolling away with the table.
    caption = page.locator(".comparison-table__caption").bounding_box()
    assert caption["x"] >= 0
    assert caption["x"] + caption["width"] <= PHONE["width"]


def test_header_wraps_on_a_phone_with_every_link_and_the_search_box_usable(page, live_starter):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_starter.url}/roles/")
    header = page.locator(".site-header")
    targets = [
        *header.get_by_role("link").all(),
        header.get_by_role("searchbox", name="Search"),
        header.get_by_role("button", name="Search"),
    ]
    assert len(targets) >= 8
    boxes = []
    for target in targets:
        expect(target).to_be_visible()
        box = target.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
        boxes.append(box)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap_x = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
            overlap_y = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
            assert overlap_x <= 0 or overlap_y <= 0, "two header controls overlap"
    assert header.get_by_role("searchbox", name="Search").bounding_box()["width"] >= 150


# --- Print ---

COMPARISON = "/compare/account-manager-vs-project-manager/"


def after_content(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el, '::after').content")


def test_comparison_prints_without_navigation_or_forms_and_with_link_targets(page, live_starter):
    page.goto(f"{live_starter.url}{COMPARISON}")
    reference = page.get_by_role("link", name="Project Management Institute")
    assert after_content(reference) == "none"

    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", "nav", "form"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(page.get_by_role("table", name="compared, criterion by criterion")).to_be_visible()
    assert after_content(reference) == '" (https://www.pmi.org)"'
    # Links within the site say nothing more: their targets mean nothing on paper.
    role_link = page.get_by_role("columnheader", name="Account Manager").get_by_role("link")
    assert after_content(role_link) == "none"


def test_guide_prints_its_steps_as_a_checklist(page, live_starter, reader_with_progress):
    reader_with_progress(page.context)
    page.goto(f"{live_starter.url}{GUIDE}")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Remove bookmark")).to_be_hidden()
    expect(page.locator(".guide__reader")).to_be_hidden()
    steps = page.locator(".guide-step")
    expect(steps).to_have_count(6)
    boxes = steps.evaluate_all(
        """steps => steps.map(step => {
            const box = getComputedStyle(step, '::before');
            const title = getComputedStyle(step.querySelector('.guide-step__title'), '::before');
            return [box.content, box.borderTopStyle, box.borderRadius, title.content];
        })"""
    )
    ticked, empty = ['"✓"', "solid", "3.2px"], ['""', "solid", "3.2px"]
    number = 'counter(step) ". "'  # each title keeps its step number
    assert boxes == [[*ticked, number]] * 2 + [[*empty, number]] * 4
    for button in page.locator(".guide-step__form button").all():
        expect(button).to_be_hidden()


def test_pages_print_in_dark_ink_for_a_reader_who_chose_dark(page, live_starter):
    page.context.add_cookies([{"name": "theme", "value": "dark", "url": live_starter.url}])
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live_starter.url}{GUIDE}")
    ink = "el => getComputedStyle(el).color"
    assert page.locator("body").evaluate(ink) in ("rgb(222, 226, 230)", "rgb(227, 231, 235)")
    page.emulate_media(media="print")
    assert page.locator("body").evaluate(ink) == "rgb(0, 0, 0)"
    assert page.locator(".guide-step__body p").first.evaluate(ink) == "rgb(0, 0, 0)"
    assert page.locator(".skill-gap td").first.evaluate(ink) == "rgb(0, 0, 0)"
