from playwright.sync_api import expect

from roles.models import Criterion


def test_every_criterion_row_of_the_seed_comparison_is_visible(page, live_starter):
    page.goto(f"{live_starter.url}/compare/account-manager-vs-project-manager/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Account Manager vs Project Manager")
    table = page.get_by_role("table", name="compared, criterion by criterion")
    expect(table).to_be_visible()
    criteria = list(Criterion.objects.values_list("name", flat=True))
    assert len(criteria) == 10
    for name in criteria:
        row_header = table.get_by_role("rowheader", name=name, exact=True)
        expect(row_header).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(len(criteria) + 1)
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Criterion", "Account Manager", "Project Manager"]
    )


def test_criterion_link_jumps_to_its_section(page, live_starter):
    page.goto(f"{live_starter.url}/compare/account-manager-vs-project-manager/")
    page.get_by_role("rowheader", name="Tools used").get_by_role("link").click()
    expect(page).to_have_url(
        f"{live_starter.url}/compare/account-manager-vs-project-manager/#tools-used"
    )
    expect(page.locator("#tools-used h2")).to_be_in_viewport()
