"""The proof report: what a print shop checks in a PDF, read back from the file itself with pypdf.

Nothing here trusts what the build meant to write: sizes and boxes come from each page, fonts
from the resources the pages use, colours from the operators in the content streams, and each
image's resolution from the size it is drawn at (the transformation matrix where it is painted).
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from PIL import ImageCms
from pypdf import PdfReader
from pypdf.generic import ContentStream

MIN_DPI = 300
PT_MM = 25.4 / 72
PAPERS_MM = {"A3": (297, 420), "A4": (210, 297), "A5": (148, 210), "A6": (105, 148)}
RGB_SPACES = {"DeviceRGB", "CalRGB", "ICCBased RGB"}
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_TEXT_OPS = {b"Tj", b"TJ", b"'", b'"'}
_STROKE_OPS = {b"S", b"s", b"B", b"B*", b"b", b"b*"}


@dataclass(frozen=True)
class FontUse:
    """A font a page uses: its name, kind, and whether the file is in the PDF (whole or a subset)."""

    name: str
    kind: str
    embedded: bool
    subset: bool


@dataclass(frozen=True)
class ImageUse:
    """An image where it is painted: pixels, colour space, printed size in mm and the resulting dpi."""

    page: int
    pixels: tuple[int, int]
    space: str
    encoding: str
    printed_mm: tuple[float, float]

    @property
    def dpi(self) -> float:
        """The effective resolution at the printed size (the lower of the two directions)."""
        w, h = self.printed_mm
        if w <= 0 or h <= 0:
            return math.inf
        return min(self.pixels[0] / (w / 25.4), self.pixels[1] / (h / 25.4))


@dataclass(frozen=True)
class OutputIntent:
    """An output intent: its kind (GTS_PDFX for PDF/X), condition, and the profile it embeds."""

    subtype: str
    condition: str
    profile: str
    components: int

    def __str__(self) -> str:
        return f"{self.subtype} {self.condition} ({self.profile}, {self.components} components)"


@dataclass
class ProofReport:
    """Everything the report lists, and the problems (not ready for press) and warnings found."""

    pdf_version: str = ""
    pdfx_version: str = ""
    trapped: str = ""
    output_intents: list[OutputIntent] = field(default_factory=list)
    pages: int = 0
    page_multiple: int = 4
    media_mm: Counter = field(default_factory=Counter)
    trim_mm: Counter = field(default_factory=Counter)
    bleed_mm: Counter = field(default_factory=Counter)
    fonts: dict[str, FontUse] = field(default_factory=dict)
    spaces: Counter = field(default_factory=Counter)
    text_colours: Counter = field(default_factory=Counter)
    stroke_colours: Counter = field(default_factory=Counter)
    images: list[ImageUse] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """True when nothing stops the file going to press (warnings are for a person to judge)."""
        return not self.problems

    def text(self) -> str:
        """The report as plain text, one check a line."""
        return "\n".join(_lines(self)) + "\n"


def proof_report(pdf: bytes, *, build_warnings: tuple[str, ...] = (), page_multiple: int = 4) -> ProofReport:
    """Read pdf back and list what a print shop checks; PDF/X-4 requirements unmet are problems."""
    reader = PdfReader(io.BytesIO(pdf))
    report = ProofReport(pdf_version=reader.pdf_header.lstrip("%").replace("PDF-", ""), page_multiple=page_multiple)
    info = reader.trailer.get("/Info")
    info = info.get_object() if info is not None else {}
    report.pdfx_version = str(info.get("/GTS_PDFXVersion", ""))
    report.trapped = str(info.get("/Trapped", "")).lstrip("/")
    report.pages = len(reader.pages)
    _read_intents(reader, report)
    for number, page in enumerate(reader.pages, start=1):
        _read_boxes(page, number, report)
        _Walker(report, number).walk(page.get_contents(), page.get("/Resources"), (1, 0, 0, 1, 0, 0))
    _judge(report)
    report.warnings += list(build_warnings)
    return report


def _mm(value: float) -> float:
    return round(value * PT_MM, 1)


def _size(box) -> tuple[float, float]:
    return _mm(float(box.width)), _mm(float(box.height))


def _read_intents(reader: PdfReader, report: ProofReport) -> None:
    for intent in reader.trailer["/Root"].get("/OutputIntents", []):
        intent = intent.get_object()
        profile = intent.get("/DestOutputProfile")
        described, components = "no profile embedded", 0
        if profile is not None:
            stream = profile.get_object()
            components = int(stream.get("/N", 0))
            try:
                described = ImageCms.ImageCmsProfile(io.BytesIO(stream.get_data())).profile.profile_description.strip()
            except (OSError, ImageCms.PyCMSError, ValueError):
                described = "unreadable profile"
        subtype = str(intent.get("/S", "?")).lstrip("/")
        report.output_intents.append(
            OutputIntent(subtype, str(intent.get("/OutputConditionIdentifier", "?")), described, components)
        )


def _read_boxes(page, number: int, report: ProofReport) -> None:
    media = page.mediabox
    report.media_mm[_size(media)] += 1
    missing = [box for box in ("/TrimBox", "/BleedBox") if box not in page]
    if missing:
        report.problems.append(f"page {number}: no {' or '.join(b.lstrip('/') for b in missing)}")
        return
    trim, bleed = page.trimbox, page.bleedbox
    report.trim_mm[_size(trim)] += 1
    if not (_inside(trim, bleed) and _inside(bleed, media)):
        report.problems.append(f"page {number}: the TrimBox must lie inside the BleedBox, the BleedBox inside the page")
        return
    sides = (
        float(trim.left) - float(bleed.left),
        float(trim.bottom) - float(bleed.bottom),
        float(bleed.right) - float(trim.right),
        float(bleed.top) - float(trim.top),
    )
    report.bleed_mm[_mm(min(sides))] += 1


def _inside(inner, outer, slack: float = 0.01) -> bool:
    return (
        float(inner.left) >= float(outer.left) - slack
        and float(inner.bottom) >= float(outer.bottom) - slack
        and float(inner.right) <= float(outer.right) + slack
        and float(inner.top) <= float(outer.top) + slack
    )


def _space(value: Any, resources: Any) -> str:
    """A colour space's family: DeviceCMYK, ICCBased CMYK, Separation, DeviceRGB…"""
    value = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(value, str) and not value.startswith("/Device") and value not in ("/Pattern", "/Lab"):
        named = (resources or {}).get("/ColorSpace", {})
        named = named.get_object() if hasattr(named, "get_object") else named
        if value in named:
            return _space(named[value], resources)
    if isinstance(value, list) and value:
        family = str(value[0]).lstrip("/")
        if family == "ICCBased":
            n = value[1].get_object().get("/N")
            return "ICCBased " + {1: "Gray", 3: "RGB", 4: "CMYK"}.get(n, str(n))
        if family == "Indexed":
            return f"Indexed {_space(value[1], resources)}"
        return family
    return str(value).lstrip("/")


class _Walker:
    """Reads one page's content stream (and the forms it paints) keeping the graphics state it needs."""

    def __init__(self, report: ProofReport, page: int) -> None:
        self.report, self.page = report, page
        self.fill = self.stroke = ("DeviceGray", (0.0,))

    def walk(self, contents, resources, ctm: tuple[float, ...]) -> None:
        resources = resources.get_object() if resources is not None else {}
        self._fonts(resources)
        if contents is None:
            return
        stack: list[tuple] = []
        stream = contents if isinstance(contents, ContentStream) else ContentStream(contents, None)
        for operands, op in stream.operations:
            if op == b"q":
                stack.append((ctm, self.fill, self.stroke))
            elif op == b"Q" and stack:
                ctm, self.fill, self.stroke = stack.pop()
            elif op == b"cm":
                ctm = _multiply(tuple(float(v) for v in operands), ctm)
            elif op == b"Do":
                self._paint(operands[0], resources, ctm)
            elif op == b"INLINE IMAGE":
                settings = operands.get("settings", {})
                self._colour("image", _space(settings.get("/CS", settings.get("/ColorSpace", "")), resources))
            else:
                self._colour_op(op, operands, resources)

    def _colour_op(self, op: bytes, operands: list, resources) -> None:
        spaces = {b"rg": "DeviceRGB", b"k": "DeviceCMYK", b"g": "DeviceGray"}
        if op in spaces or op.lower() in spaces:
            space = spaces[op.lower()]
            self._set(op.islower(), space, tuple(float(v) for v in operands))
        elif op in (b"cs", b"CS"):
            self._set(op == b"cs", _space(operands[0], resources), ())
        elif op in (b"sc", b"scn", b"SC", b"SCN"):
            current = self.fill if op.islower() else self.stroke
            values = tuple(float(v) for v in operands if isinstance(v, int | float))
            self._set(op.islower(), current[0], values, counted=False)
        elif op in _TEXT_OPS:
            self.report.text_colours[_describe(self.fill)] += 1
        elif op in _STROKE_OPS:
            self.report.stroke_colours[_describe(self.stroke)] += 1

    def _set(self, fill: bool, space: str, values: tuple, *, counted: bool = True) -> None:
        if counted:
            self.report.spaces[space] += 1
        if fill:
            self.fill = (space, values)
        else:
            self.stroke = (space, values)

    def _colour(self, what: str, space: str) -> None:
        self.report.spaces[f"{space} ({what})"] += 1

    def _paint(self, name, resources, ctm: tuple[float, ...]) -> None:
        xobject = resources.get("/XObject", {})
        xobject = xobject.get_object() if hasattr(xobject, "get_object") else xobject
        if name not in xobject:
            return
        obj = xobject[name].get_object()
        if obj.get("/Subtype") == "/Form":
            matrix = tuple(float(v) for v in obj.get("/Matrix", (1, 0, 0, 1, 0, 0)))
            inner = _Walker(self.report, self.page)
            inner.fill, inner.stroke = self.fill, self.stroke
            inner.walk(ContentStream(obj, None), obj.get("/Resources", resources), _multiply(matrix, ctm))
        elif obj.get("/Subtype") == "/Image":
            self._image(obj, resources, ctm)

    def _image(self, obj, resources, ctm: tuple[float, ...]) -> None:
        a, b, c, d = ctm[:4]
        space = "stencil mask" if obj.get("/ImageMask") else _space(obj.get("/ColorSpace", ""), resources)
        filters = obj.get("/Filter", "")
        filters = filters if isinstance(filters, list) else [filters]
        self._colour("image", space)
        self.report.images.append(
            ImageUse(
                page=self.page,
                pixels=(int(obj["/Width"]), int(obj["/Height"])),
                space=space,
                encoding="+".join(str(f).lstrip("/") for f in filters if f) or "none",
                printed_mm=(_mm(math.hypot(a, b)), _mm(math.hypot(c, d))),
            )
        )

    def _fonts(self, resources) -> None:
        fonts = resources.get("/Font", {})
        fonts = fonts.get_object() if hasattr(fonts, "get_object") else fonts
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            if name in self.report.fonts:
                continue
            kind = str(font.get("/Subtype", "?")).lstrip("/")
            described = font
            if kind == "Type0":
                described = font["/DescendantFonts"][0].get_object()
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = kind == "Type3" or any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            self.report.fonts[name] = FontUse(name, kind, embedded, bool(_SUBSET.match(name)))


def _multiply(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """m × n for PDF matrices (a b c d e f): m applied first, then n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _describe(colour: tuple[str, tuple]) -> str:
    space, values = colour
    if space == "DeviceCMYK" and len(values) == 4 and not any(values[:3]):
        return f"K {values[3] * 100:.0f} %"
    if space == "DeviceGray" and len(values) == 1:
        return f"gray {values[0]:.2f}"
    shown = " ".join(f"{v:.2f}" for v in values)
    return f"{space} {shown}".strip()


def _judge(report: ProofReport) -> None:
    problems = report.problems
    if report.pdf_version < "1.6":
        problems.append(f"PDF {report.pdf_version}: PDF/X-4 needs PDF 1.6 or later")
    if report.pdfx_version != "PDF/X-4":
        problems.append("the document does not declare PDF/X-4 (GTS_PDFXVersion)")
    if report.trapped not in ("True", "False"):
        problems.append("Trapped is not set to True or False")
    if not any(i.subtype == "GTS_PDFX" and i.components == 4 for i in report.output_intents):
        problems.append("no PDF/X output intent with a CMYK profile")
    if report.pages % report.page_multiple:
        problems.append(f"{report.pages} pages: not a multiple of {report.page_multiple}")
    if len(report.trim_mm) > 1:
        problems.append("the pages are trimmed to different sizes")
    problems += [f"font {f.name} is not embedded" for f in report.fonts.values() if not f.embedded]
    rgb = sum(n for space, n in report.spaces.items() if space.split(" (")[0] in RGB_SPACES)
    if rgb:
        problems.append(f"{rgb} RGB colour settings or images: a press file is CMYK only")
    if report.bleed_mm and min(report.bleed_mm) < 1:
        report.warnings.append("no bleed: anything printed to the trim edge may show a white line; ask for 3 mm")
    for image in report.images:
        if image.dpi < MIN_DPI:
            report.warnings.append(
                f"page {image.page}: image {image.pixels[0]}×{image.pixels[1]} px printed "
                f"{image.printed_mm[0]}×{image.printed_mm[1]} mm is {image.dpi:.0f} dpi, under {MIN_DPI}"
            )


def _paper(size: tuple[float, float]) -> str:
    w, h = size
    for name, (pw, ph) in PAPERS_MM.items():
        if abs(w - pw) < 1 and abs(h - ph) < 1:
            return f" ({name})"
        if abs(w - ph) < 1 and abs(h - pw) < 1:
            return f" ({name} landscape)"
        if abs(w - 2 * pw) < 1 and abs(h - ph) < 1:
            return f" ({name} spread)"
    return ""


def _sizes(counter: Counter) -> str:
    return "; ".join(f"{w} × {h} mm{_paper((w, h))} ({n} pages)" for (w, h), n in counter.items()) or "none"


def _lines(r: ProofReport) -> list[str]:
    verdict = "READY for press" if r.ready else f"NOT ready for press: {len(r.problems)} problem(s)"
    lines = [
        f"Proof report — {verdict}, {len(r.warnings)} warning(s)",
        "",
        f"PDF version        {r.pdf_version}",
        f"PDF/X version      {r.pdfx_version or 'none'}",
        f"Trapped            {r.trapped or 'not set'}",
        f"Output intent      {'; '.join(map(str, r.output_intents)) or 'none'}",
        f"Pages              {r.pages} ({'a' if r.pages % r.page_multiple == 0 else 'NOT a'} multiple of "
        f"{r.page_multiple})",
        f"Page (MediaBox)    {_sizes(r.media_mm)}",
        f"Trim (TrimBox)     {_sizes(r.trim_mm)}",
        "Bleed (BleedBox)   " + ("; ".join(f"{b} mm ({n} pages)" for b, n in sorted(r.bleed_mm.items())) or "none"),
        "",
        "Fonts (name, kind, embedded, subset)",
    ]
    lines += [
        f"  {f.name}  {f.kind}  {'embedded' if f.embedded else 'NOT EMBEDDED'}  {'subset' if f.subset else 'whole'}"
        for f in r.fonts.values()
    ] or ["  none"]
    lines += ["", "Colour spaces (settings and images)"]
    lines += [f"  {space}: {n}" for space, n in sorted(r.spaces.items())] or ["  none"]
    lines += ["", "Text colours"] + [f"  {c}: {n}" for c, n in r.text_colours.most_common()]
    lines += ["", "Line (stroke) colours"] + [f"  {c}: {n}" for c, n in r.stroke_colours.most_common()]
    lines += ["", f"Images (effective resolution at the printed size; under {MIN_DPI} dpi is flagged)"]
    lines += [
        f"  page {i.page}: {i.pixels[0]}×{i.pixels[1]} px, {i.space}, {i.encoding}, printed "
        f"{i.printed_mm[0]}×{i.printed_mm[1]} mm, {i.dpi:.0f} dpi{'  LOW' if i.dpi < MIN_DPI else ''}"
        for i in r.images
    ] or ["  none"]
    lines += ["", "Problems"] + ([f"  ✗ {p}" for p in r.problems] or ["  none"])
    lines += ["", "Warnings"] + ([f"  ! {w}" for w in r.warnings] or ["  none"])
    return lines
