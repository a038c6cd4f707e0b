"""XSS through editor text, on every public page: whatever an editor (or a stolen editor account)
types into any text field comes out as inert text, in the HTML, in attributes and in JSON-LD.

The fields come from the models (tests.helpers.EDITOR_FIELDS), checked here against the
admin's own forms; the pages are every public page that shows content, and a marker test proves
that each field really appears on one of them, so no field escapes the check.
"""

import json
import re
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.core.validators import RegexValidator
from django.db.models import CharField, SlugField, TextField, URLField
from django.test import RequestFactory

from roles.models import Bookmark, Family
from tests import factories
from tests.helpers import EDITOR_FIELDS, PAYLOADS, assert_inert

pytestmark = pytest.mark.django_db

# On top of the sanitiser's own payloads: breaking out of each context a page puts text in.
CONTEXT_PAYLOADS = [
    '" onmouseover="alert(10)" x="',  # out of a double-quoted attribute
    "' onfocus='alert(11)' autofocus='",  # out of a single-quoted attribute
    "</script><script>alert(12)</script>",  # out of the JSON-LD element
    '</title><script>alert(13)</script><meta http-equiv="refresh" content="0;url=javascript:1">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxNCk8L3NjcmlwdD4=">data</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(15)>",  # mutation XSS
    "<details open ontoggle=alert(16)>",
    "[entity link](javascript&#58;alert(17)) <base href=//evil.invalid/>",
    '<style>body{background:url("javascript:alert(18)")}</style>',
]
ALL_PAYLOADS = PAYLOADS + CONTEXT_PAYLOADS
MARK = "Zebra"  # every poisoned value starts with it, so that search finds them all

# Our templates never emit these; text that produced one would have become markup.
FOREIGN_TAGS = ["iframe", "object", "embed", "base", "frame", "frameset", "applet", "math"]
URL_ATTRIBUTES = ["href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster"]


def assert_page_inert(html: str, where: str) -> None:
    """tests.test_markdown's checks, plus the contexts a page puts editor text in."""
    assert_inert(html, where)
    page = BeautifulSoup(html, "html.parser")
    assert not page.find_all(FOREIGN_TAGS), where
    assert not page.find("meta", attrs={"http-equiv": True}), where
    for tag in page.find_all(True):
        for attribute in URL_ATTRIBUTES:
            value = re.sub(r"\s", "", str(tag.get(attribute, ""))).lower()
            assert not value.startswith(("javascript:", "vbscript:", "data:text")), (
                f"{attribute} on <{tag.name}> at {where}"
            )
        style = str(tag.get("style", "")).lower()
        assert "javascript" not in style, where
        assert "expression(" not in style, where
    for style in page.find_all("style"):
        assert "alert(" not in style.get_text(), where
    for script in page.find_all("script", type="application/ld+json"):
        json.loads(script.string)  # valid JSON: the payload stayed data


# --- The fields: from the models, and the same as the admin lets an editor type into ---


def admin_text_fields(editor) -> dict:
    """Text inputs of the admin's forms, for the models and for their inline rows."""
    request = RequestFactory().get("/admin/")
    request.user = editor
    found: dict = {}

    def collect(model, form_fields):
        for name in form_fields:
            try:
                field = model._meta.get_field(name)
            except Exception:  # noqa: BLE001, S112 - a form-only field has no model field
                continue
            text = isinstance(field, (CharField, TextField))
            patterned = any(isinstance(check, RegexValidator) for check in field.validators)
            if text and not field.choices and not isinstance(field, (SlugField, URLField)):
                if patterned:
                    continue
                found.setdefault(model, set()).add(name)

    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_change_permission(request):
            continue
        collect(model, model_admin.get_form(request).base_fields)
        for inline in model_admin.get_inline_instances(request):
            collect(inline.model, inline.get_formset(request).form.base_fields)
    return found


def test_the_derived_fields_are_exactly_what_editors_can_type_into(editor):
    derived = {model: set(names) for model, names in EDITOR_FIELDS.items()}
    assert admin_text_fields(editor) == derived


# --- The poisoned site ---


@pytest.fixture
def site(editor):
    """Every content model with a row, every row on a public page; the editor, who sees all a
    reader sees and the drafts' banners too, bookmarks the guide. Three roles leave a pair
    without a curated comparison (a generated one)."""
    criteria = factories.CriterionFactory.create_batch(2)
    skill = factories.SkillFactory()
    roles = {}
    for slug in ("alpha", "beta", "gamma"):
        roles[slug] = factories.RoleFactory(slug=slug, alternative_titles="Other title")
        for criterion in criteria:
            factories.RoleCriterionValueFactory(role=roles[slug], criterion=criterion)
        factories.RoleSkillFactory(role=roles[slug], skill=skill)
    comparison = factories.ComparisonFactory(role_a=roles["alpha"], role_b=roles["beta"])
    for criterion in criteria:
        factories.ComparisonSectionFactory(comparison=comparison, criterion=criterion)
    factories.FAQFactory(comparison=comparison, slug="on-the-comparison")
    factories.ReferenceFactory(comparison=comparison)
    guide = factories.GuideFactory(from_role=roles["alpha"], to_role=roles["beta"])
    factories.GuideStepFactory(guide=guide, position=1)
    factories.FAQFactory(guide=guide, slug="on-the-guide")
    factories.ReferenceFactory(guide=guide)
    factories.FAQFactory(slug="general")
    Bookmark.objects.create(user=editor, guide=guide)
    return roles


def poison(value_for) -> None:
    """Write `value_for(model, field)` into every editor field of every row (no validation)."""
    Family.objects.filter(roles=None).delete()  # one family left: its name is unique
    for model, names in EDITOR_FIELDS.items():
        model.objects.update(**{name: value_for(model, name) for name in names})


PAGES = [  # (name, path, the status the signed-in editor gets)
    ("home", "/", 200),
    ("role catalogue", "/roles/", 200),
    ("one family", "/roles/?family=delivery", 200),
    ("bad family", "/roles/?family=nope", 400),
    ("role profile", "/roles/alpha/", 200),
    ("compare picker", "/compare/", 200),
    ("picker refusal", "/compare/?a=alpha", 400),
    ("curated comparison", "/compare/alpha-vs-beta/", 200),
    ("generated comparison", "/compare/alpha-vs-gamma/", 200),
    ("three roles", "/compare/alpha-vs-beta-vs-gamma/", 200),
    ("role compared with itself", "/compare/alpha-vs-alpha/", 400),
    ("guide", "/transitions/alpha-to-beta/", 200),
    ("guide list", "/transitions/", 200),
    ("filtered guide list", "/transitions/?from=alpha", 200),
    ("FAQ list", "/faq/", 200),
    ("comparison's question", "/faq/on-the-comparison/", 200),
    ("guide's question", "/faq/on-the-guide/", 200),
    ("general question", "/faq/general/", 200),
    ("search results", f"/search/?q={MARK}", 200),
    ("search for a value", f"/search/?q={MARK}+alert", 200),
    ("404 with suggestions", "/compare/alpha-vs-betta/", 404),
    ("bookmarks", "/bookmarks/", 200),
]


def pages(client):
    for name, url, status in PAGES:
        response = client.get(url)
        assert response.status_code == status, (name, url, response.status_code)
        yield name, url, response.text


@pytest.mark.parametrize("payload", ALL_PAYLOADS)
def test_payloads_are_inert_on_every_public_page(client, site, editor, payload):
    poison(lambda model, name: f"{MARK} {payload}")
    client.force_login(editor)
    for _, url, html in pages(client):
        assert_page_inert(html, url)


def test_json_ld_carries_the_payload_as_data(client, site):
    payload = "</script><script>alert(12)</script>"
    poison(lambda model, name: f"{MARK} {payload}")
    for url in ("/faq/", "/faq/general/", "/compare/alpha-vs-beta/", "/transitions/alpha-to-beta/"):
        page = BeautifulSoup(client.get(url).text, "html.parser")
        blocks = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
        faq_pages = [block for block in blocks if block["@type"] == "FAQPage"]
        assert faq_pages, url
        for block in faq_pages:
            for question in block["mainEntity"]:
                assert question["name"] == f"{MARK} {payload}", url  # the text, whole, as data


def test_the_sitemap_is_well_formed_xml_whatever_the_content(client, site):
    poison(lambda model, name: f"{MARK} <script>alert(1)</script> & ]]> \"'")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ElementTree.fromstring(response.content)
    assert b"<script" not in response.content


def test_the_search_query_itself_is_inert(client, site):
    """Reflected XSS: the query is shown back in the title, the box and the summary."""
    poison(lambda model, name: f"{MARK} text")
    for payload in ALL_PAYLOADS:
        response = client.get("/search/", {"q": f"{MARK} {payload}"[:200]})
        assert response.status_code == 200
        assert_page_inert(response.text, f"search for {payload}")


def test_every_editor_field_is_shown_on_a_page_above(client, site, editor):
    """Each field gets its own marker; each marker must turn up on one of the pages, so the
    payload tests above check every field where it is shown."""
    markers = {
        (model, name): f"mark{model._meta.model_name}{name.replace('_', '')}"
        for model, names in EDITOR_FIELDS.items()
        for name in names
    }
    poison(lambda model, name: markers[(model, name)])
    client.force_login(editor)
    shown = "".join(html for _, _, html in pages(client))
    missing = [f"{model.__name__}.{name}" for (model, name), m in markers.items() if m not in shown]
    assert missing == []


def test_search_highlighting_never_splits_an_escaped_character(client, site):
    """A query word that is also part of an HTML entity ("lt" of "&lt;") is marked in the text,
    never inside the entity, so the snippet shows exactly what the editor wrote."""
    poison(lambda model, name: f"{MARK} <b>bold</b> & lt gt amp quot")
    page = BeautifulSoup(client.get("/search/", {"q": f"{MARK} lt amp"}).text, "html.parser")
    snippets = page.select(".search-result__snippet")
    assert snippets
    for snippet in snippets:
        assert "<b>bold</b> & lt gt amp quot" in snippet.get_text()
        assert [mark.get_text() for mark in snippet.find_all("mark")][:3] == [MARK, "lt", "amp"]
