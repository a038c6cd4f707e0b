"""Editor text reaches HTML only through the one sanitiser: payloads come out inert everywhere."""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from roles.markdown import _render, render_markdown
from roles.models import (
    FAQ,
    Comparison,
    Criterion,
    Family,
    Guide,
    Reference,
    Role,
    Skill,
)
from tests import factories
from tests.helpers import EDITOR_FIELDS, PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payload", PAYLOADS)
def test_render_markdown_neutralises_each_payload(payload):
    html = str(render_markdown(payload))
    assert_inert(f"<div>{html}</div>", payload)
    assert "<script" not in html
    assert "<img" not in html
    assert "<svg" not in html


def test_render_markdown_keeps_plain_formatting():
    html = str(render_markdown("Some **bold** text and [a link](https://example.org)."))
    assert html == (
        '<p>Some <strong>bold</strong> text and <a href="https://example.org" '
        'rel="nofollow noopener">a link</a>.</p>'
    )


def test_render_markdown_quotes_and_code_read_as_written():
    html = str(render_markdown("> A quoted line.\n\nUse `<div>` and `a && b`."))
    assert html == (
        "<blockquote>\n<p>A quoted line.</p>\n</blockquote>\n"
        "<p>Use <code>&lt;div&gt;</code> and <code>a &amp;&amp; b</code>.</p>"
    )


def test_render_markdown_shows_raw_html_as_typed():
    html = str(render_markdown("Say <b>hi</b> & <https://example.org>"))
    assert html == (
        '<p>Say &lt;b&gt;hi&lt;/b&gt; &amp; <a href="https://example.org" '
        'rel="nofollow noopener">https://example.org</a></p>'
    )


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
    Family.objects.filter(roles=None).delete()  # one family left: its name is unique
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
