"""The press build: PDF/X-4 with an output intent, boxes on every page, CMYK only, whole sheets, a proof report.

Every check reads the written file back (pypdf, poppler's pdfinfo/pdffonts/pdftotext), never what the
build meant to write.
"""

from __future__ import annotations

import io
import subprocess
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageDraw
from pypdf import PdfReader

from showcase.programmes.build import build_programme
from showcase.programmes.data import ProgrammeError, ProgrammeOptions
from showcase.programmes.fonts import DEFAULT_FALLBACKS, MISSING_GLYPH
from showcase.programmes.press import DEFAULT_PROFILES, load_profile
from showcase.programmes.proof import proof_report
from showcase.programmes.sample import sample_programme
from showcase.programmes.writing import write_programme
from tests.showcase.programmes.support import content_operations, image_xobjects, page_texts, with_films

MM = 72 / 25.4
A5_MM = (148.0, 210.0)
POSTER_RGB = (30, 50, 110)
RARE = "\U00020000"  # CJK Extension B: WenQuanYi Zen Hei has no glyph for it


def poster_file(folder: Path, size: tuple[int, int]) -> str:
    """A JPEG poster: dark blue with a yellow disc."""
    path = folder / f"poster-{size[0]}x{size[1]}.jpg"
    img = Image.new("RGB", size, POSTER_RGB)
    w, h = size
    ImageDraw.Draw(img).ellipse((w // 5, h // 4, 4 * w // 5, 3 * h // 5), fill=(230, 180, 60))
    img.save(path, quality=92)
    return str(path)


def press_build(folder: Path, *, films: int = 5, poster_size=(900, 1350), **options):
    """A press build of a sample programme (every other film with the poster): the PDF and what was written."""
    poster = poster_file(folder, poster_size)
    programme = sample_programme(films, poster=poster, options=ProgrammeOptions(press=True, bleed_mm=3, **options))
    pdf = folder / "press.pdf"
    return pdf, write_programme(programme, pdf)


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    """Five films, A5 pages with 3 mm bleed: 10 pages of programme."""
    return press_build(tmp_path_factory.mktemp("single"))


@pytest.fixture(scope="module")
def booklet(tmp_path_factory):
    """The same as a booklet: imposed two-up in saddle-stitch order."""
    return press_build(tmp_path_factory.mktemp("booklet"), booklet=True)


@pytest.fixture(params=["single", "booklet"])
def press_pdf(request) -> Path:
    return request.getfixturevalue(request.param)[0]


def inside(inner, outer) -> bool:
    return all(
        (
            float(inner.left) >= float(outer.left) - 0.01,
            float(inner.bottom) >= float(outer.bottom) - 0.01,
            float(inner.right) <= float(outer.right) + 0.01,
            float(inner.top) <= float(outer.top) + 0.01,
        )
    )


def test_every_page_has_a_trim_box_inside_a_bleed_box_inside_the_page(press_pdf) -> None:
    reader = PdfReader(str(press_pdf))
    for page in reader.pages:
        assert "/TrimBox" in page and "/BleedBox" in page  # written in the file, not pypdf's defaults
        assert inside(page.trimbox, page.bleedbox) and inside(page.bleedbox, page.mediabox)
        assert float(page.trimbox.left) - float(page.bleedbox.left) == pytest.approx(3 * MM, abs=0.01)


def test_single_pages_are_trimmed_to_a5_with_3_mm_bleed(single) -> None:
    pdf, _ = single
    boxes = subprocess.run(["pdfinfo", "-box", "-l", "1000", str(pdf)], capture_output=True, text=True, check=True)
    trims = [line.split()[3:] for line in boxes.stdout.splitlines() if "TrimBox" in line]
    bleeds = [line.split()[3:] for line in boxes.stdout.splitlines() if "BleedBox" in line]
    assert len(trims) == len(bleeds) == len(PdfReader(str(pdf)).pages)
    for x0, y0, x1, y1 in (map(float, box) for box in trims):
        assert ((x1 - x0) / MM, (y1 - y0) / MM) == pytest.approx(A5_MM, abs=0.1)
        assert (x0 / MM, y0 / MM) == pytest.approx((3, 3), abs=0.01)


def test_output_intent_embeds_the_cmyk_profile_and_the_file_says_pdfx4(press_pdf) -> None:
    reader = PdfReader(str(press_pdf))
    (intent,) = [i.get_object() for i in reader.trailer["/Root"]["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFX" and intent["/OutputConditionIdentifier"] == "FOGRA39"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4
    assert profile.get_data() == Path(DEFAULT_PROFILES[0]).read_bytes()
    info = reader.trailer["/Info"].get_object()
    assert info["/GTS_PDFXVersion"] == "PDF/X-4" and info["/Trapped"] == "/False" and info["/Title"]
    assert "/CreationDate" in info and "/ModDate" in info and reader.trailer["/ID"]
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    pdfinfo = subprocess.run(["pdfinfo", str(press_pdf)], capture_output=True, text=True, check=True).stdout
    assert "PDF version:     1.6" in pdfinfo and "PDF subtype:    PDF/X-4" in pdfinfo


def test_no_rgb_colour_operator_is_left_in_any_content_stream(press_pdf) -> None:
    ops = Counter(op for _, op, _ in content_operations(press_pdf))
    assert ops[b"k"] > 50 and ops[b"Tj"] > 50  # text was drawn, and in CMYK
    assert ops[b"rg"] == ops[b"RG"] == 0
    named = [operands[0] for _, op, operands in content_operations(press_pdf) if op in (b"cs", b"CS")]
    assert named == []  # no other colour space is selected, so sc/scn can only mean nothing RGB
    for image in image_xobjects(press_pdf):
        space = image["/ColorSpace"]
        assert space == "/DeviceCMYK" or (space[0] == "/ICCBased" and space[1].get_object()["/N"] == 4)


def text_colours(pdf: Path) -> Counter:
    """The fill colour in force each time text is shown (q/Q restore it), as operator and operands."""
    colours: Counter = Counter()
    fill, stack = ("none",), []
    for _, op, operands in content_operations(pdf):
        if op == b"q":
            stack.append(fill)
        elif op == b"Q" and stack:
            fill = stack.pop()
        elif op in (b"k", b"rg", b"g"):
            fill = (op.decode(), *(round(float(v), 3) for v in operands))
        elif op in (b"Tj", b"TJ"):
            colours[fill] += 1
    return colours


def test_black_text_is_100_percent_k_and_never_four_colour_black(single) -> None:
    colours = text_colours(single[0])
    assert colours.most_common(1)[0][0] == ("k", 0, 0, 0, 1)
    for colour in colours:
        assert colour[0] == "k"
        c, m, y, k = colour[1:]
        assert not (k >= 0.9 and (c or m or y)), colour  # rich black would misregister on small type


def test_single_pages_are_padded_to_a_multiple_of_four_with_blanks_at_the_end(single) -> None:
    pdf, written = single
    reader = PdfReader(str(pdf))
    assert written.stats.pages % 4 and written.blanks == 4 - written.stats.pages % 4  # padding was needed
    assert len(reader.pages) == written.stats.pages + written.blanks and len(reader.pages) % 4 == 0
    texts = page_texts(pdf)
    assert all(texts[: written.stats.pages])
    assert texts[written.stats.pages :] == [""] * written.blanks
    assert all(page.get_contents() is None for page in reader.pages[written.stats.pages :])


def test_a_press_booklet_fills_whole_sheets_of_eight_pages(booklet) -> None:
    pdf, written = booklet
    assert written.stats.pages == 10 and written.blanks == 6  # 10 pages padded to 16
    assert written.sheets == 8 and len(PdfReader(str(pdf)).pages) == 8  # a multiple of 4 sheet sides


def test_every_font_is_embedded(press_pdf) -> None:
    out = subprocess.run(["pdffonts", str(press_pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows), out


def test_posters_are_converted_to_cmyk_keeping_their_colour(single) -> None:
    (image,) = image_xobjects(single[0])
    assert image["/ColorSpace"] == "/DeviceCMYK" and image["/Filter"] in ("/DCTDecode", ["/DCTDecode"])
    cmyk = Image.open(io.BytesIO(image._data))  # the JPEG as embedded
    assert cmyk.mode == "CMYK"
    back = ImageCms.profileToProfile(cmyk, DEFAULT_PROFILES[0], ImageCms.createProfile("sRGB"), outputMode="RGB")
    assert all(abs(a - b) < 24 for a, b in zip(back.getpixel((5, 5)), POSTER_RGB, strict=True))


def test_the_proof_report_lists_what_a_print_shop_checks(single) -> None:
    _, written = single
    report = written.proof
    assert report.ready, report.problems
    text = report.text()
    for line in (
        "READY for press",
        "PDF/X version      PDF/X-4",
        "Output intent      GTS_PDFX FOGRA39 (ISO Coated v2 300% (basICColor), 4 components)",
        "Pages              12 (a multiple of 4)",
        "Page (MediaBox)    154.0 × 216.0 mm (12 pages)",
        "Trim (TrimBox)     148.0 × 210.0 mm (A5) (12 pages)",
        "Bleed (BleedBox)   3.0 mm (12 pages)",
        "  DeviceCMYK (image): 3",
        "  K 100 %: ",
    ):
        assert line in text, line
    assert "WenQuanYiZenHei-0  TrueType  embedded  subset" in text
    assert "DeviceRGB" not in text and "LOW" not in text  # 900×1350 px posters are over 300 dpi


def test_the_proof_report_flags_a_poster_under_300_dpi(tmp_path: Path) -> None:
    _, written = press_build(tmp_path, films=1, poster_size=(120, 180))
    (warning,) = [w for w in written.proof.warnings if "dpi" in w]
    assert "image 120×180 px printed 34.0×51.0 mm is 90 dpi, under 300" in warning
    assert "90 dpi  LOW" in written.proof.text() and written.proof.ready  # a warning for a person to judge


def test_the_proof_report_finds_a_screen_build_not_press_ready(make_programme, tmp_path: Path) -> None:
    pdf = tmp_path / "screen.pdf"
    build_programme(make_programme(1), pdf)
    report = proof_report(pdf.read_bytes())
    assert not report.ready
    problems = "\n".join(report.problems)
    for expected in ("no TrimBox or BleedBox", "PDF/X-4", "no PDF/X output intent", "RGB colour settings"):
        assert expected in problems


def test_the_screen_build_stays_rgb_without_intent_or_padding(make_programme, tmp_path: Path) -> None:
    pdf = tmp_path / "screen.pdf"
    written = write_programme(make_programme(5), pdf)
    reader = PdfReader(str(pdf))
    assert reader.pdf_header == "%PDF-1.4" and "/OutputIntents" not in reader.trailer["/Root"]
    assert len(reader.pages) == written.stats.pages == 10 and written.blanks == 0 and written.proof is None
    assert "/TrimBox" not in reader.pages[0]
    ops = Counter(op for _, op, _ in content_operations(pdf))
    assert ops[b"rg"] > 50 and ops[b"k"] == 0


def rare_title_programme(make_programme):
    programme = make_programme(1, press=True)
    return with_films(programme, [replace(programme.films[0], title=f"{RARE}之城", title_en="City of the rare")])


def test_a_character_the_font_lacks_comes_from_the_embedded_fallback_font(make_programme, tmp_path: Path) -> None:
    pdf = tmp_path / "rare.pdf"
    stats = build_programme(rare_title_programme(make_programme), pdf)
    assert stats.warnings == ()
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    (hanazono,) = [row for row in fonts.splitlines() if "+HanaMinB" in row]
    assert hanazono.split()[-5:-2] == ["yes", "yes", "yes"]  # embedded, subset, with a ToUnicode map
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"{RARE}之城" in text and MISSING_GLYPH not in text


def test_without_the_fallback_font_the_build_still_works_and_the_report_warns(make_programme, tmp_path) -> None:
    pdf = tmp_path / "rare.pdf"
    without = [spec for spec in DEFAULT_FALLBACKS if "hanazono" not in spec.path]
    stats = build_programme(rare_title_programme(make_programme), pdf, fallbacks=without)
    assert [w for w in stats.warnings if "U+20000" in w and MISSING_GLYPH in w]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"{MISSING_GLYPH}之城" in text
    report = proof_report(pdf.read_bytes(), build_warnings=stats.warnings)
    assert "U+20000" in report.text()


def test_a_profile_that_is_not_cmyk_is_a_clear_error_and_writes_nothing(make_programme, tmp_path: Path) -> None:
    rgb = tmp_path / "srgb.icc"
    rgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    pdf = tmp_path / "p.pdf"
    with pytest.raises(ProgrammeError, match="not a CMYK printer profile"):
        write_programme(make_programme(1, press=True), pdf, profile=rgb)
    with pytest.raises(ProgrammeError, match="no colour profile at"):
        load_profile(tmp_path / "missing.icc")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["srgb.icc"]
