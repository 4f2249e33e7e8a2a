"""Layout generation into files: each real table i1-tables collected (``tests/intake/grids.py``)
rendered into a real .docx (native table; merged cells where the grid repeats a cell) and a real
.pdf (ruled, and drawn without lines) parses to the same indicators as the grid itself."""
import pytest

from intake.parsing import parse_document
from intake.readers import read_document
from tests.intake.grids import GRIDS
from tests.intake.layouts import document
from tests.intake.readers_facts import indicator_facts
from tests.intake.render_files import docx_bytes, pdf_bytes

RENDERERS = {
    "docx": docx_bytes,
    "pdf-ruled": pdf_bytes,
    "pdf-unruled": lambda source: pdf_bytes(source, ruled=False),
    # without lines, the names' column narrow: long names go on over a second line under it
    "pdf-unruled-wrapped": lambda source: pdf_bytes(source, ruled=False, wrapped=True),
}


@pytest.mark.parametrize("merged", [False, True], ids=["padded", "merged"])
@pytest.mark.parametrize("layout", RENDERERS)
@pytest.mark.parametrize("grid", GRIDS, ids=lambda grid: grid.name)
def test_it_reads_a_real_table_from_a_file_as_from_its_grid(grid, layout, merged):
    expected = indicator_facts(parse_document(document(grid)))
    assert expected
    data = RENDERERS[layout](document(grid, merged=merged))
    parsed = parse_document(read_document(data, f"{grid.name}.{layout.split('-')[0]}"))
    assert indicator_facts(parsed) == expected


@pytest.mark.parametrize("grid", GRIDS, ids=lambda grid: grid.name)
def test_it_joins_a_name_wrapped_onto_the_next_line_of_a_pdf_table_without_lines(grid):
    import io

    import pdfplumber

    data = pdf_bytes(document(grid), ruled=False, wrapped=True)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        printed = pdf.pages[0].extract_text().splitlines()
    names = [row[1] if grid.header[0] in ("序号", "类别") else row[0] for row in grid.rows if len(row) > 1]
    broken = [name for name in names if not any(name in line for line in printed)]
    assert len(broken) >= 2  # the file really breaks names over two lines
    parsed = parse_document(read_document(data, f"{grid.name}.pdf"))
    assert [i.name for i in parsed.indicators] == [i.name for i in parse_document(document(grid)).indicators]
    assert not any(i.flags for i in parsed.indicators)
