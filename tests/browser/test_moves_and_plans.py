"""Next moves and generated plans in Chromium, on a phone (375 px) and a desktop (1280 px):
the filters without JavaScript, and ticking a plan's steps with and without it."""

import pytest
from playwright.sync_api import expect

from roles.models import StepProgress

PLAN = "/transitions/business-analyst-to-scrum-master/"
SIZES = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}


def _fits(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("size", SIZES)
def test_moves_filter_and_sort_without_javascript(new_context, live_starter, size):
    context = new_context(
        java_script_enabled=False, base_url=live_starter.url, viewport=SIZES[size]
    )
    page = context.new_page()
    page.goto("/")
    page.get_by_label("I am a…").select_option("account-manager")
    page.get_by_role("button", name="Show my options").click()
    expect(page).to_have_url(f"{live_starter.url}/roles/account-manager/moves/")
    assert page.locator(".moves__item").count() >= 5
    page.get_by_label("Same family").check()
    page.get_by_label("Sort", exact=True).select_option("name")
    page.get_by_role("button", name="Show moves").click()
    expect(page).to_have_url(f"{live_starter.url}/roles/account-manager/moves/?family=1&sort=name")
    names = page.locator(".moves__item h3").all_inner_texts()
    assert names == sorted(names)
    expect(page.get_by_label("Same family")).to_be_checked()
    assert _fits(page)
    page.locator(".moves__item").first.get_by_role("link", name="See the plan").click()
    expect(page.locator(".comparison__eyebrow")).to_have_text("Generated plan")


@pytest.mark.parametrize("size", SIZES)
def test_plan_ticks_without_javascript_come_back_to_the_step(
    new_context, live_starter, sign_in, size
):
    context = new_context(
        java_script_enabled=False, base_url=live_starter.url, viewport=SIZES[size]
    )
    user = sign_in(context)
    page = context.new_page()
    page.goto(PLAN)
    page.get_by_role("button", name="Bookmark this plan").click()
    expect(page.get_by_role("button", name="Remove bookmark")).to_be_visible()
    page.get_by_role("checkbox", name="Not done yet: step 2,").click()
    expect(page).to_have_url(f"{live_starter.url}{PLAN}#step-2")
    expect(page.get_by_role("checkbox", name="Done: step 2,")).to_be_checked()
    expect(page.locator(".progress-summary__text")).to_have_text("1 of 7 steps done")
    expect(page.locator(".progress-summary__next")).to_have_text("Next: step 1")
    expect(page.locator("#step-2 details")).not_to_have_attribute("open", "")
    assert _fits(page)
    assert StepProgress.objects.filter(user=user, completed=True).count() == 1
    page.goto("/bookmarks/")
    plans = page.locator('section[aria-labelledby="bookmarked-plans"]')
    expect(plans).to_contain_text("1 of 7 steps done")
    plans.get_by_role("link", name="Continue: step 1").click()
    expect(page).to_have_url(f"{live_starter.url}{PLAN}#step-1")


@pytest.mark.parametrize("size", SIZES)
def test_plan_ticks_in_place_with_javascript(new_context, live_starter, sign_in, size):
    context = new_context(base_url=live_starter.url, viewport=SIZES[size])
    user = sign_in(context)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(PLAN)
    step = page.locator("#step-3")
    step.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    tick = page.get_by_role("checkbox", name="Not done yet: step 3,")
    tick.click()
    expect(page.get_by_role("checkbox", name="Done: step 3,")).to_be_checked()
    expect(step).to_have_class("guide-step guide-step--done")
    expect(step.locator("details")).not_to_have_attribute("open", "")
    expect(page.locator(".progress-summary__text")).to_have_text("1 of 7 steps done")
    expect(page).to_have_url(f"{live_starter.url}{PLAN}")  # no reload, no jump to an anchor
    assert abs(page.evaluate("window.scrollY") - before) < 5
    assert StepProgress.objects.filter(user=user, completed=True).count() == 1
    # and back
    page.get_by_role("checkbox", name="Done: step 3,").click()
    expect(page.get_by_role("checkbox", name="Not done yet: step 3,")).not_to_be_checked()
    expect(page.locator(".progress-summary__text")).to_have_text("0 of 7 steps done")
    assert errors == []  # the CSP let our script run
    assert _fits(page)
    page.reload()
    expect(page.get_by_role("checkbox", name="Not done yet: step 3,")).to_be_visible()
