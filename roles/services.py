"""Writes that touch several rows: content import and export (the starter loader uses them too)."""

from typing import Any

from roles.content_io import (
    STARTER_CONTENT_DIR,
    ContentError,
    ImportReport,
    content_read_directory,
    content_read_file,
    document_dumps,
    export_document,
    import_document,
)

__all__ = [
    "STARTER_CONTENT_DIR",
    "ContentError",
    "ImportReport",
    "content_export",
    "content_import",
    "content_read_directory",
    "content_read_file",
]


def content_import(
    *, data: dict[str, Any], dry_run: bool = False, update: bool = False, comment: str = ""
) -> ImportReport:
    """Import a content document atomically; see roles.content_io.import_document.

    Without `update` only what the database lacks is added (the starter loader: an editor's
    change is never overwritten). With it, every record the document names is created or brought
    up to the document's values, matched by slug, so importing the same file twice is a no-op.
    """
    return import_document(data=data, dry_run=dry_run, update=update, comment=comment)


def content_export() -> str:
    """All content as one JSON document, in the shape content_import reads."""
    return document_dumps(export_document())
