"""Who a management command acts as: a person, or a named system actor; and their history records.

Every command that writes takes ``--user``. A person is an active account, whose permissions are
checked where the app checks them (e.g. import_values row by row). A system actor,
``--user system:NAME`` (``system:seed``, ``system:demo``), is an account of its own, created on
first use: it cannot log in (inactive, no usable password), it has the powers the system had
when commands wrote without a user (superuser, so loading published data still works), and its
name is what the history records. A colon is not allowed in the user names people get (Django's
username validator), so no person's account can pass for a system actor.

Inside ``acting_as(user)`` every history record written without a user of its own (e.g. a
reporting-year row created on the way, an indicator saved by a plan import) names that actor.
"""
import re
import threading
from contextlib import contextmanager

from django.core.management.base import CommandError
from django.dispatch import receiver
from django.utils.translation import gettext as _
from simple_history.signals import pre_create_historical_record

from .models import User

SYSTEM_PREFIX = "system:"
SYSTEM_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_acting = threading.local()


def add_user_argument(parser, default: str | None = None) -> None:
    """The --user option of a writing command (required unless a default system actor is given)."""
    parser.add_argument(
        "--user", default=default, metavar="USERNAME",
        help=_("操作人：用户名，或系统身份 system:名称（如 system:seed），记入历史记录"),
    )


def is_system_actor(user) -> bool:
    return user is not None and user.username.startswith(SYSTEM_PREFIX)


def command_actor(name: str | None) -> User:
    """The user a command acts as; CommandError with a clear message, before anything is written."""
    name = (name or "").strip()
    if not name:
        raise CommandError(_("请用 --user 指明操作人：用户名，或系统身份 system:名称（如 system:seed）。"))
    if name.startswith(SYSTEM_PREFIX):
        return system_actor(name[len(SYSTEM_PREFIX):])
    user = User.objects.filter(username=name).first()
    if user is None:
        raise CommandError(_("找不到用户“%(name)s”，没有写入任何数据。") % {"name": name})
    if not user.is_active:
        raise CommandError(_("用户“%(name)s”已停用，不能作为操作人。") % {"name": name})
    return user


def system_actor(name: str) -> User:
    """The account of the system actor ``system:NAME``, created the first time it is used."""
    if not SYSTEM_NAME.match(name):
        raise CommandError(
            _("系统身份“%(name)s”无效：system: 之后应为小写字母、数字、- 或 _（最多 40 个），如 system:seed。")
            % {"name": SYSTEM_PREFIX + name}
        )
    user, created = User.objects.get_or_create(
        username=SYSTEM_PREFIX + name,
        defaults={"full_name": _("系统（%(name)s）") % {"name": name}, "is_active": False, "is_superuser": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@contextmanager
def acting_as(user):
    """History records written inside the block without a user of their own name `user`."""
    previous = getattr(_acting, "user", None)
    _acting.user = user
    try:
        yield user
    finally:
        _acting.user = previous


def current_actor():
    """The user named by the innermost ``acting_as`` block, else None."""
    return getattr(_acting, "user", None)


@receiver(pre_create_historical_record, dispatch_uid="accounts.actors.name_the_actor")
def _name_the_actor(sender, history_instance, **kwargs):
    actor = getattr(_acting, "user", None)
    if actor is not None and history_instance.history_user_id is None:
        history_instance.history_user = actor
