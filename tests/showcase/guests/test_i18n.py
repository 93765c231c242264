"""Chinese and English: chosen from Accept-Language or ?lang=, a visible toggle, complete catalogues."""

from __future__ import annotations

import fnmatch
import html
import re
import tomllib
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
TRANSLATIONS = ROOT / "showcase" / "translations"
SLUG = "ai-shorts-2026"


def page(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_chinese_by_default_and_for_chinese_browsers(client, guest):
    url = f"/f/{guest.codes['fireworks']}"
    for headers in ({}, {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}, {"Accept-Language": "fr"}):
        text = page(client, url, **headers)
        assert '<html lang="zh-Hans">' in text
        assert "<h1>烟花之下是我家</h1>" in text and "剧情简介" in text and "7 分钟" in text
        assert "Under the Fireworks Lies My Home" in text  # the other title is still shown


def test_english_for_english_browsers(client, guest):
    text = page(client, f"/f/{guest.codes['fireworks']}", **{"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in text and "<h1>Under the Fireworks Lies My Home</h1>" in text
    assert "Synopsis" in text and "剧情简介" not in text


def test_lang_parameter_wins_and_the_toggle_links_to_the_other_language(client, guest):
    url = f"/festivals/{SLUG}/schedule"
    text = page(client, url + "?lang=en", **{"Accept-Language": "zh"})
    assert "<h1>Schedule</h1>" in text
    toggle = re.search(r'<a class="lang" href="([^"]+)"[^>]*>([^<]+)</a>', text)
    assert toggle and toggle.group(2) == "中文"
    assert toggle.group(1) == f"{url}?lang=zh"
    chinese = page(client, toggle.group(1), **{"Accept-Language": "en"})
    assert "<h1>日程</h1>" in chinese
    assert re.search(r'<a class="lang" href="[^"]+\?lang=en"[^>]*>English</a>', chinese)


def test_toggle_keeps_the_rest_of_the_query(client, guest):
    text = page(client, f"/festivals/{SLUG}/favourites?films={guest.codes['tree']}&lang=en")
    assert f'href="/festivals/{SLUG}/favourites?films={guest.codes["tree"]}&lang=zh"' in text


def test_dates_are_worded_for_the_language(client, guest):
    zh = page(client, f"/festivals/{SLUG}/schedule")
    en = page(client, f"/festivals/{SLUG}/schedule?lang=en")
    assert re.search(r"<h2>\d{1,2}月\d{1,2}日周.</h2>", zh)
    assert re.search(r"<h2>\w+day \d{1,2} \w+</h2>", en)


def _plain(value):
    """A message id or string; plural ones as tuples (the .po reader gives tuples, the .mo reader lists)."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _translated(value) -> bool:
    return all(value) if isinstance(value, tuple) else bool(value)


def test_every_message_has_a_chinese_translation_and_the_mo_files_are_compiled():
    with open(TRANSLATIONS / "messages.pot", "rb") as fh:
        template = {_plain(m.id) for m in read_po(fh) if m.id}
    for lang in ("zh", "en"):
        with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
            po = {_plain(m.id): _plain(m.string) for m in read_po(fh) if m.id}
        assert set(po) == template, f"{lang}: run python showcase/translations/update.py"
        with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo", "rb") as fh:
            # an untranslated plural is compiled as its English forms: not a translation
            mo = {_plain(m.id): _plain(m.string) for m in read_mo(fh) if m.id and _plain(m.string) != _plain(m.id)}
        # (a message translated as itself, "GO" in Chinese too, is left out of both: the .mo reader cannot tell
        # it from an untranslated one)
        expected = {k: v for k, v in po.items() if _translated(v) and v != k}
        assert mo == expected, f"{lang}: messages.mo is older than messages.po"
    with open(TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        untranslated = [m.id for m in read_po(fh) if m.id and not _translated(_plain(m.string))]
    assert untranslated == []


def test_every_template_string_is_in_the_catalogue():
    """A string added to a guest template without re-extracting would show in English to Chinese guests."""
    with open(TRANSLATIONS / "messages.pot", "rb") as fh:
        template = {m.id for m in read_po(fh) if m.id}
    used = set()
    for path in (ROOT / "templates" / "guests").glob("*.html"):
        used |= set(re.findall(r"""_\('((?:[^'\\]|\\.)*)'""", path.read_text(encoding="utf-8")))
    assert used and used <= template, used - template


def test_compiled_catalogues_go_into_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["showcase"]
    for mo in TRANSLATIONS.glob("*/LC_MESSAGES/messages.mo"):
        relative = mo.relative_to(ROOT / "showcase").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative
