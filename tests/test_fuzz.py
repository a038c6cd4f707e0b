"""Property-based fuzzing of every URL pattern: whatever arrives, never a 5xx, and a request that
is refused changes no data. The patterns come from the URL configuration, so a new endpoint is
fuzzed without anyone listing it here; the editors' admin forms get random edits too."""

import re
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roles.admin.base import ContentAdmin
from roles.models import Bookmark, Guide, StepProgress
from tests.helpers import database_snapshot, url_patterns

pytestmark = pytest.mark.django_db


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
                "old_password",
                "new_password1",
                "new_password2",
                "email",
                "otp_token",
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
    before = database_snapshot()
    url = fill(route, data)
    for method in (client.get, client.head):
        assert method(url, params).status_code < 500, url
    response = client.post(url, data.draw(form_data))
    assert response.status_code < 500, url
    if not url.startswith("/accounts/"):  # signing up is the one write open to everyone
        assert database_snapshot() == before, url


@pytest.mark.parametrize("route", ROUTES)
@FUZZ
@given(data=st.data(), params=query)
def test_signed_in_requests_never_fail_and_refusals_change_nothing(
    client, starter_content, reader, route, data, params
):
    client.force_login(reader)
    give_state(reader)
    url = fill(route, data)
    assert client.get(url, params).status_code < 500, url
    before = database_snapshot()
    response = client.post(url, data.draw(form_data))
    assert response.status_code < 500, url
    if response.status_code in (400, 403, 404, 405):
        assert database_snapshot() == before, url
    client.force_login(reader)  # a fuzzed POST may have signed the reader out


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_admin_urls_never_fail(client, starter_content, editor, data):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(editor)  # staff with the content permissions: the deepest paths
        for route in ADMIN_ROUTES:
            url = fill(route, data)
            assert client.get(url).status_code < 500, url


def give_state(user):
    """A bookmark and a ticked step, so that a refused request that touched them would show."""
    path = Guide.objects.get(slug="account-manager-to-project-manager")
    Bookmark.objects.get_or_create(user=user, guide=path)
    StepProgress.objects.get_or_create(user=user, step=path.steps.first())


# --- The editors' admin forms: a real form, as the page sends it, with random edits ---

CONTENT_ADMINS = [
    model for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, ContentAdmin)
]  # fmt: skip


def form_fields(html: str) -> dict[str, list[str]]:
    """The fields the admin page's form would submit untouched, as a browser sends them."""
    form = BeautifulSoup(html, "html.parser").find("form", id=re.compile(r"_form$"))
    fields: dict[str, list[str]] = {}
    for tag in form.find_all(["input", "textarea", "select"]):
        name = tag.get("name")
        if not name or tag.get("type") in ("submit", "button", "file"):
            continue
        if tag.name == "textarea":
            value = tag.get_text()
        elif tag.name == "select":
            chosen = tag.find("option", selected=True)
            value = chosen.get("value", "") if chosen else ""
        elif tag.get("type") == "checkbox":
            if not tag.has_attr("checked"):
                continue
            value = tag.get("value", "on")
        else:
            value = tag.get("value", "")
        fields.setdefault(name, []).append(value)
    return fields


@pytest.mark.parametrize("model", CONTENT_ADMINS, ids=lambda model: model._meta.model_name)
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_admin_forms_with_random_edits_never_fail_and_refusals_change_nothing(
    client, starter_content, editor, model, data
):
    client.force_login(editor)
    obj = model.objects.order_by("pk").first()
    url = data.draw(
        st.sampled_from(
            [
                reverse(f"admin:roles_{model._meta.model_name}_add"),
                reverse(f"admin:roles_{model._meta.model_name}_change", args=[obj.pk]),
            ]
        )
    )
    page = client.get(url)
    assert page.status_code == 200, url
    fields = form_fields(page.text)
    names = sorted(fields)
    for name in data.draw(st.lists(st.sampled_from(names), max_size=4, unique=True)):
        fields[name] = [data.draw(values)]
    for name, value in data.draw(st.dictionaries(nasty_text, values, max_size=2)).items():
        fields.setdefault(name, [value])
    before = database_snapshot()
    response = client.post(url, fields)
    assert response.status_code < 500, (url, fields)
    if response.status_code != 302:  # shown again with its errors: nothing saved
        assert response.status_code in (200, 400, 403), url
        assert database_snapshot() == before, (url, fields)


AUTOCOMPLETE_FIELDS = [
    (model, name)
    for model, model_admin in admin.site._registry.items()
    if model in CONTENT_ADMINS
    for name in model_admin.autocomplete_fields
]


@pytest.mark.parametrize(
    ("model", "name"), AUTOCOMPLETE_FIELDS, ids=lambda v: getattr(v, "__name__", v)
)
@pytest.mark.parametrize("value", ["not-a-key", str(2**70), "-1"])
def test_a_crafted_autocomplete_value_is_a_form_error(client, editor, model, name, value):
    """Found by the fuzzing above: the admin's autocomplete widget answered 500 when the form came
    back with a value that is no key (roles.admin.base.SafeAutocompleteSelect)."""
    client.force_login(editor)
    response = client.post(reverse(f"admin:roles_{model._meta.model_name}_add"), {name: value})
    assert response.status_code == 200
    assert "errornote" in response.text


@pytest.mark.parametrize("value", ["x", "\x00", str(2**70)])
def test_admin_ids_that_cannot_be_keys_are_not_found(client, editor, value):
    """Found by the fuzzing above: the history pages looked such ids up as they came, and answered
    500 (compare for a word; every history page on PostgreSQL for NUL). Now: "does not exist"."""
    client.force_login(editor)
    object_id = quote(value, safe="")
    for model in CONTENT_ADMINS:
        prefix = f"/admin/roles/{model._meta.model_name}/{object_id}"
        for url in (f"{prefix}/history/", f"{prefix}/history/compare/", f"{prefix}/history/1/"):
            response = client.get(url)
            if "\x00" in value:  # careerguide.middleware.reject_nul_bytes answers first
                assert response.status_code == 400, url
                continue
            assert response.status_code == 302, url
            assert response["Location"] == "/admin/", url
