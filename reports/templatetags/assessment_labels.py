from django import template

from reports.labels import translated_label

register = template.Library()


@register.filter
def label(coded) -> str:
    """{{ verdict|label }}: the verdict's label in the active language."""
    return translated_label(coded) if coded is not None else ""
