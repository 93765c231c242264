"""The demo festival: an AI short-film competition's awards ceremony and showcase in Shanghai.

Three winners and their directors are as the competition announced them; the other four films,
their makers and every synopsis are invented for the demo.
"""

from __future__ import annotations

from datetime import date

FESTIVAL = {
    "name": "AI 短片大赛 2026 · 颁奖典礼暨展映",
    "name_en": "AI Short Film Competition 2026 · Awards Ceremony & Showcase",
    "edition": "2026",
    "slug": "ai-shorts-2026",
    "start_date": date(2026, 12, 12),
    "end_date": date(2026, 12, 12),
    "timezone": "Asia/Shanghai",
    "public_base_url": "http://127.0.0.1:5000",
    "welcome": "两千三百部投稿，七部获奖影片。欢迎来到今晚的颁奖典礼与展映。",
    "welcome_en": "From 2,300 submissions, seven winning films. Welcome to tonight's awards ceremony and showcase.",
    "published": True,
}

VENUE = {
    "name": "浦江影视中心",
    "name_en": "Pujiang Film Centre",
    "address": "上海市徐汇区龙腾大道 (demo address)",
    "capacity": 420,
}
SCREENS = [("一号厅", "Hall 1"), ("宴会厅", "Banquet Hall")]

# (key, title, English title, runtime s, country, language, synopsis, English synopsis, director, role names)
FILMS = [
    (
        "fireworks",
        "烟花之下是我家",
        "Under the Fireworks Lies My Home",
        412,
        "中国 China",
        "普通话 Mandarin",
        "除夕夜，一个在外漂泊多年的年轻人循着记忆里的烟花回到小镇，发现家已在画面与梦境之间。",
        "On New Year's Eve a young man who left long ago follows the fireworks of his memory back to his town, "
        "and finds home somewhere between image and dream.",
        ("Chen Youxue", "Chen Youxue"),
    ),
    (
        "tree",
        "一棵“树”的幻想",
        "The Fantasy of a ‘Tree’",
        356,
        "中国 China",
        "无对白 No dialogue",
        "一棵城市里的行道树梦见自己走进森林。生成影像让它的年轮变成了一场旅行。",
        "A street tree in the city dreams of walking into a forest; generated images turn its rings into a journey.",
        ("Wen Ye", "Wen Ye"),
    ),
    (
        "alaya",
        "阿赖耶",
        "ALAYA",
        498,
        "中国 China",
        "普通话 Mandarin",
        "在记忆可以被存储与交换的未来，一位修复师在别人的回忆里找到了自己。",
        "In a future where memories are stored and traded, a restorer finds herself inside someone else's past.",
        ("Pan Yu", "Pan Yu"),
    ),
    (
        "tides",
        "潮汐记忆",
        "Tidal Memory",
        301,
        "中国 China",
        "闽南语 Hokkien",
        "渔村老人每天记录潮水。孙女用 AI 把这些笔记变成了一部关于海的电影。",
        "An old fisherman logs the tides every day; his granddaughter turns his notes into a film about the sea.",
        ("林晓舟", "Lin Xiaozhou"),
    ),
    (
        "paper-city",
        "纸上城市",
        "City on Paper",
        275,
        "中国 China",
        "普通话 Mandarin",
        "一座用折纸搭建的城市在一夜之间长高，孩子们必须在天亮前找回它的地图。",
        "A city folded from paper grows overnight; the children must find its map before morning.",
        ("赵一鸣", "Zhao Yiming"),
    ),
    (
        "seventh-dawn",
        "第七个黎明",
        "The Seventh Dawn",
        389,
        "新加坡 Singapore",
        "英语 English",
        "一座灯塔的看守人连续七天看见同一个黎明。每一次，光线都在讲述不同的故事。",
        "A lighthouse keeper sees the same dawn seven days running; each time the light tells another story.",
        ("许安然", "Xu Anran"),
    ),
    (
        "echo-factory",
        "回声工厂",
        "Echo Factory",
        334,
        "中国 China",
        "粤语 Cantonese",
        "一家废弃工厂里的声音被重新生成，工人们的往事在机器的回声中复活。",
        "The sounds of an abandoned factory are regenerated, and its workers' stories return in the echoes of "
        "its machines.",
        ("高澜", "Gao Lan"),
    ),
]

# (category, English, [(film key, placement, citation, English citation)])
AWARDS = [
    (
        "主竞赛单元",
        "Main Competition",
        [
            ("fireworks", 1, "以私人记忆点亮集体乡愁。", "For lighting a shared homesickness with private memory."),
            ("tree", 2, "以最朴素的主角完成最奇妙的旅程。", "For the most wondrous journey from the humblest hero."),
            ("alaya", 2, "为记忆的伦理找到了动人的影像。", "For moving images of the ethics of memory."),
            ("tides", 3, "", ""),
            ("paper-city", 3, "", ""),
        ],
    ),
    ("最佳视觉设计", "Best Visual Design", [("seventh-dawn", 1, "", "")]),
    ("最佳声音设计", "Best Sound Design", [("echo-factory", 1, "", "")]),
]

PANEL = {
    "title": "工具、伙伴，还是新导演？",
    "title_en": "Tool, partner, or new director?",
    "moderator": ("骆轶航", "Luo Yihang"),
    "speakers": ["fireworks", "tree", "alaya"],  # the directors of these films
}

# The awards ceremony: its host (on stage for the whole session, and at the opening and closing items)
# and who presents each category's awards (name, English name), by category in display order.
CEREMONY = {
    "host": ("周舟", "Zhou Zhou"),
    "presenters": [("陈思远", "Chen Siyuan"), ("林晓", "Lin Xiao"), ("高原", "Gao Yuan")],
}

# (kind, title, English title, start hh:mm, end hh:mm, screen index or None, public)
SESSIONS = [
    ("ceremony", "颁奖典礼", "Awards Ceremony", "14:00", "15:30", 0, True),
    ("screening", "获奖影片展映", "Showcase Screening of the Winning Films", "15:45", "16:45", 0, True),
    ("panel", PANEL["title"], PANEL["title_en"], "17:00", "18:00", 0, True),
    ("gala", "颁奖晚宴", "Gala Dinner", "19:00", "21:30", 1, True),
    ("other", "技术彩排", "Technical rehearsal (staff only)", "10:00", "12:00", 0, False),
]
