"""An editor's first sign-in with two-factor enforced, in Chromium: password only, sent to set up,
the key typed in from the page (as an app would take it), the first code, the backup codes, and
on into the admin; nothing on the way breaks the Content-Security-Policy or axe's serious rules."""

import re
from base64 import b32decode

from django_otp.oath import totp
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_accessibility import blocking_violations

PASSWORD = "a-long-test-password"


def test_an_editor_sets_up_two_factor_on_first_sign_in(browser, live_starter, settings):
    settings.STAFF_2FA = True
    factories.UserFactory(username="new-editor", is_staff=True)
    context = browser.new_context(base_url=live_starter.url)
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )

    page.goto("/admin/")
    page.get_by_label("Username").fill("new-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/\?next=%2Fadmin%2F$"))
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
        assert blocking_violations(page) == [], scheme

    secret = page.locator(".two-factor__secret").inner_text().replace(" ", "")
    code = f"{totp(b32decode(secret)):06d}"
    field = page.get_by_label("Authentication code")
    expect(field).to_have_attribute("autocomplete", "one-time-code")
    expect(field).to_have_attribute("inputmode", "numeric")
    field.fill(code)
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    expect(page.get_by_role("list", name="Backup codes").get_by_role("listitem")).to_have_count(10)
    assert blocking_violations(page) == []
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="CareerGuide editors' desk")).to_be_visible()
    context.close()
    assert refused == []
