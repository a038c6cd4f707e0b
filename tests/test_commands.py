import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.urls import reverse
from reversion.models import Revision

from roles.content_io import STARTER_CONTENT_DIR
from roles.models import FAQ, Comparison, Criterion, Guide, Reference, Role, Skill

User = get_user_model()

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("load_starter_content", *args, stdout=out)
    return out.getvalue()


def test_load_starter_content_then_again():
    first = run()
    assert first.startswith("Added ")
    assert Role.objects.published().count() >= 2
    assert Comparison.objects.filter(slug="account-manager-vs-project-manager").exists()
    assert Guide.objects.filter(slug="account-manager-to-project-manager").exists()
    assert run() == "Nothing to add: all content is already there.\n"


def test_dry_run_reports_without_writing():
    assert run("--dry-run").startswith("Would add ")
    assert not Role.objects.exists()


def test_a_broken_starter_file_stops_with_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "00.yaml").write_text("roles:\n  - slug: a-vs-b\n    name: Broken\n")
    monkeypatch.setattr(
        "roles.management.commands.load_starter_content.STARTER_CONTENT_DIR", tmp_path
    )
    with pytest.raises(CommandError, match=r"roles\[a-vs-b\]: slug"):
        run()
    assert not Role.objects.exists()


# --- create_editor ---


def create_editor(*args, **kwargs):
    out = StringIO()
    call_command("create_editor", *args, stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


def test_create_editor_from_the_environment(monkeypatch, client):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "a-long-editor-passphrase")
    assert "Created editor 'maria'" in create_editor("maria", "--email", "maria@example.org")
    user = User.objects.get(username="maria")
    assert user.is_staff
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    # axes checks every authentication against the request it came with
    assert client.login(
        request=HttpRequest(), username="maria", password="a-long-editor-passphrase"
    )
    assert client.get(reverse("admin:roles_role_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_create_editor_prompts_for_the_password_twice(monkeypatch):
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    # A too-short password, then two that differ, are refused; then the good one twice.
    answers = iter(
        [
            "short",
            "short",
            "one-passphrase-x",
            "another-passphrase",
            "good-pass-9876",
            "good-pass-9876",
        ]
    )
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    create_editor("jo")
    assert User.objects.get(username="jo").check_password("good-pass-9876")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            lambda mp: mp.delenv("DJANGO_EDITOR_PASSWORD", raising=False),
            "Set DJANGO_EDITOR_PASSWORD",
        ),
        (lambda mp: mp.setenv("DJANGO_EDITOR_PASSWORD", "password"), "too common"),
    ],
)
def test_create_editor_refuses_without_a_good_password(monkeypatch, setup, message):
    setup(monkeypatch)
    with pytest.raises(CommandError, match=message):
        create_editor("sam", "--noinput")
    assert not User.objects.filter(username="sam").exists()


def test_create_editor_refuses_an_existing_username(monkeypatch, reader):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "a-long-editor-passphrase")
    with pytest.raises(CommandError, match="already exists"):
        create_editor(reader.username)
    reader.refresh_from_db()
    assert not reader.is_staff


# --- export_content and import_content ---


def export(*args) -> str:
    out = StringIO()
    call_command("export_content", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def import_(*args) -> str:
    out = StringIO()
    call_command("import_content", *args, stdout=out)
    return out.getvalue()


def empty_the_database():
    for model in (FAQ, Reference, Comparison, Guide, Role, Criterion, Skill):
        model.objects.all().delete()


def test_export_import_into_an_empty_database_export_is_byte_identical(starter_content, tmp_path):
    first = tmp_path / "content.json"
    export(str(first))
    document = json.loads(first.read_text(encoding="utf-8"))
    assert {key: len(items) > 0 for key, items in document.items()} == {
        "families": True, "skills": True, "criteria": True, "roles": True, "comparisons": True,
        "guides": True, "faqs": True, "references": False,
    }  # fmt: skip

    empty_the_database()
    assert not Role.objects.exists()
    assert import_(str(first)).startswith("Added ")
    second = tmp_path / "again.json"
    export(str(second))
    assert second.read_bytes() == first.read_bytes()
    assert export() == first.read_text(encoding="utf-8")  # no file: standard output


def test_import_is_idempotent_and_updates_what_the_file_names(starter_content, tmp_path):
    path = tmp_path / "content.json"
    export(str(path))
    revisions = Revision.objects.count()
    assert import_(str(path)) == "Nothing to change: the database already matches the document.\n"
    assert Revision.objects.count() == revisions  # nothing changed, nothing recorded

    document = json.loads(path.read_text(encoding="utf-8"))
    role = next(r for r in document["roles"] if r["slug"] == "account-manager")
    role["summary"] = "Edited in the file."
    role["values"]["tools-used"]["value"] = "Spreadsheets"
    document["comparisons"][0]["faqs"][0]["answer"] = "A new answer."
    path.write_text(json.dumps(document), encoding="utf-8")

    assert import_(str(path)) == "Updated 1 FAQ, 1 role criterion value, 1 role.\n"
    account_manager = Role.objects.get(slug="account-manager")
    assert account_manager.summary == "Edited in the file."
    assert account_manager.criterion_values.get(criterion__slug="tools-used").value == (
        "Spreadsheets"
    )
    revision = Revision.objects.latest("pk")
    assert revision.comment == "Imported content.json"
    assert import_(str(path)).startswith("Nothing to change")


def test_import_dry_run_changes_nothing(starter_content, tmp_path):
    path = tmp_path / "content.json"
    export(str(path))
    document = json.loads(path.read_text(encoding="utf-8"))
    document["roles"][0]["name"] = "Renamed"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert import_(str(path), "--dry-run") == "Would update 1 role.\n"
    assert not Role.objects.filter(name="Renamed").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", r"content.json: file: not valid JSON"),
        ("[1, 2]", r"top level must be a mapping"),
        ('{"people": []}', r"document: people: unknown section"),
        ('{"roles": {"slug": "x"}}', r"document: roles: must be a list"),
        (
            '{"roles": [{"slug": "seller-to-buyer", "name": "Bad", "family": "operations"}]}',
            r"roles\[seller-to-buyer\]: slug: .*“to”",
        ),
        (
            '{"roles": [{"slug": "account-manager", "published": "yes"}]}',
            r"roles\[account-manager\]: published: must be true or false",
        ),
        (
            '{"guides": [{"from": "account-manager", "to": "project-manager", '
            '"months_min": 9, "months_max": 2}]}',
            r"guides\[account-manager-to-project-manager\]: months_max:",
        ),
    ],
)
def test_a_bad_file_changes_nothing_and_names_the_record_and_field(
    starter_content, tmp_path, content, message
):
    before = export()
    path = tmp_path / "content.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        import_(str(path))
    assert export() == before


def test_one_bad_record_among_good_ones_changes_nothing_and_all_are_listed(
    starter_content, tmp_path
):
    before = export()
    document = json.loads(before)
    document["roles"][0]["summary"] = "A good edit that must not be kept."
    document["roles"][1]["family"] = "astronaut"
    document["comparisons"][0]["sections"]["no-such-criterion"] = "Text"
    path = tmp_path / "content.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        import_(str(path))
    message = str(excinfo.value)
    assert "2 records cannot be imported" in message
    assert f"roles[{document['roles'][1]['slug']}]: family:" in message
    assert "no-such-criterion: no criterion with this slug" in message
    assert export() == before


def test_import_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        import_(str(tmp_path / "nowhere.json"))


def test_import_reads_the_starter_yaml_directory_too():
    assert import_(str(STARTER_CONTENT_DIR)).startswith("Added ")
    assert Role.objects.filter(slug="account-manager").exists()
