"""Helpers for the films workspace tests: CSV files good and bad, DB counts."""

from __future__ import annotations

import random

from sqlalchemy import func, select

SLUG = "ai-shorts-2026"
HEADER = "报名编号,片名,英文片名,导演,时长,邮箱"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join((header, *rows)) + "\r\n").encode(encoding)


GOOD = csv_bytes(
    "AI-001,星辰大海,Stars and Seas,张三、李四,12:30,zhang@example.cn",
    "AI-002,机器之梦,Machine Dream,王五,1:02:03,wang@example.com",
)

# name → (bytes, a phrase the refusal must contain)
MALFORMED = {
    "wrong encoding": (
        "submission id,title,runtime\r\nAI-1,Café crème à Noël,12:30\r\n".encode("latin-1"),
        "not a text CSV",
    ),
    "missing title": (csv_bytes("AI-001,,Stars,张三,12:30,a@example.cn"), "Row 2"),
    "runtime abc": (csv_bytes("AI-001,星辰,Stars,张三,abc,a@example.cn"), '"abc" is not a running time'),
    "duplicate ids": (
        csv_bytes("AI-001,星辰,Stars,张三,12:30,a@example.cn", "AI-001,机器,Machine,王五,10:00,b@example.cn"),
        "also used in row",
    ),
    "10 MB of random bytes": (random.Random(10).randbytes(10 * 1024 * 1024), "not a text CSV"),
    "header only": (csv_bytes(), "no rows of films"),
    "empty file": (b"", "empty"),
    "new film without runtime": (
        csv_bytes("AI-001,星辰,Stars,张三,,a@example.cn", "AI-002,机器,Machine,王五,10:00,b@example.cn"),
        "needs a running time",
    ),
}


def counts() -> dict[str, int]:
    """Rows in every table an import could touch (call inside an app context)."""
    from showcase.audit.models import AuditLog
    from showcase.extensions import db
    from showcase.films.models import Credit, Film, Person, ShortCode

    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Film, Person, Credit, ShortCode, AuditLog)
    }


def festival(slug: str = SLUG):
    from showcase.festivals.services import get_festival

    return get_festival(slug)
