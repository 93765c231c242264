"""Poster uploads: type by content, re-encoded WebP and thumbnail, random names, old files removed."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from showcase.errors import ValidationFailed
from tests.conftest import csrf_token
from tests.showcase.films.support import SLUG

NAME = re.compile(r"^[0-9a-f]{32}\.webp$")


def image_bytes(fmt: str, size=(600, 900), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "#8a1c2b" if mode == "RGB" else 0).save(out, fmt)
    return out.getvalue()


def bomb_png() -> bytes:
    """A 12,000 × 12,000 image (144 million pixels) that compresses to a few kilobytes."""
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")
    return out.getvalue()


def stored_files(root: Path) -> list[str]:
    folder = root / "posters"
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() \
        else []


@pytest.fixture
def film_id(demo):
    from showcase.extensions import db
    from showcase.films.models import Film

    with demo.app_context():
        return db.session.scalars(select(Film.id).order_by(Film.id)).first()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_poster_is_re_encoded_to_webp_with_a_thumbnail(app, ctx, film_id, fmt):
    from showcase.extensions import db
    from showcase.films.models import Film
    from showcase.films.posters import replace_poster

    root = Path(app.config["UPLOAD_ROOT"])
    film = db.session.get(Film, film_id)
    replace_poster(film, image_bytes(fmt, size=(3000, 4500)), upload_root=root)
    db.session.commit()
    assert NAME.match(film.poster_path)
    with Image.open(root / "posters" / film.poster_path) as poster:
        assert poster.format == "WEBP" and poster.size == (2000, 3000)
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
    "decompression bomb": (bomb_png(), "million pixels"),
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
    return client.post(path, data={"csrf_token": token, "poster": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def test_poster_upload_through_the_edit_page(app, client, film_id, login_as):
    login_as("editor")
    response = _post_poster(client, film_id, image_bytes("JPEG"), "poster.jpg")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    name = re.search(r"/posters/thumbs/([0-9a-f]{32}\.webp)", page).group(1)
    served = client.get(f"/posters/{name}")
    assert served.status_code == 200 and served.data[8:12] == b"WEBP"


@pytest.mark.parametrize("data, filename, status, phrase", [
    (b"just text, renamed\n" * 50, "poster.jpg", 400, "not an image"),
    (image_bytes("GIF"), "poster.gif", 400, "GIF images are not accepted"),
    (bomb_png(), "poster.png", 400, "million pixels"),
    (b"\xff\xd8\xff" + b"0" * (12 * 1024 * 1024), "poster.jpg", 413, "larger than the upload limit of 10 MB"),
])
def test_bad_poster_uploads_show_a_clear_message(app, client, film_id, login_as, data, filename, status, phrase):
    login_as("editor")
    response = _post_poster(client, film_id, data, filename)
    assert response.status_code == status
    assert phrase in response.get_data(as_text=True)
    assert stored_files(Path(app.config["UPLOAD_ROOT"])) == []
