"""Django-side translations of the labels that the pure assessment module gives in Chinese.

assessment.py has no Django import, so it cannot mark its labels for translation; they are listed
here so `makemessages` extracts them, and `verdict_label` translates any of them at render time.
"""
from django.utils.translation import gettext, gettext_noop

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
