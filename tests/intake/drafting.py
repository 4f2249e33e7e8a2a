"""A small plan document and personas for the import (导入规划) tests, built in code."""
from types import SimpleNamespace

from accounts.choices import Role
from accounts.models import Membership, Organization, User

PASSWORD = "intake-persona-2026"

PLAN_TEXT = """某某区科技创新“十四五”规划

一、发展基础
“十三五”以来，全区科技创新能力持续提升。

二、发展目标
到2025年，全区研发经费投入强度达到2.5%以上。

专栏一 主要指标
序号\t指标\t单位\t2020年\t2025年\t属性
1\t研发经费投入强度\t%\t1.65\t2.2\t预期性
2\t高新技术企业数量\t家\t100\t200\t预期性
3\t技术合同成交额\t亿元\t10\t大幅提高\t预期性

三、重点任务
（一）加强创新平台建设
建设一批重点实验室。
"""

# The revised document: indicator 2 renamed and retargeted, 3 dropped, 4 added.
REVISED_TEXT = PLAN_TEXT.replace("2\t高新技术企业数量\t家\t100\t200", "2\t国家高新技术企业数量\t家\t100\t250").replace(
    "3\t技术合同成交额\t亿元\t10\t大幅提高\t预期性", "4\t每万人发明专利拥有量\t件\t5\t10\t预期性"
)

PROPOSAL = {
    "name": "研发经费投入强度（全区）", "unit": "%", "category": "", "attribute": "expected", "direction": "up",
    "aggregation": "level", "baseline_year": None, "baseline_value": None, "target_year": 2025,
    "target_text": "2.5%以上", "target_kind": "at_least", "target_value": "2.5", "target_low": None,
    "target_high": None, "quote": "到2025年，全区研发经费投入强度达到2.5%以上。", "baseline_quote": "", "line": 7,
}


def make_user(username, organization=None, role=None, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username, **extra)
    if role:
        Membership.objects.create(user=user, organization=organization, role=role)
    return user


def make_personas() -> SimpleNamespace:
    org = Organization.objects.create(name="某某区科技局")
    planner_org = Organization.objects.create(name="某某市科技局")
    return SimpleNamespace(
        org=org,
        planner=make_user("planner", planner_org, Role.PLANNER),
        other_planner=make_user("other_planner", planner_org, Role.PLANNER),
        official=make_user("official", org, Role.OFFICIAL),
        reviewer=make_user("reviewer", org, Role.REVIEWER),
        outsider=make_user("outsider"),
        admin=User.objects.create_superuser("admin", "admin@example.gov.cn", PASSWORD),
        anonymous=None,
    )


def with_proposal(draft):
    """The draft as the prose reader would leave it: one proposed prose target."""
    draft.parsed = {**draft.parsed, "proposed": [dict(PROPOSAL)]}
    draft.save(update_fields=["parsed"])
    return draft


ROW_FIELDS = ("key", "number", "name", "unit", "category", "baseline_year", "baseline_value", "target_year",
              "target_text", "attribute", "direction", "aggregation", "organization")
META_FIELDS = ("title", "code", "kind", "issuer", "document_number", "region", "region_level", "issued_on",
               "start_year", "end_year", "base_year")


def form_data(draft, action="save", **changes):
    """What the review form posts back for the draft as stored, with ``changes`` (row index → cells)."""
    meta = draft.edits["metadata"]
    data = {name: "" if meta.get(name) is None else meta[name] for name in META_FIELDS}
    rows = draft.edits["rows"]
    data.update({"rows-TOTAL_FORMS": len(rows) + 1, "rows-INITIAL_FORMS": len(rows), "action": action})
    for index, row in enumerate(rows):
        for name in ROW_FIELDS:
            data[f"rows-{index}-{name}"] = "" if row.get(name) is None else row[name]
    extra = len(rows)  # the blank row for a new indicator, its selects at their first choice
    data.update({f"rows-{extra}-attribute": "expected", f"rows-{extra}-direction": "up",
                 f"rows-{extra}-aggregation": "level"})
    for key, value in changes.items():
        data[key] = value
    return data
