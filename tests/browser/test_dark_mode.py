"""Dark mode follows the system with no script at all; the footer's toggle remembers a choice."""

from playwright.sync_api import expect

ROLE = "/roles/account-manager/"

# Colours a reader sees on a role profile: page, text, links, muted text, table, form, button.
COLOURS = """() => {
  const style = (selector, pseudo) => getComputedStyle(document.querySelector(selector), pseudo);
  return {
    page: style('body').backgroundColor,
    text: style('body').color,
    link: style('main a').color,
    muted: style('.compare-picker__hint').color,
    header: style('.site-header').backgroundColor,
    table: style('.skill-table td').backgroundColor,
    select: style('.form-select').backgroundColor,
    select_arrow: style('.form-select').backgroundImage,
    button: style('.compare-picker .btn-primary').backgroundColor,
    panel: style('.compare-picker').backgroundColor,
  };
}"""


def luminance(css_colour: str) -> float:
    red, green, blue = (int(part) for part in css_colour.strip("rgba()").split(",")[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def page_luminance(page) -> float:
    return luminance(page.evaluate("getComputedStyle(document.body).backgroundColor"))


def test_dark_system_gives_a_dark_site_without_javascript(new_context, live_starter):
    context = new_context(java_script_enabled=False, color_scheme="dark")
    page = context.new_page()
    page.goto(f"{live_starter.url}{ROLE}")
    expect(page.locator("html")).not_to_have_attribute("data-bs-theme", "dark")
    colours = page.evaluate(COLOURS)
    assert luminance(colours["page"]) < 0.2
    assert luminance(colours["text"]) > 0.8
    # Bootstrap's own parts follow too, not only the site's colours.
    assert luminance(colours["table"]) < 0.2
    assert luminance(colours["select"]) < 0.2


def test_toggle_remembers_the_choice_across_pages_without_javascript(new_context, live_starter):
    context = new_context(java_script_enabled=False, color_scheme="light")
    page = context.new_page()
    page.goto(f"{live_starter.url}{ROLE}")
    toggle = page.get_by_role("group", name="Color scheme")
    expect(toggle.get_by_role("button", name="Auto")).to_have_attribute("aria-pressed", "true")
    assert page_luminance(page) > 0.8

    toggle.get_by_role("button", name="Dark").click()
    expect(page).to_have_url(f"{live_starter.url}{ROLE}")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    expect(toggle.get_by_role("button", name="Dark")).to_have_attribute("aria-pressed", "true")
    assert page_luminance(page) < 0.2

    page.get_by_role("link", name="Compare", exact=True).click()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    assert page_luminance(page) < 0.2

    page.get_by_role("group", name="Color scheme").get_by_role("button", name="Auto").click()
    expect(page.locator("html")).not_to_have_attribute("data-bs-theme", "dark")
    assert page_luminance(page) > 0.8


def test_light_by_choice_wins_over_a_dark_system(new_context, live_starter):
    context = new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(f"{live_starter.url}{ROLE}")
    page.get_by_role("group", name="Color scheme").get_by_role("button", name="Light").click()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
    colours = page.evaluate(COLOURS)
    assert luminance(colours["page"]) > 0.8
    assert luminance(colours["select"]) > 0.8


def test_dark_by_choice_looks_the_same_as_dark_from_the_system(new_context, live_starter):
    from_system = new_context(color_scheme="dark").new_page()
    from_system.goto(f"{live_starter.url}{ROLE}")
    chosen = new_context(color_scheme="light")
    chosen.add_cookies([{"name": "theme", "value": "dark", "url": live_starter.url}])
    by_choice = chosen.new_page()
    by_choice.goto(f"{live_starter.url}{ROLE}")
    assert by_choice.evaluate(COLOURS) == from_system.evaluate(COLOURS)
