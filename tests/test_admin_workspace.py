"""The editors' workspace: the admin in CareerGuide's words, room to write, reviewed dates, the
link checker's results, the Markdown preview and the attention list (issue 20)."""

import datetime
import json
import re

import pytest
from django.core.validators import MaxLengthValidator
from django.db.models import CharField, TextField
from django.urls import reverse
from django.utils import timezone

from roles.caching import bump_content_version
from roles.content_io import ContentError, content_export, content_import
from roles.markdown import MAX_MARKDOWN_LENGTH, render_markdown, validate_markdown
from roles.models import FAQ, Comparison, Guide, Role
from roles.registry import content_models
from tests import factories
from tests.helpers import PAYLOADS, ROOT, admin_url, assert_inert, soup

pytestmark = pytest.mark.django_db

# The inline rows' parent keys are hidden on their parent's page; everything else is shown.
PARENT_KEYS = {
    ("RoleCriterionValue", "role"),
    ("RoleSkill", "role"),
    ("ComparisonSection", "comparison"),
    ("GuideStep", "guide"),
}


@pytest.fixture
def content(make_role, criteria):
    a = make_role(slug="alpha", name="Alpha role")
    b = make_role(slug="beta", name="Beta role")
    comparison = factories.ComparisonFactory(role_a=a, role_b=b, title="Alpha vs Beta")
    factories.ComparisonSectionFactory(comparison=comparison, criterion=criteria[0])
    factories.FAQFactory(comparison=comparison, question="Which pays more?", position=1)
    factories.ReferenceFactory(comparison=comparison, title="A source")
    guide = factories.GuideFactory(from_role=a, to_role=b)
    factories.GuideStepFactory(guide=guide, position=1, title="Learn the basics")
    return {"comparison": comparison, "guide": guide, "roles": (a, b)}


# --- 1. Branded, and in the site's words ---


def test_the_admin_is_branded_as_careerguides_editors(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    assert "Django administration" not in page.text
    assert "Django site admin" not in page.text
    assert soup(page).select_one("#site-name").get_text(strip=True) == "CareerGuide editors"
    assert "CareerGuide editors" in soup(page).title.get_text()


def test_every_field_an_editor_fills_in_says_what_it_is_for_and_its_limit():
    missing, no_limit, bare_markdown = [], [], []
    for model in content_models():
        for field in model._meta.concrete_fields:
            if not field.editable or field.auto_created:
                continue
            if (model.__name__, field.name) in PARENT_KEYS or field.name in ("source", "release"):
                continue
            if model.__name__ == "Role" and field.name == "job_zone":
                continue  # set by the import, shown read-only
            where = f"{model.__name__}.{field.name}"
            help_text = str(field.help_text)
            if len(help_text) < 15:
                missing.append(where)
                continue
            limits = [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)]
            limit = min(limits, default=None)
            is_text = isinstance(field, (CharField, TextField)) and not field.choices
            # Codes of a few characters are explained by their pattern instead.
            if is_text and limit and limit > 10 and f"{limit:,}" not in help_text:
                no_limit.append(where)
            if validate_markdown in field.validators and help_text.startswith("Markdown"):
                bare_markdown.append(where)
    assert missing == []
    assert no_limit == []
    assert bare_markdown == []  # each says where the text appears before "Markdown"


def test_labels_match_the_pages(client, editor, content):
    client.force_login(editor)
    guide = client.get(admin_url(Guide, "change", content["guide"].pk)).text
    assert "Months min" not in guide
    assert "Months max" not in guide
    assert "Typical time from (months)" in guide
    index = client.get(reverse("admin:index")).text
    assert "Transition paths" not in index
    assert "Transition guides" in index


# --- 2. Room to write ---


def test_sections_steps_and_faqs_are_stacked_rows_headed_by_what_they_are_about(
    client, editor, content, criteria
):
    client.force_login(editor)
    page = soup(client.get(admin_url(Comparison, "change", content["comparison"].pk)))
    for prefix in ("sections", "faqs"):
        group = page.select_one(f"#{prefix}-group")
        assert group["data-inline-type"] == "stacked", prefix
        assert group.select("textarea.prose-editor"), prefix
    headings = [h.get_text(" ", strip=True) for h in page.select("#sections-group h3")]
    assert headings[0].startswith(criteria[0].name)  # the saved row, by its criterion
    assert headings[1].startswith(criteria[1].name)  # a pre-filled row, by its criterion
    assert not any("Narrative section:" in heading for heading in headings)
    faq_headings = [h.get_text(" ", strip=True) for h in page.select("#faqs-group h3")]
    assert faq_headings[0].startswith("1. Which pays more?")

    guide = soup(client.get(admin_url(Guide, "change", content["guide"].pk)))
    assert guide.select_one("#steps-group")["data-inline-type"] == "stacked"
    assert (
        guide.select_one("#steps-group h3")
        .get_text(" ", strip=True)
        .startswith("1. Learn the basics")
    )


def test_long_text_fields_are_growing_editors_from_static_files(client, editor, content):
    client.force_login(editor)
    page = soup(client.get(admin_url(Role, "change", content["roles"][0].pk)))
    description = page.select_one("textarea[name=description]")
    assert "prose-editor" in description["class"]
    stylesheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
    scripts = [script.get("src") for script in page.select("script")]
    assert any(href.endswith("admin-extra/editors.css") for href in stylesheets)
    assert any(src and src.endswith("admin-extra/editors.js") for src in scripts)
    css = (ROOT / "static/admin-extra/editors.css").read_text()
    assert re.search(r"textarea\.prose-editor\s*{[^}]*field-sizing:\s*content", css)
    js = (ROOT / "static/admin-extra/editors.js").read_text()
    assert "scrollHeight" in js  # the fallback where field-sizing is not supported


# --- 5. Reviewed dates ---


def _action(client, model, action, objects):
    return client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


@pytest.mark.parametrize("model", [Role, Comparison, Guide, FAQ], ids=lambda m: m.__name__)
def test_mark_as_reviewed_today_sets_the_date_in_one_action(client, editor, content, model):
    client.force_login(editor)
    objects = list(model.objects.all()[:2])
    assert all(obj.reviewed_on is None for obj in objects)
    response = _action(client, model, "mark_reviewed", objects)
    assert response.status_code == 200
    assert "as reviewed today" in response.text
    today = timezone.localdate()
    assert {obj.reviewed_on for obj in model.objects.filter(pk__in=[o.pk for o in objects])} == {
        today
    }
    assert "Mark as reviewed today" in client.get(admin_url(model, "changelist")).text


def test_curated_pages_say_when_they_were_reviewed(client, content):
    comparison, guide = content["comparison"], content["guide"]
    role = content["roles"][0]
    faq = comparison.faqs.get()
    for obj in (comparison, guide, role, faq):
        page = client.get(obj.get_absolute_url())
        assert soup(page).select_one(".page-reviewed") is None, obj  # never reviewed: nothing
    day = datetime.date(2026, 3, 14)
    for obj in (comparison, guide, role, faq):
        type(obj).objects.filter(pk=obj.pk).update(reviewed_on=day)
    bump_content_version()
    for obj in (comparison, guide, role, faq):
        line = soup(client.get(obj.get_absolute_url())).select_one(".page-reviewed")
        assert line.get_text(" ", strip=True) == "Reviewed March 2026", obj
        assert line.time["datetime"] == "2026-03"


def test_imported_pages_show_their_data_release_instead(client, content, onet_occupation):
    occupation = onet_occupation("data-analyst", release="30.1")
    other = onet_occupation("data-scientist", release="30.1")
    line = soup(client.get(occupation.get_absolute_url())).select_one(".page-reviewed")
    assert line.get_text(" ", strip=True) == "From the O*NET 30.1 data release"
    generated = client.get(
        reverse("roles:comparison_detail", kwargs={"slugs": "data-analyst-vs-data-scientist"})
    )
    assert other.slug in generated.text
    line = soup(generated).select_one(".page-reviewed")
    assert line.get_text(" ", strip=True) == "From the O*NET 30.1 data release"


def test_reviewed_dates_go_through_content_export_and_import(content):
    comparison = content["comparison"]
    Comparison.objects.filter(pk=comparison.pk).update(reviewed_on=datetime.date(2026, 3, 14))
    document = json.loads(content_export())
    exported = next(c for c in document["comparisons"] if c["title"] == "Alpha vs Beta")
    assert exported["reviewed_on"] == "2026-03-14"
    exported["reviewed_on"] = "2026-04-01"
    content_import(data=document, update=True)
    comparison.refresh_from_db()
    assert comparison.reviewed_on == datetime.date(2026, 4, 1)
    exported["reviewed_on"] = "last spring"
    with pytest.raises(ContentError) as error:
        content_import(data=document, update=True)
    assert "a date such as 2026-03-14" in str(error.value)


# --- 3. Preview beside the text ---


def _preview(client, text="**bold**"):
    return client.post(reverse("admin:markdown_preview"), {"text": text})


def test_the_preview_is_refused_to_anonymous_readers_and_non_staff(client, reader, staff_user):
    assert _preview(client).status_code == 403
    client.force_login(reader)
    assert _preview(client).status_code == 403
    inactive = factories.UserFactory(username="former-editor", is_staff=True, is_active=False)
    client.force_login(inactive)
    assert _preview(client).status_code == 403


def test_the_preview_needs_a_csrf_token_and_a_post(editor):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    assert _preview(browser).status_code == 403  # no token
    assert browser.get(reverse("admin:markdown_preview")).status_code == 405


def test_the_preview_renders_with_the_sites_sanitiser(client, editor):
    client.force_login(editor)
    response = _preview(client, "Some **bold** and a [link](https://example.org).")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert response.text == str(render_markdown("Some **bold** and a [link](https://example.org)."))
    for payload in PAYLOADS:
        html = _preview(client, payload).text
        assert_inert(html, f"preview of {payload!r}")
        assert "<script" not in html


def test_the_preview_says_why_text_would_show_as_plain_text(client, editor):
    client.force_login(editor)
    nested = "\n".join(">" * 20 + " deep" for _ in range(2))
    html = _preview(client, nested).text
    assert "markdown-preview__problem" in html
    assert "nests 20 levels deep" in html
    too_long = _preview(client, "x" * (2 * MAX_MARKDOWN_LENGTH + 1))
    assert too_long.status_code == 413


def test_the_preview_is_rate_limited_per_editor(client, editor, superuser, monkeypatch):
    monkeypatch.setattr("roles.admin.preview.PREVIEW_LIMIT", 3)
    client.force_login(editor)
    assert [_preview(client).status_code for _ in range(4)] == [200, 200, 200, 429]
    client.force_login(superuser)  # another editor has their own allowance
    assert _preview(client).status_code == 200


def test_every_markdown_field_is_marked_for_the_preview(client, editor, content):
    client.force_login(editor)
    url = str(reverse("admin:markdown_preview"))
    page = soup(client.get(admin_url(Comparison, "change", content["comparison"].pk)))
    marked = {t["name"] for t in page.select("textarea[data-markdown-preview]")}
    assert {"intro", "verdict", "sections-0-body", "faqs-0-answer"} <= marked
    assert "key_differences" not in marked  # plain text
    assert {t["data-markdown-preview"] for t in page.select("textarea[data-markdown-preview]")} == {
        url
    }
    role = soup(client.get(admin_url(Role, "change", content["roles"][0].pk)))
    marked = {t["name"] for t in role.select("textarea[data-markdown-preview]")}
    assert {"description", "criterion_values-0-detail"} <= marked
    assert "alternative_titles" not in marked


def test_view_on_site_opens_a_draft_with_its_banner(client, editor, content):
    comparison, guide = content["comparison"], content["guide"]
    Comparison.objects.filter(pk=comparison.pk).update(published=False)
    Guide.objects.filter(pk=guide.pk).update(published=False)
    client.force_login(editor)
    for obj in (comparison, guide):
        change = soup(client.get(admin_url(type(obj), "change", obj.pk)))
        link = change.select_one("a.viewsitelink")
        page = client.get(link["href"], follow=True)
        assert page.status_code == 200
        assert page.redirect_chain[-1][0].endswith(obj.get_absolute_url())
        assert soup(page).select_one(".draft-banner"), obj
    client.logout()
    assert client.get(comparison.get_absolute_url()).status_code == 200  # generated, for readers
    assert soup(client.get(comparison.get_absolute_url())).select_one(".draft-banner") is None
    # A draft guide's address shows readers the generated plan for the pair, not the draft.
    public = client.get(guide.get_absolute_url())
    assert public.status_code == 200
    assert soup(public).select_one(".draft-banner") is None
    assert soup(public).select_one(".plan__note"), "the generated plan, not the draft guide"


# --- 7. Every admin page still answers ---


def _roles_admins():
    from django.contrib import admin

    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label == "roles"]  # fmt: skip


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_every_roles_admin_page_and_filter_answers_200(request, client, content, who):
    client.force_login(request.getfixturevalue(who))
    factories.FamilyFactory()
    assert client.get(reverse("admin:index")).status_code == 200
    followed = 0
    for model, model_admin in _roles_admins():
        changelist = client.get(admin_url(model, "changelist"))
        assert changelist.status_code == 200, model
        for link in soup(changelist).select("#changelist-filter a[href^='?']"):
            followed += 1
            assert client.get(admin_url(model, "changelist") + link["href"]).status_code == 200, (
                model,
                link["href"],
            )
        if model_admin.has_add_permission(changelist.wsgi_request):
            assert client.get(admin_url(model, "add")).status_code == 200, model
        obj = model.objects.first()
        if obj is not None:
            assert client.get(admin_url(model, "change", obj.pk)).status_code == 200, model
            assert client.get(admin_url(model, "history", obj.pk)).status_code == 200, model
    assert followed > 30  # the link-check and reviewed-date filters among them
