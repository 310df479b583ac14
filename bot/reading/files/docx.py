"""Reading .docx files: every part inflated through a size-capped stream first, then python-docx on a safe archive."""

from __future__ import annotations

import io
import zipfile
import zlib

from bot.reading.files.base import DocumentError, Limits, RawDocument, too_long

CHUNK = 64 * 1024
MAX_PARTS = 2_000  # a long Word document has a few dozen parts
RATIO_FLOOR = 1_000_000  # small parts may compress well; the ratio is judged once a part passes this size
# Word never writes a DOCTYPE; one in a part is there to declare entities (billion laughs, XXE).
_DTD_MARKS = tuple(
    mark.encode(codec) for mark in ("<!DOCTYPE", "<!ENTITY") for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
_TAIL = max(len(mark) for mark in _DTD_MARKS)


def check_archive(data: bytes, limits: Limits) -> None:
    """Inflate every part through a capped stream, counting bytes as they come: a part that inflates past
    its cap, or beyond the compression ratio, or a DTD in any part, refuses the file before anything parses it.
    Declared sizes are not trusted (zipfile stops at the declared size and fails the checksum if it lied)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise DocumentError(
                f"cannot read this .docx: it has {len(parts):,} parts, more than a Word document ever has"
            )
        total = 0
        for info in parts:
            total += _inflate(archive, info, limits, total)
    except DocumentError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, OSError):
        raise DocumentError("cannot read this .docx file (is it really a Word document?)") from None
    except (NotImplementedError, RuntimeError):  # an unknown compression method, or an encrypted part
        raise DocumentError(
            "cannot read this .docx file: its archive is encrypted or uses an unknown compression"
        ) from None


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, before: int) -> int:
    size = 0
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > RATIO_FLOOR and size > max(info.compress_size, 1) * limits.max_ratio:
                raise DocumentError(
                    f"cannot read this .docx: a part inflates more than {limits.max_ratio} times "
                    "its compressed size, like a zip bomb"
                )
            if size > limits.max_docx_part_bytes:
                raise DocumentError(
                    f"cannot read this .docx: a part inflates past the limit of "
                    f"{limits.max_docx_part_bytes:,} bytes, like a zip bomb"
                )
            if before + size > limits.max_docx_bytes:
                raise DocumentError(
                    f"cannot read this .docx: its parts inflate past the limit of "
                    f"{limits.max_docx_bytes:,} bytes, like a zip bomb"
                )
            window = tail + chunk
            if info.filename.endswith((".xml", ".rels")) and any(mark in window for mark in _DTD_MARKS):
                raise DocumentError(
                    "cannot read this .docx: its XML declares entities (a DOCTYPE), which Word never writes"
                )
            tail = window[-_TAIL:]
    return size


def from_docx(data: bytes, name: str, limits: Limits) -> RawDocument:
    check_archive(data, limits)
    import docx
    from lxml import etree

    # python-docx parses with lxml, resolve_entities=False and no network; the parts are already known small.
    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs: list[str] = []
        chars = 0
        for paragraph in document.paragraphs:
            paragraphs.append(paragraph.text)
            chars += len(paragraphs[-1]) + 2
            if chars > limits.max_chars:
                raise too_long(chars, limits, partial=True)
        title = document.core_properties.title or None
    except DocumentError:
        raise
    except etree.XMLSyntaxError:
        raise DocumentError("cannot read this .docx: its XML is malformed") from None
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise DocumentError("cannot read this .docx file (is it really a Word document?)") from None
    except Exception as exc:  # a damaged document can fail anywhere inside the library
        raise DocumentError(f"cannot read this .docx file ({exc.__class__.__name__})") from None
    return RawDocument(text="\n\n".join(paragraphs), name=name, title=title)
