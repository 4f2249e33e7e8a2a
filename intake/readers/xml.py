"""XPath over WordprocessingML elements with the w: prefix bound, on any lxml element (python-docx's
own element classes and the plain ones it leaves unparsed, e.g. numbering levels)."""
from lxml import etree

NAMESPACES = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def xpath(element, expression: str) -> list:
    return etree._Element.xpath(element, expression, namespaces=NAMESPACES)
