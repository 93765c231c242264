"""Link previews in both languages: hreflang alternates, a canonical and og:url per language, the Open
Graph locales, and a 1200×630 JPEG og:image for every film (its poster, or a title card)."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat
from sqlalchemy import select, update

from showcase.extensions import db
from showcase.films.models import Film
from showcase.films.posters import replace_poster
from showcase.guests.previews import BACKGROUND

BASE = "http://127.0.0.1:5000"  # the demo festival's public base URL
SLUG = "ai-shorts-2026"
LOCALES = {"zh": ("zh_CN", "en_GB"), "en": ("en_GB", "zh_CN")}
OG_IMAGE = re.compile(r'<meta property="og:image" content="([^"]+)">')


def head_of(client, path: str, lang: str) -> str:
    response = client.get(path, headers={"Accept-Language": lang})
    assert response.status_code == 200, path
    assert response.headers.get("Set-Cookie") is None
    return html.unescape(response.get_data(as_text=True).split("</head>")[0])


def assert_language_links(head: str, path: str, lang: str) -> None:
    url = BASE + path
    assert f'<link rel="alternate" hreflang="zh-Hans" href="{url}?lang=zh">' in head
    assert f'<link rel="alternate" hreflang="en" href="{url}?lang=en">' in head
    assert f'<link rel="alternate" hreflang="x-default" href="{url}">' in head
    assert f'<link rel="canonical" href="{url}?lang={lang}">' in head
    assert f'<meta property="og:url" content="{url}?lang={lang}">' in head
    locale, other = LOCALES[lang]
    assert f'<meta property="og:locale" content="{locale}">' in head
    assert f'<meta property="og:locale:alternate" content="{other}">' in head
    assert head.count('rel="canonical"') == 1 and head.count('property="og:url"') == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_film_festival_and_schedule_pages_name_both_languages(client, guest, lang):
    for path in (f"/f/{guest.codes['alaya']}", f"/festivals/{SLUG}", f"/festivals/{SLUG}/schedule"):
        assert_language_links(head_of(client, path, lang), path, lang)


def test_the_festival_list_names_both_languages_too(app, client, guest):
    app.config["PUBLIC_BASE_URL"] = BASE
    assert_language_links(head_of(client, "/", "en"), "/", "en")


def test_the_canonical_keeps_other_query_arguments_and_the_host_out(client, guest):
    path = f"/f/{guest.codes['alaya']}"
    response = client.get(f"{path}?lang=en&utm_source=wechat&from=singlemessage", headers={"Host": "evil.example"})
    head = html.unescape(response.get_data(as_text=True).split("</head>")[0])
    assert f'<link rel="canonical" href="{BASE}{path}?lang=en">' in head
    assert "utm_source" not in head and "singlemessage" not in head and "evil.example" not in head


def test_every_film_page_names_a_versioned_jpeg_preview(client, guest):
    for lang in ("zh", "en"):
        head = head_of(client, f"/f/{guest.codes['tides']}", lang)
        (image,) = OG_IMAGE.findall(head)
        assert re.fullmatch(rf"{BASE}/f/{guest.codes['tides']}/preview\.jpg\?v=[0-9a-f]{{16}}", image)
        assert '<meta property="og:image:type" content="image/jpeg">' in head
        assert '<meta property="og:image:width" content="1200">' in head
        assert '<meta property="og:image:height" content="630">' in head
        assert re.search(r'<meta property="og:image:alt" content="[^"]+">', head)


def preview_of(client, code: str) -> tuple[str, object]:
    (url,) = OG_IMAGE.findall(head_of(client, f"/f/{code}", "en"))
    response = client.get(url.removeprefix(BASE))
    return url, response


def jpeg(response) -> Image.Image:
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers.get("Set-Cookie") is None and "Cookie" not in response.headers.get("Vary", "")
    image = Image.open(io.BytesIO(response.get_data()))
    image.load()
    assert image.format == "JPEG" and image.size == (1200, 630)
    return image.convert("RGB")


def test_a_film_without_a_poster_gets_a_title_card(client, guest):
    url, response = preview_of(client, guest.codes["alaya"])
    card = jpeg(response)
    assert "public" in response.headers["Cache-Control"] and "max-age=604800" in response.headers["Cache-Control"]
    # Not blank: the title and the festival's name are drawn on the dark background.
    differs = ImageChops.difference(card, Image.new("RGB", card.size, BACKGROUND)).convert("L").point(lambda v: v > 60)
    assert differs.getbbox() is not None and sum(differs.histogram()[1:]) > 2000
    again = client.get(url.removeprefix(BASE), headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.headers.get("Set-Cookie") is None


def test_a_chinese_title_is_drawn_with_a_cjk_font(app, client, guest):
    code = guest.codes["fireworks"]
    guest._change(update(Film).where(Film.code == code).values(title_en=""))
    chinese = jpeg(preview_of(client, code)[1])
    guest._change(update(Film).where(Film.code == code).values(title="□□□□□□□"))
    boxes = jpeg(preview_of(client, code)[1])
    # Missing glyphs would draw the same boxes ("tofu") for 烟花之下是我家 as for the box characters.
    assert ImageChops.difference(chinese, boxes).getbbox() is not None


def test_a_film_with_a_poster_gets_the_poster_on_a_dark_background(app, client, guest):
    code = guest.codes["tree"]
    red = io.BytesIO()
    Image.new("RGB", (600, 900), (200, 30, 40)).save(red, "PNG")
    with app.app_context():
        film = db.session.scalar(select(Film).where(Film.code == code))
        replace_poster(film, red.getvalue(), upload_root=Path(app.config["UPLOAD_ROOT"]))
        db.session.commit()
    image = jpeg(preview_of(client, code)[1])
    r, g, b = ImageStat.Stat(image.crop((560, 280, 640, 350))).mean  # the middle: the poster
    assert r > 170 and g < 70 and b < 70
    assert max(ImageStat.Stat(image.crop((0, 0, 100, 630))).mean) < 40  # the sides: the dark background
    assert list(Path(app.instance_path, "previews").glob("*.jpg"))  # kept on disk, not drawn for every share


def test_the_preview_url_changes_when_the_title_does(client, guest):
    code = guest.codes["alaya"]
    before, old = preview_of(client, code)
    assert preview_of(client, code)[0] == before  # stable while nothing changes
    guest._change(update(Film).where(Film.code == code).values(title_en="ALAYA (director's cut)"))
    after, response = preview_of(client, code)
    assert after != before
    assert response.headers["ETag"] != old.headers["ETag"]
    assert ImageChops.difference(jpeg(response), jpeg(old)).getbbox() is not None  # the new title is drawn


def test_an_old_preview_url_still_answers_with_todays_image(client, guest):
    url, current = preview_of(client, guest.codes["alaya"])
    old = client.get(f"/f/{guest.codes['alaya']}/preview.jpg?v=0000000000000000")
    assert jpeg(old).tobytes() == jpeg(current).tobytes() and old.headers["ETag"] == current.headers["ETag"]


def test_unknown_withdrawn_and_unpublished_films_have_no_preview(client, guest):
    for code in ("zzzzzzzz", "abc-def"):
        response = client.get(f"/f/{code}/preview.jpg")
        assert response.status_code == 404 and response.mimetype == "text/html"
    guest.withdraw("tides")
    response = client.get(f"/f/{guest.codes['tides']}/preview.jpg")
    assert response.status_code == 410 and response.headers.get("Set-Cookie") is None
    guest.unpublish()
    assert client.get(f"/f/{guest.codes['alaya']}/preview.jpg").status_code == 404


@pytest.mark.browser
def test_a_film_page_and_its_preview_in_chromium(live_server, guest, browser):
    """The head tags as the browser parses them, no CSP or console error, and the preview decodes as an image."""
    page = browser.new_page(locale="en-GB")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    code = guest.codes["fireworks"]
    page.goto(f"{live_server.url}/f/{code}")
    links = page.eval_on_selector_all(
        "link[rel=alternate][hreflang]", "els => els.map(e => [e.hreflang, e.getAttribute('href')])"
    )
    assert dict(links) == {
        "zh-Hans": f"{BASE}/f/{code}?lang=zh",
        "en": f"{BASE}/f/{code}?lang=en",
        "x-default": f"{BASE}/f/{code}",
    }
    image = page.get_attribute('meta[property="og:image"]', "content")
    # The page names the festival's public base URL; fetch the same path from the test server.
    size = page.evaluate(
        """async (src) => { const img = new Image(); img.src = src; await img.decode();
                           return [img.naturalWidth, img.naturalHeight]; }""",
        live_server.url + image.removeprefix(BASE),
    )
    assert size == [1200, 630]
    assert errors == []
    page.close()
