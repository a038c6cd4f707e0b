from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from roles.models import Comparison, Role, TransitionPath

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
    assert TransitionPath.objects.filter(slug="account-manager-to-project-manager").exists()
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
