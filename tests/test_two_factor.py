"""Two-factor sign-in (django-otp): staff must have it for the admin when DJANGO_STAFF_2FA is on
(the default without debug), readers may turn it on, and whoever has it is asked for a code at
every sign-in. Codes are computed from the device's key, as an authenticator app does."""

import re
from binascii import unhexlify
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp
from accounts.two_factor import SETUP_KEY_SESSION
from tests.test_settings import settings_in_subprocess

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/verify/"
BACKUP = "/accounts/two-factor/backup-codes/"
DISABLE = "/accounts/two-factor/disable/"


@pytest.fixture
def enforced(settings):
    settings.STAFF_2FA = True
    return settings


def code_for(key_hex: str, *, step_offset: int = 0) -> str:
    """What an authenticator app shows now for this key (or `step_offset` steps away)."""
    return f"{totp(unhexlify(key_hex), drift=step_offset):06d}"


def enrol(user, key=None) -> tuple[TOTPDevice, list[str]]:
    """Give `user` an authenticator app and backup codes, as the set-up page does."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    if key:
        device.key = key
        device.save()
    return device, otp.new_backup_codes(user)


def sign_in_verified(client, user, device):
    """force_login, and mark the session confirmed with `device` (what a code at sign-in does)."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def location(response) -> str:
    return response["Location"].removeprefix("http://testserver")


# --- The setting ---


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DJANGO_SECRET_KEY": "x"}, True),  # production: debug off, enforced
        ({"DJANGO_DEBUG": "1"}, False),  # make run
        ({"DJANGO_SECRET_KEY": "x", "DJANGO_STAFF_2FA": "0"}, False),
        ({"DJANGO_DEBUG": "1", "DJANGO_STAFF_2FA": "1"}, True),
    ],
)
def test_enforced_by_default_whenever_debug_is_off(env, expected):
    result = settings_in_subprocess(env, "settings.STAFF_2FA")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(expected)


def test_make_run_turns_debug_on():
    """So make run leaves two-factor off: a newcomer can try the admin at once."""
    makefile = (django_settings.BASE_DIR / "Makefile").read_text()
    assert "RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}" in makefile


# --- Enforcement in the admin ---


@pytest.mark.parametrize("actor", ["editor", "superuser"])
def test_enforced_admin_sends_staff_without_an_app_to_set_one_up(client, enforced, request, actor):
    user = request.getfixturevalue(actor)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(location(response))
    assert response.status_code == 302
    assert location(response) == f"{SETUP}?next=%2Fadmin%2F"


def test_enforced_admin_refuses_every_page_without_a_code(client, enforced, superuser):
    """Every model's changelist and add page, not only the index: the site's check covers all."""
    client.force_login(superuser)
    for model in admin.site._registry:
        meta = model._meta
        for name in ("changelist", "add"):
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{name}")
            response = client.get(url)
            assert response.status_code == 302, url
            assert location(response).startswith(reverse("admin:login")), url


def test_enforced_admin_sends_staff_with_an_app_to_give_a_code(client, enforced, editor):
    device, _ = enrol(editor)
    client.force_login(editor)  # a session that never gave a code
    response = client.get("/admin/login/?next=/admin/roles/")
    assert location(response) == f"{VERIFY}?next=%2Fadmin%2Froles%2F"
    assert client.post(VERIFY + "?next=/admin/roles/", {"otp_token": "000000"}).status_code == 400
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(
        VERIFY + "?next=/admin/roles/", {"otp_token": code_for(device.key, step_offset=1)}
    )
    assert response.status_code == 302
    assert location(response) == "/admin/roles/"
    assert client.get("/admin/roles/").status_code == 200


def test_enforced_admin_lets_in_a_verified_editor(client, enforced, editor):
    device, _ = enrol(editor)
    sign_in_verified(client, editor, device)
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("admin:roles_role_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


@pytest.mark.parametrize("actor", ["editor", "superuser"])
def test_admin_works_without_a_code_when_not_enforced(client, settings, request, actor):
    settings.STAFF_2FA = False
    client.force_login(request.getfixturevalue(actor))
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("admin:roles_role_changelist")).status_code == 200


def test_the_whole_editor_journey_through_the_admin_sign_in(client, enforced, editor):
    """Password only, sent to set up, scan (the key), first code, backup codes, the admin."""
    response = client.post(
        "/admin/login/?next=/admin/", {"username": editor.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert location(response) == f"{SETUP}?next=%2Fadmin%2F"

    response = client.get(location(response))
    assert response.status_code == 200
    key = client.session[SETUP_KEY_SESSION]
    device = otp.pending_device(editor, key)
    assert otp.secret_for_manual_entry(device) in response.text  # for typing in by hand
    html = response.text
    assert "<svg" in html
    assert 'class="two-factor__qr"' in html
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert 'role="img" aria-label="QR code' in html
    assert not TOTPDevice.objects.filter(user=editor).exists()  # nothing saved until confirmed

    used = code_for(key)  # kept: on a slow machine the next 30-second step may begin meanwhile
    response = client.post(f"{SETUP}?next=/admin/", {"otp_token": used})
    assert response.status_code == 200
    saved = TOTPDevice.objects.get(user=editor)
    assert saved.confirmed
    assert saved.key == key
    codes = re.findall(r"<code>([0-9 ]{14})</code>", response.text)
    assert len(codes) == otp.BACKUP_CODE_COUNT
    assert StaticToken.objects.filter(device__user=editor).count() == otp.BACKUP_CODE_COUNT
    assert response["Cache-Control"] == "private, no-store"  # the codes are never kept by a cache
    assert 'href="/admin/"' in response.text  # Continue goes on to the admin
    assert SETUP_KEY_SESSION not in client.session
    assert client.get("/admin/").status_code == 200  # this session is confirmed

    # The next sign-in asks for the code; the one used at set-up may not be used again.
    client.post("/accounts/logout/")
    response = client.post(
        "/admin/login/", {"username": editor.username, "password": PASSWORD, "otp_token": ""}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "This account has two-factor sign-in" in response.text
    response = client.post(
        "/admin/login/",
        {"username": editor.username, "password": PASSWORD, "otp_token": used},
    )
    assert "_auth_user_id" not in client.session
    saved.refresh_from_db()
    saved.throttle_reset()
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": editor.username,
            "password": PASSWORD,
            "otp_token": code_for(key, step_offset=1),
        },
    )
    assert response.status_code == 302
    assert location(response) == "/admin/"
    assert client.get("/admin/").status_code == 200


# --- Set-up: refusals ---


@pytest.mark.parametrize(
    "code", ["", "000000", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "\x00", "x" * 5000, "1" * 12]
)
def test_a_wrong_set_up_code_is_a_friendly_400(client, reader, code):
    client.force_login(reader)
    client.get(SETUP)
    key = client.session[SETUP_KEY_SESSION]
    if code == "000000" and code_for(key) == code:  # pragma: no cover - one in a million
        code = "000001"
    response = client.post(SETUP, {"otp_token": code})
    assert response.status_code == 400
    assert "<svg" in response.text  # the same QR code, to try again
    assert client.session[SETUP_KEY_SESSION] == key
    assert not TOTPDevice.objects.filter(user=reader).exists()


def test_a_set_up_without_its_key_in_the_session_starts_again(client, reader):
    client.force_login(reader)
    response = client.post(SETUP, {"otp_token": "123456"})
    assert response.status_code == 400
    assert "That set-up had expired" in response.text
    assert not TOTPDevice.objects.filter(user=reader).exists()


def test_the_pages_are_for_signed_in_users_only(client):
    for url in ("/accounts/two-factor/", SETUP, VERIFY, BACKUP, DISABLE):
        response = client.get(url)
        assert response.status_code == 302
        assert location(response).startswith("/accounts/login/?next=")


def test_changes_need_the_csrf_token(reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    client.get(SETUP)
    key = client.session[SETUP_KEY_SESSION]
    assert client.post(SETUP, {"otp_token": code_for(key)}).status_code == 403
    assert not TOTPDevice.objects.filter(user=reader).exists()


def test_the_set_up_page_keeps_to_the_content_security_policy(client, reader):
    client.force_login(reader)
    response = client.get(SETUP)
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    html = response.text
    assert " style=" not in html  # style-src has no 'unsafe-inline'
    assert "<style" not in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<script" not in svg
    assert "href" not in svg
    assert "data:" not in html
    scripts = re.findall(r"<script(?![^>]*application/ld\+json)", html)
    assert not scripts, "only data blocks, which the CSP does not run"


# --- Backup codes ---


def test_a_backup_code_signs_in_once(client, enforced, editor):
    _, codes = enrol(editor)
    data = {"username": editor.username, "password": PASSWORD, "otp_token": otp.show_code(codes[0])}
    response = client.post("/admin/login/?next=/admin/", data)
    assert response.status_code == 302
    assert location(response) == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert otp.backup_codes_left(editor) == otp.BACKUP_CODE_COUNT - 1

    client.post("/accounts/logout/")
    response = client.post("/admin/login/", data)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "That code is not right" in response.text


def test_new_backup_codes_replace_the_old_ones_and_are_shown_once(client, reader):
    device, old = enrol(reader)
    sign_in_verified(client, reader, device)
    page = client.get(BACKUP)
    assert page.status_code == 200
    assert f"You have {otp.BACKUP_CODE_COUNT} unused backup codes" in page.text
    assert otp.show_code(old[0]) not in page.text  # codes are shown only when made
    response = client.post(BACKUP)
    assert response.status_code == 200
    new = [
        code.replace(" ", "") for code in re.findall(r"<code>([0-9 ]{14})</code>", response.text)
    ]
    assert len(new) == otp.BACKUP_CODE_COUNT
    assert not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=reader).values_list("token", flat=True)) == (
        set(new)
    )
    assert StaticDevice.objects.filter(user=reader).count() == 1


def test_backup_codes_need_a_confirmed_session(client, reader):
    enrol(reader)
    client.force_login(reader)
    response = client.post(BACKUP)
    assert response.status_code == 302
    assert location(response).startswith(VERIFY)
    assert otp.backup_codes_left(reader) == otp.BACKUP_CODE_COUNT


# --- Readers ---


def test_two_factor_is_optional_for_readers(client, enforced, reader):
    response = client.post("/accounts/login/", {"username": reader.username, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    assert "Two-factor sign-in is off" in page.text
    assert "optional for readers" in page.text


def test_a_reader_who_turned_it_on_is_asked_for_a_code_at_the_site_sign_in(client, reader):
    device, _codes = enrol(reader)
    data = {"username": reader.username, "password": PASSWORD}
    response = client.post("/accounts/login/", data)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert "This account has two-factor sign-in" in response.text
    response = client.post("/accounts/login/", {**data, "otp_token": "not a code"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/login/", {**data, "otp_token": code_for(device.key)})
    assert response.status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_reader_can_turn_it_off_with_a_code(client, reader):
    device, _ = enrol(reader)
    sign_in_verified(client, reader, device)
    assert client.get(DISABLE).status_code == 200
    assert client.post(DISABLE, {"otp_token": "12"}).status_code == 400
    assert TOTPDevice.objects.filter(user=reader).exists()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(DISABLE, {"otp_token": code_for(device.key, step_offset=1)})
    assert response.status_code == 302
    assert location(response) == "/accounts/two-factor/"
    assert not TOTPDevice.objects.filter(user=reader).exists()
    assert not StaticDevice.objects.filter(user=reader).exists()
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": reader.username, "password": PASSWORD})
    assert response.status_code == 302


def test_staff_cannot_turn_it_off_while_it_is_enforced(client, enforced, editor):
    device, _ = enrol(editor)
    sign_in_verified(client, editor, device)
    assert client.get(DISABLE).status_code == 403
    response = client.post(DISABLE, {"otp_token": code_for(device.key)})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=editor).exists()
    enforced.STAFF_2FA = False
    assert client.get(DISABLE).status_code == 200


def test_moving_to_a_new_app_replaces_the_old_one(client, reader):
    old, _ = enrol(reader)
    sign_in_verified(client, reader, old)
    assert "Move to a new authenticator app" in client.get(SETUP).text
    key = client.session[SETUP_KEY_SESSION]
    assert key != old.key
    assert client.post(SETUP, {"otp_token": code_for(key)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=reader).values_list("key", flat=True)) == [key]


# --- Wrong codes and lockout ---


def test_a_wrong_code_is_throttled_then_accepted(client, reader):
    device, _ = enrol(reader)
    data = {"username": reader.username, "password": PASSWORD}
    client.post("/accounts/login/", {**data, "otp_token": "000000"})
    response = client.post("/accounts/login/", {**data, "otp_token": code_for(device.key)})
    assert response.status_code == 400
    assert "Too many wrong codes" in response.text
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post("/accounts/login/", {**data, "otp_token": code_for(device.key)})
    assert response.status_code == 302


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_guessing_codes_ends_in_the_lockout(client, enforced, editor, url):
    enrol(editor)
    data = {"username": editor.username, "password": PASSWORD, "otp_token": "999999"}
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        response = client.post(url, data)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.text
    assert AccessAttempt.objects.filter(username=editor.username).exists()
    assert "_auth_user_id" not in client.session


# --- create_editor ---


def create_editor(monkeypatch, name):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "a-long-editor-passphrase")
    out = StringIO()
    call_command("create_editor", name, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_create_editor_says_what_the_editor_must_do(monkeypatch, enforced):
    out = create_editor(monkeypatch, "maria")
    assert "Created editor 'maria'" in out
    assert "Sign in at /admin/" in out
    assert SETUP in out
    assert "authenticator app" in out
    assert "6-digit code" in out
    assert "backup codes" in out


def test_create_editor_says_when_two_factor_is_off(monkeypatch, settings):
    settings.STAFF_2FA = False
    out = create_editor(monkeypatch, "jo")
    assert "Two-factor sign-in is off on this site (DJANGO_STAFF_2FA=0)" in out
    assert "/admin/" in out
    assert SETUP in out
