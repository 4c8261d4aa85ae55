"""The second sign-in step (code or enrolment) and the Security page (2FA status, API tokens)."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from painwise.accounts.models import ApiToken
from painwise.accounts.otp import confirmed_device, otp_required, verify_otp
from painwise.core.errors import DomainError
from painwise.web.account_forms import OtpForm, show_domain_error
from painwise.web.services import api_token_revoke, otp_device_confirm, otp_device_start
from painwise.web.twofactor import SESSION_OTP_PENDING, second_step_url
from painwise.web.views.common import signed_in


def _next(request: HttpRequest, default: str = "web:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(default)


def _verified(request: HttpRequest, device: TOTPDevice) -> None:
    django_otp.login(request, device)
    request.session.pop(SESSION_OTP_PENDING, None)


@signed_in()
def login_otp(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    device = confirmed_device(user)
    if device is None:
        return redirect(second_step_url(user, _next(request)))
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verify_otp(user, form.cleaned_data["token"])
        except DomainError as exc:
            show_domain_error(form, exc, {"otp": "token"})
        else:
            _verified(request, device)
            return redirect(_next(request))
    status = 422 if form.errors else 200
    return render(request, "web/account/login_otp.html", {"form": form, "next": _next(request)}, status=status)


def _qr_svg(device: TOTPDevice) -> str:
    # Our own SVG (no inline style; CSP allows presentation attributes), sized by app.css.
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")  # type: ignore[no-any-return]


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@signed_in()
def otp_enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if confirmed_device(user) is not None and not user.is_verified():  # type: ignore[union-attr]
        # A password alone must never replace an authenticator: prove the current one first.
        return redirect(second_step_url(user, reverse("web:otp_enrol")))
    device = otp_device_start(actor=user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp_device_confirm(actor=user, device=device, token=form.cleaned_data["token"])
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            _verified(request, device)
            messages.success(request, "Two-factor authentication is on. Keep your authenticator app.")
            return redirect(_next(request, "web:security"))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "qr_svg": _qr_svg(device),
        "secret": _grouped(secret),
        "next": _next(request, "web:security"),
    }
    return render(request, "web/account/otp_enrol.html", context, status=422 if form.errors else 200)


@signed_in()
def security(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    context = {
        "device": confirmed_device(user),
        "otp_required": otp_required(user),
        "tokens": ApiToken.objects.filter(user=user).order_by("-created_at")[:50],
    }
    return render(request, "web/account/security.html", context)


@require_POST
@signed_in()
def token_revoke(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    api_token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, "The token is revoked: it no longer works.")
    return redirect("web:security")
