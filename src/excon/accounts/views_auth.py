"""Signing in and out, and two-factor authentication pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from excon.core.errors import DomainError

from . import services


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.user_login_recorded(user=form.get_user(), ip_address=_client_ip(self.request))
        return response


class LogoutView(auth_views.LogoutView):
    next_page = "accounts:login"


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input govuk-input--width-10",
            }
        ),
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return target


@login_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show the secret as a QR code, confirm with a first code."""
    import segno

    user = request.user
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_device_confirm(actor=user, token=form.cleaned_data["token"])  # type: ignore[arg-type]
        except DomainError as exc:
            form.add_error("token", exc.message)
        else:
            otp_login(request, device)
            messages.success(request, "Two-factor authentication is set up.")
            return redirect(_safe_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = services.totp_device_begin(actor=user)  # type: ignore[arg-type]
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(
        request,
        "accounts/mfa_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": device.key, "next": _safe_next(request)},
    )


@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"].strip()):
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("token", "That code is wrong or has expired.")
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _safe_next(request)})
