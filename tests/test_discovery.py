"""FAQ pages, structured data, search, sitemap, robots.txt, canonical links and the helpful 404."""

import json
import math
import re
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.db import connection

from roles.models import FAQ, Comparison, Guide, Role
from roles.search import highlight, search_terms
from tests.helpers import soup

pytestmark = pytest.mark.django_db


def json_ld(page, kind):
    blocks = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    return [block for block in blocks if block["@type"] == kind]


# --- /faq/ and /faq/<slug>/ ---


def test_faq_list_groups_every_question_by_topic(client, starter_content):
    # The starter questions fill two pages; the groups continue on the second.
    headings, listed = [], set()
    for url in ("/faq/", "/faq/?page=2"):
        page = soup(client.get(url))
        groups = page.select("section.faq-group")
        headings += [g.h2.get_text(strip=True) for g in groups]
        listed |= {a["href"] for a in page.select(".faq-list__question a")}
        for group in groups:
            assert page.find("a", href=f"#{group['id']}")  # the topic index links to each anchor
    for comparison in Comparison.objects.published():
        assert comparison.title in headings
    assert "From Account Manager to Project Manager" in headings
    assert headings[-1] == "General questions"
    assert listed == {faq.get_absolute_url() for faq in FAQ.objects.published()}


def test_faq_page_answers_and_links_to_its_topic(client, starter_content):
    faq = FAQ.objects.get(question="Which role is more client-facing?")
    response = client.get(faq.get_absolute_url())
    page = soup(response)
    assert page.h1.get_text(strip=True) == faq.question
    answer = (  # the starter answer as Markdown renders it (lines kept, one paragraph)
        "<p>The account manager, by a wide margin: client contact is most of the job and "
        "continues\nfor the life of the account. Project managers in agencies and "
        "consultancies do speak to\nclients regularly, but about the progress of one piece of "
        "work, and in-house project\nmanagers may have no external clients at all.</p>"
    )
    assert answer in response.text
    assert page.find("a", href=faq.comparison.get_absolute_url())


def test_faq_of_a_draft_topic_is_hidden(client, starter_content, staff_user):
    faq = FAQ.objects.filter(comparison__isnull=False).first()
    Comparison.objects.filter(pk=faq.comparison_id).update(published=False)
    assert client.get(faq.get_absolute_url()).status_code == 404
    assert faq.get_absolute_url() not in client.get("/faq/").text
    client.force_login(staff_user)
    response = client.get(faq.get_absolute_url())
    assert response.status_code == 200
    assert soup(response).h1.get_text(strip=True) == faq.question


def test_unknown_faq_is_404(client, db):
    assert client.get("/faq/no-such-question/").status_code == 404


# --- Structured data ---


def visible_faqs(page):
    items = page.select(".faq-list__item, .faq-page")
    result = []
    for item in items:
        question = item.select_one(".faq-list__question, h1").get_text(strip=True)
        answer = item.select_one(".faq-list__answer, .faq-page__answer").decode_contents().strip()
        result.append((question, answer))
    return result


@pytest.mark.parametrize(
    "url",
    [
        "/compare/account-manager-vs-project-manager/",
        "/transitions/account-manager-to-project-manager/",
        "/faq/",
        "/faq/which-role-is-more-client-facing/",
    ],
)
def test_faq_json_ld_matches_the_visible_questions_exactly(client, starter_content, url):
    page = soup(client.get(url))
    (faq_page,) = json_ld(page, "FAQPage")
    structured = [
        (
            q["name"],
            BeautifulSoup(q["acceptedAnswer"]["text"], "html.parser").decode_contents().strip(),
        )
        for q in faq_page["mainEntity"]
    ]
    assert structured == visible_faqs(page)
    assert len(structured) >= 1


def test_pages_without_faqs_have_no_faq_json_ld(client, starter_content):
    assert not json_ld(soup(client.get("/roles/")), "FAQPage")


BELOW_HOME = {  # each page's trail after "Home": (name, path)
    "/roles/": [("Roles", "/roles/")],
    "/roles/scrum-master/": [("Roles", "/roles/"), ("Scrum Master", "/roles/scrum-master/")],
    "/compare/": [("Compare", "/compare/")],
    "/compare/account-manager-vs-project-manager/": [
        ("Compare", "/compare/"),
        ("Account Manager vs Project Manager", "/compare/account-manager-vs-project-manager/"),
    ],
    "/compare/business-analyst-vs-scrum-master/": [
        ("Compare", "/compare/"),
        ("Business Analyst vs Scrum Master", "/compare/business-analyst-vs-scrum-master/"),
    ],
    "/transitions/": [("Transition guides", "/transitions/")],
    "/transitions/account-manager-to-project-manager/": [
        ("Transition guides", "/transitions/"),
        (
            "From Account Manager to Project Manager",
            "/transitions/account-manager-to-project-manager/",
        ),
    ],
    "/faq/": [("FAQ", "/faq/")],
    "/faq/which-role-is-more-client-facing/": [
        ("FAQ", "/faq/"),
        ("Which role is more client-facing?", "/faq/which-role-is-more-client-facing/"),
    ],
    "/search/?q=manager": [("Search", "/search/")],
    "/accounts/login/": [("Sign in", "/accounts/login/")],
    "/accounts/signup/": [("Create an account", "/accounts/signup/")],
    "/accounts/password/reset/": [("Reset your password", "/accounts/password/reset/")],
}


@pytest.mark.parametrize(("url", "trail"), BELOW_HOME.items())
def test_breadcrumbs_below_the_home_page(client, starter_content, url, trail):
    page = soup(client.get(url))
    (structured,) = json_ld(page, "BreadcrumbList")
    items = [(i["position"], i["name"], i["item"]) for i in structured["itemListElement"]]
    assert items == [(1, "Home", "http://testserver/")] + [
        (position, name, f"http://testserver{path}")
        for position, (name, path) in enumerate(trail, start=2)
    ]
    visible = [li.get_text(strip=True) for li in page.select("nav.breadcrumbs li")]
    assert visible == ["Home"] + [name for name, _ in trail]


def test_home_has_no_breadcrumbs(client, starter_content):
    page = soup(client.get("/"))
    assert not json_ld(page, "BreadcrumbList")
    assert not page.select("nav.breadcrumbs")


def test_json_ld_stays_valid_whatever_editors_type(client, starter_content):
    nasty = 'He said "hi" </script><script>alert(1)</script> & \u2028 done'
    FAQ.objects.filter(slug="which-role-is-more-client-facing").update(question=nasty, answer=nasty)
    response = client.get("/compare/account-manager-vs-project-manager/")
    page = soup(response)
    (faq_page,) = json_ld(page, "FAQPage")
    assert nasty in [q["name"] for q in faq_page["mainEntity"]]
    assert response.text.count("<script") == 2
    assert "alert(1)</script>" not in response.text


# --- Search ---


def titles(response):
    return [a.get_text(strip=True) for a in soup(response).select(".search-result__title a")]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("scrum master", "Scrum Master"),
        ("Account Manager", "Account Manager"),
        ("product owner", "Product Owner"),
        ("client services manager", "Account Manager"),  # an alternative title
    ],
)
def test_search_ranks_the_named_role_first(client, starter_content, query, first):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert titles(response)[0] == first


def test_search_covers_every_kind_with_highlighted_snippets(client, starter_content):
    response = client.get("/search/", {"q": "scrum master"})
    page = soup(response)
    kinds = {p.get_text(strip=True) for p in page.select(".search-result__kind")}
    assert {"Role", "Comparison", "Transition guide", "FAQ"} <= kinds
    assert page.select(".search-result__snippet mark")


def test_search_finds_roles_by_criterion_value(client, starter_content):
    response = client.get("/search/", {"q": "renewals"})
    assert "Account Manager" in titles(response)
    snippets = soup(response).select(".search-result__snippet")
    assert any(
        mark.get_text().lower() == "renewals" for s in snippets for mark in s.find_all("mark")
    )


def test_search_hides_drafts_from_the_public(client, starter_content, staff_user):
    Role.objects.filter(slug="scrum-master").update(published=False)
    assert "Scrum Master" not in titles(client.get("/search/", {"q": "scrum master"}))
    client.force_login(staff_user)
    assert titles(client.get("/search/", {"q": "scrum master"}))[0] == "Scrum Master"


def test_search_paginates(client, starter_content):
    first = client.get("/search/", {"q": "manager"})
    page = soup(first)
    assert len(page.select(".search-result")) == 10
    assert page.find("a", rel="next")
    second = client.get("/search/", {"q": "manager", "page": "2"})
    assert set(titles(first)).isdisjoint(titles(second))
    # SQLite matches words: 81 results. PostgreSQL's English stemming also finds "management"
    # and "managing", so more.
    total = int(re.search(r"(\d+) results for “manager”", first.content.decode()).group(1))
    assert total == 81 if connection.vendor != "postgresql" else total > 81
    pages = math.ceil(total / 10)
    last = client.get("/search/", {"q": "manager", "page": str(pages)})
    assert len(titles(last)) == total - 10 * (pages - 1)
    assert f"{total} results for “manager”, page {pages} of {pages}." in last.text
    # Not a number: the first page; a number out of range: the last one (Paginator.get_page).
    for bad, expected in (("abc", first), ("0", last), ("99999", last), ("-1", last)):
        response = client.get("/search/", {"q": "manager", "page": bad})
        assert response.status_code == 200
        assert titles(response) == titles(expected), bad


@pytest.mark.parametrize(
    ("query", "status", "text"),
    [
        ("", 200, "Type a job title"),
        ("   ", 200, "Type a job title"),
        ("x" * 201, 400, "at most 200 characters"),
        ("x" * 5000, 400, "at most 200 characters"),
        ("a\x00b", 400, "We could not understand that request"),
        ("💥\u202e", 200, "has no word to search for"),
        ("the of and", 200, "has no word to search for"),
        ("'\"<>&;--", 200, "has no word to search for"),
        ("zzzzqqq", 200, "Nothing matched"),
    ],
)
def test_search_answers_odd_queries_kindly(client, starter_content, query, status, text):
    response = client.get("/search/", {"q": query})
    assert response.status_code == status
    assert text in response.text


def test_every_page_has_the_header_search_box(client, starter_content):
    for url in ("/", "/roles/", "/transitions/", "/faq/", "/no-such-page/"):
        form = soup(client.get(url)).find("form", class_="site-search")
        assert form["action"] == "/search/"
        assert form["method"] == "get"
        field = form.find("input", attrs={"name": "q"})
        assert form.find("label", attrs={"for": field["id"]})


def test_search_query_budget(client, grow_catalogue, django_assert_max_num_queries):
    grow_catalogue(100)
    with django_assert_max_num_queries(8):
        assert client.get("/search/", {"q": "synthetic role manager"}).status_code == 200


def test_highlight_marks_every_match_and_escapes():
    snippet = highlight("Use <b>Jira</b> and **jira** daily", search_terms("JIRA"))
    assert str(snippet) == "Use &lt;b&gt;<mark>Jira</mark>&lt;/b&gt; and <mark>jira</mark> daily"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text indexes are PostgreSQL's")
def test_postgres_search_uses_the_gin_indexes(starter_content):
    from roles.search import _PostgresMatcher

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_search_idx'")
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        "role_search_idx",
        "rolecriterionvalue_search_idx",
        "comparison_search_idx",
        "faq_search_idx",
        "guide_search_idx",
    }
    queryset = _PostgresMatcher("negotiation").matching(FAQ.objects.all(), FAQ)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = queryset.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "faq_search_idx" in plan


# --- Sitemap, robots, canonical, Open Graph ---


def test_sitemap_lists_what_is_worth_indexing(client, starter_content):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = {
        loc.text for loc in ElementTree.fromstring(response.content).iter(f"{namespace}loc")
    }
    base = "http://testserver"
    for role in Role.objects.published():
        assert base + role.get_absolute_url() in locations
    for comparison in Comparison.objects.published():
        assert base + comparison.get_absolute_url() in locations
    for path in Guide.objects.published():
        assert base + path.get_absolute_url() in locations
    for faq in FAQ.objects.published():
        assert base + faq.get_absolute_url() in locations
    assert base + "/compare/business-analyst-vs-scrum-master/" not in locations


def test_sitemap_leaves_out_drafts(client, starter_content):
    Role.objects.filter(slug="scrum-master").update(published=False)
    text = client.get("/sitemap.xml").text
    assert "/roles/scrum-master/" not in text
    assert "/compare/project-manager-vs-scrum-master/" not in text


def test_robots_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/", "http://testserver/"),
        ("/roles/?family=delivery", "http://testserver/roles/"),
        (
            "/compare/business-analyst-vs-scrum-master/",
            "http://testserver/compare/business-analyst-vs-scrum-master/",
        ),
        ("/search/?q=scrum", "http://testserver/search/"),
    ],
)
def test_canonical_link(client, starter_content, url, canonical):
    page = soup(client.get(url))
    assert page.find("link", rel="canonical")["href"] == canonical
    assert page.find("meta", property="og:url")["content"] == canonical


def test_open_graph_and_description(client, starter_content):
    page = soup(client.get("/roles/scrum-master/"))
    role = Role.objects.get(slug="scrum-master")
    assert page.find("meta", property="og:title")["content"] == role.name
    assert page.find("meta", property="og:description")["content"] == role.summary
    assert page.find("meta", attrs={"name": "description"})["content"] == role.summary
    assert page.find("meta", property="og:type")["content"] == "article"


# --- 404 suggestions ---


@pytest.mark.parametrize(
    ("url", "suggestion"),
    [
        ("/roles/scrum-mastr/", "/roles/scrum-master/"),
        (
            "/compare/acount-manager-vs-project-manger/",
            "/compare/account-manager-vs-project-manager/",
        ),
        (
            "/compare/project-manger-vs-acount-manager/",
            "/compare/account-manager-vs-project-manager/",
        ),
        (
            "/transitions/acount-manager-to-project-manager/",
            "/transitions/account-manager-to-project-manager/",
        ),
    ],
)
def test_404_offers_the_nearest_roles(client, starter_content, url, suggestion):
    response = client.get(url)
    assert response.status_code == 404
    assert soup(response).find("a", href=suggestion)


@pytest.mark.parametrize(
    "url", ["/roles/zzzzzz/", "/compare/zz-vs-qq/", "/nothing/at/all/", "/roles/%01/"]
)
def test_404_without_a_near_match_still_helps(client, starter_content, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "We could not find that page" in response.text
    assert "Did you mean" not in response.text
