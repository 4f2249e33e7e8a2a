"""``manage.py create_demo_accounts --user system:demo``: (re)create the demo accounts (local use only)."""
import logging

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.actors import add_user_argument, command_actor
from accounts.demo import create_demo_accounts

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Create one demo account per role (local use only) and print their passwords."

    def add_arguments(self, parser):
        add_user_argument(parser)

    def handle(self, *args, user, **options):
        actor = command_actor(user)
        rows = create_demo_accounts()
        logger.info("create_demo_accounts by %s: %s", actor.username, ", ".join(row[0] for row in rows))
        self.stdout.write(_("演示账户（仅供本地试用；操作人：%(user)s）：") % {"user": actor.username})
        for username, password, role, organization in rows:
            self.stdout.write(f"  {role:<6} 用户名 {username:<12} 密码 {password:<24} {organization}")
