"""/faq/ folds each group of questions in a <details>; a link to a question still lands on it."""

from playwright.sync_api import expect

from roles.models import FAQ

PHONE = {"width": 375, "height": 740}


def test_faq_groups_start_closed_and_open_without_javascript(new_context, live_starter):
    context = new_context(java_script_enabled=False, viewport=PHONE, base_url=live_starter.url)
    page = context.new_page()
    page.goto("/faq/")
    groups = page.locator("section.faq-group")
    count = groups.count()
    assert count >= 5
    assert page.locator("details.faq-group__details[open]").count() == 0
    # Closed groups keep the page short: about 300 pixels a group at most.
    assert page.evaluate("document.documentElement.scrollHeight") < 300 * count
    first = groups.first
    question = first.locator(".faq-list__question").first
    expect(question).to_be_hidden()
    first.locator("summary").click()
    expect(question).to_be_visible()
    summary = first.locator("summary").bounding_box()
    assert summary["height"] >= 44
    context.close()


def test_link_to_a_question_opens_its_group_and_lands_on_it(new_context, live_starter):
    faq = FAQ.objects.published().filter(comparison__isnull=False).first()
    for javascript in (True, False):
        context = new_context(java_script_enabled=javascript, viewport=PHONE)
        page = context.new_page()
        page.goto(f"{live_starter.url}{faq.get_absolute_url()}")
        page.get_by_role("link", name="All questions").click()
        expect(page).to_have_url(f"{live_starter.url}/faq/#faq-{faq.slug}")
        item = page.locator(f"#faq-{faq.slug}")
        expect(item.get_by_role("heading", name=faq.question)).to_be_in_viewport()
        assert item.evaluate("el => el.closest('details').open")
        assert page.locator("details.faq-group__details[open]").count() == 1
        context.close()
