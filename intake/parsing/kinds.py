"""Section kinds as the parser names them: the values of ``plans.choices.SectionKind``, kept here
as plain strings so parsing needs no Django."""

PREAMBLE = "preamble"
CHAPTER = "chapter"
SECTION = "section"
ARTICLE = "article"
ITEM = "item"
BOX = "box"

NESTING = [CHAPTER, SECTION, ARTICLE, ITEM]  # from the outermost to the innermost
