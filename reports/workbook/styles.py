"""How the workbook's cells look: colours by verdict and status, the looks (font, fill, border,
alignment, number format) and ``Styles``, which registers every look with a workbook up front."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache

from django.utils.translation import gettext, gettext_noop
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray

from core.numbers import trimmed
from indicators.targets import TargetKind
from projects.choices import ProgressStatus

from ..assessment import Verdict

PERCENT_FORMAT = "0.0%"
PERCENT_UNITS = {"%", "％", "‰", "个百分点"}
YEAR_FORMAT = '0"年"'

MAX_PLACES = 4  # the decimals a stored value has at most (indicators.models.DECIMAL)


def places_of(value: Decimal | None) -> int:
    """The decimals a value has once its padding zeros are gone: 1.6500 → 2, 500.0000 → 0."""
    if value is None:
        return 0
    exponent = trimmed(Decimal(value)).as_tuple().exponent
    return min(max(-exponent, 0), MAX_PLACES) if isinstance(exponent, int) else 0


def number_format(unit: str, value: Decimal | None, prefix: str = "") -> str:
    """The format of one number: as many decimals as the value has (no padding zeros), thousands
    separators except for percentages; `prefix` (e.g. "≥ ") is shown before the number."""
    places = places_of(value)
    digits = "0" if (unit or "").strip() in PERCENT_UNITS else "#,##0"
    if places:
        digits += "." + "0" * places
    return f'"{prefix}"{digits}' if prefix else digits


VERDICT_COLORS = {  # fill, font colour
    Verdict.ACHIEVED: ("63BE7B", "000000"),
    Verdict.AHEAD: ("C6EFCE", "000000"),
    Verdict.ON_TRACK: ("BDD7EE", "000000"),
    Verdict.BEHIND: ("FFC000", "000000"),
    Verdict.REGRESSING: ("FF6666", "000000"),
    Verdict.NOT_ACHIEVED: ("C00000", "FFFFFF"),
    Verdict.NO_DATA: ("D9D9D9", "000000"),
    Verdict.NOT_ASSESSABLE: ("F2F2F2", "000000"),
}
VERDICT_MEANINGS = {  # message ids: translated where written
    Verdict.ACHIEVED: gettext_noop("已达到目标值"),
    Verdict.AHEAD: gettext_noop("完成进度快于时序进度"),
    Verdict.ON_TRACK: gettext_noop("完成进度与时序进度基本相当"),
    Verdict.BEHIND: gettext_noop("完成进度慢于时序进度"),
    Verdict.REGRESSING: gettext_noop("与基期相比偏离目标"),
    Verdict.NOT_ACHIEVED: gettext_noop("目标年未达到目标值"),
    Verdict.NO_DATA: gettext_noop("尚无数据"),
    Verdict.NOT_ASSESSABLE: gettext_noop("目标为定性或相对表述，或缺少基期、目标等信息"),
}
STATUS_COLORS = {
    ProgressStatus.COMPLETED: "63BE7B",
    ProgressStatus.IN_PROGRESS: "BDD7EE",
    ProgressStatus.DELAYED: "FFC000",
    ProgressStatus.NOT_STARTED: "D9D9D9",
}

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BODY_FONT = Font(name="宋体", size=11)
CENTERED = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Look:
    """How a cell looks. Write-only rows cannot be styled afterwards, so each cell is styled as built."""

    font: Font = BODY_FONT
    fill: PatternFill | None = None
    alignment: Alignment = CENTERED
    border: Border | None = BORDER
    number_format: str = "General"

    def but(self, **changes) -> Look:
        return replace(self, **changes)

    def apply(self, target: NamedStyle) -> None:
        target.font = self.font
        target.alignment = self.alignment
        target.number_format = self.number_format
        if self.fill is not None:
            target.fill = self.fill
        if self.border is not None:
            target.border = self.border


def _solid(color: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=color, end_color=color)


CENTER = Look()
LEFT = CENTER.but(alignment=Alignment(horizontal="left", vertical="center", wrap_text=True))
NUMBER = CENTER.but(alignment=Alignment(horizontal="right", vertical="center"))
PERCENT = NUMBER.but(number_format=PERCENT_FORMAT)
YEAR = CENTER.but(number_format=YEAR_FORMAT)
PLAIN_YEAR = CENTER.but(number_format="0")
BOLD = CENTER.but(font=Font(name="宋体", size=11, bold=True))
LINK = LEFT.but(font=Font(name="宋体", size=11, color="0563C1", underline="single"))
HEADER = BOLD.but(fill=_solid("DDEBF7"))
TITLE = Look(font=Font(name="黑体", size=16, bold=True), border=None)
SUBTITLE = Look(font=Font(name="黑体", size=12), border=None)
INFO = LEFT.but(border=None, font=Font(name="宋体", size=10, color="595959"))
NOTE = INFO.but(alignment=Alignment(horizontal="left", vertical="top", wrap_text=False))


# Looks built from data are cached, so equal looks are one object and registered once per workbook.
def year_look() -> Look:
    """A year as the language writes it: 2020年 in Chinese, 2020 in English."""
    return YEAR if gettext("%(year)s年") == "%(year)s年" else PLAIN_YEAR


@cache
def verdict_look(verdict: Verdict, warning: bool = False) -> Look:
    fill, font_color = VERDICT_COLORS[verdict]
    return CENTER.but(fill=_solid(fill), font=Font(name="宋体", size=11, color=font_color, bold=warning))


@cache
def number_look(number_format: str, preliminary: bool = False) -> Look:
    font = Font(name="宋体", size=11, italic=True, color="7F6000") if preliminary else BODY_FONT
    return NUMBER.but(number_format=number_format, font=font)


PERCENT_FORMATS = ("0%", "0.0%", "0.00%")


def percent_look(fraction: Decimal | None) -> Look:
    """A share as a percentage with the decimals it has, at most two: 0.4 → 40%, 0.4286 → 42.86%."""
    places = min(max(places_of(fraction) - 2, 0), 2)
    return _percent_look(PERCENT_FORMATS[places])


@cache
def _percent_look(number_format: str) -> Look:
    return NUMBER.but(number_format=number_format)


@cache
def status_look(status: str) -> Look:
    return CENTER.but(fill=_solid(STATUS_COLORS.get(status, "D9D9D9")))


# The sign a target of one number is shown with in its number cell (目标值); other kinds stay text.
TARGET_PREFIXES = {
    TargetKind.AT_LEAST: "≥ ", TargetKind.AT_MOST: "≤ ", TargetKind.ABOVE: "> ", TargetKind.BELOW: "< ",
    TargetKind.APPROX: "≈ ", TargetKind.CUMULATIVE: "Σ ",
}  # fmt: skip
# Every format ``number_format`` gives: plain or with separators, 0 to MAX_PLACES decimals, with a target's sign.
NUMBER_FORMATS = tuple(
    f'"{prefix}"{digits}' if prefix else digits
    for prefix in ("", *TARGET_PREFIXES.values())
    for separators in (False, True)
    for places in range(MAX_PLACES + 1)
    if (digits := ("#,##0" if separators else "0") + ("." + "0" * places if places else ""))
)


def all_looks() -> list[Look]:
    """Every look a workbook can use, in a fixed order (see :class:`Styles`)."""
    return [
        CENTER, LEFT, NUMBER, PERCENT, YEAR, PLAIN_YEAR, BOLD, LINK, HEADER, TITLE, SUBTITLE, INFO, NOTE,
        *(verdict_look(verdict, warning) for verdict in Verdict for warning in (False, True)),
        *(number_look(fmt, preliminary) for fmt in NUMBER_FORMATS for preliminary in (False, True)),
        *(status_look(status) for status in (*STATUS_COLORS, "")),
        *(_percent_look(fmt) for fmt in PERCENT_FORMATS),
    ]  # fmt: skip



class Styles:
    """Every look as a named style of the workbook, registered when the workbook is created, always
    in the order of :func:`all_looks`, with its cell format plain and quote-prefixed.

    Setting font, fill, border and format on each cell makes openpyxl hash every style object, which
    costs more than writing the cell; a cell is built with its look's style array instead (the
    public ``NamedStyle.as_tuple`` and ``Cell(style_array=…)``). Registering everything up front
    numbers the styles alike in every workbook, so sheets written in separate processes can be put
    into one workbook (``reports.parallel``).
    """

    def __init__(self, wb):
        self._arrays: dict[int, tuple[Look, StyleArray, StyleArray]] = {}  # the look is kept so its id stays its own
        self._by_value: dict[Look, tuple[Look, StyleArray, StyleArray]] = {}
        scratch = wb.create_sheet()
        for look in all_looks():
            self._register(wb, scratch, look)
        wb.remove(scratch)
        self._wb, self._scratch = wb, scratch

    def _register(self, wb, sheet, look: Look) -> tuple[Look, StyleArray, StyleArray]:
        """The look's record: an equal look's if one is registered (looks built on the fly are new
        objects), else a new named style."""
        record = self._by_value.get(look)
        if record is not None:
            self._arrays[id(look)] = (look, *record[1:])
            return record
        style = NamedStyle(name=f"guihua-{len(self._by_value) + 1:03d}")
        look.apply(style)
        wb.add_named_style(style)
        plain = StyleArray(style.as_tuple())
        quoted = StyleArray(plain)
        quoted.quotePrefix = True  # Excel and WPS keep a text beginning with = + - @ text when edited
        for array in (plain, quoted):
            Cell(sheet, row=1, column=1, style_array=array).style_id  # noqa: B018 - registers the cell format
        record = self._arrays[id(look)] = self._by_value[look] = (look, plain, quoted)
        return record

    def array(self, look: Look, quoted: bool = False) -> StyleArray:
        """The look's style array, to build a cell with (``Cell(…, style_array=…)`` copies it)."""
        record = self._arrays.get(id(look)) or self._register(self._wb, self._scratch, look)
        return record[2 if quoted else 1]

