"""import_content bounds what a file can cost: YAML aliases (the "billion laughs") and files past
the size limit are refused at once, with a message naming the file (and line and column), and an
error never repeats a whole huge value."""

import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from roles import content_io
from roles.models import Role

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    + ["roles: [{slug: x, name: *i}]"]
)


def import_file(path) -> str:
    with pytest.raises(CommandError) as error:
        call_command("import_content", str(path), stdout=StringIO())
    return str(error.value)


def test_yaml_aliases_are_refused_at_once_naming_line_and_column(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS)
    started = time.monotonic()
    message = import_file(path)
    assert time.monotonic() - started < 1
    assert "laughs.yaml: file: not valid YAML" in message
    assert "aliases (*name) are not allowed in content files" in message
    assert "line 2, column 8" in message  # the first *a
    assert not Role.objects.exists()


def test_an_anchor_without_an_alias_is_plain_yaml(tmp_path):
    path = tmp_path / "anchored.yaml"
    path.write_text("roles:\n  - &first {slug: solo, name: Solo, family: operations}\n")
    call_command("import_content", str(path), stdout=StringIO())
    assert Role.objects.get().slug == "solo"


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(content_io, "MAX_DOCUMENT_BYTES", 1000)
    path = tmp_path / "big.json"
    path.write_text('{"roles": [{"slug": "x", "name": "' + "x" * 2000 + '"}]}')
    assert import_file(path) == (
        "Nothing imported. big.json: file: is 2,038 bytes; a content file may have 1,000"
    )


def test_an_error_repeats_only_the_start_of_a_huge_value(tmp_path):
    path = tmp_path / "huge.json"
    slug = "s" * 100_000
    path.write_text('{"comparisons": [{"roles": ["' + slug + '", "other"], "title": "T"}]}')
    message = import_file(path)
    assert len(message) < 600
    assert "… (100,026 characters): roles: no role with slug 'sss" in message
    assert message.endswith("… (100,020 characters)")
    assert slug not in message
