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
