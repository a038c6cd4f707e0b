import difflib
import unicodedata
from collections.abc import Callable
from html import escape

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from roles import widgets
from roles.models import Role, RoleTitle
from roles.search import starts_with

COMPARE_FIELDS = ("a", "b", "c", "d")

# Up to this many roles a picker is a <select>; beyond it, a text input with suggestions, because a
# select of a thousand options is slow to render, heavy to send and slow to scan.
PICKER_SELECT_MAX = 60
ROLE_DATALIST_ID = "role-names"
SUGGESTED_NAMES = 3
_ECHOED_CHARS = 60  # how much of an unknown name an error repeats
# Imported titles (RoleTitle, ~56,500) are too many to load per request: a picker looks up only
# what was typed, in one indexed query per form, at most this many rows per typed name.
TITLE_ROLES_PER_NAME = 20
MIN_SUGGESTION_PREFIX = 3  # titles starting with fewer letters are too many to be a hint
_TITLE_KEY_LENGTH = RoleTitle._meta.get_field("key").max_length  # no title is longer


def _typed_key(text: str) -> str:
    """What counts when matching a typed name: neither case nor extra spaces do."""
    return " ".join(text.split()).casefold()


def _lookups(roles: list[Role]) -> dict[str, dict]:
    """A RoleIndex's lookups of `roles`: by slug, by pk, by typed name and by other title."""
    by_key: dict[str, list[Role]] = {}
    for role in roles:
        by_key.setdefault(_typed_key(role.name), []).append(role)
    # Other titles a role goes by ("Key Account Manager"), found when no name matches.
    by_other_title: dict[str, list[Role]] = {}
    for role in roles:
        for title in role.alternative_title_list:
            by_other_title.setdefault(_typed_key(title), []).append(role)
    return {
        "by_slug": {role.slug: role for role in roles},
        "by_pk": {role.pk: role for role in roles},
        "by_key": by_key,
        "by_other_title": by_other_title,
    }


class RoleIndex:
    """The roles a picker offers, found by slug (what a select or an old link sends), by exact
    name or, failing that, by another title the role goes by (what a reader types): the editors'
    alternative titles, in memory, then the imported titles and short titles ("RN"), looked up in
    the database; with close names to suggest when nothing matches."""

    def __init__(self, roles: list[Role], size: int | None = None):
        """`size`: how many roles the catalogue holds, when `roles` are only some of them (the
        ones a page's picker is filled in with)."""
        self.roles = roles
        self.size = len(roles) if size is None else size
        # Typed names to look up together, the first time one of them needs the database.
        self.expected: set[str] = set()
        self._by_imported_title: dict[str, list[Role]] = {}
        self._by_title_prefix: dict[str, list[Role]] = {}
        # The lookups by slug, pk, name and other title depend on the roles alone: a list the
        # pickers share between requests (roles/picker.py) carries them, built once, read only.
        shared = getattr(roles, "shared", None)
        if shared is None:
            shared = {}
        if "by_slug" not in shared:
            shared.update(_lookups(roles))
        self._shared = shared
        self.by_slug = shared["by_slug"]
        self.by_pk = shared["by_pk"]
        self.by_key = shared["by_key"]
        self.by_other_title = shared["by_other_title"]

    @property
    def typed(self) -> bool:
        """True when the catalogue is too big for a select and readers type names instead."""
        return self.size > PICKER_SELECT_MAX

    def expect(self, texts) -> None:
        """Names a bound form was sent: one query then looks up every one of them."""
        keys = (_typed_key(text) for text in texts if isinstance(text, str))
        self.expected.update(key for key in keys if 0 < len(key) <= _TITLE_KEY_LENGTH)

    def find(self, text: str) -> list[Role]:
        key = _typed_key(text)
        return self._in_memory(key) or self._imported_title(key)

    def _in_memory(self, key: str) -> list[Role]:
        if key in self.by_slug:
            return [self.by_slug[key]]
        return self.by_key.get(key) or self.by_other_title.get(key, [])

    @cached_property
    def public(self) -> bool:
        """Only published roles are offered: then only their titles may find one."""
        return all(role.published for role in self.roles)

    def _titles(self):
        titles = RoleTitle.objects.annotate(short_key=Lower("short_title"))
        return titles.filter(role__published=True) if self.public else titles

    def _imported_title(self, key: str) -> list[Role]:
        """Roles with an imported title or short title `key`; every name the form expects that
        is not found in memory is looked up in the same query."""
        if not 0 < len(key) <= _TITLE_KEY_LENGTH:
            return []
        if key not in self._by_imported_title:
            keys = {key} | {k for k in self.expected if not self._in_memory(k)}
            keys -= self._by_imported_title.keys()
            rows = (
                self._titles()
                .filter(Q(key__in=keys) | Q(short_key__in=keys))
                .values_list("key", "short_key", "role_id")
                .order_by("role_id")
                .distinct()[: TITLE_ROLES_PER_NAME * len(keys)]
            )
            found: dict[str, dict[int, Role]] = {k: {} for k in keys}
            for title_key, short_key, role_id in rows:
                if role := self.by_pk.get(role_id):
                    for matched in {title_key, short_key} & keys:
                        found[matched][role.pk] = role
            self._by_imported_title.update(
                (k, sorted(roles.values(), key=lambda role: role.slug))
                for k, roles in found.items()
            )
        return self._by_imported_title[key]

    def suggestions(self, text: str) -> list[str]:
        """Names containing what was typed, then names spelled like it, then the names of roles
        with an imported title that starts with it."""
        key = _typed_key(text)[:120]
        if not key:
            return []
        containing = [other for other in self.by_key if key in other][:SUGGESTED_NAMES]
        close = difflib.get_close_matches(key, self.by_key, n=SUGGESTED_NAMES, cutoff=0.6)
        names = [self.by_key[other][0].name for other in dict.fromkeys([*containing, *close])]
        if len(names) < SUGGESTED_NAMES and len(key) >= MIN_SUGGESTION_PREFIX:
            names += [role.name for role in self._title_prefix(key)]
        return list(dict.fromkeys(names))[:SUGGESTED_NAMES]

    def _title_prefix(self, key: str) -> list[Role]:
        """Roles with an imported title starting with `key`, in the titles' order; one query for
        every name the form expects that matched no role (ranges on the key's index)."""
        if key not in self._by_title_prefix:
            keys = {key} | {
                k for k in self.expected if len(k) >= MIN_SUGGESTION_PREFIX and not self.find(k)
            }
            keys -= self._by_title_prefix.keys()
            prefixes = Q()
            for k in keys:
                prefixes |= starts_with("key", k)
            rows = (
                self._titles()
                .filter(prefixes)
                .values_list("key", "role_id")
                .order_by("key", "role_id")[: SUGGESTED_NAMES * 4 * len(keys)]
            )
            found: dict[str, list[Role]] = {k: [] for k in keys}
            for title_key, role_id in rows:
                role = self.by_pk.get(role_id)
                for k in keys if role else ():
                    if title_key.startswith(k) and role not in found[k]:
                        found[k].append(role)
            self._by_title_prefix.update(found)
        return self._by_title_prefix[key][:SUGGESTED_NAMES]

    @property
    def datalist(self) -> str:
        """One <datalist> of every name, built without the template engine (or even format_html):
        at a thousand roles that alone took several milliseconds; built once per list of roles.

        Two roles with the same name are offered by slug, with their family to tell them apart.
        An option's end tag may be left out (HTML says so): at a thousand roles that is 9 KB.
        """
        if "datalist" not in self._shared:
            self._shared["datalist"] = self._datalist()
        return self._shared["datalist"]

    def _datalist(self) -> str:
        options = []
        for roles in self.by_key.values():
            if len(roles) == 1:
                options.append(f'<option value="{escape(roles[0].name)}">')
            else:
                options.extend(
                    f'<option value="{escape(role.slug)}">'
                    f"{escape(role.name)} ({escape(role.family.name)})</option>"
                    for role in roles
                )
        # Every name and slug in the options is escaped above.
        return mark_safe(f'<datalist id="{ROLE_DATALIST_ID}">{"".join(options)}</datalist>')  # noqa: S308


class RoleField(forms.CharField):
    """A role, by slug or by name; cleans to the role's slug, or "" when left empty."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)
        self.index = RoleIndex([])

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return ""
        found = self.index.find(text)
        if len(found) == 1:
            return found[0].slug
        # Echoed inside quotes, so without control or direction-changing characters.
        printable = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
        typed = Truncator(" ".join(printable.split())).chars(_ECHOED_CHARS)
        if found:
            raise forms.ValidationError(
                "More than one role is called “%(typed)s”: type %(slugs)s instead.",
                code="ambiguous_role",
                params={"typed": typed, "slugs": _or_list(sorted(role.slug for role in found))},
            )
        names = self.index.suggestions(text)
        message = (
            "There is no role called “%(typed)s”." if typed else "That is not the name of a role."
        )
        if names:
            message += " Did you mean %(names)s?"
        raise forms.ValidationError(
            message,
            code="unknown_role",
            params={"typed": typed, "names": _or_list(names)},
        )


def _or_list(names: list[str]) -> str:
    quoted = [f"“{name}”" for name in names]
    return " or ".join([", ".join(quoted[:-1]), quoted[-1]]) if len(quoted) > 1 else "".join(quoted)


class RoleColumn(Column):
    """crispy's `Column(name, css_class=...)` holding one role field, with the very markup
    bootstrap5/layout/column.html and bootstrap5/field.html give it (after whole_uni_form.html's
    specialspaceless), built in Python: the generic field template, its filters and includes
    took about a tenth of a role profile. The widget is still Django's, with crispy's classes.
    A helper or field with anything this does not write (labels hidden or styled, inline help,
    a required field, CSS classes on the field) renders through crispy instead;
    tests/test_widgets.py holds the two to the same output."""

    def __init__(self, name: str, css_class: str):
        super().__init__(name, css_class=css_class)
        self.name = name

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        field = form[self.name]
        if (
            template_pack != "bootstrap5"
            or not context.get("form_show_labels", True)
            or not context.get("form_show_errors", True)
            or not context.get("error_text_inline", True)
            or context.get("help_text_inline")
            or context.get("label_class")
            or context.get("field_class")
            or "form-horizontal" in context.get("form_class", "")
            or field.is_hidden
            or field.field.required
            or field.css_classes()
            or not field.label
            or not isinstance(field.field.widget, (forms.TextInput, forms.Select))
            or getattr(field.field.widget, "allow_multiple_selected", False)
        ):
            return super().render(form, context, template_pack=template_pack, **kwargs)
        if hasattr(form, "rendered_fields"):
            form.rendered_fields.add(self.name)
        # crispy_field's way with the widget's classes: its class name unless the classes hold
        # it already, then each of the template's classes the widget lacks.
        widget = field.field.widget
        kind = widget.__class__.__name__.lower()
        classes = widget.attrs.get("class", "")
        if not classes:
            classes = kind
        elif classes.find(kind) == -1:
            classes += f" {kind}"
        control = "form-select" if isinstance(widget, forms.Select) else "form-control"
        for name in (control, "is-invalid") if field.errors else (control,):
            if name not in classes.split():
                classes += f" {name}"
        widget.attrs["class"] = classes
        auto_id = conditional_escape(field.auto_id)
        parts = [
            f'<div \n     class="{conditional_escape(self.css_class)}" > '
            f'<div id="div_{auto_id}" class="mb-3"> <label\n                '
            f'for="{conditional_escape(field.id_for_label)}" class="form-label">\n'
            f"                {conditional_escape(field.label)}\n            </label> {field}",
        ]
        if field.errors:
            error_id = conditional_escape(field.errors.field_id)
            parts.append(f' <div id="{error_id}_error" class="invalid-feedback">')
            parts.extend(
                f' <span id="error_{number}_{auto_id}"><strong>{conditional_escape(error)}'
                "</strong></span>"
                for number, error in enumerate(field.errors, start=1)
            )
            parts.append(" </div>")
        if field.help_text:
            parts.append(f' <div id="{auto_id}_helptext" class="form-text">{field.help_text}</div>')
        parts.append(" </div> </div>\n\n\n")
        # The label, the errors and the classes are escaped above; help text is the form's own
        # markup, as crispy's |safe has it.
        return mark_safe("".join(parts))  # noqa: S308


class _RoleDatalist:
    """A crispy layout object for the datalist the typed role fields share."""

    def render(self, form, context, **kwargs):
        return form.role_index.datalist if form.role_index.typed and form.suggestions else ""


class _RolePickerForm(forms.Form):
    """Role fields as a select while the catalogue is small, else text inputs with suggestions."""

    role_fields: tuple[str, ...] = ()
    typed_help_text = "Type a role's name or another title for it; suggestions appear as you type."
    # Without suggestions the typed boxes share no datalist: a page that is not mainly a picker
    # (a comparison's "swap or add a role") stays light at a thousand roles. A name typed there
    # that matches no role still gets the close names in its error.
    suggestions = True

    def _offer_roles(
        self, roles: list[Role], options: Callable[[], list], size: int | None = None
    ) -> None:
        """Give the role fields their widget; `options` makes the select's choices if needed.
        With `size` (the catalogue's), `roles` may be only the ones the form is filled in with:
        enough for an unbound form of typed boxes, which lists no options."""
        self.role_index = RoleIndex(roles, size)
        if self.role_index.size != len(roles) and (self.is_bound or not self.role_index.typed):
            raise ValueError("A form that offers or checks roles needs every one of them.")
        if not self.suggestions:
            self.typed_help_text = "Type a role's name or another title for it."
        choices = [] if self.role_index.typed else options()
        for name in self.role_fields:
            field = self.fields[name]
            field.index = self.role_index
            if self.role_index.typed:
                field.help_text = self.typed_help_text
                attrs = {"autocomplete": "off", "spellcheck": "false", "maxlength": 120}
                if self.suggestions:
                    attrs["list"] = ROLE_DATALIST_ID
                field.widget = widgets.TextInput(attrs=attrs)
            else:
                field.widget = widgets.Select(choices=[("", self.placeholder(name)), *choices])
        if self.is_bound:
            self.role_index.expect(
                self.data.get(self.add_prefix(name)) for name in self.role_fields
            )
        if self.role_index.typed:
            # Show names, not slugs, in the boxes a view fills in (a profile's own role).
            by_slug = self.role_index.by_slug
            self.initial = {
                key: by_slug[value].name if value in by_slug else value
                for key, value in self.initial.items()
            }

    @property
    def typed(self) -> bool:
        return self.role_index.typed

    def placeholder(self, name: str) -> str:
        return "Any role"


class CompareForm(_RolePickerForm):
    """Pick two to four roles; submitted by GET so the result is an ordinary, shareable URL."""

    # Any two of the four will do; clean() asks for at least two.
    a = RoleField(label="First role")
    b = RoleField(label="Second role")
    c = RoleField(label="Third role (optional)")
    d = RoleField(label="Fourth role (optional)")

    role_fields = COMPARE_FIELDS

    def __init__(
        self,
        *args,
        roles: list[Role],
        submit_label: str = "Compare",
        suggestions: bool = True,
        catalogue_size: int | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.suggestions = suggestions
        self._offer_roles(roles, lambda: self._grouped_choices(roles), catalogue_size)

        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse("roles:compare")
        self.helper.form_class = "compare-form"
        self.helper.attrs = {"aria-label": "Compare roles"}
        self.helper.layout = Layout(
            Row(
                *(RoleColumn(name, css_class="col-sm-6 col-lg-3") for name in COMPARE_FIELDS),
            ),
            _RoleDatalist(),
            StrictButton(submit_label, type="submit", css_class="btn btn-primary"),
        )

    def placeholder(self, name: str) -> str:
        return "Choose a role" if name in ("a", "b") else "No role"

    @staticmethod
    def _grouped_choices(roles: list[Role]) -> list:
        grouped: dict[str, list[tuple[str, str]]] = {}
        ordered = sorted(roles, key=lambda r: (r.family.position, r.family.name, r.name))
        for role in ordered:
            grouped.setdefault(role.family.name, []).append((role.slug, role.name))
        return list(grouped.items())

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(name) for name in COMPARE_FIELDS if cleaned.get(name)]
        if len(chosen) < 2 and not self.errors:
            raise forms.ValidationError("Choose at least two roles to compare.", code="too_few")
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError("Choose each role only once.", code="repeated")
        return cleaned

    @property
    def slugs(self) -> list[str]:
        return [self.cleaned_data[name] for name in COMPARE_FIELDS if self.cleaned_data.get(name)]


# --- Reader actions: explicit target states, so a repeated POST changes nothing more ---

_STATE_CHOICES = [("1", "yes"), ("0", "no")]


def _state_field():
    return forms.TypedChoiceField(
        choices=_STATE_CHOICES, coerce=lambda value: value == "1", required=False, empty_value=None
    )


class BookmarkForm(forms.Form):
    bookmarked = _state_field()


class StepProgressForm(forms.Form):
    completed = _state_field()
    # On a generated plan: the skill the ticked step was (roles/plans.py step_key), so a tick
    # sent after a re-import reordered the plan still lands on that skill.
    skill = forms.CharField(max_length=120, required=False)


class GuideFilterForm(_RolePickerForm):
    """Filter the guide list by the role a reader is leaving and the one they want.

    The query string says ?from= and ?to=, so the fields are added by name in __init__.
    Both clean to a role's slug, or "" for any role.
    """

    role_fields = ("from", "to")
    typed_help_text = "Type a role's name or another title for it, or leave it empty for any role."

    def __init__(self, *args, roles: list[Role], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = RoleField(label="From")
        self.fields["to"] = RoleField(label="To")
        self._offer_roles(roles, lambda: [(role.slug, role.name) for role in roles])
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "guide-filter__form"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                RoleColumn("from", css_class="col-sm-5"),
                RoleColumn("to", css_class="col-sm-5"),
                Column(
                    StrictButton("Show guides", type="submit", css_class="btn btn-primary"),
                    css_class="col-sm-2 d-flex align-items-end mb-3",
                ),
            ),
            _RoleDatalist(),
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search roles, comparisons, guides and questions",
        max_length=200,
        required=False,
        error_messages={"max_length": "Please use at most %(limit_value)d characters."},
    )

    def __init__(self, *args, header: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["enterkeyhint"] = "search"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse("roles:search")
        self.helper.disable_csrf = True
        self.helper.form_class = "site-search" if header else "search-form"
        self.helper.attrs = {"role": "search"}
        if header:
            self.helper.label_class = "visually-hidden"
            self.fields["q"].label = "Search"
            self.fields["q"].widget.attrs["placeholder"] = "Search"
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col"),
                Column(
                    StrictButton("Search", type="submit", css_class="btn btn-primary"),
                    css_class="col-auto",
                ),
                css_class="g-2 align-items-end",
            )
        )


class RoleListForm(forms.Form):
    """Narrow the role catalogue to roles whose name or other titles contain some text."""

    q = forms.CharField(
        label="Find a role in this list",
        max_length=100,
        required=False,
        help_text="Part of a job title, e.g. “nurse” or “account”.",
        error_messages={"max_length": "Please use at most %(limit_value)d characters."},
    )
    family = forms.CharField(required=False, widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "role-filter"
        self.helper.attrs = {"role": "search", "aria-label": "Find a role in this list"}
        self.helper.layout = Layout(
            "family",
            Row(
                Column("q", css_class="col"),
                Column(
                    StrictButton("Find", type="submit", css_class="btn btn-primary"),
                    css_class="col-auto",
                ),
                css_class="g-2 align-items-end",
            ),
        )


# --- Next moves from a role ---


class _FlagInput(forms.CheckboxInput):
    """A checkbox that sends "1" and hands the form what was sent, so a value the form never
    sends (?pay=maybe) is an error to show, not a silent "yes"."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"value": "1", **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class FlagField(forms.BooleanField):
    widget = _FlagInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        if value in (None, "", False):
            return False
        if value in ("1", True):
            return True
        raise forms.ValidationError(
            "“%(label)s” is either ticked or not.", code="invalid", params={"label": self.label}
        )


class MovesForm(forms.Form):
    """Filter and sort a role's next moves; GET, so every choice is a link."""

    pay = FlagField(label="Pays more")
    prep = FlagField(label="Needs no more preparation")
    family = FlagField(label="Same family")
    sort = forms.ChoiceField(
        label="Sort",
        required=False,
        error_messages={
            "invalid_choice": "Moves can be sorted by match, pay, preparation or name."
        },
    )

    def __init__(self, *args, sorts: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = list(sorts.items())
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "moves-filter"
        self.helper.attrs = {"aria-label": "Filter and sort the moves"}
        self.helper.layout = Layout(
            Row(
                Column("pay", "prep", "family", css_class="col-md-5"),
                Column("sort", css_class="col-md-4"),
                Column(
                    StrictButton("Show moves", type="submit", css_class="btn btn-primary"),
                    css_class="col-md-3 d-flex align-items-end mb-3",
                ),
            ),
        )

    def choices(self) -> dict:
        """The valid choices, each invalid one back at its default."""
        data = getattr(self, "cleaned_data", {})
        return {
            "pays_more": data.get("pay", False),
            "no_more_preparation": data.get("prep", False),
            "same_family": data.get("family", False),
            "sort": data.get("sort", ""),
        }


class MovePickerForm(_RolePickerForm):
    """The home page's "I am a … → show my options": one role, by GET."""

    role = RoleField(label="I am a…")
    role_fields = ("role",)

    def __init__(self, *args, roles: list[Role], own_datalist: bool = True, **kwargs):
        """`own_datalist=False` on a page whose compare picker already has the datalist of
        role names (the home page): the typed box shares it."""
        super().__init__(*args, **kwargs)
        self._offer_roles(roles, lambda: CompareForm._grouped_choices(roles))
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse("roles:move_picker")
        self.helper.disable_csrf = True
        self.helper.form_class = "move-picker"
        self.helper.attrs = {"aria-label": "Show my next moves"}
        self.helper.layout = Layout(
            Row(
                Column("role", css_class="col-sm-8"),
                Column(
                    StrictButton("Show my options", type="submit", css_class="btn btn-primary"),
                    css_class="col-sm-4 d-flex align-items-end mb-3",
                ),
            ),
            *([_RoleDatalist()] if own_datalist else []),
        )

    def placeholder(self, name: str) -> str:
        return "Choose your role"

    def clean_role(self):
        slug = self.cleaned_data["role"]
        if not slug:
            raise forms.ValidationError("Choose the role you have now.", code="required")
        return slug
