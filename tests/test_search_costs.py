"""What one search may cost is bounded: words of one letter are not searched for, and each kind
of result is capped, however common the words."""

import pytest

from roles.search import MAX_HITS_PER_KIND, search, search_terms
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
