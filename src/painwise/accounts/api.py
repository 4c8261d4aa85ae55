from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from painwise.accounts.auth import token_issue
from painwise.api_common import ERRORS

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    otp: str | None = None


class TokenOut(Schema):
    token: str


@router.post("/token", auth=None, response={200: TokenOut, **ERRORS}, url_name="auth_token")
def issue_token(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    """Exchange a username and password for a bearer token (expires; see PAINWISE_API_TOKEN_TTL_HOURS)."""
    return {"token": token_issue(request=request, username=payload.username, password=payload.password)}
