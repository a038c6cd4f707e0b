"""The long lists a page at a time (/roles/, /faq/, /transitions/), at starter size and at scale."""

import json
import math

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles.models import FAQ, Family, Guide, Role
from roles.views.catalogue import ROLES_PER_PAGE
from roles.views.discovery import FAQS_PER_PAGE
from roles.views.guides import GUIDES_PER_PAGE
from tests.helpers import soup

pytestmark = pytest.mark.django_db

LISTS = ["/roles/", "/faq/", "/transitions/"]
ONE_PAGE_LISTS = ["/roles/", "/transitions/"]  # the starter FAQs fill two pages


def canonical(page):
    return page.find("link", rel="canonical")["href"]


def role_names(page):
    return [a.get_text(strip=True) for a in page.select(".role-card__name a")]


def pager_links(page):
    return [a["href"] for a in page.select("nav.pager a")]


def add_guides_from(role_slug: str, count: int) -> None:
    """`count` published guides from one role to as many new roles (bulk: no save(), so slugs
    are set here)."""
    start = Role.objects.get(slug=role_slug)
    targets = Role.objects.filter(slug__startswith="synthetic-role-").order_by("slug")[:count]
    assert len(targets) == count
    Guide.objects.bulk_create(
        Guide(from_role=start, to_role=to, slug=f"{start.slug}-to-{to.slug}", published=True)
        for to in targets
    )


# --- Starter size: one page, nothing new to see ---


def test_starter_lists_are_one_page_without_a_pager(client, starter_content):
    for url in ONE_PAGE_LISTS:
        response = client.get(url)
        page = soup(response)
        assert response.status_code == 200, url
        assert not page.select("nav.pager"), url
        assert "(page" not in page.title.string, url
        assert canonical(page) == f"http://testserver{url}", url
    page = soup(client.get("/transitions/"))
    assert page.select_one("table.guide-matrix__table")
    assert not page.select(".guide-matrix__too-big")


def test_page_one_asked_for_by_number_is_the_bare_list(client, starter_content):
    for url in LISTS:
        response = client.get(f"{url}?page=1")
        assert response.status_code == 200, url
        assert canonical(soup(response)) == f"http://testserver{url}", url


def test_starter_faqs_fill_more_than_one_page(client, starter_content):
    """The starter content holds more questions than one page shows, so /faq/ has a pager."""
    assert FAQ.objects.published().count() > FAQS_PER_PAGE
    first = soup(client.get("/faq/"))
    assert "/faq/?page=2" in pager_links(first)
    assert client.get("/faq/?page=2").status_code == 200


def test_a_page_that_does_not_exist_is_the_friendly_404(client, starter_content):
    last_faq_page = math.ceil(FAQ.objects.published().count() / FAQS_PER_PAGE)
    for url in LISTS:
        beyond = str(last_faq_page + 1) if url == "/faq/" else "2"
        for value in ["abc", "0", "-1", "99999", "1e3", "", beyond, "1.0", "%201", "%EF%BC%92"]:
            response = client.get(f"{url}?page={value}")
            assert response.status_code == 404, (url, value)
            assert "We could not find that page" in response.text, (url, value)


# --- /roles/ ---


def test_role_pages_continue_in_family_order_and_link_back(client, grow_catalogue):
    grow_catalogue(100)

    def synthetic(family: int) -> list[str]:  # grow_catalogue gives role i the (i % 5)th family
        return [f"Synthetic role {i:04d}" for i in range(family, 100, 5)]

    expected = [  # by family, in the families' order, then by name
        "Account Executive", "Account Manager", "Business Development Manager",
        "Customer Success Manager", "Sales Development Representative", "Sales Manager",
        "Solutions Engineer", *synthetic(0),
        "Delivery Manager", "Program Manager", "Project Coordinator", "Project Manager",
        "Scrum Master", *synthetic(1),
        "Product Manager", "Product Owner", *synthetic(2),
        "Business Analyst", "Data Analyst", "Management Consultant", *synthetic(3),
        "Operations Manager", *synthetic(4),
    ]  # fmt: skip
    first, second = soup(client.get("/roles/")), soup(client.get("/roles/?page=2"))
    assert len(role_names(first)) == ROLES_PER_PAGE
    assert role_names(first) + role_names(second) == expected

    assert second.title.string.startswith("All roles (page 2 of 2)")
    assert canonical(first) == "http://testserver/roles/"
    assert canonical(second) == "http://testserver/roles/?page=2"
    assert "/roles/?page=1" not in pager_links(second)  # page 1 has one address
    nav = second.select_one("nav.pager")
    assert nav["aria-label"]
    assert nav.find("a", rel="prev")["href"] == "/roles/"
    assert nav.find("a", attrs={"aria-current": "page"})["href"] == "/roles/?page=2"
    assert first.select_one("nav.pager").find("a", rel="next")["href"] == "/roles/?page=2"
    # Each page still groups its roles under family headings.
    assert second.select("section.role-family h2")
    # The filter counts are for every role, not for this page.
    counts = {
        a["href"]: a.select_one(".family-filter__count").get_text(strip=True)
        for a in second.select(".family-filter__link[href^='?family=']")
    }
    for family in Family.objects.all():
        total = Role.objects.published().filter(family=family).count()
        assert counts[f"?family={family.slug}"] == f"({total})"


def test_role_pages_keep_the_family_filter(client, grow_catalogue):
    grow_catalogue(5 * ROLES_PER_PAGE)  # every family now has more than a page
    first = soup(client.get("/roles/?family=delivery"))
    assert "/roles/?family=delivery&page=2" in pager_links(first)
    response = client.get("/roles/?family=delivery&page=2")
    assert response.status_code == 200
    second = soup(response)
    delivery = set(Role.objects.filter(family="delivery").values_list("name", flat=True))
    assert role_names(second)
    assert set(role_names(second)) <= delivery
    assert not set(role_names(first)) & set(role_names(second))
    assert canonical(second) == "http://testserver/roles/?family=delivery&page=2"
    assert second.select_one("nav.pager").find("a", rel="prev")["href"] == (
        "/roles/?family=delivery"
    )
    response = client.get("/roles/?family=astronauts&page=2")
    assert response.status_code == 400  # unknown family: every role, with the message
    assert "no role family by that name" in response.text


def test_draft_roles_stay_off_every_page_but_staff_see_them(client, grow_catalogue, staff_user):
    grow_catalogue(100)
    Role.objects.filter(slug="synthetic-role-0099").update(published=False)

    def every_name():
        return role_names(soup(client.get("/roles/"))) + role_names(
            soup(client.get("/roles/?page=2"))
        )

    assert "Synthetic role 0099" not in every_name()
    assert len(every_name()) == Role.objects.published().count()
    client.force_login(staff_user)
    assert "Synthetic role 0099" in every_name()


# --- /faq/ ---


def test_faq_topic_cut_by_a_page_break_repeats_its_heading(client, starter_content):
    # Keep fewer topical questions than a page holds, so the general group starts on page 1.
    topical = FAQ.objects.exclude(comparison=None, guide=None).order_by("pk")
    FAQ.objects.filter(
        pk__in=list(topical.values_list("pk", flat=True)[FAQS_PER_PAGE - 10 :])
    ).delete()
    faqs = FAQ.objects.published()
    general = faqs.filter(comparison=None, guide=None).count()
    assert faqs.count() - general < FAQS_PER_PAGE  # the general group starts on page 1
    FAQ.objects.bulk_create(
        FAQ(question=f"General question {i:03d}?", slug=f"general-question-{i:03d}", answer="Yes.")
        for i in range(FAQS_PER_PAGE + 10 - faqs.count())
    )
    first, second = soup(client.get("/faq/")), soup(client.get("/faq/?page=2"))
    assert first.select("section.faq-group h2")[-1].get_text(strip=True) == "General questions"
    assert [h.get_text(strip=True) for h in second.select("section.faq-group h2")] == [
        "General questions"
    ]
    assert len(first.select(".faq-list__item")) == FAQS_PER_PAGE
    assert len(second.select(".faq-list__item")) == 10
    # The topics are this page's, and the structured data is this page's questions.
    assert [a.get_text(strip=True) for a in second.select("nav.faq-topics a")] == [
        "General questions"
    ]
    blocks = [json.loads(s.string) for s in second.find_all("script", type="application/ld+json")]
    (block,) = [block for block in blocks if block["@type"] == "FAQPage"]
    shown = [h.get_text(strip=True) for h in second.select(".faq-list__question")]
    assert [item["name"] for item in block["mainEntity"]] == shown
    assert second.select_one("nav.pager").find("a", rel="prev")["href"] == "/faq/"
    assert canonical(second) == "http://testserver/faq/?page=2"


def test_draft_faqs_and_guides_stay_hidden(client, starter_content, staff_user):
    faq = FAQ.objects.filter(comparison=None, guide=None).first()
    faq.published = False
    faq.save()
    path = Guide.objects.order_by("slug").first()
    Guide.objects.filter(pk=path.pk).update(published=False)
    # The general questions come last: on the last page.
    last = f"/faq/?page={math.ceil(FAQ.objects.published().count() / FAQS_PER_PAGE)}"
    assert faq.get_absolute_url() not in client.get(last).text
    guides = soup(client.get("/transitions/"))
    assert path.get_absolute_url() not in {a["href"] for a in guides.select("a[href]")}
    published = Guide.objects.published().count()
    assert guides.select_one("#list-heading").get_text(strip=True) == f"All {published} guides"
    client.force_login(staff_user)
    last = f"/faq/?page={math.ceil(FAQ.objects.count() / FAQS_PER_PAGE)}"
    assert faq.get_absolute_url() in client.get(last).text
    assert path.get_absolute_url() in client.get("/transitions/").text


# --- /transitions/ ---


def test_guide_pages_keep_the_filter_and_the_grid_gives_way(client, grow_catalogue):
    grow_catalogue(GUIDES_PER_PAGE + 10)
    add_guides_from("project-manager", GUIDES_PER_PAGE + 10)
    mine = Guide.objects.published().filter(from_role__slug="project-manager")
    expected = list(mine.order_by("to_role__name").values_list("to_role__name", flat=True))

    first = soup(client.get("/transitions/?from=project-manager"))
    assert first.select_one("#list-heading").get_text(strip=True) == (
        f"{len(expected)} matching guides"
    )
    assert "/transitions/?from=project-manager&page=2" in pager_links(first)
    assert not first.select("table.guide-matrix__table")  # one row, but 60-odd columns
    assert first.select_one(".guide-matrix__too-big")

    response = client.get("/transitions/?from=project-manager&page=2")
    assert response.status_code == 200
    second = soup(response)
    titles = [a.get_text(strip=True) for a in second.select(".guide-list__title a")]
    assert titles == [f"From Project Manager to {name}" for name in expected[GUIDES_PER_PAGE:]]
    assert "0 steps" in second.select_one(".guide-list__meta").get_text()
    assert second.select_one("nav.pager").find("a", rel="prev")["href"] == (
        "/transitions/?from=project-manager"
    )
    assert canonical(second) == "http://testserver/transitions/?from=project-manager&page=2"

    # A role with few guides still gets its grid; the unfiltered list does not.
    assert soup(client.get("/transitions/?from=account-manager")).select(
        "table.guide-matrix__table"
    )
    everything = soup(client.get("/transitions/"))
    assert "choose a role to move from" in everything.select_one(".guide-matrix__too-big").text
    total = Guide.objects.published().count()
    assert everything.select_one("#list-heading").get_text(strip=True) == f"All {total} guides"
    assert len(everything.select(".guide-list__item")) == GUIDES_PER_PAGE
    response = client.get("/transitions/?from=astronaut&page=2")  # the form's 400 is unchanged
    assert response.status_code == 400
    assert "There is no role called “astronaut”" in response.text


# --- At 1000 roles ---


def test_lists_stay_small_and_their_queries_flat_at_1000_roles(client, starter_content):
    def measure(url):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        return response, len(queries)

    small = {url: measure(url)[1] for url in LISTS}
    call_command("seed_demo", "--roles", "1000", verbosity=0)
    assert Role.objects.count() >= 1000
    for url in LISTS:
        for address in (url, f"{url}?page=2"):
            response, queries = measure(address)
            assert len(response.content) < 100_000, (address, len(response.content))
            assert queries == small[url], address
    page = soup(client.get("/transitions/"))
    assert page.select_one(".guide-matrix__too-big")
    assert not page.select("table.guide-matrix__table")
