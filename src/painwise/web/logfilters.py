"""Logging filters. Django logs a PermissionDenied (our 403 for a page meant for another kind of
account) with its traceback; a deliberate probe is not an error worth a stack trace, so the record
keeps its one-line message and loses the traceback."""

from __future__ import annotations

import logging


class OneLineForbidden(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
