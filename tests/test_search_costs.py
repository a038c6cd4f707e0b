"""What one search may cost is bounded: words of one letter are not searched for, each kind
of result is capped, however common the words, and so are the imported titles a search reads."""

import pytest

from roles.models import Role, RoleTitle, title_key
from roles.search import MAX_HITS_PER_KIND, MAX_MATCHED_TITLES, search, search_terms
from tests import factories
from tests.helpers import soup

pytestmark = pytest.mark.django_db


def test_a_term_needs_two_letters():
    assert search_terms("a b c x y z") == []
    assert search_terms("x project y manager") == ["project", "manager"]
    assert search_terms("QA pm") == ["qa", "pm"]


def test_a_query_of_single_letters_finds_nothing_and_says_why(client, starter_content):
    response = client.get("/search/", {"q": "e a i"})
    assert response.status_code == 200
    status = soup(response).select_one(".search-summary")
    assert status.get_text() == (
        "“e a i” has no word to search for: use words of at least two letters, other than “the”, "
        "“and” and the like, for example “project manager”."
    )


def test_each_kind_of_hit_is_capped(reader):
    for n in range(MAX_HITS_PER_KIND + 10):
        factories.FAQFactory(question=f"Is zebra question {n} common?", answer="Zebra answer.")
    hits = search("zebra", reader)
    assert [hit.kind for hit in hits] == ["FAQ"] * MAX_HITS_PER_KIND


def test_single_letters_beside_real_words_are_ignored(reader):
    factories.FAQFactory(question="How long is the notice period?", answer="Usually a month.")
    assert [hit.title for hit in search("x notice y", reader)] == ["How long is the notice period?"]


def test_roles_found_by_imported_titles_are_capped_too(reader):
    roles = Role.objects.bulk_create(
        Role(name=f"Herding role {n}", slug=f"herding-role-{n}", published=True)
        for n in range(MAX_HITS_PER_KIND + 10)
    )
    RoleTitle.objects.bulk_create(
        RoleTitle(role=role, title=title, key=title_key(title))
        for role in roles
        for title in ("Yak Herder", "Yak Herder Assistant")
    )
    hits = search("yak herder", reader)
    assert len(hits) == MAX_HITS_PER_KIND
    assert len({hit.url for hit in hits}) == MAX_HITS_PER_KIND, "one hit per role"
    assert {hit.also_called for hit in hits} == {"Yak Herder"}


def test_a_drafts_titles_never_crowd_out_a_published_role(reader):
    """Only MAX_MATCHED_TITLES titles are read: they are the visible roles' titles."""
    draft = factories.RoleFactory(name="Draft herding", slug="draft-herding", published=False)
    RoleTitle.objects.bulk_create(
        RoleTitle(role=draft, title=f"Yak Herder {n:03d}", key=f"yak herder {n:03d}")
        for n in range(MAX_MATCHED_TITLES + 20)
    )
    public = factories.RoleFactory(name="Herding lead", slug="herding-lead")
    factories.RoleTitleFactory(role=public, title="Yak Herder Supervisor")  # the longest title
    assert [hit.title for hit in search("yak herder", reader)] == ["Herding lead"]


def test_sqlite_reads_the_cells_it_searches_from_one_covering_index(reader):
    """Search scans the cells' text (LIKE '%term%' seeks nothing). On SQLite migration 0018's
    index holds criterion, value and role, so the scan reads that index alone, never a table
    row with its long detail; and it finds what the table would."""
    from django.db import connection

    from roles.models import Criterion, RoleCriterionValue
    from roles.search import _PortableMatcher

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plan")
    role = factories.RoleFactory(name="Cell holder")
    criterion = factories.CriterionFactory()
    factories.RoleCriterionValueFactory(role=role, criterion=criterion, value="Mostly Remote work")
    values = RoleCriterionValue.objects.filter(criterion__in=Criterion.objects.visible_to(reader))
    matched = _PortableMatcher(["remote", "work"]).matching(values, RoleCriterionValue)
    described = matched.values_list("role_id", flat=True)
    plan = described.explain()
    assert "USING COVERING INDEX rolecriterionvalue_search_cover" in plan, plan
    assert "SCAN roles_rolecriterionvalue" not in plan, plan
    assert list(described) == [role.pk]
