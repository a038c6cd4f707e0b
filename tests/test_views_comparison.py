"""Comparison pages: the seed comparison (the article the site grew from) on the starter content,
canonical URLs and refused comparisons, drafts, generated comparisons, their query budgets and
inert editor text."""

import json
import re

import pytest

from roles.models import Comparison, Criterion, Role
from tests import factories
from tests.helpers import SEED_FAQ_QUESTIONS, SEED_REFERENCES, SEED_TABLE, SEED_URL, soup

pytestmark = pytest.mark.django_db

# --- The seed comparison ---


def test_seed_comparison_table_is_a_real_table(client, starter_content):
    response = client.get(SEED_URL)
    assert response.status_code == 200
    table = soup(response).find("table")
    assert table.caption.get_text(strip=True)

    header = table.thead.find_all("tr")
    assert len(header) == 1
    cols = header[0].find_all("th", scope="col")
    assert [th.get_text(strip=True) for th in cols[1:]] == ["Account Manager", "Project Manager"]

    rows = table.tbody.find_all("tr")
    assert [row.find("th", scope="row").get_text(strip=True) for row in rows] == [
        "Primary focus", "Key responsibilities", "Skills required", "Performance metrics",
        "Team interaction", "Client interaction", "Work environment", "Career path",
        "Challenges faced", "Tools used",
    ]  # fmt: skip
    for row, cells in zip(rows, SEED_TABLE.values(), strict=True):
        assert [td.get_text(strip=True) for td in row.find_all("td")] == list(cells)


def test_seed_comparison_sections_faq_and_references(client, starter_content):
    page = soup(client.get(SEED_URL))
    section_ids = [s["id"] for s in page.select("section.comparison-section")]
    assert section_ids == list(SEED_TABLE)
    for section in page.select("section.comparison-section"):
        assert len(section.get_text(strip=True)) > 200, section["id"]

    questions = [h.get_text(strip=True) for h in page.select("#faq .faq-list__question")]
    assert questions == SEED_FAQ_QUESTIONS
    links = [(a.get_text(strip=True), a["href"]) for a in page.select("#references a")]
    assert links == SEED_REFERENCES


def test_seed_comparison_uses_the_one_local_stylesheet_and_the_shared_layout(
    client, starter_content
):
    page = soup(client.get(SEED_URL))
    stylesheets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert stylesheets == ["/static/css/careerguide.css"]
    assert not page.select("script[src]"), "no script may hold up the first paint"
    for href in stylesheets:
        assert href.startswith("/static/"), "no asset may come from another host"
        assert client.get(href).status_code == 200
    assert page.find("header", class_="site-header")
    assert page.find("footer", class_="site-footer")
    assert page.find("main", id="main")
    assert page.find("a", class_="skip-link")["href"] == "#main"
    assert page.find("html")["lang"] == "en-US"


# --- Canonical URLs and bad requests ---


def test_other_order_redirects_permanently_to_canonical(client, starter_content):
    response = client.get("/compare/project-manager-vs-account-manager/")
    assert response.status_code == 301
    assert response["Location"] == SEED_URL


def test_unknown_role_gets_the_sites_own_404(client, starter_content):
    response = client.get("/compare/account-manager-vs-astronaut/")
    assert response.status_code == 404
    assert "We could not find that page" in response.text
    assert "404.html" in [template.name for template in response.templates]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/compare/account-manager-vs-account-manager/", "only once"),
        ("/compare/account-manager/", "at least two"),
        ("/compare/a-vs-b-vs-c-vs-d-vs-e/", "at most 4"),
    ],
)
def test_impossible_comparisons_get_a_friendly_400(client, starter_content, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.text
    assert "That comparison cannot be shown" in response.text


def test_comparison_refuses_post(client, starter_content):
    assert client.post(SEED_URL).status_code == 405


# --- Drafts ---


def test_draft_comparison_is_hidden_from_the_public_and_flagged_for_staff(
    client, make_role, staff_user
):
    a, b = make_role(slug="alpha"), make_role(slug="beta")
    factories.ComparisonFactory(role_a=a, role_b=b, published=False, title="Secret draft")
    url = "/compare/alpha-vs-beta/"

    public = client.get(url)
    assert public.status_code == 200
    assert "Secret draft" not in public.text  # the public sees the generated comparison

    client.force_login(staff_user)
    staff = client.get(url)
    assert "Secret draft" in staff.text
    assert soup(staff).find(class_="draft-banner")


def test_draft_role_is_404_to_the_public_and_visible_to_staff(client, make_role, staff_user):
    make_role(slug="alpha")
    make_role(slug="hidden", published=False)
    assert client.get("/compare/alpha-vs-hidden/").status_code == 404
    assert client.get("/roles/hidden/").status_code == 404
    client.force_login(staff_user)
    response = client.get("/compare/alpha-vs-hidden/")
    assert response.status_code == 200
    assert soup(response).find(class_="draft-banner")


# --- Generated comparisons ---


def test_generated_comparison_has_the_same_table_and_says_so(client, make_role):
    make_role(slug="alpha", name="Alpha")
    make_role(slug="beta", name="Beta")
    response = client.get("/compare/alpha-vs-beta/")
    page = soup(response)
    assert "generated from each role" in response.text
    assert (
        len(page.select(".comparison-table__table tbody th[scope=row]"))
        == Criterion.objects.count()
    )
    assert [
        th.get_text(strip=True)
        for th in page.select(".comparison-table__table thead th[scope=col]")
    ][1:] == [
        "Alpha",
        "Beta",
    ]


# --- Query budgets ---


def _curated_comparison_with_bystanders(make_role, criteria, bystanders):
    a, b = make_role(slug="alpha"), make_role(slug="beta")
    comparison = factories.ComparisonFactory(role_a=a, role_b=b)
    for criterion in criteria:
        factories.ComparisonSectionFactory(comparison=comparison, criterion=criterion)
    factories.FAQFactory.create_batch(5, comparison=comparison)
    factories.ReferenceFactory.create_batch(3, comparison=comparison)
    for _ in range(bystanders):
        make_role()
    return comparison


@pytest.mark.parametrize("bystanders", [0, 60])
def test_comparison_query_budget_does_not_grow(
    client, make_role, criteria, bystanders, django_assert_max_num_queries
):
    comparison = _curated_comparison_with_bystanders(make_role, criteria, bystanders)
    with django_assert_max_num_queries(8):
        response = client.get(comparison.get_absolute_url())
    assert response.status_code == 200
    assert len(soup(response).select("tbody tr")) == len(criteria)


# --- Editor text is inert ---

PAYLOAD = '<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))'


def test_editor_text_cannot_inject_markup(client, make_role, criteria):
    a, b = make_role(slug="alpha"), make_role(slug="beta")
    comparison = factories.ComparisonFactory(role_a=a, role_b=b, intro=PAYLOAD, verdict=PAYLOAD)
    factories.ComparisonSectionFactory(comparison=comparison, criterion=criteria[0], body=PAYLOAD)
    factories.FAQFactory(comparison=comparison, question=PAYLOAD, answer=PAYLOAD)
    Role.objects.filter(pk=a.pk).update(name=PAYLOAD)
    response = client.get(comparison.get_absolute_url())
    page = soup(response)
    scripts = page.find_all("script")
    assert [s["type"] for s in scripts] == ["application/ld+json"] * 2  # breadcrumbs, FAQPage
    for script in scripts:
        data = json.loads(script.string)
        assert "<script>" not in script.string
        assert data["@context"] == "https://schema.org"
    faq_page = json.loads(scripts[1].string)
    assert faq_page["mainEntity"][0]["name"] == PAYLOAD  # the question, as text, intact
    assert response.text.count("<script") == 2
    assert not page.find("img")
    assert not page.find(attrs={"onerror": True})
    assert not page.find("a", href=re.compile("^javascript", re.I))


def test_comparison_slug_reaches_the_page(client, starter_content):
    comparison = Comparison.objects.get(slug="account-manager-vs-project-manager")
    assert comparison.get_absolute_url() == SEED_URL
    page = soup(client.get(SEED_URL))
    assert page.h1.get_text(strip=True) == "Account Manager vs Project Manager"
    assert page.find("link", rel="canonical")["href"] == f"http://testserver{SEED_URL}"


# --- At a glance, next steps, three roles, copy (issue 16) ---

THREE = "/compare/business-analyst-vs-product-owner-vs-project-manager/"


def test_curated_comparison_opens_with_its_key_differences(client, starter_content):
    page = soup(client.get(SEED_URL))
    glance = page.select_one("#at-a-glance")
    assert glance.find_previous("table") is None  # before the comparison table
    items = [li.get_text(strip=True) for li in glance.select(".at-a-glance__differences li")]
    assert len(items) == 5
    assert items[0].startswith("An account manager keeps and grows a client over years")
    assert (
        glance.select_one(".at-a-glance__choose")
        .get_text(strip=True)
        .startswith("Choose account manager if you enjoy long client relationships")
    )
    assert glance.find("a", href="#verdict")
    assert page.select_one("#verdict h2").get_text(strip=True) == "Which suits you?"


def test_generated_comparison_opens_with_a_computed_summary(client, starter_content):
    page = soup(client.get(THREE))
    glance = page.select_one("#at-a-glance")
    text = " ".join(glance.get_text(" ", strip=True).split())
    assert "Their skills overlap a little (9%): all 3 list 2 of the 21 skills named here" in text
    assert (
        "What sets a Business Analyst apart: process mapping, facilitation and data analysis."
        in (text)
    )
    assert "pay" not in text.lower()
    assert glance.find("a", href="#verdict")
    assert page.select_one("#verdict h2").get_text(strip=True) == "Which suits you?"


def test_three_roles_show_skills_some_of_them_share(client, starter_content):
    page = soup(client.get(THREE))
    partial = page.select_one(".skill-overlap__table--partial")
    rows = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in partial.select("tbody tr")
    }
    assert rows["Requirements analysis"] == ["5 of 5", "5 of 5", "not listed"]
    pairs = {
        tr.th.get_text(strip=True): tr.td.get_text(strip=True)
        for tr in page.select(".skill-overlap__pairs tbody tr")
    }
    assert pairs == {
        "Business Analyst and Product Owner": "35%",
        "Business Analyst and Project Manager": "10%",
        "Product Owner and Project Manager": "16%",
    }
    explain = page.select_one(".skill-overlap__explain")
    assert explain.find("a")["href"] == "/about/overlap/"
    assert "divides" not in explain.get_text()


def test_two_roles_have_no_pair_table(client, starter_content):
    page = soup(client.get(SEED_URL))
    assert page.select_one(".skill-overlap__pairs") is None
    assert page.select_one(".skill-overlap__table--partial") is None


def test_next_steps_link_guides_both_ways_and_offer_a_filled_picker(client, starter_content):
    page = soup(client.get(SEED_URL))
    steps = page.select_one("#next-steps")
    assert [a["href"] for a in steps.select(".next-steps__guides a")] == [
        "/transitions/account-manager-to-project-manager/",
        "/transitions/project-manager-to-account-manager/",
    ]
    form = steps.find("form")
    assert form["method"] == "get"
    assert form["action"] == "/compare/"
    chosen = {
        select["name"]: [o["value"] for o in select.find_all("option", selected=True)]
        for select in form.find_all("select")
    }
    assert chosen == {"a": ["account-manager"], "b": ["project-manager"], "c": [""], "d": [""]}
    related = [a["href"] for a in steps.select(".next-steps__related a")]
    assert "/compare/account-manager-vs-customer-success-manager/" in related
    assert SEED_URL not in related


def test_adding_a_role_from_the_picker_redirects_to_the_canonical_page(client, starter_content):
    response = client.get(
        "/compare/", {"a": "account-manager", "b": "project-manager", "c": "business-analyst"}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        "/compare/account-manager-vs-business-analyst-vs-project-manager/"
    )


def test_generated_pair_without_curated_neighbours_still_leads_on(client, make_role):
    make_role(slug="alpha", name="Alpha", family="delivery")
    make_role(slug="beta", name="Beta", family="delivery")
    make_role(slug="gamma", name="Gamma", family="delivery")
    page = soup(client.get("/compare/alpha-vs-beta/"))
    related = [a["href"] for a in page.select(".next-steps__related a")]
    assert related == ["/compare/alpha-vs-gamma/", "/compare/beta-vs-gamma/"]
    assert page.select_one(".next-steps__guides") is None


def test_copy_reads_right(client, starter_content):
    text = client.get("/roles/account-manager/").text
    assert "Skills an Account Manager needs" in text
    assert "a Account" not in text
    guide = client.get("/transitions/account-manager-to-project-manager/").text
    assert "not needed" not in guide
    assert "than an Account Manager" in guide
    generated = soup(client.get(THREE))
    footer = generated.find("footer").get_text(" ", strip=True)
    assert "generated from the roles' profiles" in footer
    assert "Only Business Analyst lists" in generated.get_text()


def test_overlap_help_page(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/about/overlap/")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "How the skill overlap works"
    assert "3 ÷ 10 = 30%" in page.get_text()
    sitemap = client.get("/sitemap.xml").text
    assert "http://testserver/about/overlap/" in sitemap


@pytest.mark.parametrize("url", [SEED_URL, THREE, "/compare/business-analyst-vs-scrum-master/"])
def test_comparison_pages_keep_their_query_budget(
    client, starter_content, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
