"""Generated sample programmes for demos, tests and benchmarks (deterministic, bilingual)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

from showcase.programmes.data import (
    Programme,
    ProgrammeAward,
    ProgrammeCategory,
    ProgrammeFestival,
    ProgrammeFilm,
    ProgrammeOptions,
    ProgrammeScreening,
    ProgrammeSession,
)

ZH_WORDS = ["星", "海", "梦", "城", "光", "雨", "山", "夜", "风", "镜", "河", "灯", "雪", "鸟", "门", "塔"]
EN_WORDS = [
    "Star",
    "Sea",
    "Dream",
    "City",
    "Light",
    "Rain",
    "Mountain",
    "Night",
    "Wind",
    "Mirror",
    "River",
    "Lantern",
    "Snow",
    "Bird",
    "Gate",
    "Tower",
]
ROLES = [
    ("导演 Director", "李明 Li Ming"),
    ("编剧 Writer", "王芳 Wang Fang"),
    ("摄影 Cinematography", "陈晨 Chen Chen"),
    ("剪辑 Editor", "Anna Berg"),
    ("音乐 Music", "周杰 Zhou Jie"),
    ("AI 工具 AI tools", "Stable Video, Runway"),
]
SYNOPSIS_ZH = (
    "在一座被数据淹没的城市里，一位年轻的档案管理员发现了一段失落的记忆。"
    "她必须在黎明之前决定，是保存它，还是让它永远消失。"
)
SYNOPSIS_EN = (
    "In a city drowned in data, a young archivist finds a lost memory. Before dawn she must "
    "decide whether to keep it, or to let it disappear for ever."
)
TZ = "Asia/Shanghai"


def sample_title(i: int) -> tuple[str, str]:
    """A distinct bilingual title for film number i."""
    a, b = divmod(i, len(ZH_WORDS))
    a %= len(ZH_WORDS)
    zh = f"{ZH_WORDS[a]}{ZH_WORDS[b]}之{ZH_WORDS[(a + b) % 16]} {i + 1}号"
    return zh, f"{EN_WORDS[a]} of {EN_WORDS[b]} No. {i + 1}"


def sample_festival(base_url: str = "https://showcase.example.org") -> ProgrammeFestival:
    """A two-day AI short-film festival."""
    return ProgrammeFestival(
        name="第三届人工智能短片大赛",
        name_en="3rd AI Short Film Competition",
        edition="2026 · 第三届 3rd edition",
        start_date=dt.date(2026, 10, 17),
        end_date=dt.date(2026, 10, 18),
        venues=("光影剧场 Lumen Theatre",),
        timezone=TZ,
        public_base_url=base_url,
        welcome="欢迎来到第三届人工智能短片大赛。今年我们收到了 2,300 部投稿作品，七部获奖影片将在今晚放映。",
        welcome_en="Welcome to the 3rd AI Short Film Competition. From 2,300 submissions, seven winning films "
        "are screened tonight.",
    )


def sample_programme(
    n_films: int = 7,
    *,
    poster: str | None = None,
    options: ProgrammeOptions | None = None,
    base_url: str = "https://showcase.example.org",
) -> Programme:
    """A programme with n_films bilingual films; the first three win a first and two shared second prizes."""
    tz = ZoneInfo(TZ)
    day1, day2 = dt.date(2026, 10, 17), dt.date(2026, 10, 18)

    def at(day: dt.date, hh: int, mm: int) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=tz)

    cat = ("最佳影片", "Best Film")
    awards = {
        0: ProgrammeAward(
            *cat,
            1,
            "一等奖",
            "First Prize",
            "",
            "想象力与技术的完美结合。",
            "Imagination and craft in perfect balance.",
        ),
        1: ProgrammeAward(*cat, 2, "二等奖（并列）", "Second Prize (shared)", ""),
        2: ProgrammeAward(*cat, 2, "二等奖（并列）", "Second Prize (shared)", ""),
    }
    films = []
    for i in range(n_films):
        zh, en = sample_title(i)
        code = f"F{i + 1:04d}"
        won = (replace(awards[i], film_code=code),) if i in awards else ()
        films.append(
            ProgrammeFilm(
                code=code,
                title=zh,
                title_en=en,
                credits=tuple(ROLES[: 3 + i % 4]),
                runtime_seconds=300 + 37 * i,
                country="中国 China",
                year=2026,
                language="普通话 Mandarin",
                synopsis=SYNOPSIS_ZH,
                synopsis_en=SYNOPSIS_EN,
                poster_path=poster if i % 2 == 0 else None,
                awards=won,
                screenings=(ProgrammeScreening(at(day1, 19, 30 + i % 3 * 5), "1号厅 Screen 1"),),
            )
        )
    winners = tuple(a for f in films for a in f.awards)
    sessions = (
        ProgrammeSession(
            day1, at(day1, 18, 30), at(day1, 19, 15), "1号厅 Screen 1", "ceremony", "颁奖典礼", "Awards ceremony"
        ),
        ProgrammeSession(
            day1, at(day1, 19, 30), at(day1, 21, 0), "1号厅 Screen 1", "screening", "获奖影片放映", "Showcase screening"
        ),
        ProgrammeSession(
            day1,
            at(day1, 20, 0),
            at(day1, 21, 0),
            "2号厅 Screen 2",
            "panel",
            "圆桌讨论：AI 与电影",
            "Panel: AI and cinema",
        ),
        ProgrammeSession(day2, at(day2, 19, 0), at(day2, 22, 0), "大厅 Foyer", "gala", "闭幕晚会", "Closing gala"),
    )
    return Programme(
        festival=sample_festival(base_url),
        sessions=sessions,
        categories=(ProgrammeCategory(*cat, winners=winners),),
        films=tuple(films),
        options=options or ProgrammeOptions(),
    )
