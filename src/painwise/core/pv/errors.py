"""Input errors that name the file, the line (or Parquet row) and the column."""

from __future__ import annotations

from pathlib import Path

from painwise.core.errors import DomainError


class PVInputError(DomainError):
    def __init__(
        self, path: str | Path, message: str, *, line: int | None = None, column: str | None = None,
        code: str = "pv.bad_input", row_word: str = "line",
    ) -> None:  # fmt: skip
        where = str(path)
        if line is not None:
            where += f", {row_word} {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(code=code, message=f"{where}: {message}", field=column, status=422)
        self.path = str(path)
        self.line = line
        self.column = column
