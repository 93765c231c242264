"""Sample data that tests and benchmarks share: images of every kind a poster upload meets, and
plausible festival submissions as a spreadsheet exports them. Tests never import a benchmark; both
import this."""

from __future__ import annotations

import csv
import io
import random
import struct
import zlib

from showcase.films.csvio import SubmissionRow

# ---- images


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def flat_png(width: int, height: int, *, rgb: tuple[int, int, int] | None = (138, 28, 43)) -> bytes:
    """A one-colour PNG (RGB, or 1-bit grey when rgb is None) written row by row: no full image in memory."""
    row = b"\0" + (bytes(rgb) * width if rgb else b"\0" * -(-width // 8))
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8 if rgb else 1, 2 if rgb else 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def photo(width: int, height: int, fmt: str = "JPEG", *, mode: str = "RGB", noise: bool = True, **options) -> bytes:
    """A photo-like image (a gradient under noise, so it compresses like a photo), encoded at quality 90."""
    from PIL import Image

    picture = Image.radial_gradient("L").resize((width, height)).convert(mode)
    if noise:
        picture = Image.blend(picture, Image.effect_noise((width, height), 40).convert(mode), 0.3)
    out = io.BytesIO()
    picture.save(out, fmt, quality=90, **options)
    return out.getvalue()


def flat_jpeg(width: int, height: int, **options) -> bytes:
    """A one-colour JPEG: tiny for its size, the JPEG twin of the 49-megapixel poster."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (138, 28, 43)).save(out, "JPEG", quality=90, **options)
    return out.getvalue()


def webp_bomb(width: int = 16000, height: int = 16000) -> bytes:
    """A small lossless WebP whose header claims width × height: decoding it would take ~1 GB."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(out, "WEBP", lossless=True)
    data = bytearray(out.getvalue())
    assert data[12:16] == b"VP8L" and data[20] == 0x2F
    rest = struct.unpack("<I", bytes(data[21:25]))[0] & ~((1 << 28) - 1)
    data[21:25] = struct.pack("<I", (width - 1) | ((height - 1) << 14) | rest)
    return bytes(data)


# ---- submissions

STATUSES = ("submitted", "shortlisted", "selected", "winner", "withdrawn")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
WORDS = ("星辰", "梦境", "机器", "记忆", "海洋", "城市", "光影", "未来", "回声", "算法", "旅程", "花园")
HEADER = ("报名编号", "片名", "英文片名", "导演", "时长", "简介", "国家/地区", "年份", "语言", "邮箱", "备注")


def submission_rows(count: int, *, seed: int = 2300) -> list[SubmissionRow]:
    """`count` plausible submissions with Chinese and English text, commas, quotes and line breaks."""
    rng = random.Random(seed)
    rows = []
    for number in range(1, count + 1):
        directors = tuple(
            rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(rng.choice((1, 1, 1, 2, 3)))
        )
        title = rng.choice(WORDS) + rng.choice(WORDS) + ("：续篇" if number % 97 == 0 else "")
        rows.append(
            SubmissionRow(
                external_id=f"AI2025-{number:05d}",
                title=title,
                title_en=f'{title} No. {number}, "draft"' if number % 13 == 0 else f"Film {number}",
                directors=directors,
                runtime_seconds=rng.randrange(60, 20 * 60),
                synopsis=f"{title}的故事，关于{rng.choice(WORDS)}。\n第二段：{rng.choice(WORDS)}。",
                country=rng.choice(("中国", "中国香港", "France", "United States")),
                year=rng.choice((2023, 2024, 2025)),
                language=rng.choice(("普通话", "English", "粤语")),
                contact_email=f"maker{number}@example.cn",
            )
        )
    return rows


def spreadsheet_csv(rows: list[SubmissionRow], *, encoding: str = "gb18030") -> bytes:
    """The rows as staff would upload them: Chinese headers, mixed runtime formats, an extra column."""
    formats = (
        lambda s: f"{s // 60}:{s % 60:02d}",
        lambda s: str(s // 60) if s % 60 == 0 else f"{s}s",  # a bare number is minutes
        lambda s: f"{s // 60}分{s % 60}秒",
        lambda s: f"{s // 60}m{s % 60}s",
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for index, row in enumerate(rows):
        runtime = formats[index % len(formats)](row.runtime_seconds)
        writer.writerow(
            (
                row.external_id,
                row.title,
                row.title_en,
                "、".join(row.directors),
                runtime,
                row.synopsis,
                row.country,
                row.year,
                row.language,
                row.contact_email,
                "",
            )
        )
    return out.getvalue().encode(encoding)
