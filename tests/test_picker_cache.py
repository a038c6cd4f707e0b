"""The public's picker roles are kept in memory between requests (roles/picker.py) until content
changes; editors and a transaction with an uncommitted change always get the database's."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles import picker
from roles.models import Role
from roles.picker import picker_roles
from tests import factories

pytestmark = pytest.mark.django_db

# The picker's query is the only one that reads every role's alternative titles.
PICKER_COLUMN = '"roles_role"."alternative_titles"'


def picker_queries(client, url="/compare/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(PICKER_COLUMN in query["sql"] for query in queries)


def test_the_public_list_is_kept_until_content_changes(client, starter_content, bumps, reader):
    bumps(lambda: None)  # the setup has committed, as it would have outside tests
    assert picker_queries(client) == 1
    assert picker_queries(client) == 0
    client.force_login(reader)  # signed in: no page cache, and the same list as the public
    client.get("/roles/project-manager/")  # the moves' skill vectors, cached apart (roles/moves.py)
    with CaptureQueriesContext(connection) as kept:
        client.get("/roles/project-manager/")
    picker.forget()
    with CaptureQueriesContext(connection) as built:
        client.get("/roles/project-manager/")
    assert len(kept) == len(built) - 1, "a profile reuses the kept list too"
    client.logout()

    def rename():
        role = Role.objects.get(slug="scrum-master")
        role.name = "Scrum Lead"
        role.save()

    assert bumps(rename) == 1
    assert picker_queries(client) == 1
    page = client.get("/compare/").text
    assert ">Scrum Lead</option>" in page
    assert ">Scrum Master</option>" not in page


def test_editors_see_drafts_while_the_public_list_is_kept(
    client, starter_content, bumps, staff_user
):
    bumps(lambda: factories.RoleFactory(name="Quokka Wrangler", slug="quokka", published=False))
    assert "Quokka Wrangler" not in client.get("/compare/").text
    client.force_login(staff_user)
    assert "Quokka Wrangler" in client.get("/compare/").text
    client.logout()
    assert "Quokka Wrangler" not in client.get("/compare/").text


def test_an_uncommitted_change_is_seen_by_its_own_transaction(starter_content, bumps):
    bumps(lambda: None)
    kept = picker_roles(AnonymousUser())
    assert picker_roles(AnonymousUser()) is not kept, "each caller gets its own copy of the list"
    factories.RoleFactory(name="Harbour Pilot", slug="harbour-pilot", published=True)
    assert "harbour-pilot" in {role.slug for role in picker_roles(AnonymousUser())}
    assert "harbour-pilot" not in {role.slug for role in kept}


def test_the_pickers_lookups_are_built_once_per_kept_list(starter_content, bumps):
    from roles.forms import RoleIndex

    bumps(lambda: None)
    first, second = (
        RoleIndex(picker_roles(AnonymousUser())),
        RoleIndex(picker_roles(AnonymousUser())),
    )
    assert first.by_key is second.by_key
    assert first.datalist is second.datalist
    assert RoleIndex(list(Role.objects.published())).by_key is not first.by_key

    def rename():
        role = Role.objects.get(slug="scrum-master")
        role.name = "Scrum Lead"
        role.save()

    bumps(rename)
    third = RoleIndex(picker_roles(AnonymousUser()))
    assert third.by_key is not first.by_key
    assert "scrum lead" in third.by_key
    assert "scrum master" not in third.by_key


def test_the_role_lists_family_counts_are_counted_once_per_kept_list(
    client, starter_content, bumps, staff_user
):
    """The family filter's counts (and each Job Zone's) come from the kept list, counted once per
    list and zone; an edit, which makes a new list, shows in them at once; editors count drafts."""
    from bs4 import BeautifulSoup

    def delivery_count() -> int:
        page = BeautifulSoup(client.get("/roles/").text, "html.parser")
        link = page.select_one('.family-filter__link[href^="?family=delivery"]')
        return int(link.select_one(".family-filter__count").get_text(strip=True).strip("()"))

    bumps(lambda: None)
    before = delivery_count()
    shared = picker_roles(AnonymousUser()).shared
    assert ("family counts", None) in shared
    counted = shared[("family counts", None)]
    assert delivery_count() == before
    assert shared[("family counts", None)] is counted  # not counted again
    delivery = Role.objects.filter(family="delivery", published=True).count()
    assert before == delivery

    bumps(lambda: factories.RoleFactory(name="Release Planner", family="delivery"))
    assert delivery_count() == delivery + 1
    bumps(lambda: factories.RoleFactory(name="Draft Planner", family="delivery", published=False))
    assert delivery_count() == delivery + 1
    client.force_login(staff_user)
    assert delivery_count() == delivery + 2
