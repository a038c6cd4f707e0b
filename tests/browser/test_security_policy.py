"""The Content-Security-Policy forbids inline code: Chromium must find nothing on our pages or the
admin's that the policy blocks (the admin's scripts and styles run by nonce)."""

from playwright.sync_api import expect

from tests import factories

PAGES = [
    "/",
    "/compare/account-manager-vs-project-manager/",
    "/transitions/account-manager-to-project-manager/",
    "/accounts/login/",
    "/admin/login/",
]
ADMIN_PAGES = ["/admin/", "/admin/roles/role/", "/admin/roles/role/add/"]


def test_no_page_breaks_the_content_security_policy(browser, live_starter):
    factories.UserFactory(username="editor", is_staff=True, is_superuser=True)
    context = browser.new_context(base_url=live_starter.url)
    page = context.new_page()
    refused = []

    def note_refusals(message):
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", note_refusals)
    for url in PAGES:
        response = page.goto(url)
        assert response.ok, url
        assert "unsafe-inline" not in response.headers["content-security-policy"]

    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out"))
    ).to_be_visible()
    for url in ADMIN_PAGES:
        assert page.goto(url).ok, url
    # The admin's own scripts run: the slug is filled in from the name as an editor types.
    page.locator("#id_name").press_sequentially("Data Analyst")
    expect(page.locator("#id_slug")).to_have_value("data-analyst")
    context.close()
    assert refused == []
