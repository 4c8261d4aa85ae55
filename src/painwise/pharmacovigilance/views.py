"""The researcher's signal page: choose or upload a dataset, see a product's top signals, download them.

Researchers only (other roles 403, anonymous to the login page). Reads no patient data.
"""

from __future__ import annotations

import csv
import math
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from painwise.accounts.models import Role
from painwise.core.errors import DomainError
from painwise.core.pv.normalise import KRATOM
from painwise.pharmacovigilance import chart, datasets
from painwise.web.views.common import signed_in

TOP = 25
DEFAULT_PRODUCT = KRATOM


class SignalFilter(forms.Form):
    dataset = forms.CharField(required=False, max_length=64)
    product = forms.CharField(required=False, max_length=200)
    event = forms.CharField(required=False, max_length=200)


class UploadForm(forms.Form):
    name = forms.CharField(max_length=64, help_text="Letters, digits, - or _.")
    file = forms.FileField(help_text="Long table id,var1,var2[,strata…] as UTF-8 CSV or Parquet.")


def _fmt(value: Any, digits: int = 2) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return ""
    if math.isnan(v):
        return "–"
    if math.isinf(v):
        return "∞"
    return f"{v:.{digits}f}"


def _rows(frame: Any) -> list[dict[str, object]]:
    out = []
    for r in frame.itertuples(index=False):
        out.append(
            {
                "event": str(r.var2),
                "N": str(int(r.N)),
                "E": _fmt(r.E, 2),
                "EBGM": _fmt(r.EBGM),
                "EB05": _fmt(r.EB05),
                "EB95": _fmt(r.EB95),
                "flag": float(r.EB05) >= 2,
                "PRR": f"{_fmt(r.PRR)} ({_fmt(r.PRR_lo)}–{_fmt(r.PRR_hi)})",
                "ROR": f"{_fmt(r.ROR)} ({_fmt(r.ROR_lo)}–{_fmt(r.ROR_hi)})",
                "IC025": _fmt(r.IC025),
            }
        )
    return out


def _context(request: HttpRequest, upload_form: UploadForm | None = None) -> dict[str, Any]:
    form = SignalFilter(request.GET or None)
    all_sets = datasets.list_datasets()
    data = form.cleaned_data if form.is_valid() else {}
    name = data.get("dataset") or (all_sets[0].name if all_sets else "")
    product = (data.get("product") or DEFAULT_PRODUCT).strip()
    event = (data.get("event") or "").strip()
    context: dict[str, Any] = {
        "datasets": all_sets,
        "selected": name,
        "product": product,
        "event": event,
        "upload_form": upload_form or UploadForm(),
        "max_mb": int(settings.PV_MAX_UPLOAD_BYTES) // (1024 * 1024),
        "rows": [],
        "svg": "",
        "info": None,
        "error": "",
        "products": [],
        "threshold_count": 0,
        "total_for_product": 0,
    }
    if not name:
        return context
    ds = datasets.get_dataset(name)  # NotFound → 404
    try:
        info = datasets.ensure_results(ds)
    except DomainError as exc:
        context["error"] = exc.message
        return context
    frame = datasets.signals_for(ds, product=product, event=event)
    if len(frame):
        product = str(frame["var1"].iloc[0])  # the name the dataset uses (typed "kratom" → KRATOM)
        context["product"] = product
    top = frame.head(TOP)
    context.update(
        info=info,
        rows=_rows(top),
        total_for_product=len(frame),
        threshold_count=int((frame["EB05"] >= 2).sum()) if len(frame) else 0,
        products=datasets.top_products(ds),
        svg=chart.interval_chart(top, title=f"Top {len(top)} signals for {product} by EB05"),
        download_url=reverse("pharmacovigilance:download") + "?" + urlencode(
            {"dataset": name, "product": product, "event": event}
        ),
    )  # fmt: skip
    return context


@require_GET
@signed_in(Role.RESEARCHER)
def signals_page(request: HttpRequest) -> HttpResponse:
    return render(request, "pharmacovigilance/signals.html", _context(request))


@require_POST
@signed_in(Role.RESEARCHER)
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            ds = datasets.save_upload(
                actor=request.user, name=form.cleaned_data["name"], upload=form.cleaned_data["file"]
            )
        except DomainError as exc:
            form.add_error("file" if exc.field == "file" else "name", exc.message)
        else:
            messages.success(request, f"Stored dataset {ds.name}.")
            return redirect(reverse("pharmacovigilance:signals") + "?" + urlencode({"dataset": ds.name}))
    status = 413 if any("larger than" in e for e in form.errors.get("file", [])) else 422
    return render(request, "pharmacovigilance/signals.html", _context(request, form), status=status)


@require_GET
@signed_in(Role.RESEARCHER)
def download(request: HttpRequest) -> HttpResponse:
    form = SignalFilter(request.GET)
    if not form.is_valid() or not form.cleaned_data.get("dataset"):
        return HttpResponse("Choose a dataset.", status=422, content_type="text/plain")
    ds = datasets.get_dataset(form.cleaned_data["dataset"])
    try:
        datasets.ensure_results(ds)
    except DomainError as exc:
        return HttpResponse(exc.message, status=422, content_type="text/plain; charset=utf-8")
    product = (form.cleaned_data.get("product") or DEFAULT_PRODUCT).strip()
    frame = datasets.signals_for(ds, product=product, event=form.cleaned_data.get("event") or "")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    safe = "".join(c if c.isalnum() else "_" for c in product)[:40] or "product"
    response["Content-Disposition"] = f'attachment; filename="signals-{ds.name}-{safe}.csv"'
    writer = csv.writer(response)
    writer.writerow(list(frame.columns))
    for rec in frame.itertuples(index=False):
        writer.writerow(["" if isinstance(v, float) and math.isnan(v) else v for v in rec])
    return response
