"""Poster uploads: type by content, bounded decoding, re-encoded WebP and thumbnail, random names."""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from showcase.errors import ValidationFailed
from tests.conftest import csrf_token
from tests.samples import flat_jpeg, flat_png, photo, webp_bomb
from tests.showcase.films.support import SLUG

NAME = re.compile(r"^[0-9a-f]{32}\.webp$")


def image_bytes(fmt: str, size=(600, 900), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, {"RGB": "#8a1c2b", "RGBA": (138, 28, 43, 128)}.get(mode, 0)).save(out, fmt)
    return out.getvalue()


@functools.cache
def bomb_png() -> bytes:
    """A 20,000 × 20,000 image (400 megapixels) that compresses to 48 KB."""
    return flat_png(20000, 20000, rgb=None)


@functools.cache
def poster_49mp(fmt: str) -> bytes:
    """The poster of the issue: 7,000 × 7,000 pixels of one colour (the PNG is 156 KB)."""
    if fmt == "PNG":
        return flat_png(7000, 7000)
    return flat_jpeg(7000, 7000, progressive=fmt == "progressive JPEG")


def stored_files(root: Path) -> list[str]:
    folder = root / "posters"
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def film_id(demo):
    from showcase.extensions import db
    from showcase.films.models import Film

    with demo.app_context():
        return db.session.scalars(select(Film.id).order_by(Film.id)).first()


@pytest.mark.parametrize(
    "fmt, size, stored",
    [
        ("JPEG", (2400, 3600), (2000, 3000)),
        ("PNG", (2400, 3600), (2000, 3000)),
        ("WEBP", (1400, 2100), (1400, 2100)),  # never enlarged
    ],
)
def test_a_poster_is_re_encoded_to_webp_with_a_thumbnail(app, ctx, film_id, fmt, size, stored):
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.films.posters import replace_poster

    root = Path(app.config["UPLOAD_ROOT"])
    film = db.session.get(Film, film_id)
    replace_poster(film, image_bytes(fmt, size=size), upload_root=root)
    db.session.commit()
    assert NAME.match(film.poster_path)
    with Image.open(root / "posters" / film.poster_path) as poster:
        assert poster.format == "WEBP" and poster.size == stored
    with Image.open(root / "posters" / "thumbs" / film.poster_path) as thumb:
        assert thumb.format == "WEBP" and thumb.size == (400, 600)


def test_replacing_a_poster_removes_the_old_files_on_commit(app, ctx, film_id):
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.films.posters import remove_poster, replace_poster

    root = Path(app.config["UPLOAD_ROOT"])
    film = db.session.get(Film, film_id)
    replace_poster(film, image_bytes("PNG"), upload_root=root)
    db.session.commit()
    first = film.poster_path
    replace_poster(film, image_bytes("JPEG"), upload_root=root)
    assert len(stored_files(root)) == 4  # both until the change is committed
    db.session.commit()
    assert film.poster_path != first and stored_files(root) == [film.poster_path, f"thumbs/{film.poster_path}"]
    remove_poster(film, upload_root=root)
    db.session.commit()
    assert film.poster_path is None and stored_files(root) == []


def test_a_rolled_back_upload_leaves_no_files(app, ctx, film_id):
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.films.posters import replace_poster

    root = Path(app.config["UPLOAD_ROOT"])
    replace_poster(db.session.get(Film, film_id), image_bytes("PNG"), upload_root=root)
    db.session.rollback()
    assert stored_files(root) == []
    assert db.session.get(Film, film_id).poster_path is None


BAD_POSTERS = {
    "renamed text file": (b"<script>alert(1)</script> not really a JPEG\n" * 20, "not an image"),
    "GIF": (image_bytes("GIF"), "GIF images are not accepted"),
    "decompression bomb": (bomb_png(), "The image has 400 megapixels; posters may be at most 50 megapixels"),
    "WebP bomb": (webp_bomb(), "The image has 256 megapixels; posters may be at most 50 megapixels"),
    "60 MP PNG": (
        flat_png(10000, 6000, rgb=None),
        "The image is 10000 × 6000 pixels (60 megapixels); posters may be at most 50 megapixels: "
        "make the image smaller.",
    ),
    "4 MP WebP": (
        photo(1600, 2500, "WEBP", noise=False),
        "WebP posters may be at most 3 megapixels: make the image smaller, or save it as JPEG (up to 50 megapixels)",
    ),
    "truncated JPEG": (image_bytes("JPEG")[:400], "damaged or incomplete"),
    "empty file": (b"", "empty"),
    "11 MB": (b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024), "up to 10 MB"),
}


@pytest.mark.parametrize("name", sorted(BAD_POSTERS))
def test_bad_posters_are_refused_and_nothing_is_written(app, ctx, film_id, name):
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.films.posters import replace_poster

    data, phrase = BAD_POSTERS[name]
    root = Path(app.config["UPLOAD_ROOT"])
    with pytest.raises(ValidationFailed) as caught:
        replace_poster(db.session.get(Film, film_id), data, upload_root=root)
    db.session.rollback()
    assert phrase in caught.value.errors["poster"]
    assert stored_files(root) == [] and db.session.get(Film, film_id).poster_path is None


def _post_poster(client, film_id: int, data: bytes, filename: str):
    path = f"/staff/festivals/{SLUG}/films/{film_id}/poster"
    token = csrf_token(client, f"/staff/festivals/{SLUG}/films/{film_id}/edit")
    return client.post(
        path, data={"csrf_token": token, "poster": (io.BytesIO(data), filename)}, content_type="multipart/form-data"
    )


def test_poster_upload_through_the_edit_page(app, client, film_id, login_as):
    login_as("editor")
    response = _post_poster(client, film_id, image_bytes("JPEG"), "poster.jpg")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    name = re.search(r"/posters/thumbs/([0-9a-f]{32}\.webp)", page).group(1)
    served = client.get(f"/posters/{name}")
    assert served.status_code == 200 and served.data[8:12] == b"WEBP"


@pytest.mark.parametrize(
    "data, filename, status, phrase",
    [
        (b"just text, renamed\n" * 50, "poster.jpg", 400, "not an image"),
        (image_bytes("GIF"), "poster.gif", 400, "GIF images are not accepted"),
        (bomb_png(), "poster.png", 400, "posters may be at most 50 megapixels"),
        (b"\xff\xd8\xff" + b"0" * (12 * 1024 * 1024), "poster.jpg", 413, "larger than the upload limit of 10 MB"),
    ],
)
def test_bad_poster_uploads_show_a_clear_message(app, client, film_id, login_as, data, filename, status, phrase):
    login_as("editor")
    response = _post_poster(client, film_id, data, filename)
    assert response.status_code == status
    assert phrase in response.get_data(as_text=True)
    assert stored_files(Path(app.config["UPLOAD_ROOT"])) == []


@pytest.mark.parametrize(
    "fmt, phrase",
    [
        (
            "PNG",
            "The image is 7000 × 7000 pixels (49 megapixels); PNG posters may be at most 12 megapixels: make "
            "the image smaller, or save it as JPEG (up to 50 megapixels).",
        ),
        (
            "progressive JPEG",
            "The image is 7000 × 7000 pixels (49 megapixels); progressive JPEG posters may be at "
            "most 15.7 megapixels: make the image smaller, or save it as a baseline JPEG",
        ),
    ],
)
def test_the_49_megapixel_poster_is_refused_through_the_form_and_nothing_changes(
    app, client, film_id, login_as, fmt, phrase
):
    from showcase.extensions import db
    from showcase.films.models import Film

    login_as("editor")
    assert _post_poster(client, film_id, image_bytes("JPEG"), "first.jpg").status_code == 303
    root = Path(app.config["UPLOAD_ROOT"])
    with app.app_context():
        before = db.session.get(Film, film_id).poster_path
    files = stored_files(root)
    response = _post_poster(client, film_id, poster_49mp(fmt), "poster.png")
    assert response.status_code == 400
    assert phrase.replace("×", "&#215;") in response.get_data(as_text=True).replace("×", "&#215;")
    assert stored_files(root) == files == [before, f"thumbs/{before}"]
    with app.app_context():
        assert db.session.get(Film, film_id).poster_path == before


def test_a_49_megapixel_jpeg_is_decoded_reduced_and_stored(app, client, film_id, login_as):
    from showcase.films.posters import PosterLimits, open_image

    data = poster_49mp("JPEG")
    limits = PosterLimits.from_config(app.config)
    with open_image(data, limits) as decoded:  # libjpeg scaled it while decoding: 1/4 of each side
        assert decoded.size == (1750, 1750)
        assert decoded.width * decoded.height * 4 <= limits.decode_bytes
    login_as("editor")
    response = _post_poster(client, film_id, data, "poster.jpg")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    name = re.search(r"/posters/thumbs/([0-9a-f]{32}\.webp)", page).group(1)
    with Image.open(Path(app.config["UPLOAD_ROOT"]) / "posters" / name) as poster:
        assert poster.size == (1750, 1750) and poster.getpixel((900, 900))[0] in range(130, 146)


def test_a_jpeg_is_decoded_no_larger_than_the_poster_needs(app):
    from showcase.films.posters import PosterLimits, open_image

    limits = PosterLimits.from_config(app.config)
    with open_image(flat_jpeg(4100, 6100), limits) as decoded:  # half of each side still covers 2000 × 3000
        assert decoded.size == (2050, 3050)
    with open_image(flat_jpeg(3000, 4000), limits) as decoded:  # half would lose detail, and it fits the memory
        assert decoded.size == (3000, 4000)


def test_a_sideways_phone_photo_is_fitted_and_turned_upright(app, ctx, film_id):
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.films.posters import replace_poster

    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown turned a quarter clockwise
    out = io.BytesIO()
    Image.new("RGB", (3600, 2400), "#8a1c2b").save(out, "JPEG", exif=exif)
    root = Path(app.config["UPLOAD_ROOT"])
    film = db.session.get(Film, film_id)
    replace_poster(film, out.getvalue(), upload_root=root)
    db.session.commit()
    with Image.open(root / "posters" / film.poster_path) as poster:
        assert poster.size == (2000, 3000)


def test_transparency_is_kept(app, ctx, film_id):
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.films.posters import replace_poster

    root = Path(app.config["UPLOAD_ROOT"])
    film = db.session.get(Film, film_id)
    replace_poster(film, image_bytes("PNG", size=(2400, 3600), mode="RGBA"), upload_root=root)
    db.session.commit()
    with Image.open(root / "posters" / film.poster_path) as poster:
        assert poster.mode == "RGBA" and poster.size == (2000, 3000)


def test_limits_come_from_the_configuration_and_pillow_is_held_to_them(app):
    from showcase.films.posters import PosterLimits, decode_image

    assert Image.MAX_IMAGE_PIXELS == app.config["POSTER_MAX_MEGAPIXELS"] * 1_000_000 == 50_000_000
    small = PosterLimits.from_config({"POSTER_MAX_MEGAPIXELS": 2, "POSTER_DECODE_MEGABYTES": 4})
    with pytest.raises(ValidationFailed) as caught:
        decode_image(image_bytes("JPEG", size=(1500, 1500)), small)
    assert "(2.25 megapixels); posters may be at most 2 megapixels" in caught.value.errors["poster"]
    with pytest.raises(ValidationFailed) as caught:
        decode_image(image_bytes("PNG", size=(1200, 1200)), small)
    assert "PNG posters may be at most 1 megapixels" in caught.value.errors["poster"]
