"""Role pickers from the starter catalogue to a thousand roles: a grouped select while the
catalogue is small, text inputs sharing one datalist of names above PICKER_SELECT_MAX."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import signals
from django.test.utils import CaptureQueriesContext

from roles.forms import PICKER_SELECT_MAX, ROLE_DATALIST_ID, TITLE_ROLES_PER_NAME
from roles.models import Family, Role
from tests import factories
from tests.helpers import soup

pytestmark = pytest.mark.django_db

PICKER_PAGES = ["/", "/roles/project-manager/", "/compare/", "/transitions/"]


def grow_to(grow_catalogue, visible: int) -> None:
    grow_catalogue(visible - Role.objects.published().count())
    assert Role.objects.published().count() == visible


@pytest.fixture
def large(grow_catalogue):
    """Just past the threshold, with a draft that only staff may see."""
    grow_to(grow_catalogue, PICKER_SELECT_MAX + 1)
    factories.RoleFactory(name="Secret Draft Role", slug="secret-draft-role", published=False)


def datalist_names(page) -> list[str]:
    lists = page.find_all("datalist")
    assert len(lists) == 1
    assert lists[0]["id"] == ROLE_DATALIST_ID
    return [option["value"] for option in lists[0].find_all("option")]


def test_up_to_the_threshold_the_pickers_are_grouped_selects(client, grow_catalogue):
    grow_to(grow_catalogue, PICKER_SELECT_MAX)
    for url in PICKER_PAGES:
        page = soup(client.get(url))
        assert not page.find("datalist"), url
        form = page.select_one("form.compare-form, form.guide-filter__form")
        selects = form.find_all("select")
        assert len(selects) == (2 if url == "/transitions/" else 4), url
        for select in selects:
            assert form.find("label", attrs={"for": select["id"]}).get_text(strip=True)
    compare = soup(client.get("/compare/")).find("select", attrs={"name": "a"})
    groups = [group["label"] for group in compare.find_all("optgroup")]
    assert groups == [family.name for family in Family.objects.all() if family.name in groups]
    assert len(compare.find_all("option")) == PICKER_SELECT_MAX + 1  # and "Choose a role"


def test_above_the_threshold_text_inputs_share_one_datalist_without_drafts(
    client, large, staff_user
):
    payload = '"><img src=x onerror=alert(1)> & Co'
    factories.RoleFactory(name=payload, slug="payload-role")
    public = set(Role.objects.published().values_list("name", flat=True))
    for url in PICKER_PAGES:
        response = client.get(url)
        assert payload not in response.text, url
        page = soup(response)
        assert set(datalist_names(page)) == public, url  # the payload's name among them, as text
        form = page.select_one("form.compare-form, form.guide-filter__form")
        assert not form.find("select"), url
        for field in form.find_all("input", attrs={"list": ROLE_DATALIST_ID}):
            assert form.find("label", attrs={"for": field["id"]}).get_text(strip=True)
            help_text = form.find(id=field["aria-describedby"])
            assert "Type a role's name" in help_text.get_text(), url
    assert "Secret Draft Role" not in client.get("/compare/").text

    client.force_login(staff_user)
    assert "Secret Draft Role" in datalist_names(soup(client.get("/compare/")))


def test_the_role_profile_fills_in_its_own_name(client, large):
    page = soup(client.get("/roles/scrum-master/"))
    assert page.find("input", attrs={"name": "a"})["value"] == "Scrum Master"
    similar = page.find("a", string="Scrum Master vs Delivery Manager")
    assert similar["href"] == "/compare/delivery-manager-vs-scrum-master/"


def test_names_in_any_case_and_slugs_lead_to_the_canonical_comparison(client, large):
    for query in (
        {"a": "Project Manager", "b": "account manager"},
        {"a": "  PROJECT   manager ", "b": "account-manager"},
        {"a": "", "b": "project-manager", "c": "", "d": "Account Manager"},
    ):
        response = client.get("/compare/", query)
        assert response.status_code == 302, query
        assert response["Location"] == "/compare/account-manager-vs-project-manager/"


def test_an_unknown_name_is_a_400_that_repeats_it_safely_and_suggests_names(client, large):
    response = client.get("/compare/", {"a": "Projet Manager", "b": "<b>Scrum</b> Mastr"})
    assert response.status_code == 400
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    first = page.find("input", attrs={"name": "a"})
    assert first["aria-invalid"] == "true"
    assert first["value"] == "Projet Manager"
    error = page.find(id="id_a_error").get_text(" ", strip=True)
    assert error.startswith("There is no role called “Projet Manager”. Did you mean")
    assert "“Project Manager”" in error
    assert "<b>Scrum</b>" not in response.text
    assert "There is no role called “&lt;b&gt;Scrum&lt;/b&gt; Mastr”" in response.text
    assert "id_b_error" in page.find("input", attrs={"name": "b"})["aria-describedby"]


def test_drafts_are_neither_found_nor_suggested_for_the_public(client, large, staff_user):
    response = client.get("/compare/", {"a": "Secret Draft Role", "b": "Project Manager"})
    assert response.status_code == 400
    assert "Did you mean" not in response.text
    assert "secret-draft-role" not in response.text
    client.force_login(staff_user)
    response = client.get("/compare/", {"a": "secret draft role", "b": "Project Manager"})
    assert response["Location"] == "/compare/project-manager-vs-secret-draft-role/"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"a": "Project Manager", "b": "project-manager"}, "Choose each role only once."),
        ({"a": "Project Manager", "b": ""}, "Choose at least two roles to compare."),
    ],
)
def test_repeated_and_missing_roles_are_still_refused(client, large, query, message):
    response = client.get("/compare/", query)
    assert response.status_code == 400
    assert message in soup(response).find("form", class_="compare-form").get_text()


def test_two_roles_with_one_name_are_offered_and_asked_for_by_slug(client, large):
    factories.RoleFactory(name="Project Manager", slug="project-manager-it")
    page = soup(client.get("/compare/"))
    assert {"project-manager", "project-manager-it"} <= set(datalist_names(page))
    response = client.get("/compare/", {"a": "project manager", "b": "Scrum Master"})
    assert response.status_code == 400
    assert "“project-manager” or “project-manager-it”" in response.text
    response = client.get("/compare/", {"a": "project-manager-it", "b": "Scrum Master"})
    assert response["Location"] == "/compare/project-manager-it-vs-scrum-master/"


def test_another_title_a_role_goes_by_finds_it_and_a_shared_one_asks_which(client, large):
    response = client.get("/compare/", {"a": "client services MANAGER", "b": "Scrum Master"})
    assert response["Location"] == "/compare/account-manager-vs-scrum-master/"
    factories.RoleFactory(
        name="Client Partner", slug="client-partner", alternative_titles="Client Services Manager"
    )
    response = client.get("/compare/", {"a": "Client Services Manager", "b": "Scrum Master"})
    assert response.status_code == 400
    assert "“account-manager” or “client-partner”" in response.text
    factories.RoleFactory(
        name="Delivery Lead", slug="delivery-lead", alternative_titles="Project Manager"
    )
    response = client.get("/compare/", {"a": "Project Manager", "b": "Scrum Master"})
    assert response["Location"] == "/compare/project-manager-vs-scrum-master/", "a name wins"


def test_the_guide_filter_takes_typed_names(client, large):
    page = soup(client.get("/transitions/", {"from": " project MANAGER", "to": ""}))
    titles = [a.get_text(strip=True) for a in page.select(".guide-list__title a")]
    assert titles
    assert all(title.startswith("From Project Manager") for title in titles)

    response = client.get("/transitions/", {"from": "Projet Manager"})
    assert response.status_code == 400
    error = soup(response).find(id="id_from_error").get_text(" ", strip=True)
    assert "There is no role called “Projet Manager”" in error
    assert "Project Manager" in error
    assert soup(response).select(".guide-list__item")


def page_cost(client, url) -> tuple[int, int]:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), len(response.content)


def test_a_thousand_roles_weigh_under_100_kb_for_the_same_queries(client, grow_catalogue):
    urls = ["/", "/roles/project-manager/", "/compare/"]
    small = {url: page_cost(client, url) for url in urls}
    grow_catalogue(1000)
    for url in urls:
        queries, size = page_cost(client, url)
        assert queries == small[url][0], url
        assert size < 100_000, (url, size)
    assert len(datalist_names(soup(client.get("/")))) == Role.objects.published().count()


def test_a_comparisons_swap_or_add_picker_carries_no_datalist_at_scale(client, large):
    """A comparison is not mainly a picker: at scale its boxes take typed names without the
    thousand-name list of suggestions, which would more than double the page."""
    url = "/compare/account-manager-vs-project-manager/"
    page = soup(client.get(url))
    assert not page.find("datalist")
    boxes = page.select("#next-steps form.compare-form input[type=text]")
    assert [box["name"] for box in boxes] == ["a", "b", "c", "d"]
    assert [box.get("value") for box in boxes[:2]] == ["Account Manager", "Project Manager"]
    assert all(not box.has_attr("list") for box in boxes)
    assert "suggestions appear" not in str(page.select_one("#next-steps form"))
    swapped = client.get("/compare/", {"a": "Account Manager", "b": "scrum master"})
    assert swapped.status_code == 302
    assert swapped["Location"] == "/compare/account-manager-vs-scrum-master/"


def test_a_comparison_at_scale_reads_a_few_roles_not_the_catalogue(client, grow_catalogue):
    """The page needs its own roles and a few of their families: loading all thousand to fill a
    picker that shows none of them made an uncached comparison twice as slow."""
    url = "/compare/account-manager-vs-project-manager/"
    grow_catalogue(1000)
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance.slug)

    signals.post_init.connect(count, sender=Role)
    try:
        cache.clear()
        response = client.get(url)
    finally:
        signals.post_init.disconnect(count, sender=Role)
    assert response.status_code == 200
    # At most a select's worth, plus the roles its curated comparisons and guides name.
    assert 2 <= len(built) <= PICKER_SELECT_MAX + 1 + 20, len(built)
    page = soup(response)
    # Still suggests same-family roles, which sort among the first rows the query returns.
    family = Role.objects.get(slug="project-manager").family
    suggested = page.select("a[href^='/compare/']")
    assert any(
        other.slug in link["href"]
        for link in suggested
        for other in Role.objects.filter(family=family).exclude(slug="project-manager")[:50]
    )


# --- Imported titles (RoleTitle): too many to hold in memory, looked up as typed ---


def onet_role(name: str, slug: str, *titles, published: bool = True):
    role = factories.RoleFactory(name=name, slug=slug, published=published)
    for title in titles:
        text, short = title if isinstance(title, tuple) else (title, "")
        factories.RoleTitleFactory(role=role, title=text, short_title=short)
    return role


@pytest.fixture
def titled(large):
    onet_role("Registered Nurses", "registered-nurses", ("Registered Nurse (RN)", "RN"))
    onet_role("Nursing Assistants", "nursing-assistants", "Nurse Aide", "Charge Nurse Aide")
    onet_role("Sales Managers", "sales-managers", "Client Services Manager", "Agile Sales Lead")
    onet_role("Project Management Specialists", "project-management-specialists", "Agile Lead")
    onet_role("Software Developers", "software-developers", "Agile Lead", "Code Wrangler")
    onet_role("Hidden Occupation", "hidden-occupation", "Quokka Wrangler", published=False)


@pytest.mark.parametrize("typed", ["RN", "rn", "  Registered   nurse (rn) "])
def test_an_imported_title_or_short_title_leads_to_the_role(client, titled, typed):
    response = client.get("/compare/", {"a": typed, "b": "Scrum Master"})
    assert response.status_code == 302
    assert response["Location"] == "/compare/registered-nurses-vs-scrum-master/"


def test_one_query_looks_up_every_typed_title(client, titled, django_assert_num_queries):
    """Four boxes of imported titles cost one query more than four slugs, not four."""
    with CaptureQueriesContext(connection) as by_slug:
        client.get("/compare/", {"a": "registered-nurses", "b": "nursing-assistants"})
    typed = {"a": "rn", "b": "nurse aide", "c": "Client Services Manager", "d": "code wrangler"}
    with django_assert_num_queries(len(by_slug) + 1):
        response = client.get("/compare/", typed)
    assert response["Location"] == (
        "/compare/account-manager-vs-nursing-assistants-vs-registered-nurses-vs-software-developers/"
    ), "the editors' alternative title wins over an imported one"


def test_an_imported_title_two_roles_share_asks_which(client, titled):
    response = client.get("/compare/", {"a": "agile lead", "b": "Scrum Master"})
    assert response.status_code == 400
    error = soup(response).find(id="id_a_error").get_text(" ", strip=True)
    assert error == (
        "More than one role is called “agile lead”: type “project-management-specialists” or "
        "“software-developers” instead."
    )


def test_a_drafts_imported_title_is_found_by_staff_only(client, titled, staff_user):
    response = client.get("/compare/", {"a": "Quokka Wrangler", "b": "Scrum Master"})
    assert response.status_code == 400
    assert "hidden-occupation" not in response.text
    assert "Hidden Occupation" not in response.text
    client.force_login(staff_user)
    response = client.get("/compare/", {"a": "Quokka Wrangler", "b": "Scrum Master"})
    assert response["Location"] == "/compare/hidden-occupation-vs-scrum-master/"


def test_an_unknown_name_is_offered_roles_whose_titles_start_with_it(client, titled):
    response = client.get("/compare/", {"a": "Charge Nur", "b": "Quokka Wr"})
    assert response.status_code == 400
    first = soup(response).find(id="id_a_error").get_text(" ", strip=True)
    assert first == "There is no role called “Charge Nur”. Did you mean “Nursing Assistants”?"
    second = soup(response).find(id="id_b_error").get_text(" ", strip=True)
    assert second == "There is no role called “Quokka Wr”.", "a draft is not suggested"


def test_drafts_sharing_a_title_never_crowd_out_the_public_role(client, large):
    """A typed title reads a bounded number of rows: the visible roles' titles."""
    for n in range(TITLE_ROLES_PER_NAME + 5):
        onet_role(f"Draft herder {n}", f"draft-herder-{n}", "Yak Herder", published=False)
    onet_role("Herding Lead", "herding-lead", "Yak Herder")
    response = client.get("/compare/", {"a": "yak herder", "b": "Scrum Master"})
    assert response["Location"] == "/compare/herding-lead-vs-scrum-master/"
