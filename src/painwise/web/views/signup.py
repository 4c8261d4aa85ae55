"""Self sign-up for patients (off when PAINWISE_SELF_SIGNUP is false: the page answers 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from painwise.accounts.signup import patient_sign_up, signup_open
from painwise.core.errors import DomainError
from painwise.web.record_forms import SignUpForm, show_domain_error


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if not signup_open():
        raise Http404("Sign-up is switched off on this service.")
    if request.user.is_authenticated:
        return redirect("web:home")
    if request.method != "POST":
        return render(request, "web/signup.html", {"form": SignUpForm()})
    form = SignUpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = patient_sign_up(
                username=data["username"],
                password=data["password"],
                date_of_birth=data["date_of_birth"],
                sex_at_birth=data["sex_at_birth"],
                time_zone=data["time_zone"],
                country=data["country"],
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome. Your account is ready: add your conditions and plan when you like.")
            return redirect("web:profile")
    return render(request, "web/signup.html", {"form": form}, status=422)
