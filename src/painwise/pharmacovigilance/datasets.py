"""Report datasets on disk for the researcher pages: list, upload (validated, audited), cached results.

A dataset is a long table (`id,var1,var2[,strata…]`, CSV or Parquet) in PAINWISE_PV_DATA_DIR: either put
there by `painwise pv ingest … --out DIR/NAME.parquet` or uploaded on the page. Results (every pair's
measures and the fitted prior) are computed on first view and cached under `DIR/.cache/`, keyed by the
file's size and modification time, so later views only filter the cached table.

These are public, de-identified report databases (FAERS, CAERS) or synthetic data: no patient of painwise
is in them, so the page needs the researcher role but no patient access check.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from painwise.audit.services import audit_record
from painwise.core.errors import DomainError, NotFound
from painwise.core.pv import normalise, signals, table

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
SUFFIXES = (".parquet", ".csv", ".csv.gz")


@dataclass(frozen=True)
class Dataset:
    name: str
    path: Path

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def cache_key(self) -> str:
        stat = self.path.stat()
        return f"{self.name}-{stat.st_size}-{stat.st_mtime_ns}"


def data_dir() -> Path:
    return Path(settings.PV_DATA_DIR)


def _name_of(path: Path) -> str | None:
    for suffix in SUFFIXES:
        if path.name.endswith(suffix):
            stem = path.name[: -len(suffix)]
            return stem if NAME_RE.match(stem) else None
    return None


def list_datasets() -> list[Dataset]:
    d = data_dir()
    if not d.is_dir():
        return []
    found: dict[str, Dataset] = {}
    for p in sorted(d.iterdir()):
        name = _name_of(p)
        if p.is_file() and name and name not in found:
            found[name] = Dataset(name, p)
    return list(found.values())


def get_dataset(name: str) -> Dataset:
    for ds in list_datasets():
        if ds.name == name:
            return ds
    raise NotFound("dataset")


def save_upload(*, actor: Any, name: str, upload: UploadedFile) -> Dataset:
    """Validate and store an uploaded long table; nothing is kept when it is bad."""
    if not NAME_RE.match(name or ""):
        raise DomainError("pv.bad_name", "Name the dataset with letters, digits, - or _ (at most 64).", "name")
    if any(ds.name == name for ds in list_datasets()):
        raise DomainError("pv.exists", f"A dataset named {name!r} exists already; choose another name.", "name")
    limit = int(settings.PV_MAX_UPLOAD_BYTES)
    if upload.size is None or upload.size > limit:
        raise DomainError("pv.too_large", f"The file is larger than {limit // (1024 * 1024)} MB.", "file", 413)
    original = (upload.name or "").lower()
    suffix = next((s for s in SUFFIXES if original.endswith(s)), None)
    if suffix is None:
        raise DomainError("pv.file_type", "Upload a .csv (UTF-8, comma-separated) or .parquet file.", "file")
    d = data_dir()
    d.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".incoming-", dir=d))
    try:
        tmp = incoming / f"{name}{suffix}"
        with tmp.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        con = table.connect()
        try:
            rows = table.load(con, tmp)
        except DomainError as exc:
            # Name the file as the user knows it, not our temporary path.
            raise DomainError(exc.code, exc.message.replace(str(tmp), upload.name or name), exc.field) from exc
        finally:
            con.close()
        target = d / tmp.name
        os.replace(tmp, target)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
    audit_record(actor=actor, action="pv_upload", patient_key=None, object_type="pv_dataset", object_id=name,
                 detail={"rows": rows, "bytes": upload.size})  # fmt: skip
    return Dataset(name, target)


def _cache_paths(ds: Dataset) -> tuple[Path, Path]:
    cache = data_dir() / ".cache"
    key = ds.cache_key()
    return cache / f"{key}.parquet", cache / f"{key}.json"


def ensure_results(ds: Dataset) -> dict[str, Any]:
    """The run's summary (prior, counts); computes and caches every pair's measures on first use."""
    table_path, info_path = _cache_paths(ds)
    if table_path.is_file() and info_path.is_file():
        return json.loads(info_path.read_text(encoding="utf-8"))
    result = signals.detect_signals(ds.path)
    info: dict[str, Any] = result.to_dict()
    info["prior"] = {k: v for k, v in info["prior"].items() if k != "starts"}
    table_path.parent.mkdir(parents=True, exist_ok=True)
    con = table.connect()
    try:
        con.register("results", result.table)
        tmp = table_path.with_suffix(".tmp")
        con.execute(f"COPY results TO {table.sql_string(str(tmp))} (FORMAT parquet)")
        os.replace(tmp, table_path)
    finally:
        con.close()
    info_path.write_text(json.dumps(info, default=str), encoding="utf-8")
    return info


def product_candidates(product: str) -> list[str]:
    """What a typed product may be called in a dataset: as typed, normalised, and its synonym's canonical."""
    con = table.connect()
    try:
        normalise.install(con, normalise.read_synonyms(None))
        con.execute("CREATE TABLE typed AS SELECT ?::VARCHAR AS x", [product])
        mapped = [r[1] for r in con.execute(normalise.mapping_sql("typed", "x")).fetchall()]
        norm = normalise.normalise(con, [product])
    finally:
        con.close()
    return list(dict.fromkeys([product.strip(), *norm, *mapped]))


def signals_for(ds: Dataset, *, product: str, event: str = "", limit: int | None = None) -> pd.DataFrame:
    """Pairs of one product (optionally events containing `event`), highest EB05 first."""
    table_path, _ = _cache_paths(ds)
    names = product_candidates(product)
    where = "var1 IN (SELECT unnest(?::VARCHAR[]))"
    params: list[Any] = [names]
    if event.strip():
        where += " AND contains(lower(var2), lower(?))"
        params.append(event.strip())
    sql = (
        f"SELECT * FROM read_parquet({table.sql_string(str(table_path))}) WHERE {where} "
        "ORDER BY EB05 DESC, N DESC, var2" + (f" LIMIT {int(limit)}" if limit else "")
    )
    con = table.connect()
    try:
        return con.execute(sql, params).df()
    finally:
        con.close()


def top_products(ds: Dataset, limit: int = 200) -> list[str]:
    table_path, _ = _cache_paths(ds)
    con = table.connect()
    try:
        rows = con.execute(
            f"SELECT var1 FROM read_parquet({table.sql_string(str(table_path))}) GROUP BY var1 "
            "ORDER BY max(n_var1) DESC, var1 LIMIT ?",
            [limit],
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]
