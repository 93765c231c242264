"""Which column holds which field: header names in English and Chinese, and a runtime's unit."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from showcase.films.csvio import cells
from showcase.films.csvio.rows import ImportRejected, RowError

_ALIASES = {
    "title": ("title", "filmtitle", "originaltitle", "片名", "原名", "标题", "作品名称", "作品名", "影片名称"),
    "title_en": ("englishtitle", "titleen", "entitle", "英文片名", "英文标题", "英文名"),
    "directors": ("director", "directors", "directedby", "导演"),
    "runtime_seconds": ("runtime", "duration", "length", "时长", "片长"),
    "synopsis": ("synopsis", "简介", "剧情简介", "中文简介", "故事梗概"),
    "synopsis_en": ("englishsynopsis", "synopsisen", "英文简介"),
    "country": ("country", "countryregion", "region", "国家", "地区", "国家地区"),
    "year": ("year", "productionyear", "年份", "制作年份"),
    "language": ("language", "语言"),
    "contact_email": ("email", "contactemail", "邮箱", "电子邮箱", "联系邮箱"),
    "external_id": ("submissionid", "id", "externalid", "报名编号", "报名号", "编号"),
    "status": ("status", "状态"),
}
_FIELD_BY_ALIAS = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
# A runtime header may name its unit: "runtime (min)", "时长（分钟）", "duration_seconds".
_RUNTIME_UNITS = {
    "minutes": 60,
    "minute": 60,
    "mins": 60,
    "min": 60,
    "分钟": 60,
    "seconds": 1,
    "second": 1,
    "secs": 1,
    "sec": 1,
    "秒": 1,
    "hmmss": 1,
    "mmss": 1,
}
# How a message names a field whose column the file does not have.
LABELS = {
    "title": "title (片名)",
    "external_id": "submission id (报名编号)",
    "runtime_seconds": "runtime (时长)",
}
_READERS: dict[str, Callable[[str], object]] = {
    "external_id": cells.required_text,
    "title": cells.text,
    "title_en": cells.text,
    "synopsis": cells.text,
    "synopsis_en": cells.text,
    "country": cells.text,
    "language": cells.text,
    "contact_email": cells.text,
    "directors": cells.directors,
    "runtime_seconds": cells.parse_runtime,
    "year": cells.year,
    "status": cells.status,
}


class Column(NamedTuple):
    index: int
    label: str
    read: Callable[[str], object]


def _normalise_header(label: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", label).casefold() if ch.isalnum())


def _identify(label: str) -> tuple[str | None, int]:
    """(field, seconds per bare runtime number) for one header cell; field None when unknown."""
    name = _normalise_header(label)
    if name in _FIELD_BY_ALIAS:
        return _FIELD_BY_ALIAS[name], 60  # a bare number is minutes (showcase.durations)
    for unit, seconds in _RUNTIME_UNITS.items():
        if name.endswith(unit) and _FIELD_BY_ALIAS.get(name[: -len(unit)]) == "runtime_seconds":
            return "runtime_seconds", seconds
    return None, 60


def map_columns(header: list[str], *, row: int) -> tuple[dict[str, Column], list[str]]:
    """Columns by field, and the labels of ignored columns; ImportRejected on a header we cannot use."""
    columns: dict[str, Column] = {}
    ignored, errors = [], []
    for index, raw in enumerate(header):
        label = raw.strip()
        name, unit = _identify(label)
        if name is None:
            if label:
                ignored.append(label)
        elif name in columns:
            errors.append(
                RowError(
                    row,
                    label,
                    f'both "{columns[name].label}" and "{label}" are {name.replace("_", " ")} columns; keep one.',
                )
            )
        else:
            read = partial(cells.parse_runtime, unit=unit) if name == "runtime_seconds" else _READERS[name]
            columns[name] = Column(index, label, read)
    for name in ("title", "external_id"):
        if name not in columns:
            errors.append(RowError(row, LABELS[name], _missing_column_reason(name)))
    if errors:
        raise ImportRejected(errors)
    return columns, ignored


def _missing_column_reason(name: str) -> str:
    if name == "title":
        return (
            "no title column. The first row must hold column names such as title/片名, "
            "submission id/报名编号 and runtime/时长."
        )
    return (
        "no submission id column (submission id, id or 报名编号). Every row needs one so that a "
        "re-import updates the same film instead of adding a copy."
    )
