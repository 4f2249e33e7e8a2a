from django import template

from reports.labels import explanation_text, translated_label

register = template.Library()


@register.filter
def label(coded) -> str:
    """{{ verdict|label }}: the verdict's label in the active language."""
    return translated_label(coded) if coded is not None else ""


@register.filter
def explanation(assessment) -> str:
    """{{ assessment|explanation }}: why the verdict is what it is, in the active language."""
    return explanation_text(assessment) if assessment is not None else ""
