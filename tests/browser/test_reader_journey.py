from playwright.sync_api import expect

from tests.helpers import GUIDE


def test_reader_journey_without_javascript(new_context, live_starter):
    """Sign up, bookmark a guide, tick two steps, see the progress, sign out: no script needed."""
    # pytest-playwright's new_context keeps a screenshot of the page if the test fails.
    context = new_context(java_script_enabled=False, base_url=live_starter.url)
    page = context.new_page()
    page.goto(GUIDE)
    page.get_by_role("link", name="Bookmark this guide").click()
    expect(page).to_have_url(f"{live_starter.url}/accounts/login/?next={GUIDE}")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Username").fill("journey")
    page.get_by_label("Password*", exact=True).fill("Sturdy-pass-2026")
    page.get_by_label("Password confirmation").fill("Sturdy-pass-2026")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(f"{live_starter.url}{GUIDE}")

    page.get_by_role("button", name="Bookmark this guide").click()
    expect(page.get_by_role("button", name="Remove bookmark")).to_be_visible()
    page.get_by_role("checkbox", name="Not done yet: step 1,").click()
    expect(page).to_have_url(f"{live_starter.url}{GUIDE}#step-1")  # back at the same step
    page.get_by_role("checkbox", name="Not done yet: step 3,").click()
    expect(page.locator("#step-1")).to_have_class("guide-step guide-step--done")
    expect(page.get_by_role("checkbox", name="Done: step 1,")).to_be_checked()
    expect(page.locator(".progress-summary__text")).to_have_text("2 of 6 steps done")
    expect(page.locator(".progress-summary__next")).to_have_text("Next: step 2")

    page.get_by_role("link", name="My bookmarks").click()
    item = page.locator(".bookmark-list__item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("From Account Manager to Project Manager")
    expect(item).to_contain_text("2 of 6 steps done")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto("/bookmarks/")
    expect(page).to_have_url(f"{live_starter.url}/accounts/login/?next=/bookmarks/")
