"""Forms of the management page: organizations, accounts, memberships, passwords.

Each form narrows its choices to what the acting user manages (accounts.management_rules), so a
role in an organization outside their region cannot even be posted; the views check again.
"""
import secrets

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .actors import SYSTEM_PREFIX
from .choices import Role
from .management_rules import managed_organizations, managed_regions
from .models import Organization, User


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "short_name", "region"]

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = managed_regions(manager)
        self.fields["region"].required = not manager.is_superuser
        self.fields["region"].help_text = _("只能选择你管理的地区及其下级地区。")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写单位名称。"))
        if Organization.objects.filter(name=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("单位“%(name)s”已存在。") % {"name": name})
        return name


class AccountForm(forms.ModelForm):
    """Name and e-mail of an account (never its flags: superuser, staff, active are not fields)."""

    class Meta:
        model = User
        fields = ["full_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["full_name"].error_messages["required"] = _("请填写姓名。")

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写姓名。"))
        return name


class NewAccountForm(AccountForm):
    """A new account with its first membership; its password is generated and shown once."""

    organization = forms.ModelChoiceField(label=_("单位"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)

    class Meta(AccountForm.Meta):
        fields = ["username", "full_name", "email"]

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = managed_organizations(manager)
        self.fields["username"].help_text = _("登录用的名称：字母、数字和 @ . + - _，最多 150 个字符。")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if ":" in username:
            raise forms.ValidationError(
                _("用户名不能包含“:”：它保留给系统身份（如 %(example)s）。") % {"example": SYSTEM_PREFIX + "seed"}
            )
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("用户名“%(name)s”已被使用，请换一个。") % {"name": username})
        return username

    def save(self, commit=True):
        user = super().save(commit=False)
        self.password = generated_password()
        user.set_password(self.password)
        user.must_change_password = True
        if commit:
            user.save()
            user.memberships.create(organization=self.cleaned_data["organization"], role=self.cleaned_data["role"])
        return user


class MembershipForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("单位"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)

    def __init__(self, *args, manager, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["organization"].queryset = managed_organizations(manager)
        self.fields["organization"].error_messages["invalid_choice"] = _("只能选择你管理的单位。")

    def clean(self):
        data = super().clean()
        organization, role = data.get("organization"), data.get("role")
        if organization and role and self.person.memberships.filter(organization=organization, role=role).exists():
            raise forms.ValidationError(_("该用户已是该单位的%(role)s。") % {"role": Role(role).label})
        return data


class PasswordResetForm(forms.Form):
    """Either a generated one-time password, or one the admin types (Django's validators apply)."""

    GENERATE, SET = "generate", "set"
    mode = forms.ChoiceField(
        label=_("方式"), widget=forms.RadioSelect, initial=GENERATE,
        choices=[(GENERATE, _("生成一次性随机密码")), (SET, _("设置指定密码"))],
    )
    password1 = forms.CharField(label=_("新密码"), required=False, strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("再次输入新密码"), required=False, strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self):
        data = super().clean()
        if data.get("mode") != self.SET:
            return data
        first, second = data.get("password1"), data.get("password2")
        if not first:
            self.add_error("password1", _("请输入新密码。"))
        elif first != second:
            self.add_error("password2", _("两次输入的密码不一致。"))
        else:
            try:
                password_validation.validate_password(first, self.person)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

    def new_password(self) -> tuple[str, bool]:
        """(password, generated?)"""
        if self.cleaned_data["mode"] == self.SET:
            return self.cleaned_data["password1"], False
        return generated_password(), True


def generated_password() -> str:
    """16 characters from 96 random bits, without look-alikes (no 0/O, 1/l/I)."""
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))
