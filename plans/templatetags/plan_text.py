from django import template

from ..section_text import text_blocks as _text_blocks

register = template.Library()


@register.filter
def text_blocks(body: str):
    """``{% for block in section.body|text_blocks %}``: see ``plans.section_text``."""
    return _text_blocks(body or "")
