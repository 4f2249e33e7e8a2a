"""A table's first row that is one cell across the whole table (a caption such as
"专栏一：主要指标", merged over every column) is the table's title, not its header."""


def split_caption(rows: list[tuple[str, ...]]) -> tuple[str, list[tuple[str, ...]]]:
    """(caption, the rows under it) when the first row holds one text only, else ("", rows)."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return "", rows
    texts = {cell for cell in rows[0] if cell}
    return (texts.pop(), rows[1:]) if len(texts) == 1 else ("", rows)
