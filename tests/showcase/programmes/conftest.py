"""Fixtures for the printed programme: generated plain data and a Pillow poster (helpers: support.py)."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from showcase.programmes.data import Programme, ProgrammeOptions
from showcase.programmes.sample import sample_programme


@pytest.fixture(scope="session")
def poster(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small JPEG poster drawn with Pillow."""
    path = tmp_path_factory.mktemp("poster") / "poster.jpg"
    img = Image.new("RGB", (400, 600), (30, 50, 110))
    ImageDraw.Draw(img).ellipse((80, 150, 320, 390), fill=(230, 180, 60))
    img.save(path, quality=90)
    return str(path)


@pytest.fixture
def make_programme(poster: str):
    """Factory: a bilingual programme of n films with options (every other film has the poster)."""

    def make(n: int = 7, **options: object) -> Programme:
        return sample_programme(n, poster=poster, options=ProgrammeOptions(**options))

    return make
