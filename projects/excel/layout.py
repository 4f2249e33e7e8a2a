"""The entry template's file format: sheet names, rows and columns, shared by the template writer
(excel.template) and the importer (imports.reading), which reads the file back."""
from ..choices import Vintage

SHEET_NAME = "填报"
META_SHEET = "meta"
INSTRUCTIONS_ROW = 1
HEADER_ROW = 2
FIRST_DATA_ROW = 3

# (header, width); the last two columns are hidden. Header texts are part of the file format:
# they are compared verbatim on upload, so they are not translated.
COLUMNS = [
    ("序号", 6),
    ("指标", 44),
    ("单位", 10),
    ("基期值", 12),
    ("目标", 22),
    ("参照", 20),  # what the reference value is and which year: “上一已审核值（2023年）”, “基期值（2020年）”
    ("参照值", 12),
    ("本年数值", 14),
    ("数据来源", 24),
    ("数据性质(初步/核实)", 18),
    ("说明", 40),
    ("指标ID", 10),
    ("版本", 8),
]
HEADERS = [header for header, _width in COLUMNS]
COL = {header: index + 1 for index, header in enumerate(HEADERS)}  # 1-based column numbers
INPUT_HEADERS = ["本年数值", "数据来源", "数据性质(初步/核实)", "说明"]
HIDDEN_HEADERS = ["指标ID", "版本"]
VINTAGE_LABELS = {"初步": Vintage.PRELIMINARY, "核实": Vintage.VERIFIED}
META_KEYS = ("plan", "year", "organization")

NUMBER_LIMIT = 10**15
