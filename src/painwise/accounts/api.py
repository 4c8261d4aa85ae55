from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from painwise.accounts.auth import token_issue, token_revoke
from painwise.api_common import ERRORS, ErrorOut, caller

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = Field(None, description="TOTP code; required for clinicians and admins")


class TokenOut(Schema):
    token: str


@router.post("/token", auth=None, response={200: TokenOut, **ERRORS, 429: ErrorOut}, url_name="auth_token")
def issue_token(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    """Exchange a username and password for a bearer token (expires; see PAINWISE_API_TOKEN_TTL_HOURS)."""
    token = token_issue(request=request, username=payload.username, password=payload.password, otp=payload.otp)
    return {"token": token}


@router.post("/token/revoke", response={204: None, **ERRORS}, url_name="auth_token_revoke")
def revoke_token(request: HttpRequest) -> Status[None]:
    """Revoke the bearer token this request was made with (log out of the API)."""
    raw = request.headers.get("Authorization", "").partition(" ")[2].strip()
    token_revoke(user=caller(request), raw=raw)
    return Status(204, None)
