"""A section's stored text in blocks to render (pure): runs of tab-separated lines are a table
(专栏一's indicator table, as plan documents print it), everything else is running text."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TextBlock:
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @property
    def is_table(self) -> bool:
        return bool(self.header)


def _table(lines: list[str]) -> TextBlock:
    """The first line is the header; every row is padded to the widest line."""
    cells = [[cell.strip() for cell in line.split("\t")] for line in lines]
    width = max(len(row) for row in cells)
    cells = [row + [""] * (width - len(row)) for row in cells]
    return TextBlock(header=cells[0], rows=cells[1:])


def text_blocks(body: str) -> list[TextBlock]:
    """`body` as text and table blocks, in order; a single tab-separated line stays text."""
    blocks, run, table = [], [], False

    def flush():
        if table and len(run) > 1:
            blocks.append(_table(run))
        elif "\n".join(run).strip():
            blocks.append(TextBlock(text="\n".join(run).strip("\n")))

    for line in body.splitlines():
        is_row = "\t" in line.strip()
        if run and is_row != table:
            flush()
            run = []
        table = is_row
        run.append(line)
    if run:
        flush()
    return blocks
