"""Login throttling (django-axes): repeated failures lock an account or an address out for a while,
on the site's sign-in and the admin's, with our page; a success resets the count."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from tests import factories
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

LOGINS = ["/accounts/login/", "/admin/login/"]


def fail(client, url, username, times, **extra):
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "wrong"}, **extra)
    return response


def assert_locked_out(response):
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.text
    assert "paused for 15 minutes" in response.text  # AXES_COOLOFF_TIME
    assert response["Retry-After"] == "900"
    assert "Content-Security-Policy" in response.headers


def test_defaults_lock_by_username_and_by_address():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        # The site's form says 400 (a form with errors); the admin's keeps Django's 200.
        ("/accounts/login/", 400, "Please enter a correct username and password."),
        (
            "/admin/login/",
            200,
            "Please enter the correct username and password for a staff account.",
        ),
    ],
)
def test_failures_below_the_limit_are_ordinary_wrong_passwords(client, url, status, message):
    factories.UserFactory(username="editor", is_staff=True)
    response = fail(client, url, "editor", settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == status
    assert message in response.text
    assert "Too many failed" not in response.text


@pytest.mark.parametrize("url", LOGINS)
def test_an_account_is_locked_after_the_limit_even_from_elsewhere(client, url):
    factories.UserFactory(username="editor", is_staff=True)
    response = fail(client, url, "editor", settings.AXES_FAILURE_LIMIT)
    assert_locked_out(response)

    # The right password from another address still does not get in during the cool-off.
    response = client.post(
        url, {"username": "editor", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert_locked_out(response)
    assert "_auth_user_id" not in client.session


def test_retrying_during_a_lockout_does_not_extend_it(client, reader):
    url = LOGINS[0]
    assert_locked_out(fail(client, url, reader.username, settings.AXES_FAILURE_LIMIT))
    locked_at = AccessAttempt.objects.get(username=reader.username).attempt_time
    assert_locked_out(fail(client, url, reader.username, 3, REMOTE_ADDR="198.51.100.9"))
    assert AccessAttempt.objects.get(username=reader.username).attempt_time == locked_at

    # One cool-off after the lockout began, the right password gets in again.
    AccessAttempt.objects.update(attempt_time=locked_at - settings.AXES_COOLOFF_TIME)
    response = client.post(url, {"username": reader.username, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("url", LOGINS)
def test_an_address_is_locked_after_the_limit_across_accounts(client, url):
    factories.UserFactory(username="editor", is_staff=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = fail(client, url, f"guess{n}", 1)
    assert_locked_out(response)
    response = client.post(url, {"username": "editor", "password": PASSWORD})
    assert_locked_out(response)


def test_a_lockout_on_the_site_holds_on_the_admin(client):
    factories.UserFactory(username="editor", is_staff=True)
    fail(client, "/accounts/login/", "editor", settings.AXES_FAILURE_LIMIT)
    response = client.post(
        "/admin/login/", {"username": "editor", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert_locked_out(response)


def test_a_success_resets_the_count(client, reader):
    fail(client, "/accounts/login/", "reader", settings.AXES_FAILURE_LIMIT - 1)
    response = client.post("/accounts/login/", {"username": "reader", "password": PASSWORD})
    assert response.status_code == 302
    client.post("/accounts/logout/")
    assert not AccessAttempt.objects.filter(username="reader").exists()
    response = fail(client, "/accounts/login/", "reader", settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 400
    assert (
        client.post("/accounts/login/", {"username": "reader", "password": PASSWORD}).status_code
        == 302
    )


def test_the_proxy_count_picks_the_address_the_proxy_saw(client, reader, settings):
    """Behind one proxy every request comes from the proxy: the reader is the address it added."""
    settings.PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(
            client,
            "/accounts/login/",
            f"guess{n}",
            1,
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",
        )
    # Another reader behind the same proxy is not locked out...
    response = client.post(
        "/accounts/login/",
        {"username": "reader", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.50",
    )
    assert response.status_code == 302
    client.post("/accounts/logout/")
    # ...while the attacker is, whatever it writes at the left of the header.
    response = client.post(
        "/accounts/login/",
        {"username": "reader", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9",
    )
    assert_locked_out(response)


def sign_in_elsewhere(client, url, username, new_username):
    """Successes that are not the victim's: the attacker's own account, then a brand-new one."""
    client.post(url, {"username": username, "password": PASSWORD})
    client.post("/accounts/logout/")
    client.post(
        "/accounts/signup/",
        {"username": new_username, "password1": PASSWORD, "password2": PASSWORD},
    )
    client.post("/accounts/logout/")


@pytest.mark.parametrize("url", LOGINS)
def test_signing_in_to_another_account_does_not_reset_a_victims_count(client, url):
    """The attack from the issue: from one address, guess one short of the limit for a victim,
    sign in to an account of one's own (or sign up a new one), and repeat. Only the victim's own
    success may clear the victim's failures, so every guess from the limit on is refused."""
    factories.UserFactory(username="editor", is_staff=True)
    factories.UserFactory(username="attacker")
    limit = settings.AXES_FAILURE_LIMIT
    responses = []
    for round_ in range(3):
        for _ in range(limit - 1):
            responses.append(fail(client, url, "editor", 1))
        sign_in_elsewhere(client, url, "attacker", f"newcomer{round_}")

    for response in responses[: limit - 1]:
        assert response.status_code in (200, 400)
    for response in responses[limit - 1 :]:  # the fifth failure locks; the sixth guess is refused
        assert_locked_out(response)
    # The account itself is locked: the right password from another address does not get in.
    response = client.post(
        url, {"username": "editor", "password": PASSWORD}, REMOTE_ADDR="198.51.100.8"
    )
    assert_locked_out(response)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", LOGINS)
def test_a_success_resets_only_the_signed_in_accounts_count(client, url):
    """Another account's failures from the same address survive the success, whoever signs in."""
    factories.UserFactory(username="editor", is_staff=True)
    factories.UserFactory(username="attacker", is_staff=True)
    limit = settings.AXES_FAILURE_LIMIT
    fail(client, url, "editor", limit - 2)
    fail(client, url, "attacker", 1)  # one short of the address's limit
    assert client.post(url, {"username": "attacker", "password": PASSWORD}).status_code == 302
    assert not AccessAttempt.objects.filter(username="attacker").exists()
    assert AccessAttempt.objects.get(username="editor").failures_since_start == limit - 2
    client.post("/accounts/logout/")
    # Two more wrong guesses for the editor, from anywhere, make five: locked.
    response = fail(client, url, "editor", 1, REMOTE_ADDR="198.51.100.7")
    assert response.status_code in (200, 400)
    assert_locked_out(fail(client, url, "editor", 1, REMOTE_ADDR="198.51.100.7"))
