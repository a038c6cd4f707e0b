"""Form widgets that render without the template engine where a page renders many of them."""

from functools import lru_cache

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def attrs_html(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html makes of `attrs`: ` name="value"` for each, ` name`
    alone for True, nothing for False; names and values escaped."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """forms.Select with the very markup of django/forms/widgets/select.html, built in Python.
    (Named as Django's because crispy-forms gives a field its widget's class name as a CSS class.)

    A role picker offers up to PICKER_SELECT_MAX roles in each of its four boxes, and the
    template engine renders every option through an include of its own (select_option.html and
    attrs.html): about a seventh of an uncached comparison page at starter size went there.
    Every page offers the same roles until content changes, so each option's markup is made
    once per list of choices (`_options`, kept for the last few lists), selected and not, and a
    page only picks which to show. tests/test_widgets.py holds the two to the same output."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        if self.allow_multiple_selected:  # not a picker: Django's way, through optgroups
            return super().render(name, value, attrs, renderer)
        try:
            options = _options(_choices_key(self.choices))
        except TypeError:  # a value or label that cannot be a key: render it all now
            options = _options.__wrapped__(_choices_key(self.choices, hashable=False))
        # Django's rule (ChoiceWidget.optgroups): the first option whose value is among the
        # widget's values is the one selected.
        values = set(self.format_value(value))
        name_html = conditional_escape(name)
        parts = [f'<select name="{name_html}"{attrs_html(self.build_attrs(self.attrs, attrs))}>']
        chosen = False
        for value_text, plain, selected in options:
            if value_text is None:  # an optgroup's start or end
                parts.append(plain)
            elif not chosen and value_text in values:
                parts.append(selected)
                chosen = True
            else:
                parts.append(plain)
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped by _options


class TextInput(forms.TextInput):
    """forms.TextInput with the markup of django/forms/widgets/input.html, built in Python: a
    role picker's four typed boxes went through two templates each. (Named as Django's, as
    Select is.) tests/test_widgets.py holds the two to the same output."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        value_html = (
            ""
            if widget["value"] is None
            else f' value="{conditional_escape(str(widget["value"]))}"'
        )
        return mark_safe(  # noqa: S308 - every part is escaped
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(name)}"'
            f"{value_html}{attrs_html(widget['attrs'])}>"
        )


def _choices_key(choices, hashable: bool = True):
    """The choices as nested tuples, (value, label or tuple of (value, label)): a key. With
    `hashable`, TypeError unless every value is text, a number or None and every label text (a
    lazy label's text depends on the language active when it renders: never kept)."""
    key = tuple(
        (value, tuple(map(tuple, label)) if isinstance(label, (list, tuple)) else label)
        for value, label in choices
    )
    if hashable:
        for group_value, group_label in key:
            grouped = isinstance(group_label, tuple)
            if grouped and type(group_value) is not str:
                raise TypeError("a group name that is not plain text is not kept")
            for value, label in group_label if grouped else ((group_value, group_label),):
                if not (isinstance(value, (str, int)) or value is None) or type(label) is not str:
                    raise TypeError("choices that are not plain text are not kept")
    return key


@lru_cache(maxsize=32)
def _options(choices: tuple) -> tuple[tuple[str | None, str, str], ...]:
    """(value as text, markup, markup when selected) for each option in order, as select.html
    and select_option.html write them; an optgroup's start and end as (None, markup, markup).
    A few boxes' placeholders times a few content versions: 32 lists is plenty."""
    rendered = []
    for group_value, group_label in choices:
        if group_value is None:  # as ChoiceWidget.optgroups does, before looking at the label
            group_value = ""
        if isinstance(group_label, tuple):
            group_name, options = group_value, group_label
        else:
            group_name, options = None, ((group_value, group_label),)
        if group_name:
            start = f'\n  <optgroup label="{conditional_escape(group_name)}">'
            rendered.append((None, start, start))
        for value, label in options:
            text = str(value)  # select_option.html's value|stringformat:"s"
            head = f'\n  <option value="{conditional_escape(text)}"'
            tail = f">{conditional_escape(label)}</option>\n"
            rendered.append((text, head + tail, head + " selected" + tail))
        if group_name:
            rendered.append((None, "\n  </optgroup>", "\n  </optgroup>"))
    return tuple(rendered)
