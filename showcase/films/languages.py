"""A film's spoken language written one way: "普通话", "Mandarin", "普通话 Mandarin" and "国语" are one language.

The stored form is bilingual, Chinese name then English name ("普通话 Mandarin", "粤语 Cantonese"), as the
festival's guests read both and as the demo films are written. A value names one language or several
("English, 法语"); each is looked up by its whole text, then by its Chinese and Latin parts ("普通话
Mandarin" is Mandarin, "普通话 English" is two languages). Several are joined with ", ", each once. A
language not in the table is kept as written, spaces tidied. "中文"/"Chinese" count as Mandarin: that
is what a Chinese entry form means by them; Cantonese and Hokkien have names of their own. Pure: no database, no Flask.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# stored form → other spellings (compared casefolded, without spaces or punctuation)
_LANGUAGES = {
    "普通话 Mandarin": (
        "普通话",
        "国语",
        "國語",
        "汉语",
        "漢語",
        "华语",
        "華語",
        "中文",
        "汉语普通话",
        "现代汉语",
        "mandarin",
        "mandarinchinese",
        "chinesemandarin",
        "chinese",
        "standardchinese",
        "putonghua",
        "zh",
        "zhcn",
        "cmn",
    ),
    "粤语 Cantonese": (
        "粤语",
        "粵語",
        "广东话",
        "廣東話",
        "白话",
        "cantonese",
        "yue",
        "yuechinese",
        "chinesecantonese",
    ),
    "闽南语 Hokkien": ("闽南语", "閩南語", "闽南话", "台语", "台語", "hokkien", "minnan", "minnanchinese", "taiwanese"),
    "上海话 Shanghainese": ("上海话", "沪语", "吴语", "shanghainese", "wu", "wuchinese"),
    "四川话 Sichuanese": ("四川话", "川话", "sichuanese"),
    "藏语 Tibetan": ("藏语", "tibetan"),
    "维吾尔语 Uyghur": ("维吾尔语", "uyghur", "uighur"),
    "蒙古语 Mongolian": ("蒙古语", "蒙语", "mongolian"),
    "英语 English": ("英语", "英文", "english", "en"),
    "日语 Japanese": ("日语", "日文", "日本语", "japanese", "ja"),
    "韩语 Korean": ("韩语", "韩文", "朝鲜语", "韩国语", "korean", "ko"),
    "法语 French": ("法语", "法文", "french", "fr"),
    "德语 German": ("德语", "德文", "german", "de"),
    "西班牙语 Spanish": ("西班牙语", "spanish", "castilian", "es"),
    "意大利语 Italian": ("意大利语", "italian", "it"),
    "葡萄牙语 Portuguese": ("葡萄牙语", "portuguese", "pt"),
    "俄语 Russian": ("俄语", "俄文", "russian", "ru"),
    "阿拉伯语 Arabic": ("阿拉伯语", "arabic", "ar"),
    "印地语 Hindi": ("印地语", "hindi"),
    "泰语 Thai": ("泰语", "thai"),
    "越南语 Vietnamese": ("越南语", "vietnamese"),
    "印尼语 Indonesian": ("印尼语", "印度尼西亚语", "indonesian"),
    "马来语 Malay": ("马来语", "malay"),
    "波斯语 Persian": ("波斯语", "persian", "farsi"),
    "土耳其语 Turkish": ("土耳其语", "turkish"),
    "荷兰语 Dutch": ("荷兰语", "dutch", "flemish"),
    "瑞典语 Swedish": ("瑞典语", "swedish"),
    "波兰语 Polish": ("波兰语", "polish"),
    "希腊语 Greek": ("希腊语", "greek", "moderngreek", "moderngreek1453"),
    "希伯来语 Hebrew": ("希伯来语", "hebrew"),
    "无对白 No dialogue": (
        "无对白",
        "无对话",
        "无语言",
        "无台词",
        "nodialogue",
        "nodialog",
        "nonverbal",
        "wordless",
        "nolanguage",
        "none",
    ),
}
_BY_KEY = {key: stored for stored, keys in _LANGUAGES.items() for key in (*keys, stored)}
_BY_KEY = {re.sub(r"[\W_]+", "", k.casefold()): v for k, v in _BY_KEY.items()}
_SEPARATORS = re.compile(r"\s*(?:[,;、/|+&，；／]|\s+and\s+|和)\s*", re.IGNORECASE)
_SCRIPT_RUNS = re.compile(
    r"[\u3000-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+|[^\u3000-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+"
)
JOINER = ", "


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _names(part: str) -> list[str]:
    """The stored forms one part names: by its whole text, else by its Chinese and Latin runs when the
    table knows every one of them ("普通话 Mandarin" → one, "普通话 English" → two); else the part itself."""
    found = _BY_KEY.get(_key(part))
    if found:
        return [found]
    runs = [run for run in _SCRIPT_RUNS.findall(part) if _key(run)]
    named = [_BY_KEY.get(_key(run)) for run in runs]
    if len(runs) > 1 and None not in named:
        return [name for name in named if name]
    return [part]


def canonical_language(value: str | None) -> str:
    """The stored form of a language cell: known languages bilingual, each once; others as written."""
    text = " ".join(unicodedata.normalize("NFKC", value or "").split())
    if not text:
        return ""
    names = [name for part in _SEPARATORS.split(text) if _key(part) for name in _names(part)]
    return JOINER.join(dict.fromkeys(names)) if names else text


def spellings_of(language: str, stored: Iterable[str]) -> list[str]:
    """The stored values that are `language` once normalised: what a filter on it should match."""
    wanted = canonical_language(language)
    return [value for value in stored if value and canonical_language(value) == wanted]


def distinct_languages(stored: Iterable[str]) -> list[str]:
    """One entry per language among stored values, however each was spelled, sorted."""
    return sorted({canonical_language(value) for value in stored if value and value.strip()})
