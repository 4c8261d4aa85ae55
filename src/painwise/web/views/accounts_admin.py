"""Admins manage accounts: list, create, deactivate/reactivate, reset two-factor. 404 for everyone else."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from painwise.accounts.admin_services import (
    account_create,
    account_reset_2fa,
    account_set_active,
    accounts_list,
    require_admin,
)
from painwise.accounts.models import Role
from painwise.core.errors import DomainError
from painwise.web.views.common import signed_in


class AccountForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Role.choices)
    password = forms.CharField(
        widget=forms.PasswordInput, max_length=256, help_text="a temporary password to hand over"
    )
    date_of_birth = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="patients"
    )
    sex_at_birth = forms.ChoiceField(choices=[("", "—"), ("female", "Female"), ("male", "Male")], required=False)
    time_zone = forms.ChoiceField(choices=[(z, z) for z in sorted(zoneinfo.available_timezones())], initial="UTC")


def _page(request: HttpRequest, form: AccountForm, status: int = 200) -> HttpResponse:
    users = list(accounts_list(request.user))
    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    rows = [(user, user.id in enrolled) for user in users]
    return render(request, "web/account/admin_accounts.html", {"form": form, "rows": rows}, status=status)


@signed_in()
def admin_accounts(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    if request.method != "POST":
        return _page(request, AccountForm())
    form = AccountForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = account_create(
                actor=request.user,
                username=data["username"],
                role=data["role"],
                password=data["password"],
                date_of_birth=data["date_of_birth"],
                sex_at_birth=data["sex_at_birth"] or None,
                time_zone=data["time_zone"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Account {user.username} ({user.get_role_display().lower()}) created.")
            return redirect("web:admin_accounts")
    return _page(request, form, status=422)


@require_POST
@signed_in()
def admin_account_action(request: HttpRequest, user_id: str, action: str) -> HttpResponse:
    try:
        if action == "deactivate":
            account_set_active(actor=request.user, user_id=user_id, active=False)
        elif action == "activate":
            account_set_active(actor=request.user, user_id=user_id, active=True)
        elif action == "reset-2fa":
            account_reset_2fa(actor=request.user, user_id=user_id)
        else:
            require_admin(request.user)
            from painwise.core.errors import NotFound

            raise NotFound("action")
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "Done.")
    return redirect("web:admin_accounts")
