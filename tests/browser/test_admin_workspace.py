"""The editors' workspace in Chromium: axe on the admin pages editors use most, room to write at
1280 and 375 px, growing editors and the live Markdown preview under the CSP."""

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from roles.models import Comparison, Guide, Role
from tests import factories
from tests.helpers import PASSWORD

BLOCKING = {"serious", "critical"}


def blocking_violations(page) -> list[str]:
    """As tests/browser/test_accessibility.py (a test module never imports another)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate("axe.run({resultTypes: ['violations']}).then(r => r.violations)")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in violations
        if violation["impact"] in BLOCKING
    ]


@pytest.fixture
def editor_page(page, live_starter):
    """A page signed in as an editor (the Editors group) through the admin's form, with CSP
    refusals collected."""
    user = factories.UserFactory(username="content-editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    page.goto(f"{live_starter.url}/admin/login/")
    page.get_by_label("Username").fill("content-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_starter.url}/admin/")
    page.refused = []
    page.on(
        "console",
        lambda message: (
            page.refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.base = live_starter.url
    return page


def _admin_pages():
    comparison = Comparison.objects.get(slug="account-manager-vs-project-manager")
    role = Role.objects.get(slug="account-manager")
    guide = Guide.objects.first()
    return {
        "index": "/admin/",
        "comparison": f"/admin/roles/comparison/{comparison.pk}/change/",
        "role": f"/admin/roles/role/{role.pk}/change/",
        "guide": f"/admin/roles/guide/{guide.pk}/change/",
        "comparisons": "/admin/roles/comparison/",
        "references": "/admin/roles/reference/?link=broken",
    }


def test_admin_pages_editors_use_most_have_no_serious_violation(editor_page, save_screenshot):
    found = {}
    for name, path in _admin_pages().items():
        response = editor_page.goto(editor_page.base + path, wait_until="networkidle")
        assert response.status == 200, name
        assert editor_page.url == editor_page.base + path, name  # not sent to sign in
        for scheme in ("light", "dark"):
            editor_page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
            if violations := blocking_violations(editor_page):
                found[f"{name} ({scheme})"] = violations
                save_screenshot(editor_page, f"axe admin {name} {scheme}")
        editor_page.emulate_media(color_scheme="light")
    assert found == {}
    assert editor_page.refused == []


@pytest.mark.parametrize("width", [1280, 375])
def test_nothing_is_cut_off(editor_page, width):
    editor_page.set_viewport_size({"width": width, "height": 900})
    for name, path in _admin_pages().items():
        # Each page's Markdown previews are fetched as it loads: wait for them before the next
        # page. live_server shares one SQLite connection between its threads (Django's documented
        # limit for an in-memory database), and a preview still running beside the next page's
        # request broke both, the session's read included (the editor then looked signed out).
        editor_page.goto(editor_page.base + path, wait_until="networkidle")
        assert editor_page.url == editor_page.base + path, name
        assert editor_page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), f"{name} scrolls sideways at {width} px"
    editor_page.goto(editor_page.base + _admin_pages()["comparison"])
    # The references table, Delete column included, fits its box (at 375 px it scrolls inside).
    fits = editor_page.evaluate(
        """() => {
          const box = document.querySelector('#references-group fieldset.module');
          const last = box.querySelector('thead th:last-child').getBoundingClientRect();
          const edge = box.getBoundingClientRect().right;
          const scroller = box.querySelector('table').parentElement;  // scrolls on a phone
          const inside = last.right <= edge + 1 || scroller.scrollWidth > scroller.clientWidth;
          return [inside, edge <= innerWidth];
        }"""
    )
    assert fits == [True, True]
    if width == 1280:
        delete = editor_page.locator("#references-group thead th").last
        box = delete.bounding_box()
        assert box["x"] + box["width"] <= 1280
        body = editor_page.locator("textarea[name='sections-0-body']")
        # Sized for prose, not a 300 px box, with the preview beside it.
        assert body.bounding_box()["width"] > 400
        preview = editor_page.locator("#id_sections-0-body-preview-label + .markdown-preview")
        assert preview.bounding_box()["x"] > body.bounding_box()["x"] + 400


def test_editors_grow_with_their_text_and_the_preview_follows(editor_page):
    editor_page.goto(editor_page.base + _admin_pages()["comparison"])
    intro = editor_page.locator("textarea[name='intro']")
    preview = editor_page.locator("#id_intro-preview-label + .markdown-preview")
    expect(preview).not_to_be_empty()
    before = intro.bounding_box()["height"]
    intro.fill("Short.")
    short = intro.bounding_box()["height"]
    intro.fill("\n\n".join(f"Paragraph {i} **in bold** with some words." for i in range(12)))
    assert intro.bounding_box()["height"] > max(before, short)
    expect(preview.locator("strong").first).to_have_text("in bold")
    intro.fill('<img src=x onerror="document.title=1"> and [x](javascript:alert(1))')
    expect(preview).to_contain_text("<img src=x")  # shown as typed, never run
    assert preview.locator("img").count() == 0
    assert preview.locator("a[href^='javascript']").count() == 0
    assert editor_page.refused == []
    # Without waiting for any preview, the form saves as it is.
    editor_page.locator("[name='_continue']").click()
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")
