"""Enumerate every route the project serves, so the authorisation matrix covers new routes by itself.

Web (and every other) route comes from walking `django.urls.get_resolver()` recursively; a route's key is
its namespaced URL name (`labs:patient_labs`, `api:lab_results_create`). An unnamed pattern is keyed by its
namespace and pattern text (`web:^static/(?P<path>.*)$`). The API's HTTP method per url_name comes from the
ninja routers of `painwise.api.api`, so the matrix can check it calls each API operation with its own method.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    key: str
    pattern: str  # the full pattern text, for messages


def _walk(patterns: list[object], prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            space = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern):
            full = prefix + str(entry.pattern)
            name = entry.name or str(entry.pattern)
            yield Route(":".join((*namespaces, name)), full)


def all_routes() -> list[Route]:
    """Every URL pattern of the project (duplicates kept, so they can be reported)."""
    return list(_walk(get_resolver().url_patterns))


def route_keys() -> list[str]:
    """Distinct route keys in URLconf order."""
    return list(dict.fromkeys(route.key for route in all_routes()))


def duplicate_keys() -> list[str]:
    """Keys used by more than one pattern: the matrix could not tell which one it exercised."""
    return sorted(key for key, count in Counter(r.key for r in all_routes()).items() if count > 1)


def api_methods() -> dict[str, set[str]]:
    """`api:<url_name>` → HTTP methods of that operation, read from the API's routers."""
    from painwise.api import api

    namespace = api.urls_namespace
    methods: dict[str, set[str]] = {}
    for pattern in api.urls[0]:
        if isinstance(pattern, URLPattern) and pattern.name:
            methods.setdefault(f"{namespace}:{pattern.name}", set())
    # ninja keeps one PathView per path; each operation carries its methods and url_name.
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                name = getattr(operation, "url_name", None)
                if name:
                    methods.setdefault(f"{namespace}:{name}", set()).update(operation.methods)
    # The schema and docs views are plain GET pages.
    for name in ("openapi-json", "openapi-view", "api-root"):
        key = f"{namespace}:{name}"
        if key in methods and not methods[key]:
            methods[key] = {"GET"}
    return methods
