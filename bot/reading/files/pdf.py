"""Reading PDF files with pypdf: the page count and the text gathered are bounded here."""

from __future__ import annotations

import io

from bot.reading.files.base import DocumentError, Limits, RawDocument, too_long


def from_pdf(data: bytes, name: str, limits: Limits) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    # pypdf bounds what one stream may inflate to; the page count and the text gathered are bounded here.
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("this PDF is encrypted; send a copy without a password")
        count = len(reader.pages)
        if count > limits.max_pdf_pages:
            raise DocumentError(f"this PDF has {count:,} pages, over the limit of {limits.max_pdf_pages:,} pages")
        pages: list[str] = []
        chars = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            chars += len(pages[-1]) + 2
            if chars > limits.max_chars:
                raise too_long(chars, limits, partial=True)
        info = reader.metadata
        title = str(info.title).strip() if info and info.title else None
    except DocumentError:
        raise
    except FileNotDecryptedError:
        raise DocumentError("this PDF is encrypted; send a copy without a password") from None
    except Exception as exc:  # a damaged PDF can fail anywhere inside the library
        raise DocumentError(f"cannot read this PDF ({exc.__class__.__name__})") from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise DocumentError("this PDF has no text layer (a scan?); send a text PDF or the article's text")
    return RawDocument(text=text, name=name, title=title)
