"""Password resets reveal nothing and flood nobody: the mail goes after the response (so the
answer takes as long whether or not an account has the address), one address gets at most
PASSWORD_RESET_LIMIT mails an hour. (That the logs keep reset links out is in test_serve.py.)"""

import pytest
from django.core import mail, signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import RequestFactory

from tests import factories

pytestmark = pytest.mark.django_db
RESET = "/accounts/password/reset/"
SECRET = "a" * 32  # a CSRF secret, sent as both the cookie and the form's token


def ask_for_a_reset_as_a_server_would(email: str):
    """POST the reset form through Django's WSGI handler, as gunicorn does, and return the
    response before the server has closed it (when it would have sent the last byte)."""
    environ = (
        RequestFactory()
        .post(
            RESET,
            {"email": email, "csrfmiddlewaretoken": SECRET},
            HTTP_COOKIE=f"csrftoken={SECRET}",
        )
        .environ
    )
    statuses = []
    # As Django's test client does: a request must not close the test's database connection.
    signals.request_started.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, lambda status, headers, *args: statuses.append(status))
    finally:
        signals.request_started.connect(close_old_connections)
    return statuses[0], response


def close_as_the_server_does(response) -> None:
    signals.request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("has_account", [True, False])
def test_the_reset_mail_goes_only_after_the_response(has_account):
    if has_account:
        factories.UserFactory(username="known", email="known@example.org")
    status, response = ask_for_a_reset_as_a_server_would("known@example.org")
    assert status == "302 Found"
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []  # nothing sent while the reader waits for the answer
    close_as_the_server_does(response)  # once the answer is out
    assert len(mail.outbox) == (1 if has_account else 0)
    if has_account:
        assert mail.outbox[0].to == ["known@example.org"]


def test_one_address_gets_at_most_three_reset_mails_an_hour(client):
    factories.UserFactory(username="known", email="known@example.org")
    factories.UserFactory(username="other", email="other@example.org")
    for email in [
        "known@example.org",
        "Known@Example.org ",
        "known@example.org",
        "KNOWN@example.org",
    ]:
        response = client.post(RESET, {"email": email})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password/reset/sent/"  # the same answer
    assert len(mail.outbox) == 3
    client.post(RESET, {"email": "other@example.org"})  # another address is not held back
    assert [message.to for message in mail.outbox[3:]] == [["other@example.org"]]
