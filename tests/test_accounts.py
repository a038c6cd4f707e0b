"""Sign-up, sign-in, sign-out and passwords, with crispy forms and safe redirects."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from tests import factories
from tests.helpers import PASSWORD, soup

pytestmark = pytest.mark.django_db


def test_signup_form_fields(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    form = soup(response).find("form", class_="account-form")
    names = [field["name"] for field in form.find_all(["input", "select"]) if field.get("name")]
    assert [n for n in names if n not in ("csrfmiddlewaretoken", "submit")] == [
        "username",
        "email",
        "password1",
        "password2",
    ]
    for name in ("username", "email", "password1", "password2"):
        field = form.find("input", attrs={"name": name})
        assert form.find("label", attrs={"for": field["id"]})


def test_signup_creates_the_account_and_signs_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newreader",
            "email": "",
            "password1": "Sturdy-pass-2026",
            "password2": "Sturdy-pass-2026",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(username="newreader")
    assert not user.is_staff
    assert client.get("/bookmarks/").status_code == 200  # signed in


def test_signup_honours_a_local_next_only(client):
    data = {"username": "a1", "password1": "Sturdy-pass-2026", "password2": "Sturdy-pass-2026"}
    response = client.post("/accounts/signup/?next=/transitions/", data)
    assert response["Location"] == "/transitions/"
    client.logout()
    data["username"] = "a2"
    response = client.post("/accounts/signup/?next=https://evil.example/", data)
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"username": "x", "password1": "Sturdy-pass-2026", "password2": "other-Pass-2026"},
            "didn’t match",
        ),
        ({"username": "x", "password1": "123", "password2": "123"}, "too short"),
        (
            {
                "username": "bad name!",
                "password1": "Sturdy-pass-2026",
                "password2": "Sturdy-pass-2026",
            },
            "valid username",
        ),
        (
            {
                "username": "x",
                "email": "not-an-email",
                "password1": "Sturdy-pass-2026",
                "password2": "Sturdy-pass-2026",
            },
            "valid email",
        ),
        (
            {
                "username": "x" * 500,
                "password1": "Sturdy-pass-2026",
                "password2": "Sturdy-pass-2026",
            },
            "at most 150",
        ),
    ],
)
def test_signup_errors_are_shown_and_nothing_is_created(client, data, message):
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 400
    assert message in response.text
    assert not User.objects.exists()


def test_signup_refuses_a_taken_username(client, reader):
    data = {"username": "reader", "password1": "Sturdy-pass-2026", "password2": "Sturdy-pass-2026"}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 400
    assert User.objects.filter(username="reader").count() == 1


def test_login_and_local_next(client, reader):
    response = client.get("/accounts/login/?next=/bookmarks/")
    assert soup(response).find("form", class_="account-form")
    response = client.post(
        "/accounts/login/?next=/bookmarks/", {"username": "reader", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/bookmarks/"


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_login_ignores_a_foreign_next(client, reader, evil):
    response = client.post(
        "/accounts/login/", {"username": "reader", "password": PASSWORD, "next": evil}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_wrong_password_is_a_clear_400(client, reader):
    response = client.post("/accounts/login/", {"username": "reader", "password": "nope"})
    assert response.status_code == 400
    assert "enter a correct username and password" in response.text


def test_logout_is_post_only(client, reader):
    client.force_login(reader)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/bookmarks/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/bookmarks/").status_code == 302


def test_header_shows_account_links(client, reader):
    page = soup(client.get("/"))
    nav = page.find("nav", attrs={"aria-label": "Account"})
    assert nav.find("a", href="/accounts/login/")
    assert nav.find("a", href="/accounts/signup/")
    client.force_login(reader)
    nav = soup(client.get("/roles/")).find("nav", attrs={"aria-label": "Account"})
    assert nav.find("a", href="/bookmarks/")
    form = nav.find("form")
    assert form["method"] == "post"
    assert form["action"] == "/accounts/logout/"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})


def test_password_change(client, reader):
    client.force_login(reader)
    assert client.get("/accounts/password/change/").status_code == 200
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Another-pass-2026",
            "new_password2": "Another-pass-2026",
        },
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password("Another-pass-2026")


def test_password_change_needs_sign_in(client, db):
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_password_reset_by_email(client, db):
    user = factories.UserFactory(username="forgetful", email="forgetful@example.org")
    response = client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)[1]
    form_url = client.get(link)["Location"]  # Django swaps the token for a session key
    response = client.post(
        form_url, {"new_password1": "Reset-pass-2026", "new_password2": "Reset-pass-2026"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Reset-pass-2026")


def test_password_reset_for_unknown_address_says_nothing_and_sends_nothing(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_bad_reset_link(client, db):
    response = client.get("/accounts/password/reset/MQ/bad-token/")
    assert response.status_code == 200
    assert "already been used or has expired" in response.text


def test_signup_help_is_in_plain_words(client, db):
    text = client.get("/accounts/signup/").content.decode()
    assert "The name you sign in with: up to 150 letters, numbers or the signs @ . + - _" in text
    assert "At least 8 characters." in text
    assert "Required. 150 characters or fewer" not in text
