"""The press build: the CMYK output profile, colour conversion to it, and PDF/X-4 finishing.

A print shop takes a PDF/X-4 file as it is: every colour is CMYK for a named printing condition
(the output intent, with its ICC profile embedded), every page says where it is trimmed and how
far its bleed runs, and the page count fills whole folded sheets. The layout itself is
build.py's; this module converts colours for it and finishes the PDF with pypdf.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import uuid
from dataclasses import dataclass
from functools import cached_property
from xml.sax.saxutils import escape

from PIL import Image, ImageCms
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)

from showcase.programmes.data import ProgrammeError
from showcase.programmes.layout import Palette, press_palette

# ISO Coated v2 300% (basICColor), zlib licence, shipped by Debian's scribus-data: the FOGRA39
# condition, coated paper on a sheet-fed offset press, which most print shops accept as it is.
DEFAULT_PROFILES = ("/usr/share/scribus/profiles/ISOcoated_v2_300_bas.icc",)
# Profiles we know by their description: the condition registered with the ICC (color.org).
KNOWN_CONDITIONS = {
    "ISO Coated v2 300% (basICColor)": (
        "FOGRA39",
        "Offset printing, ISO 12647-2:2004/Amd 1, paper type 1 or 2 (coated art), 300 % total area coverage",
    ),
}
REGISTRY = "http://www.color.org"
PDFX_VERSION = "PDF/X-4"
PAGE_MULTIPLE = 4  # one folded sheet carries four pages


@dataclass(frozen=True)
class PressProfile:
    """A CMYK printer profile and the printing condition it names in the output intent."""

    path: str
    data: bytes
    description: str
    identifier: str  # OutputConditionIdentifier: a registered name such as FOGRA39, else "Custom"
    condition: str

    @cached_property
    def _cms(self) -> ImageCms.ImageCmsProfile:
        return ImageCms.ImageCmsProfile(io.BytesIO(self.data))

    @cached_property
    def _from_srgb(self) -> ImageCms.ImageCmsTransform:
        return self.transform_from(None)

    def transform_from(self, icc: bytes | None) -> ImageCms.ImageCmsTransform:
        """A perceptual RGB → this profile's CMYK transform, from icc (an image's own profile) or sRGB."""
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc)) if icc else ImageCms.createProfile("sRGB")
        return ImageCms.buildTransform(source, self._cms, "RGB", "CMYK", ImageCms.Intent.PERCEPTUAL)

    def image(self, img: Image.Image, icc: bytes | None = None) -> Image.Image:
        """img (RGB) in this profile's CMYK; icc is the image's own profile, sRGB when None or unusable."""
        transform = self._from_srgb
        # A broken embedded profile: the image is taken as sRGB, as browsers do.
        with contextlib.suppress(OSError, ImageCms.PyCMSError, ValueError):
            transform = self.transform_from(icc) if icc else transform
        return ImageCms.applyTransform(img, transform)

    def colour(self, rgb: tuple[float, float, float]) -> tuple[float, float, float, float]:
        """An sRGB colour (0-1) in this profile's CMYK (0-1), relative colorimetric, as for a brand colour."""
        transform = ImageCms.buildTransform(
            ImageCms.createProfile("sRGB"), self._cms, "RGB", "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC
        )
        pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in rgb))
        return tuple(round(v / 255, 3) for v in ImageCms.applyTransform(pixel, transform).getpixel((0, 0)))

    def palette(self) -> Palette:
        """The programme's press colours for this profile."""
        accent = Palette().accent
        return press_palette(self.colour((accent.red, accent.green, accent.blue)))


def load_profile(path: str | os.PathLike[str] | None = None) -> PressProfile:
    """The CMYK profile at path, else the first default one installed; ProgrammeError when there is none."""
    candidates = [os.fspath(path)] if path else list(DEFAULT_PROFILES)
    found = next((p for p in candidates if os.path.isfile(p)), None)
    if found is None:
        if path:
            raise ProgrammeError(f"no colour profile at {os.fspath(path)}")
        raise ProgrammeError(
            "a press build needs a CMYK colour profile: install Debian's scribus-data "
            "(ISO Coated v2) or set PROGRAMME_CMYK_PROFILE"
        )
    with open(found, "rb") as fh:
        data = fh.read()
    try:
        info = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    except (OSError, ImageCms.PyCMSError, ValueError):
        raise ProgrammeError(f"{found} is not an ICC colour profile") from None
    if info.xcolor_space.strip() != "CMYK" or info.device_class != "prtr":
        raise ProgrammeError(f"{found} is not a CMYK printer profile (it is {info.xcolor_space.strip()})")
    description = (info.profile_description or os.path.basename(found)).strip()
    identifier, condition = KNOWN_CONDITIONS.get(description, ("Custom", description))
    return PressProfile(found, data, description, identifier, condition)


def finish(writer: PdfWriter, *, profile: PressProfile, title: str, author: str, now: dt.datetime | None = None) -> int:
    """Make writer's document PDF/X-4: blank pages to a multiple of four, output intent, metadata.

    Returns the number of blank pages added. The pages must already carry their TrimBox and
    BleedBox and use no RGB colour; the proof report checks both.
    """
    added = _pad(writer, PAGE_MULTIPLE)
    _output_intent(writer, profile)
    _metadata(writer, title=title, author=author, now=now or dt.datetime.now(dt.UTC))
    writer.pdf_header = "%PDF-1.6"  # PDF/X-4 is based on PDF 1.6
    writer.generate_file_identifiers()  # PDF/X asks for the trailer's /ID
    return added


def _pad(writer: PdfWriter, multiple: int) -> int:
    pages = len(writer.pages)
    added = -pages % multiple
    last = writer.pages[-1]
    for _ in range(added):
        blank = writer.add_blank_page(float(last.mediabox.width), float(last.mediabox.height))
        for box in ("/TrimBox", "/BleedBox"):
            if box in last:
                blank[NameObject(box)] = RectangleObject(last[box])
    return added


def _output_intent(writer: PdfWriter, profile: PressProfile) -> None:
    text = TextStringObject
    icc = DecodedStreamObject()
    icc.set_data(profile.data)
    icc[NameObject("/N")] = NumberObject(4)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFX"),
            NameObject("/OutputConditionIdentifier"): text(profile.identifier),
            NameObject("/OutputCondition"): text(profile.condition),
            NameObject("/RegistryName"): text(REGISTRY),
            NameObject("/Info"): text(profile.description),
            NameObject("/DestOutputProfile"): writer._add_object(icc.flate_encode()),
        }
    )
    writer.root_object[NameObject("/OutputIntents")] = ArrayObject([intent])


def _metadata(writer: PdfWriter, *, title: str, author: str, now: dt.datetime) -> None:
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    pdf_date = stamp.strftime("D:%Y%m%d%H%M%S+00'00'")
    writer.add_metadata(
        {
            "/Title": title,
            "/Author": author,
            "/Creator": "showcase",
            "/CreationDate": pdf_date,
            "/ModDate": pdf_date,
            "/GTS_PDFXVersion": PDFX_VERSION,
        }
    )
    info = writer._info.get_object()
    info[NameObject("/Trapped")] = NameObject("/False")
    producer = str(info.get("/Producer", "")) or "showcase"
    info[NameObject("/Producer")] = TextStringObject(producer)
    writer.xmp_metadata = _xmp(title=title, author=author, producer=producer, when=stamp.isoformat())
    stream = writer.root_object["/Metadata"].get_object()
    stream[NameObject("/Type")], stream[NameObject("/Subtype")] = NameObject("/Metadata"), NameObject("/XML")


def _xmp(*, title: str, author: str, producer: str, when: str) -> bytes:
    """The XMP packet PDF/X-4 asks for, saying the same as the Info dictionary."""
    document = uuid.uuid4()
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <xmp:ModifyDate>{when}</xmp:ModifyDate>
   <xmp:MetadataDate>{when}</xmp:MetadataDate>
   <xmp:CreatorTool>showcase</xmp:CreatorTool>
   <pdf:Producer>{escape(producer)}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>uuid:{document}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{document}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return text.encode("utf-8")
