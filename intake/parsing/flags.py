"""What each flag says, by code: the parser's flags (and the publishing service's) carry a code
and its parameters, so a page in another language says the same in its own words (the view
translates ``MESSAGES[code]`` with gettext); ``message`` is the Chinese text, as the command
line's JSON gives it. Placeholders are ``%(name)s``."""
from .model import Flag

MESSAGES = {
    "cells_missing": "这一行有 %(got)s 个单元格，表头有 %(count)s 列：已从左到右对齐，缺少的单元格留空，请核对",
    "cells_extra": "这一行有 %(got)s 个单元格，表头有 %(count)s 列：已从左到右对齐，多出的单元格并入最后一列，请核对",
    "no_target": "没有目标值：%(header)s一栏为空",
    "no_target_growth": "没有目标值：%(header)s一栏为空，%(growth)s一栏也没有可读的目标",
    "target_unread": "目标“%(cell)s”有数字但没有读出数值，已按文字保留，请核对",
    "number_unread": "序号“%(cell)s”不是数字，按位置编为 %(position)s",
    "responsible_unmatched": "责任单位“%(text)s”没有对应的已有单位：已保留原文，请从列表中选择，或留空",
}


def flag(field: str, code: str, **params) -> Flag:
    """A flag on ``field`` with its Chinese message made from ``MESSAGES[code]``."""
    return Flag(field, MESSAGES[code] % params, code, tuple((name, str(value)) for name, value in params.items()))
