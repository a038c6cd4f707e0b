"""Editor text reaches HTML only through the one sanitiser: payloads come out inert everywhere."""

import json
import re

import pytest
import reversion
from bs4 import BeautifulSoup
from django.db.models import CharField, SlugField, TextField, URLField
from django.urls import reverse
from reversion.models import Version

from roles.markdown import _render, render_markdown
from roles.models import (
    FAQ,
    Comparison,
    Criterion,
    Guide,
    Reference,
    Role,
    Skill,
)
from roles.registry import content_models
from tests import factories

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('s')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(2)" onclick="alert(3)">link</a>',
    "[markdown link](javascript:alert(4))",
    "[encoded](jav&#x09;ascript:alert(5))",
    "<svg onload=alert(6)>",
    '<iframe src="javascript:alert(7)"></iframe>',
    '"><script>alert(8)</script>',
    "**bold** and _emphasis_",
]


def editor_text_fields() -> dict:
    """Every text field an editor can type into, found from the content models themselves:
    editable CharFields and TextFields without fixed choices (slugs and URLs are validated)."""
    fields = {}
    for model in content_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (CharField, TextField))
            and field.editable
            and not field.choices
            and not isinstance(field, (SlugField, URLField))
        ]
        if names:
            fields[model] = names
    return fields


EDITOR_FIELDS = editor_text_fields()


def assert_inert(html: str, where: str) -> None:
    page = BeautifulSoup(html, "html.parser")
    for script in page.find_all("script"):
        if script.get("type") == "application/ld+json":
            # Data, never run: it may quote the payload, but as valid JSON that cannot close
            # the element (every "<" is escaped).
            json.loads(script.string)
            assert "<" not in script.string, where
            continue
        assert script.get("src") or script.get("type") == "application/json", where
        assert "alert(" not in script.get_text(), where
    for tag in page.find_all(["img", "svg", "iframe", "object", "embed"]):
        assert "alert(" not in str(tag) and tag.get("src") != "x", f"<{tag.name}> on {where}"
    for tag in page.find_all(True):
        handlers = [name for name in tag.attrs if name.lower().startswith("on")]
        assert not handlers, f"{handlers} on <{tag.name}> at {where}"
        for attribute in ("href", "src", "action", "formaction"):
            value = re.sub(r"\s", "", str(tag.get(attribute, ""))).lower()
            assert not value.startswith("javascript:"), f"{attribute} at {where}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_render_markdown_neutralises_each_payload(payload):
    html = str(render_markdown(payload))
    assert_inert(f"<div>{html}</div>", payload)
    assert "<script" not in html and "<img" not in html and "<svg" not in html


def test_render_markdown_keeps_plain_formatting():
    html = str(render_markdown("Some **bold** text and [a link](https://example.org)."))
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener"' in html


def test_render_markdown_quotes_and_code_read_as_written():
    html = str(render_markdown("> A quoted line.\n\nUse `<div>` and `a && b`."))
    assert "<blockquote>" in html and "<p>A quoted line.</p>" in html
    assert "<code>&lt;div&gt;</code>" in html and "<code>a &amp;&amp; b</code>" in html


def test_render_markdown_shows_raw_html_as_typed():
    html = str(render_markdown("Say <b>hi</b> & <https://example.org>"))
    assert "&lt;b&gt;hi&lt;/b&gt; &amp;" in html and "<b>" not in html
    assert '<a href="https://example.org" rel="nofollow noopener">' in html


def test_render_markdown_reuses_the_html_of_a_text_seen_before():
    text = "A text rendered **twice** in this test."
    first = render_markdown(text)
    hits = _render.cache_info().hits
    assert render_markdown(text) == first
    assert _render.cache_info().hits == hits + 1


@pytest.fixture(params=PAYLOADS)
def payload(request):
    return request.param


@pytest.fixture
def poisoned(criteria, payload):
    """Every editor field of every content model holds the payload (each fits every field)."""
    skill = factories.SkillFactory()
    a = factories.RoleFactory(slug="alpha")
    b = factories.RoleFactory(slug="beta")
    for role in (a, b):
        for criterion in criteria:
            factories.RoleCriterionValueFactory(role=role, criterion=criterion)
        factories.RoleSkillFactory(role=role, skill=skill)
    comparison = factories.ComparisonFactory(role_a=a, role_b=b)
    factories.ComparisonSectionFactory(comparison=comparison, criterion=criteria[0])
    faq = factories.FAQFactory(comparison=comparison, slug="poisoned-question")
    factories.ReferenceFactory(comparison=comparison)
    path = factories.GuideFactory(from_role=a, to_role=b)
    factories.GuideStepFactory(guide=path, position=1)
    factories.FAQFactory(guide=path)
    factories.ReferenceFactory(guide=path)
    for model, fields in EDITOR_FIELDS.items():
        model.objects.update(**dict.fromkeys(fields, payload))  # bypasses form validation
    return {"role": a, "comparison": comparison, "guide": path, "faq": faq}


def public_urls(objects) -> list[str]:
    return [
        reverse("roles:home"),
        reverse("roles:role_list"),
        reverse("roles:compare"),
        objects["role"].get_absolute_url(),
        objects["comparison"].get_absolute_url(),
        reverse("roles:comparison_detail", kwargs={"slugs": "alpha-vs-beta"}),
        objects["guide"].get_absolute_url(),
        objects["faq"].get_absolute_url(),
    ]


@pytest.mark.parametrize("viewer", ["anonymous", "editor"])
def test_payloads_in_every_field_are_inert_on_every_public_page(client, poisoned, viewer, request):
    if viewer == "editor":
        client.force_login(request.getfixturevalue("editor"))
    for url in public_urls(poisoned):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.text, url)


def test_payloads_are_inert_in_the_admin_too(client, poisoned, payload, editor):
    client.force_login(editor)
    urls = [
        reverse(f"admin:roles_{model._meta.model_name}_changelist")
        for model in (Role, Criterion, Skill, Comparison, Guide, FAQ, Reference)
    ]
    urls += [
        reverse("admin:roles_role_change", args=[poisoned["role"].pk]),
        reverse("admin:roles_comparison_change", args=[poisoned["comparison"].pk]),
        reverse("admin:roles_guide_change", args=[poisoned["guide"].pk]),
    ]
    role = poisoned["role"]
    for summary in ("Before", payload):  # two revisions, so the history has a diff to show
        with reversion.create_revision():
            role.summary = summary
            role.save()
    first, second = Version.objects.get_for_object(role).order_by("pk")
    compare = reverse("admin:roles_role_compare", args=[role.pk])
    urls.append(f"{compare}?version_id1={first.pk}&version_id2={second.pk}")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<script>alert(" not in response.text, url
        assert 'onerror="alert' not in response.text, url
        assert "<svg onload" not in response.text, url
