"""Single XSPF and M3U8 files carry the title cards and holds: the CLI draws them beside the file, the web
download is the zip's own file (pointing at cards/ in the zip), and a missing film writes nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from sqlalchemy import select

URL = "/staff/festivals/ai-shorts-2026/playlists/{}/export"


def card_and_hold(app, playlist_id: int) -> None:
    """Add a timed title card with a 2 s hold after it, and hold 1.5 s after the first film; publish."""
    from showcase.extensions import db
    from showcase.kiosks.drafts import add_card, update_item
    from showcase.kiosks.models import Playlist
    from showcase.kiosks.publishing import publish

    with app.app_context():
        playlist = db.session.get(Playlist, playlist_id)
        update_item(playlist, playlist.items[0].id, hold=1.5)
        add_card(playlist, title="休息", title_en="Interval", text="休息\nInterval", seconds=5, hold=2)
        publish(playlist)
        db.session.commit()


def test_cli_single_file_draws_cards_and_the_hold_still_beside_it(demo, screening, tmp_path):
    card_and_hold(demo, screening[0])
    for form in ("xspf", "m3u8"):
        out = tmp_path / f"颁奖 #1.{form}"
        result = demo.test_cli_runner().invoke(
            args=["playlists", "export", str(screening[0]), "--format", form, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        text = out.read_text("utf-8")
        pictures = sorted((tmp_path / "颁奖 #1-cards").iterdir())
        assert len(pictures) == 2  # the card and the black still of both holds
        for picture in pictures:
            assert picture.as_uri() in text  # absolute file URIs, percent-encoded (%23 for the '#')
        assert "%E9%A2%81%E5%A5%96%20%231-cards/" in text
        assert text.count("image-duration=5") == 1 and text.count("image-duration=2") == 1
        assert text.count("image-duration=1.500") == 1
        assert text.count(Path(demo.config["MEDIA_ROOT"]).as_uri()) == 7  # the films stay in MEDIA_ROOT


def test_web_download_of_a_single_file_is_the_zips_own_file(demo, client, login_as, screening):
    card_and_hold(demo, screening[0])
    login_as("viewer")
    url = URL.format(screening[0])
    assert "on their own they play nothing" in client.get(url).get_data(as_text=True)
    with zipfile.ZipFile(io.BytesIO(client.get(url + "?format=zip").data)) as archive:
        names = set(archive.namelist())
        for form in ("xspf", "m3u8"):
            download = client.get(url + f"?format={form}").data
            assert download == archive.read(f"playlist.{form}")
            referenced = {
                name for name in names if name.startswith("cards/") and name != "cards/" and name in download.decode()
            }
            assert len(referenced) == 2  # the card and the hold still, both in the zip


def test_single_file_export_with_a_missing_film_fails_and_writes_nothing(demo, screening, tmp_path):
    from showcase.extensions import db
    from showcase.films.models import MediaAsset

    card_and_hold(demo, screening[0])
    with demo.app_context():
        asset = db.session.scalars(select(MediaAsset).order_by(MediaAsset.id)).first()
        (Path(demo.config["MEDIA_ROOT"]) / asset.path).unlink()
    usb = tmp_path / "usb"
    usb.mkdir()
    out = usb / "show.xspf"
    result = demo.test_cli_runner().invoke(
        args=["playlists", "export", str(screening[0]), "--format", "xspf", "--out", str(out)]
    )
    assert result.exit_code == 1 and "is missing from MEDIA_ROOT" in result.output
    assert list(usb.iterdir()) == []  # neither the file nor its cards folder
