"""Readers own their account: the account page, download my data, delete my account, and the
purge of old sign-in records and expired sessions."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from roles.models import Bookmark, StepProgress
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a long reader passphrase"


@pytest.fixture
def keen_reader():
    """A reader with a password, one bookmark and one ticked step, and a sign-in record."""
    user = factories.UserFactory(username="keen", email="keen@example.org")
    user.set_password(PASSWORD)
    user.save()
    seller = factories.RoleFactory(name="Seller", slug="seller")
    planner = factories.RoleFactory(name="Planner", slug="planner")
    guide = factories.GuideFactory(from_role=seller, to_role=planner)
    step = factories.GuideStepFactory(guide=guide, position=1, title="Learn to plan")
    factories.GuideStepFactory(guide=guide, position=2, title="Plan something")
    Bookmark.objects.create(user=user, guide=guide)
    StepProgress.objects.create(user=user, step=step, completed=True)
    _attempt(AccessLog, "keen", timezone.now())
    return user


def _attempt(model, username, when, **extra):
    extra = (
        {"failures_since_start": 1, "get_data": "", "post_data": ""}
        if model is AccessAttempt
        else extra
    )
    row = model.objects.create(
        username=username,
        ip_address="127.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/accounts/login/",
        **extra,
    )
    model.objects.filter(pk=row.pk).update(attempt_time=when)
    return row


# --- The account page ---


def test_the_account_page_says_what_is_kept_and_links_every_action(client, keen_reader):
    client.force_login(keen_reader)
    page = client.get("/accounts/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "signed in as <strong>keen</strong>" in text
    assert "You have 1 bookmark and 1 step ticked off." in text
    for url in (
        "/bookmarks/",
        "/accounts/password/change/",
        "/accounts/data/",
        "/accounts/delete/",
    ):
        assert f'href="{url}"' in text
    assert page["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("url", ["/accounts/", "/accounts/data/", "/accounts/delete/"])
def test_the_account_pages_ask_an_anonymous_reader_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


# --- Download my data ---


def test_download_my_data_is_a_json_file_of_the_readers_own_rows(client, keen_reader, reader):
    other_guide = factories.GuideFactory()
    Bookmark.objects.create(user=reader, guide=other_guide)  # someone else's: not in the file
    client.force_login(keen_reader)
    response = client.get("/accounts/data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="careerguide-{keen_reader.pk}.json"'
    )
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert set(data) == {"exported_at", "account", "bookmarks", "progress"}
    assert data["account"]["username"] == "keen"
    assert data["account"]["email"] == "keen@example.org"
    assert [(b["guide"], b["url"]) for b in data["bookmarks"]] == [
        ("Seller to Planner", "http://testserver/transitions/seller-to-planner/")
    ]
    assert [(p["guide"], p["step"], p["title"], p["completed"]) for p in data["progress"]] == [
        ("Seller to Planner", 1, "Learn to plan", True)
    ]
    assert "password" not in response.content.decode()


# --- Delete my account ---


def test_deleting_an_account_removes_it_and_everything_tied_to_it(client, keen_reader, reader):
    Bookmark.objects.create(user=reader, guide=Bookmark.objects.get().guide)
    _attempt(AccessFailureLog, "keen", timezone.now())
    _attempt(AccessLog, "reader", timezone.now())
    TOTPDevice.objects.create(user=keen_reader, name="app", confirmed=True)
    StaticDevice.objects.create(user=keen_reader, name="backup codes")
    client.force_login(keen_reader)
    assert client.get("/accounts/delete/").status_code == 200
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/deleted/"
    assert not User.objects.filter(username="keen").exists()
    assert not StepProgress.objects.exists()
    assert list(Bookmark.objects.values_list("user__username", flat=True)) == ["reader"]
    assert not AccessLog.objects.filter(username="keen").exists()
    assert not AccessFailureLog.objects.filter(username="keen").exists()
    assert AccessLog.objects.filter(username="reader").exists()  # another reader's stays
    assert not TOTPDevice.objects.exists()
    assert not StaticDevice.objects.exists()
    done = client.get("/accounts/deleted/")
    assert "Your account is deleted" in done.content.decode()
    assert not done.wsgi_request.user.is_authenticated  # signed out


def test_a_wrong_password_deletes_nothing(client, keen_reader):
    client.force_login(keen_reader)
    response = client.post("/accounts/delete/", {"password": "not it"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(username="keen").exists()
    assert Bookmark.objects.count() == 1
    assert StepProgress.objects.count() == 1
    assert client.get("/accounts/").status_code == 200  # still signed in


def test_deleting_needs_the_csrf_token(keen_reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(keen_reader)
    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(username="keen").exists()


def test_an_editor_cannot_delete_their_own_account_here(client, editor):
    editor.set_password(PASSWORD)
    editor.save()
    client.force_login(editor)
    page = client.get("/accounts/delete/")
    assert "only an administrator can remove it" in page.content.decode()
    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(pk=editor.pk).exists()


# --- purge_personal_data ---


def test_purge_removes_old_sign_in_records_and_expired_sessions_only(settings):
    now = timezone.now()
    old, recent = now - timedelta(days=31), now - timedelta(days=29)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        _attempt(model, "old", old)
        _attempt(model, "recent", recent)
    Session.objects.create(session_key="gone", session_data="x", expire_date=now - timedelta(1))
    Session.objects.create(session_key="kept", session_data="x", expire_date=now + timedelta(1))

    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert out.getvalue() == (
        "Would remove 1 access attempts, 1 access failures, 1 access logs, 1 expired sessions "
        "(sign-in records older than 30 days).\n"
    )
    assert AccessLog.objects.count() == 2
    assert Session.objects.count() == 2

    call_command("purge_personal_data", stdout=StringIO())
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert list(model.objects.values_list("username", flat=True)) == ["recent"]
    assert list(Session.objects.values_list("session_key", flat=True)) == ["kept"]

    call_command("purge_personal_data", "--days", "28", stdout=StringIO())
    assert not AccessLog.objects.exists()


def test_purge_refuses_a_retention_that_would_lift_lockouts():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("purge_personal_data", "--days", "0")
