from django.core.management.base import BaseCommand

from accounts.demo import create_demo_accounts


class Command(BaseCommand):
    help = "Create one demo account per role (local use only) and print their passwords."

    def handle(self, *args, **options):
        self.stdout.write("演示账户（仅供本地试用）：")
        for username, password, role in create_demo_accounts():
            self.stdout.write(f"  {role:<6} 用户名 {username:<10} 密码 {password}")
