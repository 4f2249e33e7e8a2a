"""The annual assessment workbook (年度监测评估表): a summary sheet and one sheet per plan (DESIGN.md §6).

Memory stays flat however many plans are exported: the workbook is written in openpyxl's
write-only mode, plan reports arrive one at a time (``selectors.plan_reports``) and each is let go
once its sheet is streamed to a temporary file and closed; strings are written inline (no
shared-strings table). Key projects are fetched for a batch of plans at a time and their sheets
moved next to their plan's before saving. The summary sheet is created first, so it is the first
tab, but filled last from the few numbers kept per plan: a write-only sheet accepts rows until it
is closed, and ``Workbook.save`` closes it.

A workbook of many plans may also be written in parts by several processes (``reports.parallel``):
``write_part`` writes the sheets of a chunk of plans, ``Skeleton`` the summary and the rest.

A plan sheet has these columns:

    序号 · 指标 · 单位 · 属性 · 基期年 · 基期值 · 目标值 · <each year up to the assessment year>
    · 完成进度 · 时序进度 · 评价 · 趋势判断 · 说明 · 备注

The baseline year has its own column (shown as "2020年") so that 基期值 stays a number.
备注 names binding-indicator warnings (预警) and years whose value is preliminary (初步数, only
when unapproved values are included; those values are also set in italics). Key-project progress
for the year goes on a second sheet "<name>-任务" when the plan has key projects.

Safety: every string goes through ``cells.safe_text`` and ``SheetWriter.text``, which writes it as
a string cell (data_type "s", quote-prefixed when ``core.spreadsheet`` takes it for a formula), so
no text ever becomes a formula; the workbook has no external links and no macros (.xlsx).

Only openpyxl's public API is used. The modules, by job: ``styles`` (colours, looks, named
styles), ``cells`` (cells, rows, widths, page layout, temporary files), ``sheet_names``,
``plan_sheet``, ``project_sheet``, ``summary_sheet`` and ``writer`` (the workbook and its parts).
"""

from .cells import safe_text
from .sheet_names import FORBIDDEN_IN_SHEET_NAME, SheetNames
from .styles import VERDICT_COLORS
from .writer import (
    Part,
    PlanSheets,
    Skeleton,
    claim_sheet_names,
    outside_period,
    sheet_layout,
    write_assessment_workbook,
    write_part,
)

__all__ = [
    "FORBIDDEN_IN_SHEET_NAME", "VERDICT_COLORS", "Part", "PlanSheets", "SheetNames", "Skeleton",
    "claim_sheet_names", "outside_period", "safe_text", "sheet_layout", "write_assessment_workbook", "write_part",
]  # fmt: skip
