"""A bundle is ordinary files (others may read it; the umask applies), and its zip carries ordinary modes."""

from __future__ import annotations

import os
import stat
import zipfile


def test_a_bundle_is_ordinary_files_and_its_zip_too(demo, screening, tmp_path):
    from showcase.extensions import db
    from showcase.kiosks.drafts import add_card
    from showcase.kiosks.exporting import export_to, zip_bundle
    from showcase.kiosks.models import Playlist
    from showcase.kiosks.publishing import publish

    usb = tmp_path / "usb"
    usb.mkdir()
    old = os.umask(0o022)
    try:
        with demo.app_context():
            playlist = db.session.get(Playlist, screening[0])
            add_card(playlist, title="休息", title_en="Interval", text="休息\nInterval", seconds=5)
            version = publish(playlist)
            db.session.commit()
            export_to(version, "xspf", usb / "playlist.xspf", with_media=True)
            os.umask(0o077)  # a server process that makes everything private still sends ordinary modes
            zipped = zip_bundle(version)
    finally:
        os.umask(old)
    found = {
        path.relative_to(usb).as_posix() + ("/" if path.is_dir() else ""): stat.S_IMODE(path.stat().st_mode)
        for path in usb.rglob("*")
    }
    assert sum(name.startswith("cards/") for name in found) == 2  # the folder and one card
    assert sum(name.startswith("media/") for name in found) == 8  # the folder and seven films
    assert {"playlist.json", "playlist.xspf", "playlist.m3u8"} <= set(found)
    assert found == {name: 0o755 if name.endswith("/") else 0o644 for name in found}
    with zipfile.ZipFile(zipped) as archive:
        entries = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    zipped.unlink()
    assert entries == {name: stat.S_IFDIR | 0o755 if name.endswith("/") else stat.S_IFREG | 0o644 for name in found}
