"""The /api/v1/ router. Each app adds its own router in ROUTERS."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="painwise API", version="1", urls_namespace="api")
