"""Django-side translations of the labels that the pure assessment module gives in Chinese.

assessment.py has no Django import, so it cannot mark its labels for translation; they are listed
here so `makemessages` extracts them, and `verdict_label` translates any of them at render time.
"""
from django.utils.translation import gettext, gettext_noop

from .assessment import wording

ASSESSMENT_LABELS = [
    gettext_noop("已完成"),
    gettext_noop("快于预期"),
    gettext_noop("基本符合预期"),
    gettext_noop("滞后"),
    gettext_noop("倒退"),
    gettext_noop("未完成"),
    gettext_noop("无数据"),
    gettext_noop("无法评估"),
    gettext_noop("预计可完成"),
    gettext_noop("需加快"),
    gettext_noop("进展顺利"),
    gettext_noop("需加速"),
    gettext_noop("进展有限"),
]


def translated_label(coded) -> str:
    """The label of a Verdict, Trend or SdgStatus in the active language."""
    return gettext(coded.label)


# The pieces of an explanation (``assessment.wording``): message ids for makemessages.
EXPLANATION_PIECES = [
    gettext_noop("；"), gettext_noop("、"),
    gettext_noop("%(year)s年：%(verdict)s（%(reason)s）"),
    gettext_noop("%(start)s–%(end)s年累计"), gettext_noop("%(year)s年"), gettext_noop("（%(year)s年尚无数据）"),
    gettext_noop("：%(value)s%(unit)s"), gettext_noop("（%(years)s年无数据，未计入）"),
    gettext_noop("，%(since)s年以来年均%(realised)s（目标年均%(floor)s以内）"),
    gettext_noop("，%(since)s年以来年均%(realised)s（目标年均%(floor)s以上）"),
    gettext_noop("，时序进度%(share)s%%"), gettext_noop("，完成进度%(share)s%%"), gettext_noop("，%(verdict)s"),
    gettext_noop("缺少基期值，无法按年均增速推算"), gettext_noop("基期值或最新值非正，无法按年均增速推算"),
    gettext_noop("按此增速推算，%(trend)s"),
    gettext_noop("按%(since)s年以来年均%(rate)s推算，%(year)s年预计%(value)s%(unit)s，%(trend)s"),
    gettext_noop("其余年份需年均%(rate)s"),
    gettext_noop("按年均%(per_year)s%(unit)s推算，%(year)s年预计累计%(value)s%(unit)s，%(trend)s"),
    gettext_noop("其余年份年均不超过%(amount)s%(unit)s"), gettext_noop("其余年份需年均%(amount)s%(unit)s"),
    gettext_noop("下降%(share)s%%"), gettext_noop("增长%(share)s%%"),
    # reasons
    gettext_noop("目标为相对表述：%(target)s"), gettext_noop("目标为定性表述：%(target)s"),
    gettext_noop("未设定目标年份"), gettext_noop("缺少基期年份和规划起始年份"), gettext_noop("基期年份不早于目标年份"),
    gettext_noop("缺少目标值"), gettext_noop("年均增速目标须高于-100%"), gettext_noop("翻番目标缺少基期值"),
    gettext_noop("增速目标缺少基期值"), gettext_noop("基期值非正，无法计算年均增速"),
    gettext_noop("仅有基期（%(year)s年）之前的数据"), gettext_noop("基期值等于目标值"),
    gettext_noop("目标值或当前值为0，无法计算完成进度"), gettext_noop("基期之后尚无数据，无法计算年均增速"),
    gettext_noop("当前值非正，无法计算年均增速"), gettext_noop("基期之后尚无增速数据"),
    gettext_noop("增速低于-100%，无法复合计算"), gettext_noop("目标值为0，无法计算完成进度"),
    gettext_noop("尚无已审核数据"),
]  # fmt: skip


def explanation_text(assessment) -> str:
    """The assessment's explanation in the active language; an assessment stored before
    explanations had parts keeps its Chinese text."""
    if not assessment.explanation_parts:
        return assessment.explanation
    return wording.render(assessment.explanation_parts, gettext)
