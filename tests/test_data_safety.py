"""Data safety: content survives export, an empty database and import, field for field; a bad
content file is refused whole with a message and changes nothing; the migrations run back to
zero and forwards again, leaving the same schema. Each runs on SQLite and on PostgreSQL."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from roles.content_io import ContentError, content_export, content_import
from roles.models import Difficulty, Role
from roles.registry import content_models
from tests import factories
from tests.helpers import database_snapshot

# Text that has tripped exporters before: every script and symbol, line endings, quotes,
# markup, JSON's own escapes, and the longest value a field holds.
TRICKY = (
    "Négociation · 交渉 · مفاوضة · 🧭✓ — “quotes” 'single' \"double\" \\back\\slash "
    "</script><b>bold</b> &amp; {{ x }} {% y %}\tTab\r\nCRLF\nLF\u200bzero-width"
)


def natural_snapshot() -> dict:
    """Every content row's fields, keys and timestamps left out, relations by their slug: the
    content itself, comparable across two databases whose primary keys differ. A comparison's
    two roles are a pair: which one the database calls role_a is not content."""
    rows = {}
    for model in content_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in ("id", "created_at", "updated_at")
        ]
        found = []
        for obj in model.objects.all():
            row = {}
            for f in fields:
                value = getattr(obj, f.name)
                if f.is_relation and value is not None:
                    value = getattr(value, "slug", None) or str(value)
                row[f.name] = value
            if model.__name__ == "Comparison":
                row["role_a"], row["role_b"] = sorted([row["role_a"], row["role_b"]])
            found.append(repr(sorted(row.items())))
        rows[model.__name__] = sorted(found)
    return rows


def rich_content() -> None:
    """Beyond the starter content: drafts of every kind, every optional field filled, general
    and attached FAQs and references, a gap in step positions, and tricky text everywhere."""
    call_command("load_starter_content", verbosity=0)
    # Names as the admin stores them: its forms strip surrounding spaces, and so does the importer.
    skill = factories.SkillFactory(name=TRICKY[:60].strip(), slug="odd-slug", published=False)
    criterion = factories.CriterionFactory(
        name="Draft criterion", slug="draft-criterion", question=TRICKY, published=False
    )
    role = factories.RoleFactory(
        name="É" * 120,
        slug="tricky-role",
        summary=TRICKY,
        description=TRICKY * 3,
        family_id="operations",
        alternative_titles="First title\nSecond title ✓",
        published=False,
    )
    factories.RoleCriterionValueFactory(role=role, criterion=criterion, detail=TRICKY)
    factories.RoleSkillFactory(role=role, skill=skill, importance=5)
    other = Role.objects.get(slug="account-manager")
    comparison = factories.ComparisonFactory(
        role_a=role,
        role_b=other,
        title=TRICKY[:200].strip(),
        intro=TRICKY,
        verdict="",
        published=False,
    )
    factories.ComparisonSectionFactory(comparison=comparison, criterion=criterion, body=TRICKY)
    factories.FAQFactory(comparison=comparison, slug="tricky-faq", answer=TRICKY, position=7)
    factories.ReferenceFactory(comparison=comparison, title=TRICKY[:200].strip(), position=2)
    path = factories.GuideFactory(
        from_role=other,
        to_role=role,
        summary=TRICKY,
        difficulty=Difficulty.HARD,
        months_min=1,
        months_max=36,
        published=False,
    )
    factories.GuideStepFactory(guide=path, position=1, title="First", body=TRICKY)
    factories.GuideStepFactory(guide=path, position=3, title="Third", body="")
    factories.FAQFactory(guide=path, slug="guide-faq", published=False)
    factories.ReferenceFactory(guide=path, published=False, url="https://example.org/a?b=c")
    factories.FAQFactory(slug="general-draft", published=False, position=3)
    factories.ReferenceFactory(title="General reference", url="http://example.org/general")


def export_command(*args) -> str:
    out = StringIO()
    call_command("export_content", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_export_empty_database_import_export_is_identical(tmp_path):
    rich_content()
    first = tmp_path / "content.json"
    export_command(str(first))
    before = natural_snapshot()
    assert all(before.values()), "every content model has rows to carry over"

    call_command("flush", "--noinput", verbosity=0)  # a truly empty database: users too
    # Empty but for the editors' families, which every migrate or flush makes again.
    assert not any(rows for name, rows in natural_snapshot().items() if name != "Family")
    assert not User.objects.exists()

    call_command("import_content", str(first), stdout=StringIO())
    second = tmp_path / "again.json"
    export_command(str(second))
    assert second.read_bytes() == first.read_bytes()
    assert natural_snapshot() == before  # every field of every row, not just what is exported


# --- Bad content files: refused whole, with a message, and nothing changes ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not UTF-8", "not valid JSON"),
        (b"[" * 50_000 + b"]" * 50_000, "not valid JSON"),  # nested past the parser's depth
        (b'{"roles": [{"slug": "nul", "name": "a\\u0000b", "family": "operations"}]}', "NUL"),
        (b'{"skills": ["a\\u0000b"]}', "NUL"),
        (b'{"criteria": [{"slug": "big", "name": "Big", "position": 1e400}]}', "position"),
        (
            b'{"criteria": [{"slug": "big", "name": "Big", "position": 99999999999999999999}]}',
            "less",
        ),
        (
            b'{"roles": [{"slug": "x", "name": "X", "family": "operations", "values": [1]}]}',
            "mapping",
        ),
        (b'{"references": [{"title": "T", "url": "https://example.org/\\u0000"}]}', "NUL"),
        (b'{"guides": [{"from": null, "to": []}]}', "no role"),
    ],
)
def test_a_bad_content_file_is_refused_with_a_message(starter_content, tmp_path, content, message):
    path = tmp_path / "content.json"
    path.write_bytes(content)
    before = database_snapshot()
    with pytest.raises(CommandError, match=message):
        call_command("import_content", str(path), stdout=StringIO())
    assert database_snapshot() == before


@pytest.fixture
def small_document(db):
    """A small but complete document to mutate: each kind of record, with its children."""
    criteria = factories.CriterionFactory.create_batch(2)
    a, b = factories.RoleFactory(slug="alpha"), factories.RoleFactory(slug="beta")
    skill = factories.SkillFactory()
    for role in (a, b):
        factories.RoleSkillFactory(role=role, skill=skill)
        for criterion in criteria:
            factories.RoleCriterionValueFactory(role=role, criterion=criterion)
    comparison = factories.ComparisonFactory(role_a=a, role_b=b)
    factories.ComparisonSectionFactory(comparison=comparison, criterion=criteria[0])
    factories.FAQFactory(comparison=comparison)
    factories.ReferenceFactory(comparison=comparison)
    path = factories.GuideFactory(from_role=a, to_role=b)
    factories.GuideStepFactory(guide=path, position=1)
    factories.FAQFactory()
    factories.ReferenceFactory()
    return json.loads(content_export())


def paths_in(value, prefix=()):
    """Every place in a JSON document: each mapping key and list index, at every depth."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths_in(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths_in(item, (*prefix, index))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
    | st.sampled_from(["", "\x00", "x" * 5000, "alpha", "beta", "javascript:alert(1)"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_mutated_document_imports_or_is_refused_whole(small_document, data):
    """Random edits anywhere in a valid document: the import either succeeds or raises
    ContentError naming a record, and then nothing at all has changed."""
    document = json.loads(json.dumps(small_document))
    places = list(paths_in(document))[1:]
    for place in data.draw(st.lists(st.sampled_from(places), min_size=1, max_size=3)):
        parent = document
        try:
            for key in place[:-1]:
                parent = parent[key]
            parent[place[-1]] = data.draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit replaced this place's parent
    before = database_snapshot()
    try:
        content_import(data=document, update=True)
    except ContentError as error:
        refused = error
    else:
        refused = None
    if refused is not None:
        event("refused")
        assert str(refused)
        assert database_snapshot() == before
    else:
        event("imported")
        assert content_export()  # what was imported exports again


# --- Migrations ---


def schema() -> dict:
    """Every table with its columns, constraints and indexes, by name."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return {
            table: (
                sorted(
                    c.name for c in connection.introspection.get_table_description(cursor, table)
                ),
                sorted(connection.introspection.get_constraints(cursor, table)),
            )
            for table in tables
        }


@pytest.mark.django_db(transaction=True)
def test_migrations_run_back_to_zero_and_forwards_again():
    before = schema()
    assert "roles_role" in before
    assert "reversion_version" in before
    executor = MigrationExecutor(connection)
    apps = {app for app, _ in executor.loader.graph.leaf_nodes()}
    executor.migrate([(app, None) for app in apps])  # every app back to zero
    assert set(schema()) <= {"django_migrations", "sqlite_sequence"}

    call_command("migrate", verbosity=0)  # forwards from zero, as on a new server
    assert schema() == before
    call_command("migrate", "--check", verbosity=0)  # nothing left unapplied
