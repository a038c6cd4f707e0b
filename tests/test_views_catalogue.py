"""The role catalogue, role profiles, the compare picker, the home page, and comparisons of any
two to four roles, on the real starter content."""

from itertools import combinations, permutations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles.models import Comparison, Criterion, Family, Guide, Role
from tests.helpers import soup

pytestmark = pytest.mark.django_db


# --- Starter catalogue ---


def test_starter_catalogue_is_complete(starter_content):
    roles = list(Role.objects.published().with_values().with_skills())
    assert len(roles) == 18
    assert {role.family_id for role in roles} == {
        "analysis", "delivery", "operations", "product", "sales-client"
    }  # fmt: skip
    criteria = Criterion.objects.count()
    for role in roles:
        assert role.summary, role.slug
        assert role.description, role.slug
        assert role.alternative_title_list, role.slug
        assert len(role.criterion_values.all()) == criteria, role.slug
        assert all(value.value and value.detail for value in role.criterion_values.all())
        skills = role.role_skills.all()
        assert 5 <= len(skills) <= 10, role.slug
        assert all(1 <= s.importance <= 5 for s in skills)

    curated = Comparison.objects.published()
    assert curated.count() >= 5
    for comparison in curated:
        assert comparison.intro
        assert comparison.verdict
        assert comparison.sections.count() == criteria, comparison.slug
        assert comparison.faqs.count() >= 3, comparison.slug


# --- /roles/ ---


def test_role_list_groups_roles_by_family(client, starter_content):
    page = soup(client.get("/roles/"))
    headings = [h.get_text(strip=True) for h in page.select("section.role-family h2")]
    assert headings == [
        "Sales & client", "Delivery & projects", "Product & strategy", "Analysis & consulting",
        "Operations",
    ]  # fmt: skip
    names = [a.get_text(strip=True) for a in page.select(".role-card__name a")]
    assert names == [
        "Account Executive", "Account Manager", "Business Development Manager",
        "Customer Success Manager", "Sales Development Representative", "Sales Manager",
        "Solutions Engineer",
        "Delivery Manager", "Program Manager", "Project Coordinator", "Project Manager",
        "Scrum Master",
        "Product Manager", "Product Owner",
        "Business Analyst", "Data Analyst", "Management Consultant",
        "Operations Manager",
    ]  # fmt: skip


def test_family_filter_is_a_plain_link(client, starter_content):
    page = soup(client.get("/roles/"))
    link = page.find("a", href="?family=delivery")
    assert link is not None
    response = client.get("/roles/?family=delivery")
    assert response.status_code == 200
    page = soup(response)
    names = {a.get_text(strip=True) for a in page.select(".role-card__name a")}
    assert names == set(Role.objects.filter(family="delivery").values_list("name", flat=True))
    assert page.find("a", attrs={"aria-current": "page", "href": "?family=delivery"})


def test_unknown_family_says_so(client, starter_content):
    response = client.get("/roles/?family=astronauts")
    assert response.status_code == 400
    assert "no role family by that name" in response.text
    assert len(soup(response).select(".role-card")) == Role.objects.published().count()


def test_draft_roles_are_not_listed(client, starter_content):
    Role.objects.filter(slug="scrum-master").update(published=False)
    assert "Scrum Master</a>" not in client.get("/roles/").text


# --- /roles/<slug>/ ---


def test_role_profile_shows_everything_about_the_role(client, starter_content):
    role = Role.objects.get(slug="project-manager")
    page = soup(client.get(role.get_absolute_url()))
    assert page.h1.get_text(strip=True) == "Project Manager"
    for value in role.criterion_values.select_related("criterion"):
        block = page.find(id=value.criterion.slug)
        assert value.value in block.get_text()
    skills = [th.get_text(strip=True) for th in page.select(".skill-table tbody th")]
    assert skills
    assert set(skills) == set(role.role_skills.values_list("skill__name", flat=True))
    links = {a["href"] for a in page.find_all("a", href=True)}
    for comparison in Comparison.objects.involving(role):
        assert comparison.get_absolute_url() in links
    for path in Guide.objects.involving(role):
        assert path.get_absolute_url() in links
    assert "/transitions/account-manager-to-project-manager/" in links
    assert "/transitions/project-manager-to-account-manager/" in links


def test_role_profile_compare_with_form_preselects_the_role(client, starter_content):
    page = soup(client.get("/roles/scrum-master/"))
    form = page.find("form", class_="compare-form")
    assert form["method"] == "get"
    assert form["action"] == "/compare/"
    selected = form.find("select", attrs={"name": "a"}).find("option", selected=True)
    assert selected["value"] == "scrum-master"
    similar = page.find("a", string="Scrum Master vs Delivery Manager")
    assert similar["href"] == "/compare/delivery-manager-vs-scrum-master/"


def test_unknown_role_profile_is_404(client, starter_content):
    assert client.get("/roles/astronaut/").status_code == 404


# --- Comparisons of any roles ---


def test_every_pair_of_published_roles_compares(client, starter_content):
    slugs = sorted(Role.objects.published().values_list("slug", flat=True))
    for a, b in combinations(slugs, 2):
        response = client.get(f"/compare/{a}-vs-{b}/")
        assert response.status_code == 200, (a, b)
        page = soup(response)
        assert (
            len(page.select(".comparison-table__table tbody th[scope=row]"))
            == Criterion.objects.count()
        )
        assert page.find(id="skills")


def test_three_and_four_roles_side_by_side(client, starter_content):
    slugs = ["account-manager", "product-manager", "project-manager", "scrum-master"]
    for size in (3, 4):
        canonical = "-vs-".join(slugs[:size])
        response = client.get(f"/compare/{canonical}/")
        assert response.status_code == 200
        page = soup(response)
        assert len(page.select(".comparison-table__table thead th[scope=col]")) == size + 1
        for row in page.select(".comparison-table__table tbody tr"):
            assert len(row.find_all("td")) == size
        assert "generated from each role" in response.text
        for order in list(permutations(slugs[:size]))[1:]:
            response = client.get(f"/compare/{'-vs-'.join(order)}/")
            assert response.status_code == 301
            assert response["Location"] == f"/compare/{canonical}/"


def test_generated_pair_in_other_order_redirects(client, starter_content):
    response = client.get("/compare/scrum-master-vs-business-analyst/")
    assert response.status_code == 301
    assert response["Location"] == "/compare/business-analyst-vs-scrum-master/"


def test_skill_overlap_is_shown_and_explained(client, starter_content):
    response = client.get("/compare/account-manager-vs-customer-success-manager/")
    section = soup(response).find(id="skills")
    meter = section.find("meter")
    score = int(meter["value"])
    assert 0 < score < 100
    assert f"{score}%" in section.get_text()
    assert "100% means they rate the same skills the same" in section.get_text()
    shared = [th.get_text(strip=True) for th in section.select("tbody th")]
    assert "Relationship building" in shared
    assert "Retention and renewals" in shared
    only = [h.get_text(strip=True) for h in section.find_all("h3")]
    assert only == ["Only Account Manager lists", "Only Customer Success Manager lists"]


def test_unpublished_role_cannot_be_compared(client, starter_content):
    Role.objects.filter(slug="scrum-master").update(published=False)
    assert client.get("/compare/project-manager-vs-scrum-master/").status_code == 404


# --- The compare picker ---


def test_picker_page(client, starter_content):
    response = client.get("/compare/")
    assert response.status_code == 200
    form = soup(response).find("form", class_="compare-form")
    for name in ("a", "b", "c", "d"):
        select = form.find("select", attrs={"name": name})
        assert form.find("label", attrs={"for": select["id"]})
    options = {o["value"] for o in form.find("select", attrs={"name": "a"}).find_all("option")}
    assert options - {""} == set(Role.objects.published().values_list("slug", flat=True))
    assert form.find("button", type="submit")


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("a=project-manager&b=account-manager", "/compare/account-manager-vs-project-manager/"),
        (
            "a=scrum-master&b=account-manager&c=product-manager",
            "/compare/account-manager-vs-product-manager-vs-scrum-master/",
        ),
        ("a=scrum-master&b=&c=account-manager&d=", "/compare/account-manager-vs-scrum-master/"),
    ],
)
def test_picker_redirects_to_the_canonical_comparison(client, starter_content, query, location):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 302
    assert response["Location"] == location
    assert client.get(location).status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a=project-manager", "Choose at least two roles to compare."),
        ("a=&b=", "Choose at least two roles to compare."),
        ("c=product-manager", "Choose at least two roles to compare."),
        ("a=project-manager&b=project-manager", "Choose each role only once."),
        ("a=project-manager&b=astronaut", "There is no role called “astronaut”."),
        ("a=project-manager&b=%01", "That is not the name of a role."),
        ("a=project-manager&b=" + "x" * 5000, "There is no role called “xxxxx"),
        ("a=project-manager&b=%F0%9F%92%A5&c=%E2%80%AE", "There is no role called “💥”."),
    ],
)
def test_picker_shows_errors_for_bad_choices(client, starter_content, query, message):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 400
    assert message in response.text
    assert soup(response).find("form", class_="compare-form")


def test_picker_does_not_offer_drafts_to_the_public(client, starter_content):
    Role.objects.filter(slug="scrum-master").update(published=False)
    response = client.get("/compare/?a=project-manager&b=scrum-master")
    assert response.status_code == 400
    assert 'value="scrum-master"' not in response.text


# --- Home ---


def test_home_page_has_everything_a_reader_starts_from(client, starter_content):
    page = soup(client.get("/"))
    assert page.find("form", class_="compare-form")
    featured = {a["href"] for a in page.select("#featured-heading ~ ul a")}
    assert "/compare/account-manager-vs-project-manager/" in featured
    families = [a.get_text(strip=True) for a in page.select(".family-list__name a")]
    assert families
    assert set(families) <= set(Family.objects.values_list("name", flat=True))
    guides = [a["href"] for a in page.select("#guides-heading ~ ul a")]
    assert 1 <= len(guides) <= 6


def test_home_page_lists_the_newest_guide_first(client, starter_content):
    newest = Guide.objects.create(
        from_role=Role.objects.get(slug="sales-manager"),
        to_role=Role.objects.get(slug="operations-manager"),
        summary="New.",
        published=True,
    )
    page = soup(client.get("/"))
    assert page.select("#guides-heading ~ ul a")[0]["href"] == newest.get_absolute_url()


# --- Query budgets that do not grow with the catalogue ---

BUDGETED_PAGES = [
    ("/", 3),
    # the families, then the page of roles; the family counts come from the picker's roles,
    # kept per process once built (roles/picker.py): on this cold cache, one query more
    ("/roles/", 3),
    ("/roles/?family=delivery", 3),
    # the role, its values, its skills, the picker's roles (with what its next moves need; kept
    # per process once built, roles/picker.py), one UNION of its O*NET data, guides, curated
    # comparisons and related roles, and on a cold cache the skill vectors the moves are ranked
    # with (roles/moves.py)
    ("/roles/project-manager/", 6),
    ("/compare/", 1),
    ("/compare/?a=project-manager&b=account-manager", 1),
    # curated: as a generated one, and its FAQs and references in one more
    ("/compare/account-manager-vs-project-manager/", 6),
    # generated: roles (the picker's too), skills (or O*NET's ratings), nearby comparisons,
    # criteria with each role's value, guides
    ("/compare/business-analyst-vs-scrum-master/", 5),
    ("/compare/account-manager-vs-product-manager-vs-scrum-master/", 5),
    ("/compare/account-manager-vs-account-manager/", 1),
]


NOT_200 = {  # every other budgeted page is a 200
    "/compare/?a=project-manager&b=account-manager": 302,  # to the canonical comparison
    "/compare/account-manager-vs-account-manager/": 400,
}


def count_queries(client, url):
    cache.clear()  # a cold page cache: the counts are what a first visitor costs
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == NOT_200.get(url, 200), url
    return len(queries)


def test_query_counts_do_not_grow_with_the_catalogue(
    client, grow_catalogue, django_assert_max_num_queries
):
    small = {url: count_queries(client, url) for url, _ in BUDGETED_PAGES}
    assert Role.objects.count() >= 12
    grow_catalogue(200 - Role.objects.count())
    assert Role.objects.count() == 200
    for url, budget in BUDGETED_PAGES:
        cache.clear()
        with django_assert_max_num_queries(budget):
            client.get(url)
        assert count_queries(client, url) == small[url], url


def test_the_role_list_counts_families_from_the_kept_roles(
    client, starter_content, bumps, django_assert_num_queries
):
    """Once a picker page has kept the public's roles (roles/picker.py), the role list counts
    its families from them: the families and the page of roles, two queries, at any size; the
    counts are the ones the database gives, drafts left out."""
    from tests import factories

    factories.RoleFactory(name="Hidden draft", family_id="delivery", published=False)
    bumps(lambda: None)  # the setup has committed, as outside tests: the list can be kept
    client.get("/compare/")  # keeps the roles
    with django_assert_num_queries(2):
        response = client.get("/roles/", {"sort": "pay"})
    assert response.status_code == 200
    counts = {
        a["href"]: a.select_one(".family-filter__count").get_text()
        for a in soup(response).select(".family-filter__link")
        if a.select_one(".family-filter__count")
    }
    published = Role.objects.published()
    families = set(published.values_list("family", flat=True))
    assert len(counts) == len(families) > 1
    for family in families:
        count = published.filter(family=family).count()
        assert counts[f"?family={family}&sort=pay"] == f"({count})"


def test_home_query_budget(client, starter_content, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_each_cell_holds_its_own_roles_value(client):
    """Three roles, one of which has no value for a criterion, and another role's value for it
    in the database: every cell shows the value of the role its column names, or says none."""
    from tests import factories as f

    first, second = f.CriterionFactory(name="Focus"), f.CriterionFactory(name="Pace")
    alpha, beta, gamma, other = (
        f.RoleFactory(slug=slug, name=slug.title())
        for slug in ("alpha-role", "beta-role", "gamma-role", "other-role")
    )
    for role, criterion, value in [
        (alpha, first, "Alpha focus"),
        (alpha, second, "Alpha pace"),
        (beta, second, "Beta pace"),
        (gamma, first, "Gamma focus"),
        (gamma, second, "Gamma pace"),
        (other, first, "Other focus"),
    ]:
        f.RoleCriterionValueFactory(role=role, criterion=criterion, value=value)

    response = client.get("/compare/alpha-role-vs-beta-role-vs-gamma-role/")

    assert response.status_code == 200
    table = {
        row.th.get_text(strip=True): [
            (td["data-label"], td.get_text(strip=True)) for td in row.find_all("td")
        ]
        for row in soup(response).select(".comparison-table__table tbody tr")
    }
    assert table["Focus"] == [
        ("Alpha-Role", "Alpha focus"),
        ("Beta-Role", "Not described yet"),
        ("Gamma-Role", "Gamma focus"),
    ]
    assert table["Pace"] == [
        ("Alpha-Role", "Alpha pace"),
        ("Beta-Role", "Beta pace"),
        ("Gamma-Role", "Gamma pace"),
    ]
