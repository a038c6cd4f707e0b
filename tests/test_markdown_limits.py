"""Editors' Markdown cannot take a page down: pathological text renders fast (as plain text when
the site will not format it) and is refused with a clear message at save, in the admin and in
import_content; over-long text is refused the same way; the public pages never fail."""

import json
import signal
import time
from contextlib import contextmanager
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from roles import markdown
from roles.markdown import MAX_MARKDOWN_LENGTH, markdown_problem, render_markdown
from roles.models import (
    FAQ,
    SHORT_TEXT_LENGTH,
    Comparison,
    ComparisonSection,
    Guide,
    GuideStep,
    Role,
    RoleCriterionValue,
)
from tests import factories

pytestmark = pytest.mark.django_db

FAST = 1.0  # seconds; each of these took from 0.4 s (then failed) to minutes before the limits


@contextmanager
def within(seconds: float):
    """Fail (rather than hang the run) if the block takes longer than `seconds` of this process's
    CPU time: other processes on a busy machine do not count, a runaway render does."""

    def too_slow(*_):
        raise AssertionError(f"took longer than {seconds * 5} s")

    previous = signal.signal(signal.SIGVTALRM, too_slow)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds * 5)
    start = time.process_time()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)
    elapsed = time.process_time() - start
    assert elapsed < seconds, f"took {elapsed:.2f} s"


def nested_list(depth: int, indent: str = "    ") -> str:
    return "".join(f"{indent * level}- item {level}\n" for level in range(depth))


# Text the site refuses to format (each took from 0.4 s to minutes, or failed, before the limits).
# Each fits the longest Markdown field, so only its shape is wrong, unless its name says "long".
REFUSED = {
    "unclosed [ x10000": "[" * 10_000,
    "unclosed [ in prose": "See " + "[" * 3_000 + " and more words. " * 100,
    "unclosed [ on many lines": ("[" * 50 + "\n") * 190,
    "unclosed ]( x2500": "[a](" * 2_500,
    "nested [] x5000": "[" * 5_000 + "]" * 5_000,
    "unclosed ![ x5000": "![" * 5_000,
    "[a][ x2500": "[a][" * 2_500,
    "[` x5000": "[`" * 5_000,
    "**[ x3333": "**[" * 3_333,
    "list nested 300 deep with tabs": nested_list(300, "\t")[:MAX_MARKDOWN_LENGTH],
    "list 300 markers on a line": "- " * 300 + "x",
    "ordered list 300 markers on a line": "1. " * 300 + "x",
    "blockquote >x300": ">" * 300 + " deep",
    "blockquote '> 'x89 on lines": "".join("> " * n + "q\n" for n in range(1, 90)),
    "quote and list alternating": "> - " * 300 + "x",
    "rules x2500, no blank line": "***\n" * 2_500,
    "setext headings, no blank line": "a\n===\n" * 1_666,
    "long: unclosed [ x20000": "[" * 20_000,
    "long: list nested 300 deep": nested_list(300),
    "long: prose": "Plain words in a sentence. " * 2_000,
}
# Odd but harmless text: Markdown formats it quickly, so it is accepted.
FORMATTED = {
    "run of * x10000": "*" * 10_000,
    "run of _ x10000": "_" * 10_000,
    "*_ nested": "*_" * 2_499 + "x" + "_*" * 2_499,
    "backticks x10000": "`" * 10_000,
    "backtick runs": " ".join("`" * n for n in range(1, 140)),
    "backslashes": "\\" * 10_000,
    "** x3333": "**a" * 3_333,
}
PATHOLOGICAL = {**REFUSED, **FORMATTED}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_renders_fast_and_safely(text):
    markdown._render.cache_clear()
    with within(FAST):
        html = str(render_markdown(text))
    assert html.startswith("<") or not text.strip()
    assert "<script" not in html


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_pathological_markdown_is_refused_with_a_reason(text):
    with within(FAST):
        problem = markdown_problem(text)
    assert problem
    assert problem.endswith(".")


@pytest.mark.parametrize("text", FORMATTED.values(), ids=FORMATTED.keys())
def test_odd_but_harmless_markdown_is_accepted(text):
    with within(FAST):
        assert markdown_problem(text) is None


def test_refused_text_is_shown_as_typed_in_plain_paragraphs():
    text = "First <b>para</b>\n\n" + "[" * 20_000
    html = str(render_markdown(text))
    assert html.startswith("<p>First &lt;b&gt;para&lt;/b&gt;</p><p>[[[")
    assert html.count("<p>") == 2


@pytest.mark.parametrize(
    "text",
    [
        'A [link](https://example.org) and a [titled one](https://example.org "Title").',
        "- one\n    - two\n        - three\n            - four\n\n> quoted\n> > twice",
        "Some `code [` and an escaped \\[ bracket, a stray [ bracket, **bold** and _em_.",
        "\n".join(f"- [Further reading {n}](https://example.org/{n})" for n in range(200)),
        ("A long paragraph with a [link](https://example.org/page) in it. " * 30 + "\n\n") * 4,
    ],
    ids=["links", "nesting", "mixed", "200 links in a list", "long paragraphs"],
)
def test_real_editorial_markdown_is_still_formatted(text):
    assert markdown_problem(text) is None
    assert "<" in str(render_markdown(text))


def test_the_starter_content_is_all_accepted(starter_content):
    fields = {
        Role: ["description"],
        RoleCriterionValue: ["detail"],
        Comparison: ["intro", "verdict"],
        ComparisonSection: ["body"],
        Guide: ["summary"],
        GuideStep: ["body"],
        FAQ: ["answer"],
    }
    for model, names in fields.items():
        for obj in model.objects.all():
            obj.full_clean()
            for name in names:
                assert markdown_problem(getattr(obj, name)) is None


# --- Model validation: every Markdown field, and the length limits ---


@pytest.fixture
def content(db):
    a = factories.RoleFactory(slug="alpha", name="Alpha role")
    b = factories.RoleFactory(slug="beta", name="Beta role")
    criterion = factories.CriterionFactory()
    value = factories.RoleCriterionValueFactory(role=a, criterion=criterion)
    comparison = factories.ComparisonFactory(role_a=a, role_b=b)
    section = factories.ComparisonSectionFactory(comparison=comparison, criterion=criterion)
    guide = factories.GuideFactory(from_role=a, to_role=b)
    step = factories.GuideStepFactory(guide=guide, position=1)
    faq = factories.FAQFactory(comparison=comparison)
    factories.FAQFactory(question="A general question?", slug="general-question")
    return {
        "role": a,
        "value": value,
        "comparison": comparison,
        "section": section,
        "guide": guide,
        "step": step,
        "faq": faq,
    }


MARKDOWN_FIELDS = [
    ("role", "description", MAX_MARKDOWN_LENGTH),
    ("value", "detail", SHORT_TEXT_LENGTH),
    ("comparison", "intro", MAX_MARKDOWN_LENGTH),
    ("comparison", "verdict", MAX_MARKDOWN_LENGTH),
    ("section", "body", MAX_MARKDOWN_LENGTH),
    ("guide", "summary", SHORT_TEXT_LENGTH),
    ("step", "body", MAX_MARKDOWN_LENGTH),
    ("faq", "answer", MAX_MARKDOWN_LENGTH),
]
FIELD_IDS = [f"{key}.{name}" for key, name, _ in MARKDOWN_FIELDS]
BAD = {"unclosed brackets": "[" * 2_000, "deep list": "- " * 300 + "x", "deep quote": ">" * 300}


def field_errors(obj, name) -> str:
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    return " ".join(excinfo.value.message_dict[name])


@pytest.mark.parametrize(("key", "name", "limit"), MARKDOWN_FIELDS, ids=FIELD_IDS)
@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_model_validation_refuses_pathological_markdown(content, key, name, limit, bad):
    obj = content[key]
    setattr(obj, name, bad)
    with within(FAST):
        message = field_errors(obj, name)
    assert "the site shows at most" in message or "too many “[”" in message


@pytest.mark.parametrize(("key", "name", "limit"), MARKDOWN_FIELDS, ids=FIELD_IDS)
def test_model_validation_refuses_text_over_the_limit(content, key, name, limit):
    obj = content[key]
    setattr(obj, name, "word " * (limit // 5) + "x")
    assert f"at most {limit} characters" in field_errors(obj, name)
    setattr(obj, name, ("word " * (limit // 5))[:limit])
    obj.full_clean()  # exactly the limit is fine
    assert f"up to {limit:,} characters" in obj._meta.get_field(name).help_text


def test_alternative_titles_have_a_limit_too(content):
    role = content["role"]
    role.alternative_titles = "Another title\n" * 200
    assert f"at most {SHORT_TEXT_LENGTH} characters" in field_errors(role, "alternative_titles")


# --- The admin ---


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:roles_{model._meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """What a browser would submit for the admin form on the page, as it stands."""
    form = BeautifulSoup(response.content, "html.parser").select_one("#content-main form")
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or "__prefix__" in name:
            continue
        if field.name == "textarea":
            value = field.text.removeprefix("\n").removeprefix("\r\n")
        elif field.name == "select":
            chosen = field.find_all("option", selected=True) or field.find_all("option")[:1]
            value = chosen[0].get("value", chosen[0].text) if chosen else ""
        elif field.get("type") in {"checkbox", "radio"}:
            if not field.has_attr("checked"):
                continue
            value = field.get("value", "on")
        elif field.get("type") in {"submit", "button", "reset", "file", "image"}:
            continue
        else:
            value = field.get("value", "")
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


# (admin page's object, form field: a field of the page's model or of an inline's first row)
ADMIN_FIELDS = [
    ("role", "description"),
    ("role", "criterion_values-0-detail"),
    ("comparison", "intro"),
    ("comparison", "verdict"),
    ("comparison", "sections-0-body"),
    ("comparison", "faqs-0-answer"),
    ("guide", "summary"),
    ("guide", "steps-0-body"),
    ("faq", "answer"),
]
TOO_LONG = "word " * (MAX_MARKDOWN_LENGTH // 5) + "more"


@pytest.mark.parametrize(("key", "field"), ADMIN_FIELDS, ids=[f"{k}.{f}" for k, f in ADMIN_FIELDS])
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("[" * 9_000, "too many “[” or “](”"),
        (nested_list(60, "\t"), "levels deep"),
        ("> " * 300 + "deep", "levels deep"),
        (TOO_LONG, "characters (it has"),
    ],
    ids=["brackets", "deep list", "deep quote", "too long"],
)
def test_the_admin_refuses_with_a_clear_message(client, editor, content, key, field, bad, message):
    obj = content[key]
    model = type(obj)
    client.force_login(editor)
    url = admin_url(model, "change", obj.pk)
    data = form_data(client.get(url))
    assert field in data
    data[field] = bad
    with within(3 * FAST):
        response = client.post(url, data)
    assert response.status_code == 200
    errors = " ".join(
        e.get_text(" ", strip=True)
        for e in BeautifulSoup(response.content, "html.parser").select(".errorlist")
    )
    assert message in errors
    obj.refresh_from_db()
    if "-" not in field:  # a field of the page's own object, not of an inline row
        assert getattr(obj, field) != bad


def test_the_admin_still_saves_ordinary_markdown(client, editor, content):
    role = content["role"]
    client.force_login(editor)
    url = admin_url(Role, "change", role.pk)
    data = form_data(client.get(url))
    data["description"] = "A [link](https://example.org) and\n\n- a\n    - nested list"
    assert client.post(url, data).status_code == 302
    role.refresh_from_db()
    assert role.description.startswith("A [link]")


# --- import_content ---


def export() -> dict:
    out = StringIO()
    call_command("export_content", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def import_(document: dict, tmp_path) -> None:
    path = tmp_path / "content.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    call_command("import_content", str(path), stdout=StringIO())


def _role(document):
    return next(r for r in document["roles"] if r["slug"] == "alpha")


def _first(mapping: dict) -> dict:
    return next(iter(mapping.values()))


# Where in the document to put the text, and the record and field the error must name.
IMPORT_FIELDS = {
    "role description": (lambda d: _role(d), "description", "roles[alpha]: description:"),
    "value detail": (
        lambda d: _first(_role(d)["values"]),
        "detail",
        "roles[alpha].values.criterion-",
    ),
    "comparison intro": (lambda d: d["comparisons"][0], "intro", ": intro:"),
    "comparison verdict": (lambda d: d["comparisons"][0], "verdict", ": verdict:"),
    "comparison section": (
        lambda d: d["comparisons"][0]["sections"],
        None,
        "comparisons[alpha-vs-beta].sections.criterion-",
    ),
    "comparison faq": (
        lambda d: d["comparisons"][0]["faqs"][0],
        "answer",
        "comparisons[alpha-vs-beta].faqs[",
    ),
    "guide summary": (lambda d: d["guides"][0], "summary", "guides[alpha-to-beta]: summary:"),
    "guide step": (lambda d: d["guides"][0]["steps"][0], "body", "guides[alpha-to-beta].steps[1]"),
    "general faq": (lambda d: d["faqs"][0], "answer", "faqs[general-question]: answer:"),
}


@pytest.mark.parametrize("where", IMPORT_FIELDS.values(), ids=IMPORT_FIELDS.keys())
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("[" * 1_900, "too many “[” or “](”"),
        ("- " * 300 + "x", "levels deep"),
        (">" * 300, "levels deep"),
        (TOO_LONG, "characters (it has"),
    ],
    ids=["brackets", "deep list", "deep quote", "too long"],
)
def test_import_content_refuses_with_a_clear_message(content, tmp_path, where, bad, message):
    container, key, names = where
    document = export()
    before = json.dumps(document, sort_keys=True)
    record = container(document)
    record[key or next(iter(record))] = bad  # a section is keyed by its criterion's slug
    with within(5 * FAST), pytest.raises(CommandError) as excinfo:
        import_(document, tmp_path)
    text = str(excinfo.value)
    assert message in text, text
    assert names in text, text
    assert json.dumps(export(), sort_keys=True) == before  # nothing was written


# --- The public pages never fail, whatever is already in the database ---


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_public_pages_answer_fast_whatever_the_stored_markdown(client, content, text):
    """Rows written around validation (a raw update, an old import) still cannot fail a page."""
    markdown._render.cache_clear()
    comparison, guide, faq = content["comparison"], content["guide"], content["faq"]
    Role.objects.filter(pk=content["role"].pk).update(description=text)
    RoleCriterionValue.objects.update(detail=text)
    Comparison.objects.update(intro=text, verdict=text)
    ComparisonSection.objects.update(body=text)
    Guide.objects.update(summary=text)
    GuideStep.objects.update(body=text)
    FAQ.objects.update(answer=text)
    for url in (
        content["role"].get_absolute_url(),
        comparison.get_absolute_url(),
        guide.get_absolute_url(),
        faq.get_absolute_url(),
        "/faq/",
    ):
        with within(3 * FAST):
            response = client.get(url)
        assert response.status_code == 200, url
