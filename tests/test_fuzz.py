"""Property-based fuzzing of every URL pattern: whatever arrives, never a 5xx, and a request that
is refused changes no data. The patterns come from the URL configuration, so a new endpoint is
fuzzed without anyone listing it here."""

import re
from urllib.parse import quote

import pytest
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_services import snapshot

pytestmark = pytest.mark.django_db


def url_patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


ROUTES = [route for route in url_patterns() if not route.startswith("admin/")]
ADMIN_ROUTES = [route for route in url_patterns() if route.startswith("admin/")]

KNOWN = ["account-manager", "project-manager", "account-manager-vs-project-manager",
         "account-manager-to-project-manager", "1", "0", "-1"]  # fmt: skip
nasty_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=80
)
values = st.one_of(
    st.sampled_from(KNOWN),
    st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,6}", fullmatch=True),
    nasty_text,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.just("x" * 5000),
    st.just("\x00"),
)
query = st.dictionaries(
    st.one_of(
        st.sampled_from(["q", "a", "b", "c", "d", "from", "to", "family", "page", "next"]),
        nasty_text,
    ),
    values,
    max_size=4,
)
form_data = st.dictionaries(
    st.one_of(
        st.sampled_from(
            [
                "bookmarked",
                "completed",
                "next",
                "username",
                "password",
                "password1",
                "password2",
                "email",
            ]
        ),
        nasty_text,
    ),
    values,
    max_size=5,
)
FUZZ = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fill(route: str, data) -> str:
    """The route with every <converter:name> replaced by a drawn value, percent-encoded."""
    return "/" + re.sub(
        r"<(?:\w+:)?\w+>", lambda m: quote(data.draw(values), safe="") or "x", route
    )


@pytest.mark.parametrize("route", ROUTES)
@FUZZ
@given(data=st.data(), params=query)
def test_anonymous_requests_never_fail_or_change_data(client, starter_content, route, data, params):
    before = snapshot()
    url = fill(route, data)
    for method in (client.get, client.head):
        assert method(url, params).status_code < 500, url
    response = client.post(url, data.draw(form_data))
    assert response.status_code < 500, url
    if not url.startswith("/accounts/"):  # signing up is the one write open to everyone
        assert snapshot() == before, url


@pytest.mark.parametrize("route", ROUTES)
@FUZZ
@given(data=st.data(), params=query)
def test_signed_in_requests_never_fail_and_refusals_change_nothing(
    client, starter_content, reader, route, data, params
):
    client.force_login(reader)
    url = fill(route, data)
    assert client.get(url, params).status_code < 500, url
    before = snapshot()
    response = client.post(url, data.draw(form_data))
    assert response.status_code < 500, url
    if response.status_code in (400, 403, 404, 405):
        assert snapshot() == before, url
    client.force_login(reader)  # a fuzzed POST may have signed the reader out


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_admin_urls_never_fail(client, starter_content, staff_user, data):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(staff_user)
        for route in ADMIN_ROUTES:
            url = fill(route, data)
            assert client.get(url).status_code < 500, url
