"""What people come for, end to end in Chromium: compare roles, find one, and edit the content.
The reader's own journey (sign up, bookmark, tick steps, sign out) is test_reader_journey.py."""

import pytest
from playwright.sync_api import expect

from roles.models import Criterion, RoleCriterionValue
from tests import factories


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_compare_two_roles_through_the_picker(new_context, live_starter, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(f"{live_starter.url}/")
    page.get_by_role("link", name="Compare", exact=True).click()
    page.get_by_label("First role").select_option(label="Project Manager")
    page.get_by_label("Second role").select_option(label="Account Manager")
    page.get_by_role("button", name="Compare").click()

    expect(page).to_have_url(f"{live_starter.url}/compare/account-manager-vs-project-manager/")
    table = page.get_by_role("table", name="compared, criterion by criterion")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Criterion", "Account Manager", "Project Manager"]
    )
    expect(table.get_by_role("row")).to_have_count(Criterion.objects.count() + 1)


def test_open_a_three_role_comparison_from_a_role_profile(page, live_starter):
    page.goto(f"{live_starter.url}/roles/scrum-master/")
    picker = page.get_by_role("form", name="Compare roles")
    expect(picker.get_by_label("First role")).to_have_value("scrum-master")
    picker.get_by_label("Second role").select_option(label="Product Owner")
    picker.get_by_label("Third role (optional)").select_option(label="Project Manager")
    picker.get_by_role("button", name="Compare").click()

    slugs = "product-owner-vs-project-manager-vs-scrum-master"
    expect(page).to_have_url(f"{live_starter.url}/compare/{slugs}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Product Owner vs Project Manager vs Scrum Master"
    )
    table = page.get_by_role("table", name="compared, criterion by criterion")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Criterion", "Product Owner", "Project Manager", "Scrum Master"]
    )
    tools = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Tools used"))
    expect(tools.get_by_role("cell")).to_have_count(3)
    for cell in tools.get_by_role("cell").all():
        expect(cell).not_to_have_text("Not described yet")


def test_search_for_a_role_and_open_it(page, live_starter):
    page.goto(f"{live_starter.url}/transitions/")
    search = page.get_by_role("search").first
    search.get_by_role("searchbox", name="Search").fill("customer success")
    search.get_by_role("button", name="Search").click()

    expect(page).to_have_url(f"{live_starter.url}/search/?q=customer+success")
    result = page.locator(".search-result").filter(has_text="Role").first
    expect(result).to_contain_text("Customer Success Manager")
    result.get_by_role("link", name="Customer Success Manager").click()
    expect(page).to_have_url(f"{live_starter.url}/roles/customer-success-manager/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Customer Success Manager")


def test_editor_changes_a_criterion_value_and_readers_see_it(page, live_starter):
    factories.UserFactory(
        username="editor", password="Editor-pass-2026", is_staff=True, is_superuser=True
    )
    value = RoleCriterionValue.objects.select_related("role").get(
        role__slug="account-manager", criterion__slug="tools-used"
    )
    new_value = "CRM, spreadsheets and a well-kept contact log"

    page.goto(f"{live_starter.url}/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("Editor-pass-2026")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_starter.url}/admin/roles/role/{value.role.pk}/change/")
    # The inline row is found by its hidden id, whatever its position or the inline's layout.
    row_id = page.locator(f'input[name^="criterion_values-"][name$="-id"][value="{value.pk}"]')
    prefix = row_id.get_attribute("name").removesuffix("-id")
    page.locator(f'[name="{prefix}-value"]').fill(new_value)
    page.locator('[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{live_starter.url}/compare/account-manager-vs-project-manager/")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Tools used"))
    expect(row.get_by_role("cell").first).to_have_text(new_value)
