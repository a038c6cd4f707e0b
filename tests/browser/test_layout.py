"""How pages fit a phone and how they print."""

import pytest
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


DESK = {"width": 1280, "height": 800}
COMPARISONS = {
    2: "/compare/account-manager-vs-project-manager/",
    3: "/compare/account-manager-vs-project-manager-vs-scrum-master/",
    4: "/compare/account-manager-vs-product-manager-vs-project-manager-vs-scrum-master/",
}

# Each row of the comparison table scrolled to the top of the viewport, measured there: the row,
# its criterion, and each value's cell, text and label (the cell's ::before, from data-label).
TABLE_ROWS = """() => {
const box = el => {
  const r = el.getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom];
};
const text = el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return box(range);
};
return [...document.querySelectorAll('.comparison-table__table tbody tr')].map(tr => {
  tr.scrollIntoView({block: 'start', behavior: 'instant'});
  return {
    row: box(tr),
    criterion: tr.querySelector('th').textContent.trim(),
    cells: [...tr.querySelectorAll('td')].map(td => ({
      box: box(td),
      text: text(td),
      overflows: td.scrollWidth > td.clientWidth,
      label: getComputedStyle(td, '::before').content,
      labelShown: getComputedStyle(td, '::before').display === 'block',
    })),
  };
});
}"""


def inside(box, viewport, slack: float = 0.5) -> bool:
    """Within the viewport, give or take the half pixel that scrolling to a fraction leaves."""
    left, top, right, bottom = (box[0] + slack, box[1] + slack, box[2] - slack, box[3] - slack)
    return left >= 0 and top >= 0 and right <= viewport["width"] and bottom <= viewport["height"]


def ax_roles(page) -> list[tuple[str, str]]:
    """Chromium's own accessibility tree (what a screen reader gets), not Playwright's guess."""
    nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    return [
        (node["role"]["value"], node.get("name", {}).get("value", ""))
        for node in nodes
        if not node.get("ignored")
    ]


@pytest.mark.parametrize("size", sorted(COMPARISONS))
def test_phone_shows_every_value_of_a_criterion_at_once_each_labelled_with_its_role(
    page, live_starter, size
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_starter.url}{COMPARISONS[size]}")
    roles = page.locator(".comparison-table__role").all_inner_texts()
    assert len(roles) == size
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    box = page.locator(".comparison-table")
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth"), "the table scrolls sideways"

    rows = page.evaluate(TABLE_ROWS)
    assert len(rows) == 10
    for row in rows:
        where = f"{size} roles, {row['criterion']}"
        assert inside(row["row"], PHONE), f"{where}: the row does not fit the screen at once"
        assert len(row["cells"]) == size
        for role, cell in zip(roles, row["cells"], strict=True):
            assert inside(cell["box"], PHONE), f"{where}, {role}: value off-screen"
            text_left, _, text_right, _ = cell["text"]
            cell_left, _, cell_right, _ = cell["box"]
            assert cell_left <= text_left, f"{where}, {role}: text cut"
            assert text_right <= cell_right, f"{where}, {role}: text cut"
            assert not cell["overflows"], f"{where}, {role}: text cut"
            assert cell["labelShown"], f"{where}, {role}: no label"
            assert cell["label"] == f'"{role}" / ""', f"{where}: labelled {cell['label']}"
    # Two roles side by side, not one above the other: the phone has room for two.
    first = rows[0]["cells"]
    assert first[0]["box"][1] == first[1]["box"][1]


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_comparison_stays_a_table_for_a_screen_reader(page, live_starter, viewport):
    """The label is for the eye (its alternative text is empty): a cell's name is its value."""
    page.set_viewport_size(viewport)
    page.goto(f"{live_starter.url}{COMPARISONS[3]}")
    roles = ax_roles(page)
    caption = "Account Manager, Project Manager and Scrum Master compared, criterion by criterion"
    assert ("table", caption) in roles
    headers = [name for role, name in roles if role == "columnheader"]
    assert headers[:4] == ["Criterion", "Account Manager", "Project Manager", "Scrum Master"]
    assert ("rowheader", "Tools used") in roles
    cells = [name for role, name in roles if role == "cell"]
    assert cells[:3] == [
        "Client relationships and satisfaction",
        "Project delivery and execution",
        "Healthy agile process for the team",
    ]


def test_role_names_stay_in_view_down_a_long_table_on_a_desk(page, live_starter):
    page.set_viewport_size(DESK)
    page.goto(f"{live_starter.url}{COMPARISONS[4]}")
    last = page.locator(".comparison-table__table tbody tr").last
    page.evaluate(
        """el => window.scrollTo({
            top: el.getBoundingClientRect().bottom + scrollY - innerHeight, behavior: 'instant',
        })""",
        last.element_handle(),
    )
    first = page.locator(".comparison-table__table tbody tr").first.bounding_box()
    assert first["y"] < 0, "the table is short enough to fit: nothing to prove"
    for header in page.locator(".comparison-table__role").all():
        box = header.bounding_box()
        assert box["y"] >= 0
        assert box["y"] + box["height"] <= DESK["height"]
        centre = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
        on_top = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('th')?.textContent.trim()", centre
        )
        assert on_top == header.inner_text()


HEADER_CONTROLS = """header => [
  ...header.querySelectorAll('a, button, input:not([type=hidden]), summary'),
].map(el => {
  const r = el.getBoundingClientRect();
  const name = el.textContent.trim() || el.getAttribute('aria-label') || el.name;
  return {name, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
})"""


def test_header_on_a_phone_is_short_and_its_menu_opens_without_javascript(
    new_context, live_starter, sign_in
):
    """The navigation folds into a <details> "Menu"; the brand, the menu and the search stay."""
    for signed_in in (False, True):
        context = new_context(java_script_enabled=False, viewport=PHONE)
        if signed_in:
            sign_in(context)
        page = context.new_page()
        page.goto(f"{live_starter.url}/roles/")
        header = page.locator(".site-header")
        assert header.bounding_box()["height"] <= 120
        menu = header.get_by_text("Menu", exact=True)
        expect(header.get_by_role("searchbox", name="Search")).to_be_visible()
        expect(header.get_by_role("link", name="Roles")).to_be_hidden()
        menu.click()
        expect(header.get_by_role("link", name="Roles")).to_be_visible()
        assert header.bounding_box()["height"] <= 120, "the open menu lies over the page"
        context.close()


def test_header_on_a_phone_has_every_control_usable_and_44_px_square(page, live_starter, sign_in):
    page.set_viewport_size(PHONE)
    for signed_in in (False, True):
        if signed_in:
            sign_in(page.context)
        page.goto(f"{live_starter.url}/roles/")
        header = page.locator(".site-header")
        header.get_by_text("Menu", exact=True).click()
        targets = [
            *header.get_by_role("link").all(),
            *header.get_by_role("button").all(),
            header.get_by_role("searchbox", name="Search"),
        ]
        assert len(targets) >= (10 if signed_in else 9)
        for target in targets:
            expect(target).to_be_visible()
        boxes = header.evaluate(HEADER_CONTROLS)
        for box in boxes:
            assert box["left"] >= 0, box
            assert box["right"] <= PHONE["width"], box
            assert box["right"] - box["left"] >= 44, f"{box['name']} is too narrow to tap"
            assert box["bottom"] - box["top"] >= 44, f"{box['name']} is too short to tap"
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                overlap_x = min(a["right"], b["right"]) - max(a["left"], b["left"])
                overlap_y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                assert overlap_x <= 0 or overlap_y <= 0, f"{a['name']} overlaps {b['name']}"
        assert header.get_by_role("searchbox", name="Search").bounding_box()["width"] >= 150


def test_header_on_a_desk_is_one_row_with_the_search_aligned(page, live_starter):
    page.set_viewport_size(DESK)
    page.goto(f"{live_starter.url}/roles/")
    header = page.locator(".site-header")
    expect(header.get_by_text("Menu", exact=True)).to_be_hidden()
    boxes = [box for box in header.evaluate(HEADER_CONTROLS) if box["name"] != "Menu"]
    assert [box["name"] for box in boxes] == [
        "CareerGuide", "q", "Search", "Roles", "Compare", "Transition guides", "FAQ",
        "Sign in", "Create account",
    ]  # fmt: skip
    middles = [(box["top"] + box["bottom"]) / 2 for box in boxes]
    assert max(middles) - min(middles) <= 1, "the header's controls are not on one line"
    assert header.bounding_box()["height"] <= 80


# Links and controls a reader taps, but for links inside a sentence (WCAG's inline exception:
# their parent says more than they do) and the skip link, which is hidden until focused.
SMALL_TARGETS = """() => [
  ...document.querySelectorAll('a, button, input:not([type=hidden]), select, summary'),
].filter(el => el.getClientRects().length && !el.classList.contains('skip-link'))
 .filter(el => !(el.tagName === 'A' && ['P', 'LI', 'DD', 'TD'].includes(el.parentElement.tagName)
                 && el.parentElement.textContent.trim() !== el.textContent.trim()))
 .map(el => {
   const r = el.getBoundingClientRect();
   const name = el.textContent.trim().slice(0, 40) || el.name;
   return [el.tagName.toLowerCase(), name, r.width, r.height];
 })
 .filter(([, , width, height]) => width < 44 || height < 44)"""

TAP_PAGES = [
    "/",
    "/roles/",
    "/roles/account-manager/",
    "/compare/",
    COMPARISONS[2],
    COMPARISONS[3],
    "/transitions/",
    GUIDE,
    "/roles/account-manager/moves/",
    "/transitions/business-analyst-to-scrum-master/",
    "/faq/",
    "/search/?q=manager",
]


def test_every_stand_alone_tap_target_on_a_phone_is_44_px_square(page, live_starter):
    page.set_viewport_size(PHONE)
    small = {}
    for path in TAP_PAGES:
        page.goto(f"{live_starter.url}{path}")
        for summary in page.locator("details.faq-group__details > summary").all()[:2]:
            summary.click()
        if found := page.evaluate(SMALL_TARGETS):
            small[path] = found
    assert small == {}


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


# --- The width of a desk ---


def test_on_this_page_sits_beside_the_reading_column_and_stays_in_reach(page, live_starter):
    page.set_viewport_size(DESK)
    page.goto(f"{live_starter.url}{COMPARISON}")
    contents = page.get_by_role("navigation", name="On this page")
    targets = [
        href.removeprefix("#")
        for href in contents.get_by_role("link").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    ]
    criteria = page.locator("section.comparison-section").evaluate_all(
        "sections => sections.map(s => s.id)"
    )
    assert targets == [
        "at-a-glance",
        "comparison-table",
        "pay",
        "skills",
        *criteria,
        "verdict",
        "faq",
        "references",
        "next-steps",
    ]
    for target in targets:
        expect(page.locator(f"[id='{target}']")).to_have_count(1)
    column = page.locator(".comparison__header").bounding_box()
    beside = contents.bounding_box()
    assert beside["x"] >= column["x"] + column["width"], "not beside the reading column"
    assert beside["x"] + beside["width"] <= DESK["width"]

    contents.get_by_role("link", name="Tools used").click()
    expect(page.locator("#tools-used h2")).to_be_in_viewport()
    expect(contents).to_be_in_viewport(ratio=1)
    page.get_by_role("heading", name="References").scroll_into_view_if_needed()
    expect(contents.get_by_role("link", name="Comparison table")).to_be_in_viewport()


def test_generated_comparison_sets_each_roles_details_side_by_side_on_a_desk(page, live_starter):
    page.set_viewport_size(DESK)
    page.goto(f"{live_starter.url}/compare/account-manager-vs-scrum-master/")
    details = page.locator("#tools-used .comparison-section__detail")
    expect(details).to_have_count(2)
    first, second = (detail.bounding_box() for detail in details.all())
    assert first["y"] == second["y"]
    assert first["x"] + first["width"] <= second["x"]


@pytest.mark.parametrize("width", [768, 992, 1280])
def test_four_roles_fit_the_reading_column_at_every_desk_width(page, live_starter, width):
    """From 48rem the table is a table again; four roles must fit beside "On this page"."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_starter.url}{COMPARISONS[4]}")
    table = page.locator(".comparison-table__table").bounding_box()
    column = page.locator(".comparison-table").bounding_box()
    assert table["x"] + table["width"] <= column["x"] + column["width"] + 0.5
    contents = page.get_by_role("navigation", name="On this page")
    if contents.is_visible():
        assert table["x"] + table["width"] <= contents.bounding_box()["x"]
