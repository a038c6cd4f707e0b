"""Form widgets that render without the template engine where a page renders many of them."""

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
    tests/test_widgets.py holds the two to the same output."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        name_html = conditional_escape(widget["name"])
        parts = [f'<select name="{name_html}"{attrs_html(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped
