"""Finding a role within /roles/: by part of its name or of any other title it goes by, within
a family or across them, paginated, bounded, and safe for any input."""

import pytest

from tests import factories
from tests.helpers import soup

pytestmark = pytest.mark.django_db


def names(response):
    return [a.get_text(strip=True) for a in soup(response).select("section.role-family h3 a")]


def test_part_of_a_name_or_another_title_finds_the_role(client, starter_content):
    nurse = factories.RoleFactory(name="Registered Nurses", slug="registered-nurses")
    factories.RoleTitleFactory(role=nurse, title="RN")
    factories.RoleTitleFactory(role=nurse, title="Staff  Nurse")
    response = client.get("/roles/", {"q": "nurse"})
    assert response.status_code == 200
    assert names(response) == ["Registered Nurses"]
    assert "1 role match “nurse”" in soup(response).select_one(".role-filter__result").text
    assert names(client.get("/roles/", {"q": "staff nurse"})) == ["Registered Nurses"]
    # An editors' alternative title finds a curated role.
    assert "Account Manager" in names(client.get("/roles/", {"q": "client services"}))


def test_a_search_keeps_the_family_and_says_when_nothing_matches(client, starter_content):
    both = names(client.get("/roles/", {"q": "manager"}))
    in_delivery = names(client.get("/roles/", {"q": "manager", "family": "delivery"}))
    assert set(in_delivery) < set(both)
    page = soup(client.get("/roles/", {"q": "manager", "family": "delivery"}))
    assert page.select_one(".role-filter input[name=family]")["value"] == "delivery"
    none = soup(client.get("/roles/", {"q": "zzqx"}))
    result = none.select_one(".role-filter__result")
    assert "No role matches “zzqx”" in result.text
    assert result.find("a")["href"] == "/search/?q=zzqx"


def test_matches_are_paginated_with_the_query_kept(client, grow_catalogue):
    grow_catalogue(130)  # "Synthetic role 0000" ... all match "synthetic"
    first = soup(client.get("/roles/", {"q": "synthetic"}))
    assert "130 roles match" in first.select_one(".role-filter__result").text
    links = [a["href"] for a in first.select("nav a[href*='page=']")]
    assert any("q=synthetic" in href and "page=2" in href for href in links)


@pytest.mark.parametrize("query", ["x" * 101, "<script>alert(1)</script>", "%", "_", "\\"])
def test_odd_or_long_input_is_a_clear_answer_never_a_500(client, starter_content, query):
    response = client.get("/roles/", {"q": query})
    assert response.status_code in (200, 400)
    assert "<script>alert(1)" not in response.text
    if len(query) > 100:
        assert response.status_code == 400
        assert "at most 100 characters" in response.text
    if query in ("%", "_"):  # LIKE wildcards are matched as text
        assert names(response) == []


def test_finding_stays_within_the_query_budget(
    client, grow_catalogue, django_assert_max_num_queries
):
    grow_catalogue(300)
    with django_assert_max_num_queries(4):
        client.get("/roles/", {"q": "synthetic", "family": "delivery", "page": "2"})
