from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核")


class Vintage(models.TextChoices):
    PRELIMINARY = "preliminary", _("初步")
    VERIFIED = "verified", _("核实")


class ProjectKind(models.TextChoices):
    PROGRAMME = "programme", _("重大专项")
    ENGINEERING = "engineering", _("重大工程")
    PLATFORM = "platform", _("重大平台")
    TASK = "task", _("重点任务")
    MEASURE = "measure", _("措施")


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    COMPLETED = "completed", _("已完成")
    DELAYED = "delayed", _("滞后")
