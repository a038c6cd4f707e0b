"""The page cache keys only on the query parameters a page reads: junk such as ?utm_source=...
shares the page's entry (so it cannot fill the cache), and the page served for it is the clean
one, its sign-in and theme links carrying no junk."""

import pytest
from django.core.cache import cache

from tests.helpers import soup

pytestmark = pytest.mark.django_db


def entries() -> int:
    return len(cache._cache)  # the local-memory cache the tests run with


@pytest.mark.parametrize(
    ("clean", "junk"),
    [
        ("/", "/?utm_source=news&utm_medium=mail"),
        ("/roles/?family=delivery", "/roles/?ref=x&family=delivery&fbclid=123"),
        (
            "/compare/account-manager-vs-project-manager/",
            "/compare/account-manager-vs-project-manager/?x=1",
        ),
        ("/transitions/?from=account-manager", "/transitions/?from=account-manager&gclid=9"),
        ("/search/?q=scrum", "/search/?utm_campaign=a&q=scrum"),
        ("/faq/?page=1", "/faq/?page=1&junk=%3Cscript%3E"),
        ("/sitemap.xml", "/sitemap.xml?cachebuster=42"),
    ],
)
def test_junk_parameters_share_the_pages_entry(client, starter_content, clean, junk):
    first = client.get(clean)
    assert first["X-Page-Cache"] == "miss"
    before = entries()
    again = client.get(junk)
    assert again.status_code == 200
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert entries() == before


def test_a_thousand_junk_urls_add_no_entry(client, starter_content):
    client.get("/roles/")
    before = entries()
    for n in range(1000):
        assert client.get(f"/roles/?n={n}")["X-Page-Cache"] == "hit"
    assert entries() == before


def test_the_page_rendered_for_a_junk_url_carries_no_junk(client, starter_content):
    response = client.get("/roles/?family=delivery&utm_source=evil")
    page = soup(response)
    sign_in = page.select_one(".site-nav--account a[href^='/accounts/login/']")["href"]
    assert sign_in == "/accounts/login/?next=/roles/%3Ffamily%3Ddelivery"
    assert page.select_one(".theme-toggle input[name=next]")["value"] == "/roles/?family=delivery"
    assert "evil" not in str(page)


def test_parameters_a_page_reads_still_give_their_own_pages(client, starter_content):
    every_role = client.get("/roles/")
    delivery = client.get("/roles/?family=delivery")
    assert delivery["X-Page-Cache"] == "miss"
    assert delivery.content != every_role.content
    # The same parameters in another order are the same page.
    first = client.get("/transitions/?from=account-manager&to=project-manager")
    second = client.get("/transitions/?to=project-manager&from=account-manager")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
