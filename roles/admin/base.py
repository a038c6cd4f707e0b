"""What every content admin shares: history with diffs and revert, publish and unpublish."""

from types import SimpleNamespace

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from reversion_compare.admin import CompareVersionAdmin
from reversion_compare.helpers import html_diff

from roles.admin.preview import MarkdownPreviewMixin
from roles.caching import content_changed
from roles.models import Bookmark, StepProgress

TIMESTAMPS = ("created_at", "updated_at")


class TextareaField(forms.CharField):
    """Browsers send a textarea's line breaks as CRLF: store plain LF, so saving a page untouched
    changes nothing, and history diffs show only real edits."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


def text_overrides(rows: int) -> dict:
    """Long text as a full-width editor that grows with its content (admin-extra/editors.css);
    `rows` is the least it shows."""
    return {
        models.TextField: {
            "form_class": TextareaField,
            "widget": forms.Textarea(attrs={"rows": rows, "class": "vLargeTextField prose-editor"}),
        }
    }


def missing_values(role_a, role_b, criteria) -> list[str]:
    """'Role: Criterion, Criterion' for each role that lacks a value for one of `criteria`."""
    problems = []
    for role in (role_a, role_b):
        have = set(role.criterion_values.values_list("criterion_id", flat=True))
        missing = [criterion.name for criterion in criteria if criterion.pk not in have]
        if missing:
            problems.append(f"{role.name} has no value for {', '.join(missing)}")
    return problems


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks the submitted value up to show it again; a value that is
    no key at all (a hand-made POST) made that lookup raise, and the page answered 500. Only
    well-formed keys are looked up; the field's own error tells the editor what was wrong."""

    def optgroups(self, name, value, attr=None):
        key = self.field.remote_field.get_related_field()
        well_formed = []
        for item in value:
            try:
                key.run_validators(key.to_python(item))  # the type, and the database's range
            except (ValidationError, TypeError, ValueError):
                continue
            well_formed.append(item)
        return super().optgroups(name, well_formed, attr)


class SafeAutocompleteMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


READERS_ROWS = (Bookmark, StepProgress)


def _kept_by_readers(model, count: int) -> str:
    if model is Bookmark:
        what = "1 reader's bookmark" if count == 1 else f"{count} readers' bookmarks"
    else:
        what = f"readers' progress on {count} step{'' if count == 1 else 's'}"
    return f"{what} (unpublish instead to keep {'it' if count == 1 else 'them'})"


def readers_rows(objs) -> dict[type, int]:
    """How many of each kind of reader's row deleting `objs` would take with them."""
    collector = NestedObjects(using="default")
    collector.collect(objs)
    counts = {model: len(collector.data.get(model, ())) for model in READERS_ROWS}
    return {model: count for model, count in counts.items() if count}


def _without_rows(nested: list, labels: tuple[str, ...]) -> list:
    """Django's nested list of what a delete takes, less the rows whose text starts with a label
    (and the list of their own children that follows each)."""
    kept, skip_children = [], False
    for item in nested:
        if isinstance(item, list):
            if not skip_children:
                kept.append(_without_rows(item, labels))
            skip_children = False
            continue
        skip_children = str(item).startswith(labels)
        if not skip_children:
            kept.append(item)
    return kept


class ContentAdmin(MarkdownPreviewMixin, SafeAutocompleteMixin, CompareVersionAdmin):
    """History (who, when, a diff of the fields and of the inline rows), revert and recover.

    Models with a `published` flag also get the publish and unpublish list actions; an admin
    refuses to publish an object while `publish_problems()` names something missing.
    """

    history_latest_first = True
    formfield_overrides = text_overrides(rows=6)

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # Inline rows are diffed by compare() below, from the revisions themselves.
        reverse = [rel.name for rel in model._meta.related_objects]
        self.compare_exclude = [*TIMESTAMPS, *reverse]
        names = {field.name for field in model._meta.fields}
        if "published" in names:
            self.actions = [*(self.actions or []), "publish", "unpublish"]
        if "reviewed_on" in names:
            self.actions = [*(self.actions or []), "mark_reviewed"]

    def get_deleted_objects(self, objs, request):
        """Readers' own rows are theirs: content they have bookmarked or worked through cannot be
        deleted (unpublish it instead), and the confirmation page counts those rows without
        naming a single reader. Django would list each one by its username and, for an editor,
        refuse for want of a permission on readers' rows."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        kept = readers_rows(objs)
        if not kept:
            return to_delete, model_count, perms_needed, protected
        labels = tuple(f"{capfirst(model._meta.verbose_name)}: " for model in kept)
        for model in kept:
            model_count.pop(model._meta.verbose_name_plural, None)
            perms_needed.discard(model._meta.verbose_name)
        refusal = [_kept_by_readers(model, count) for model, count in kept.items()]
        return _without_rows(to_delete, labels), model_count, perms_needed, [*protected, *refusal]

    def publish_problems(self, obj) -> list[str]:
        """What stops `obj` from being published; empty when it may be."""
        return []

    @admin.action(
        permissions=["change"], description="Publish the selected %(verbose_name_plural)s"
    )
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(
        permissions=["change"],
        description="Unpublish the selected %(verbose_name_plural)s (make them drafts)",
    )
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    @admin.action(permissions=["change"], description="Mark as reviewed today")
    def mark_reviewed(self, request, queryset):
        today = timezone.localdate()
        done = []
        for obj in queryset:
            if obj.reviewed_on == today:
                continue
            obj.reviewed_on = today
            obj.save()
            self.log_change(request, obj, [{"changed": {"fields": ["Last reviewed"]}}])
            done.append(str(obj))
        if done:
            reversion.set_comment(f"Marked as reviewed today: {', '.join(done)}")
            messages.success(request, f"Marked {len(done)} as reviewed today: {', '.join(done)}.")
        else:
            messages.info(request, "Nothing to change: each was already reviewed today.")

    def _set_published(self, request, queryset, published: bool) -> None:
        verb = "Published" if published else "Unpublished"
        done, refused = [], []
        for obj in queryset:
            if obj.published == published:
                continue
            problems = self.publish_problems(obj) if published else []
            if problems:
                refused.append(f"{obj}: {'; '.join(problems)}")
                continue
            obj.published = published
            obj.save()
            self.log_change(request, obj, [{"changed": {"fields": ["Published"]}}])
            done.append(str(obj))
        if done:
            reversion.set_comment(f"{verb} from the list: {', '.join(done)}")
            messages.success(request, f"{verb} {len(done)}: {', '.join(done)}.")
        else:
            messages.info(request, f"Nothing to change: none was {verb.lower()}.")
        for problem in refused:
            messages.error(request, f"Not published. {problem}.")

    # --- History ---

    def _could_be_a_key(self, object_id) -> bool:
        """Whether an id from the URL could be a primary key at all. Looked up as it came, a word
        made the compare page answer 500, and a NUL character did so on PostgreSQL everywhere."""
        key = self.model._meta.pk
        try:
            key.run_validators(key.to_python(unquote(object_id)))
        except (ValidationError, TypeError, ValueError):
            return False
        return True

    def _no_such_object(self, request, object_id):
        return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)

    def history_view(self, request, object_id, extra_context=None):
        if not self._could_be_a_key(object_id):
            return self._no_such_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not self._could_be_a_key(object_id):
            return self._no_such_object(request, object_id)
        response = super().revision_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            content_changed()
        return response

    def recover_view(self, request, version_id, extra_context=None):
        response = super().recover_view(request, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            content_changed()
        return response

    def compare_view(self, request, object_id, extra_context=None):
        # The library's view checks staff status only.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if not self._could_be_a_key(object_id):
            return self._no_such_object(request, object_id)
        return super().compare_view(request, object_id, extra_context)

    def compare(self, obj, version1, version2):
        result = super().compare(obj, version1, version2)
        for name in self.model.history_follows:
            relation = self.model._meta.get_field(name)
            if not relation.one_to_many:
                continue
            rows = _children_diff(relation, version1, version2)
            if rows:
                label = capfirst(relation.related_model._meta.verbose_name_plural)
                result.diff.append(
                    {
                        "field": SimpleNamespace(verbose_name=label, help_text=""),
                        "is_related": True,
                        "follow": True,
                        "diff": render_to_string(
                            "admin/roles/compare_children.html", {"rows": rows}
                        ),
                    }
                )
        return result


def _children(relation, version) -> dict:
    """The inline rows (their versions) that belonged to the parent in `version`'s revision."""
    child_model = relation.related_model
    content_type = ContentType.objects.get_for_model(child_model)
    fk = relation.field.attname
    return {
        child.object_id: child
        for child in version.revision.version_set.filter(content_type=content_type)
        if str(child.field_dict.get(fk)) == str(version.object_id)
    }


def _children_diff(relation, version1, version2) -> list[dict]:
    old, new = _children(relation, version1), _children(relation, version2)
    skip = {*TIMESTAMPS, relation.field.attname, "id"}
    labels = {
        field.attname: capfirst(field.verbose_name)
        for field in relation.related_model._meta.concrete_fields
    }
    rows = []
    for object_id in sorted(old.keys() | new.keys(), key=lambda pk: (len(pk), pk)):
        before, after = old.get(object_id), new.get(object_id)
        if before is None:
            rows.append({"state": "added", "label": after.object_repr})
        elif after is None:
            rows.append({"state": "removed", "label": before.object_repr})
        else:
            changes = [
                (labels.get(name, name), html_diff(str(value), str(after.field_dict.get(name))))
                for name, value in before.field_dict.items()
                if name not in skip and value != after.field_dict.get(name)
            ]
            if changes:
                rows.append({"state": "changed", "label": after.object_repr, "changes": changes})
    return rows
