"""Which column holds which field: header names in English and Chinese, and a runtime's unit."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from showcase.films.csvio import cells
from showcase.films.csvio.rows import ImportRejected, RowError

# Header names, compared casefolded without spaces or punctuation: in English (our export's, and
# FilmFreeway's submissions export: "Submission ID", "Project Title", "Project Title (Original
# Language)", "Duration", "Country of Origin", "Judging Status"…) and in Chinese.
_ALIASES = {
    "title": (
        "title",
        "filmtitle",
        "originaltitle",
        "projecttitle",
        "片名",
        "原名",
        "标题",
        "作品名称",
        "作品名",
        "影片名称",
        "影片名",
        "中文片名",
        "中文名",
        "中文标题",
        "片名中文",
    ),
    "title_original": ("projecttitleoriginallanguage", "titleoriginallanguage", "原语言片名", "原文片名"),
    "title_en": (
        "englishtitle",
        "titleen",
        "entitle",
        "英文片名",
        "英文标题",
        "英文名",
        "英文名称",
        "片名英文",
        "作品英文名",
    ),
    "directors": ("director", "directors", "directedby", "导演", "导演姓名"),
    "writers": ("writer", "writers", "screenwriter", "screenwriters", "writtenby", "screenplay", "编剧"),
    "producers": ("producer", "producers", "制片", "制片人"),
    "cast": ("keycast", "cast", "actors", "主演", "演员"),
    "runtime_seconds": (
        "runtime",
        "duration",
        "length",
        "runningtime",
        "时长",
        "片长",
        "影片时长",
        "作品时长",
    ),
    "synopsis": (
        "synopsis",
        "简介",
        "剧情简介",
        "中文简介",
        "故事梗概",
        "梗概",
        "作品简介",
        "影片简介",
        "内容简介",
    ),
    "synopsis_original": ("synopsisoriginallanguage", "原语言简介"),
    "synopsis_en": ("englishsynopsis", "synopsisen", "英文简介", "英文梗概", "英文故事梗概", "英文剧情简介"),
    "country": (
        "countryoforigin",
        "productioncountry",
        "countryregion",
        "region",
        "国家",
        "地区",
        "国家地区",
        "国别",
        "制片国家",
        "制片国家地区",
        "出品国家",
    ),
    "year": ("year", "productionyear", "年份", "制作年份", "出品年份", "完成年份"),
    "language": ("language", "languages", "语言", "对白语言", "影片语言", "语种"),
    "subtitles": ("subtitles", "subtitle", "subtitlelanguage", "字幕", "字幕语言"),
    "contact_email": (
        "email",
        "contactemail",
        "submitteremail",
        "邮箱",
        "电子邮箱",
        "联系邮箱",
        "电子邮件",
        "邮件",
        "联系人邮箱",
    ),
    "external_id": ("submissionid", "id", "externalid", "报名编号", "报名号", "编号", "作品编号", "参赛编号"),
    "status": ("judgingstatus", "decision", "评审状态", "评审结果", "评选结果", "审核状态", "入围情况"),
    "submission_status": ("submissionstatus", "报名状态", "提交状态"),
}
# Weaker names: a column under one of these yields to a column under one of the field's own names, and is
# then listed with the unused columns. FilmFreeway's "Country" is the submitter's address, beside "Country of
# Origin"; its "Tracking Number" is a second id beside "Submission ID"; "Completion Date" gives a year only
# when there is no year column; a Chinese AI-film call names the maker 作者 or 创作者.
_WEAK_ALIASES = {
    "country": ("country",),
    "external_id": ("trackingnumber",),
    "year": ("completiondate", "productiondate", "完成日期", "完成时间", "制作时间"),
    "directors": ("作者", "创作者", "主创", "author", "creator", "creators", "filmmaker", "filmmakers"),
    "status": ("status", "状态", "结果"),
}
_FIELD_BY_ALIAS = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
_WEAK_FIELD = {alias: name for name, aliases in _WEAK_ALIASES.items() for alias in aliases}
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
    "title_original": cells.text,
    "synopsis_original": cells.text,
    "subtitles": cells.text,
    "writers": cells.directors,
    "producers": cells.directors,
    "cast": cells.directors,
    "submission_status": cells.status,
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


_SCRIPT_RUNS = re.compile(r"[\u3000-\u9fff\uf900-\uffef]+|[^\u3000-\u9fff\uf900-\uffef]+")


class Column(NamedTuple):
    index: int
    label: str
    read: Callable[[str], object]


def _normalise_header(label: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", label).casefold() if ch.isalnum())


class _Found(NamedTuple):
    field: str
    unit: int  # seconds per bare runtime number
    weak: bool


def _identify_name(name: str) -> _Found | None:
    if name in _FIELD_BY_ALIAS:
        return _Found(_FIELD_BY_ALIAS[name], 60, False)  # a bare number is minutes (showcase.durations)
    if name in _WEAK_FIELD:
        return _Found(_WEAK_FIELD[name], 60, True)
    for unit, seconds in _RUNTIME_UNITS.items():
        if name.endswith(unit) and _FIELD_BY_ALIAS.get(name[: -len(unit)]) == "runtime_seconds":
            return _Found("runtime_seconds", seconds, False)
    return None


def _identify(label: str) -> _Found | None:
    """What one header cell names; a bilingual header ("片名 Title", "导演 Director(s)") is known when its
    Chinese and Latin parts name the same field."""
    found = _identify_name(_normalise_header(label))
    if found or not label:
        return found
    runs = [_normalise_header(run) for run in _SCRIPT_RUNS.findall(unicodedata.normalize("NFKC", label))]
    named = [_identify_name(run) for run in runs if run]
    if len(named) > 1 and None not in named and len({found.field for found in named}) == 1:
        return min(named, key=lambda found: (found.weak, found.unit))
    return None


def map_columns(header: list[str], *, row: int) -> tuple[dict[str, Column], list[str]]:
    """Columns by field, and the labels of unused columns; ImportRejected on a header we cannot use."""
    found: dict[str, list[tuple[int, str, _Found]]] = {}
    unused: dict[int, str] = {}
    for index, raw in enumerate(header):
        label = raw.strip()
        what = _identify(label)
        if what is None:
            if label:
                unused[index] = label
        else:
            found.setdefault(what.field, []).append((index, label, what))
    columns: dict[str, Column] = {}
    errors = []
    for name, candidates in found.items():
        strong = [candidate for candidate in candidates if not candidate[2].weak]
        chosen = strong or candidates
        unused.update((index, label) for index, label, _what in candidates if (index, label, _what) not in chosen)
        (index, label, what), *others = chosen
        errors.extend(
            RowError(row, other, f'both "{label}" and "{other}" are {name.replace("_", " ")} columns; keep one.')
            for _index, other, _what in others
        )
        read = partial(cells.parse_runtime, unit=what.unit) if name == "runtime_seconds" else _READERS[name]
        columns[name] = Column(index, label, read)
    if "title" not in columns and "title_original" not in columns:
        errors.append(RowError(row, LABELS["title"], _missing_column_reason("title")))
    if "external_id" not in columns:
        errors.append(RowError(row, LABELS["external_id"], _missing_column_reason("external_id")))
    if errors:
        raise ImportRejected(errors)
    return columns, [unused[index] for index in sorted(unused)]


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
