"""The widgets of the entry pages' row forms: the same markup as Django's widget templates, written
in Python.

An entry page has five fields a row; rendered through the form templates (three nested templates a
field, one more per option) they took a fifth of the page's time, paid again on every save.
Attributes come from ``Widget.get_context`` as with the templates (id, maxlength, disabled, the
error attributes a bound field adds), in the same order; values are escaped by ``format_html``.
"""
from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def attributes(attrs: dict) -> SafeString:
    """` name="value"` each, in order; True writes the bare name, False leaves it out."""
    parts = (f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
             for name, value in attrs.items() if value is not False)  # fmt: skip
    return mark_safe("".join(parts))


def input_tag(widget: dict) -> SafeString:
    value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value,
                       attributes(widget["attrs"]))


class RowTextInput(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        return input_tag(self.get_context(name, value, attrs)["widget"])


class RowHiddenInput(forms.HiddenInput):
    def render(self, name, value, attrs=None, renderer=None):
        return input_tag(self.get_context(name, value, attrs)["widget"])


class RowTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html('<textarea name="{}"{}>\n{}</textarea>', widget["name"], attributes(widget["attrs"]),
                           widget["value"] or "")


class RowSelect(forms.Select):
    """A select without option groups (the rows' choices have none)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "", '\n  <option value="{}"{}>{}</option>',
            ((option["value"], attributes(option["attrs"]), option["label"])
             for _group, choices, _index in widget["optgroups"] for option in choices),
        )  # fmt: skip
        return format_html('<select name="{}"{}>{}\n</select>', widget["name"], attributes(widget["attrs"]), options)
