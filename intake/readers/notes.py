"""The notes printed under a table (注：…, 说明：…, and their numbered lines "1．带*的为2019年数据")
move from the paragraphs after it into ``Table.notes``, as the text path does for text tables."""
import re
from dataclasses import replace

from intake.parsing import Paragraph, Table

NOTE = re.compile(r"^(注|说明|备注)\s*\d*\s*[:：]")
NUMBERED_NOTE = re.compile(r"^[（(]?[0-9０-９]{1,2}[）)．.、]")
NOTE_WORDS = re.compile(r"[*＊※]|累计|数据|口径|〔|\[|为|按")
NOTE_MAX = 80  # a numbered line longer than this is an article of the plan, not a note


def attach_notes(blocks: list) -> list:
    """``blocks`` with the note paragraphs right after each table moved into its notes."""
    result: list = []
    in_notes = False
    for block in blocks:
        table = result[-1] if result and isinstance(result[-1], Table) else None
        if table is not None and isinstance(block, Paragraph) and _is_note(block.text, in_notes):
            result[-1] = replace(table, notes=table.notes + (block.text,))
            in_notes = True
            continue
        in_notes = False
        result.append(block)
    return result


def _is_note(text: str, in_notes: bool) -> bool:
    if NOTE.match(text):
        return True
    return in_notes and len(text) < NOTE_MAX and bool(NUMBERED_NOTE.match(text) and NOTE_WORDS.search(text))
