"""axe-core on every kind of page, in the light and the dark colour scheme.

axe-playwright-python bundles axe-core, so the audit runs offline. A serious or critical finding
fails the test, named by page, scheme, rule and element; a screenshot of the page is kept.
"""

from axe_playwright_python.base import AXE_SCRIPT

BLOCKING = {"serious", "critical"}


def blocking_violations(page) -> list[str]:
    # Injected once per page and run for each scheme: re-injecting costs more than the audit.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate("axe.run({resultTypes: ['violations']}).then(r => r.violations)")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in violations
        if violation["impact"] in BLOCKING
    ]


def test_no_serious_or_critical_violation_in_light_or_dark(page, each_page_type, save_screenshot):
    """The toggle stays on "auto", so the system setting decides; test_theme.py shows that
    choosing dark with the toggle gives the same colours as a dark system."""
    found = {}
    for name in each_page_type(page):
        for scheme in ("light", "dark"):
            # Without motion Bootstrap's colour transitions end at once, so axe sees final colours.
            page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
            if violations := blocking_violations(page):
                found[f"{name} ({scheme})"] = violations
                save_screenshot(page, f"axe {name} {scheme}")
        page.emulate_media(color_scheme="light")
    assert found == {}


def test_pager_has_no_serious_violation_and_fits_a_phone(page, live_starter, grow_catalogue):
    """The pager appears only with a larger catalogue; six pages make it elide some."""
    grow_catalogue(300)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_starter.url}/roles/?page=2")
    assert page.locator("nav.pager .pager__gap").count() == 1
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
        if violations := blocking_violations(page):
            found[scheme] = violations
    assert found == {}
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_typed_role_picker_at_scale_has_no_serious_violation(page, live_starter, grow_catalogue):
    """Above PICKER_SELECT_MAX pickers are text inputs sharing a datalist; errors shown too."""
    grow_catalogue(100)
    found = {}
    for path in ("/compare/?a=Projet+Manager&b=Scrum+Master", "/transitions/?from=Projet"):
        page.goto(f"{live_starter.url}{path}")
        assert page.locator("datalist option").count() > 100
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
            if violations := blocking_violations(page):
                found[f"{path} ({scheme})"] = violations
    assert found == {}


PHONE_PAGES = [
    "/compare/account-manager-vs-project-manager/",
    "/compare/account-manager-vs-project-manager-vs-scrum-master/",
    "/compare/account-manager-vs-product-manager-vs-project-manager-vs-scrum-master/",
    "/faq/",
]


def test_phone_layout_has_no_serious_violation_with_the_menu_open(page, live_starter):
    """At 375 px the comparison table is a stack of cards and the header a menu: audit those."""
    page.set_viewport_size({"width": 375, "height": 740})
    found = {}
    for path in PHONE_PAGES:
        page.goto(f"{live_starter.url}{path}")
        page.locator(".site-menu__toggle").click()
        for group in page.locator("details.faq-group__details").all()[:2]:
            group.locator("summary").click()
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
            if violations := blocking_violations(page):
                found[f"{path} ({scheme})"] = violations
    assert found == {}
