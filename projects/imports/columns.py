"""Which column of a CSV or of a sheet that is not our template holds what: its header read by name.

A header cell is compared without case, spaces, underscores or full-width forms (NFKC), so
“本年数值”, “ Value ”, “ＶＡＬＵＥ” and “plan_code” are all recognised. Columns may come in any order;
the optional ones may be left out; columns not recognised are ignored and listed in a notice.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .rows import NAMED_LABELS, UploadError, file_error, row_error

# field → the names a header may give it (the first is the one messages show when the file has none).
ALIASES = {
    "plan": ("规划代码", "规划", "plan", "plan code", "plan_code"),
    "number": ("序号", "指标序号", "编号", "number", "no", "no.", "indicator number"),
    "indicator": ("指标名称", "指标", "indicator", "indicator name"),
    "year": ("年份", "年度", "year"),
    "value": ("数值", "本年数值", "value"),
    "source": ("数据来源", "来源", "source", "data source"),
    "vintage": ("数据性质", "数据性质(初步/核实)", "vintage"),
    "note": ("备注", "说明", "note", "notes", "remark"),
}
# The names of the fields in messages, in the page's language, for a column the file does not have.
FIELD_LABELS = {name: NAMED_LABELS[name] for name in ALIASES if name in NAMED_LABELS} | {
    "number": NAMED_LABELS["indicator"], "indicator": NAMED_LABELS["indicator_name"],
}


def column_guide(*, page: bool) -> list[tuple[str, str, str]]:
    """(field, accepted names, whether it is needed) for the upload page and README; on the page the
    plan and the year are the page's, so a file may leave them out."""
    needed = {
        "plan": _("本页已定，可省略") if page else _("必填"), "year": _("本页已定，可省略") if page else _("必填"),
        "number": _("序号和指标名称至少填一列；都填时须一致"), "indicator": _("序号和指标名称至少填一列；都填时须一致"),
        "value": _("必填"),
    }
    return [(str(FIELD_LABELS[name]), " / ".join(aliases), needed.get(name, _("可省略")))
            for name, aliases in ALIASES.items()]


def normalized(name) -> str:
    """A header cell as compared: NFKC (full-width → half-width), case-folded, without spaces and _."""
    text = unicodedata.normalize("NFKC", str(name or "")).casefold()
    return re.sub(r"[\s_]+", "", text)


_BY_NAME = {normalized(alias): name for name, aliases in ALIASES.items() for alias in aliases}


@dataclass
class Columns:
    """Where each field is (0-based cell index) and the header as the file writes it."""

    index: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    width: int = 0

    def cell(self, cells: list, name: str, default=None):
        position = self.index.get(name)
        if position is None or position >= len(cells):
            return default
        return cells[position]

    def notice(self) -> str:
        """The columns ignored, in the user's words ("" when none)."""
        if not self.ignored:
            return ""
        return _("以下列不认识，已忽略：%(names)s。") % {"names": _("、").join(self.ignored)}


def recognised(header: list) -> int:
    """How many cells of a row are known column names (finds the header row of a sheet)."""
    return len({_BY_NAME[key] for key in map(normalized, header) if key in _BY_NAME})


def is_header(header: list) -> bool:
    """A row that names a value column and the indicator (by 序号 or name)."""
    fields = {_BY_NAME.get(normalized(cell)) for cell in header}
    return "value" in fields and bool(fields & {"number", "indicator"})


def map_columns(header: list, line: int, *, defaults: set[str] = frozenset()) -> Columns:
    """The header row read by name; UploadError naming each missing required column and its names.

    ``defaults``: the fields the page supplies when the file has no column for them (its plan, year)."""
    columns = Columns(width=len(header))
    errors = []
    for position, cell in enumerate(header):
        text = str(cell).strip() if cell is not None else ""
        name = _BY_NAME.get(normalized(text))
        if name is None:
            if text:
                columns.ignored.append(text)
            continue
        if name in columns.index:
            reason = _("“%(first)s”和“%(second)s”是同一列（%(field)s），请只保留一列。") % {
                "first": columns.headers[name], "second": text, "field": FIELD_LABELS[name],
            }
            errors.append(row_error(line, _("表头"), reason))
            continue
        columns.index[name], columns.headers[name] = position, text
    required = [name for name in ("plan", "year", "value") if name not in defaults]
    errors += [_missing(line, name) for name in required if name not in columns.index]
    if "number" not in columns.index and "indicator" not in columns.index:
        reason = _("缺少指标列：请给出序号（可写作 %(numbers)s）或指标名称（可写作 %(names)s）。") % {
            "numbers": _accepted("number"), "names": _accepted("indicator"),
        }
        errors.append(row_error(line, _("表头"), reason))
    if errors:
        raise UploadError(errors + [file_error(_("请检查表头，可用的列名列在 Excel 填报页面上。"))])
    return columns


def _missing(line: int, name: str) -> str:
    reason = _("缺少“%(field)s”列（可写作 %(names)s）。") % {"field": FIELD_LABELS[name], "names": _accepted(name)}
    return row_error(line, _("表头"), reason)


def _accepted(name: str) -> str:
    return " / ".join(ALIASES[name])
