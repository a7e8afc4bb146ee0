"""Shared building blocks: immutable base model, source locations, partial dates."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Immutable, strict base for every domain object."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Source(Model):
    """Where a value came from (beancount's ``meta``): file, line and the text as printed."""

    path: str | None = None
    line: int | None = None  # 1-based
    text: str | None = None  # the whole printed line (or cell) as it was read
    sheet: str | None = None
    cell: str | None = None  # spreadsheet cell like "B17"


NO_SOURCE = Source()


class DateText(Model):
    """A date as printed in a report: often partial ("'18. 10월", "'19.3~12월")."""

    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def quarter(self) -> int | None:
        return None if self.month is None else (self.month - 1) // 3 + 1

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year or 0, self.month or 0, self.day or 0)
