"""/api/v1/: one NinjaAPI, the single error shape, and each app's router."""

from __future__ import annotations

import importlib

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.errors import HttpError as NinjaHttpError

from painwise.accounts.auth import BearerAuth
from painwise.core.errors import DomainError

api = NinjaAPI(
    title="painwise API",
    version="1",
    description="Diary, treatment plan and monitoring data. Every error is "
    '`{"error": {"code": "...", "message": "...", "field": "..."}}`.',
    urls_namespace="api",
    auth=BearerAuth(),
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, field: str | None = None
) -> HttpResponse:
    return api.create_response(request, {"error": {"code": code, "message": message, "field": field}}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.message, exc.field)


def _field_name(loc: tuple[object, ...] | list[object]) -> str | None:
    # ninja prefixes locations with the parameter source and name ("body", "payload", ...).
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    if not parts:
        return None
    name = parts[0]
    for part in parts[1:]:
        name += f"[{part}]" if part.isdigit() else f".{part}"
    return name


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    field = _field_name(first.get("loc", ()))
    if first.get("type") == "json_invalid" or (field is None and "JSON" in str(first.get("msg", ""))):
        return error_response(request, 400, "request.malformed_json", "the request body is not valid JSON", None)
    message = str(first.get("msg", "invalid input"))
    if field:
        message = f"{field}: {message}"
    return error_response(request, 422, "request.invalid", message, field)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "auth.required", "a valid bearer token is required", "Authorization")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", "No such record.")


@api.exception_handler(NinjaHttpError)
def on_http_error(request: HttpRequest, exc: NinjaHttpError) -> HttpResponse:
    if exc.status_code == 400 and "Cannot parse request body" in str(exc):
        return error_response(request, 400, "request.malformed_json", "the request body is not valid JSON")
    return error_response(request, exc.status_code, "request.error", str(exc))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, 413, "request.too_large", "the request body is larger than the server accepts")


def _register_routers() -> None:
    from painwise.accounts.api import router as auth_router
    from painwise.accounts.me_api import router as me_router
    from painwise.audit.api import router as audit_router
    from painwise.diary.api import router as diary_router
    from painwise.patients.api import router as patients_router
    from painwise.patients.sharing_api import router as sharing_router
    from painwise.treatment.api import router as treatment_router

    api.add_router("/auth/", auth_router)
    api.add_router("/me", me_router)
    api.add_router("/sharing", sharing_router)
    api.add_router("", audit_router)
    api.add_router("/patients", patients_router)
    api.add_router("/patients", treatment_router)
    api.add_router("/patients", diary_router)
    # Routers of apps that add their own endpoints (labs, questionnaires, monitoring, exchange, reports, research).
    for name in ("labs", "questionnaires", "monitoring", "exchange", "reports", "research"):
        module = importlib.import_module(f"painwise.{name}.api")
        api.add_router(getattr(module, "PREFIX", "/patients"), module.router)


_register_routers()
