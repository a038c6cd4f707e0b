"""Without a mouse: the skip link, a focus ring a reader can see, and whole journeys by keyboard."""

from playwright.sync_api import expect

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    name: el.getAttribute('name') || el.id || '',
    text: (el.innerText || el.value || '').trim(),
    outline: [style.outlineStyle, parseFloat(style.outlineWidth)],
    shadow: style.boxShadow,
  };
}"""


def focused(page) -> dict:
    element = page.evaluate(FOCUSED)
    style, width = element["outline"]
    assert style != "none", f"no visible focus ring on {element}"
    assert width >= 2, f"no visible focus ring on {element}"
    return element


def tab_to(page, text: str, limit: int = 40) -> dict:
    """Press Tab until the focused element shows `text`, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = page.evaluate(FOCUSED)
        if element["text"] == text:
            return focused(page)
    raise AssertionError(f"{text!r} is not reachable with Tab")


def test_skip_link_is_the_first_stop_and_jumps_to_the_content(page, live_starter):
    page.goto(f"{live_starter.url}/roles/")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_in_viewport()
    assert skip_link.bounding_box()["width"] > 100
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_starter.url}/roles/#main")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab continues inside the content, past the header.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Home"  # the first breadcrumb
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_compare_two_roles_with_the_keyboard_only(page, live_starter):
    page.goto(f"{live_starter.url}/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip link
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "a", "the picker's first role follows the skip link"
    page.keyboard.type("Account Manager")
    expect(page.get_by_label("First role")).to_have_value("account-manager")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "b"
    page.keyboard.type("Scrum Master")
    expect(page.get_by_label("Second role")).to_have_value("scrum-master")
    assert tab_to(page, "Compare")["tag"] == "button"
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_starter.url}/compare/account-manager-vs-scrum-master/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Account Manager vs Scrum Master")


def test_search_for_a_role_and_open_it_with_the_keyboard_only(page, live_starter):
    page.goto(f"{live_starter.url}/faq/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "search":
            break
    assert focused(page)["name"] == "q"
    page.keyboard.type("scrum master")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_starter.url}/search/?q=scrum+master")
    tab_to(page, "Scrum Master")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_starter.url}/roles/scrum-master/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Scrum Master")
