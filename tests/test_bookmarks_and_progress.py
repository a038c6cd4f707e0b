"""The reader's bookmarks and step progress: idempotent explicit states, flips, races."""

import threading

import pytest
from django.db import connection

from roles.models import Bookmark, StepProgress
from roles.services import bookmark_toggle, step_progress_toggle
from tests import factories

pytestmark = pytest.mark.django_db


def test_bookmark_toggle_flips(reader):
    path = factories.GuideFactory()
    assert bookmark_toggle(user=reader, guide=path) is True
    assert Bookmark.objects.filter(user=reader, guide=path).count() == 1
    assert bookmark_toggle(user=reader, guide=path) is False
    assert not Bookmark.objects.exists()


def test_explicit_bookmark_state_is_idempotent(reader):
    path = factories.GuideFactory()
    for _ in range(3):
        assert bookmark_toggle(user=reader, guide=path, bookmarked=True) is True
    assert Bookmark.objects.filter(user=reader, guide=path).count() == 1
    for _ in range(2):
        assert bookmark_toggle(user=reader, guide=path, bookmarked=False) is False
    assert not Bookmark.objects.exists()


def test_step_progress_flips_and_explicit_state_is_idempotent(reader):
    step = factories.GuideStepFactory()
    assert step_progress_toggle(user=reader, step=step) is True
    assert step_progress_toggle(user=reader, step=step) is False
    assert StepProgress.objects.get(user=reader, step=step).completed is False
    for _ in range(3):
        step_progress_toggle(user=reader, step=step, completed=True)
    assert StepProgress.objects.filter(user=reader, step=step).count() == 1
    assert StepProgress.objects.get(user=reader, step=step).completed is True


def test_readers_do_not_share_state(reader):
    other = factories.UserFactory()
    step = factories.GuideStepFactory()
    step_progress_toggle(user=reader, step=step, completed=True)
    bookmark_toggle(user=reader, guide=step.guide, bookmarked=True)
    assert not StepProgress.objects.filter(user=other).exists()
    assert not Bookmark.objects.filter(user=other).exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_bookmarks_end_in_one_row():
    """Threads race to bookmark the same guide; the constraint and the service keep one row."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("in-memory SQLite is one connection; CI runs this race on PostgreSQL")
    user = factories.UserFactory()
    path = factories.GuideFactory()
    step = factories.GuideStepFactory(guide=path)
    errors = []
    barrier = threading.Barrier(8)

    def worker():
        try:
            barrier.wait()
            bookmark_toggle(user=user, guide=path, bookmarked=True)
            step_progress_toggle(user=user, step=step, completed=True)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Bookmark.objects.filter(user=user, guide=path).count() == 1
    assert StepProgress.objects.filter(user=user, step=step, completed=True).count() == 1
