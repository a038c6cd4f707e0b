"""Readers' data stays theirs: editors deleting content see counts of readers' rows, never
usernames, and cannot delete what readers keep; pages for one visitor are never stored by a
proxy (Cache-Control: private, no-store)."""

import pytest
from django.urls import reverse

from roles.models import Bookmark, Guide, GuideStep, StepProgress
from tests import factories
from tests.helpers import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept_guide():
    """A guide that two readers have bookmarked and one has worked through."""
    guide = factories.GuideFactory()
    step = factories.GuideStepFactory(guide=guide, position=1)
    for name in ("alice-reader", "bob-reader"):
        Bookmark.objects.create(user=factories.UserFactory(username=name), guide=guide)
    StepProgress.objects.create(user=Bookmark.objects.first().user, step=step, completed=True)
    return guide


@pytest.mark.parametrize("actor", ["editor", "superuser"])
def test_deleting_a_guide_readers_keep_is_refused_with_counts_and_no_names(
    client, request, actor, kept_guide
):
    client.force_login(request.getfixturevalue(actor))
    url = reverse("admin:roles_guide_delete", args=[kept_guide.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    refused = [li.get_text() for li in soup(page).select("#deleted-objects li")]
    assert refused == [
        "2 readers' bookmarks (unpublish instead to keep them)",
        "readers' progress on 1 step (unpublish instead to keep it)",
    ]
    assert "alice-reader" not in text
    assert "bob-reader" not in text
    assert "permission to delete" not in text  # refused for the readers' sake, not a permission

    client.post(url, {"post": "yes"})
    assert Guide.objects.filter(pk=kept_guide.pk).exists()
    assert Bookmark.objects.count() == 2
    assert StepProgress.objects.count() == 1


def test_the_delete_action_on_the_list_refuses_the_same_way(client, editor, kept_guide):
    client.force_login(editor)
    data = {"action": "delete_selected", "_selected_action": [kept_guide.pk]}
    page = client.post(reverse("admin:roles_guide_changelist"), data)
    text = page.content.decode()
    assert "2 readers&#x27; bookmarks" in text
    assert "alice-reader" not in text
    client.post(reverse("admin:roles_guide_changelist"), {**data, "post": "yes"})
    assert Guide.objects.filter(pk=kept_guide.pk).exists()


def test_a_guide_no_reader_keeps_can_still_be_deleted(client, editor):
    guide = factories.GuideFactory()
    factories.GuideStepFactory(guide=guide, position=1)
    client.force_login(editor)
    response = client.post(reverse("admin:roles_guide_delete", args=[guide.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Guide.objects.filter(pk=guide.pk).exists()
    assert not GuideStep.objects.exists()


# --- Cache-Control ---


def test_a_signed_in_readers_pages_are_private_and_never_stored(client, reader, starter_content):
    client.force_login(reader)
    for url in ("/", "/compare/account-manager-vs-project-manager/", "/bookmarks/", "/accounts/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


def test_a_page_with_a_csrf_token_is_private_even_for_an_anonymous_visitor(client):
    response = client.get("/accounts/login/")
    assert "Cookie" in response["Vary"]
    assert response["Cache-Control"] == "private, no-store"


def test_anonymous_pages_are_not_marked_private(client, starter_content):
    for url in ("/", "/compare/account-manager-vs-project-manager/", "/roles/", "/faq/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" not in response.get("Cache-Control", ""), url
        assert "no-store" not in response.get("Cache-Control", ""), url
