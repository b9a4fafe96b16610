"""Reading untrusted zip archives with bounds (hoering.core.bounded_zip): real zip
bombs, made here, are refused without being inflated; so are members that hold more
than they declare, too many entries, and compression methods zipfile inflates without
a bound. Ordinary documents read as before. Touches no database."""

from __future__ import annotations

import contextlib
import io
import struct
import tracemalloc
import zipfile

import pytest

from hoering.core import bounded_zip
from hoering.core.bounded_zip import UnsafeArchive, iter_member, open_archive, read_member
from hoering.core.documents import TOO_LARGE, UnreadableDocument
from hoering.public.files import ODT, detect_media_type
from tests.public.factories import docx_bytes, odt_bytes

MB = 1024 * 1024


def _deflated_zeros(name: str, megabytes: int, *, extra: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as member:
            for _ in range(megabytes):
                member.write(bytes(MB))
        for other, text in (extra or {}).items():
            archive.writestr(other, text)
    return buffer.getvalue()


def _declaring(content: bytes, name: str, size: int) -> bytes:
    """``content`` with the member ``name`` declaring ``size`` inflated bytes, in its
    local header and in the central directory (the data stays as it is)."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(name)
        entry = archive.start_dir
    struct.pack_into("<L", data, info.header_offset + 22, size)  # local header
    while data[entry:entry + 4] == b"PK\x01\x02":  # the central directory's entries
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, entry + 28)
        if bytes(data[entry + 46:entry + 46 + name_length]) == name.encode():
            struct.pack_into("<L", data, entry + 24, size)
            return bytes(data)
        entry += 46 + name_length + extra_length + comment_length
    raise AssertionError("no central directory entry")


def _peak_growth(action) -> int:
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with contextlib.suppress(UnsafeArchive, UnreadableDocument, zipfile.BadZipFile):
            action()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_a_mimetype_bomb_is_refused_before_anything_is_inflated():
    bomb = _deflated_zeros("mimetype", 300, extra={"content.xml": "<x/>"})
    assert len(bomb) < 400 * 1024
    with pytest.raises(UnreadableDocument) as refused:
        detect_media_type(bomb)
    assert refused.value.code == TOO_LARGE
    assert _peak_growth(lambda: detect_media_type(bomb)) < 5 * MB


def test_a_member_that_lies_about_its_size_is_read_only_as_far_as_the_limit():
    """The bomb declares 39 bytes: the ratio check cannot see it, the read stops."""
    bomb = _declaring(_deflated_zeros("mimetype", 300, extra={"content.xml": "<x/>"}),
                      "mimetype", 39)
    assert _peak_growth(lambda: detect_media_type(bomb)) < 5 * MB
    assert detect_media_type(bomb) is None  # not an ODT (and its CRC fails)

    big = _declaring(_deflated_zeros("word/document.xml", 300), "word/document.xml", 100)
    with open_archive(big) as archive:
        growth = _peak_growth(lambda: read_member(archive, "word/document.xml", 10 * MB))
    assert growth < 15 * MB


def test_a_member_is_streamed_in_chunks_under_its_limit():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:p/>" * 100_000)  # 600 KB
    with open_archive(buffer.getvalue()) as archive:
        with pytest.raises(UnsafeArchive, match="declares"):
            read_member(archive, "word/document.xml", 100)
        chunks = list(iter_member(archive, "word/document.xml", MB, chunk=64 * 1024))
    assert all(len(c) <= 64 * 1024 for c in chunks)
    assert b"".join(chunks) == b"<w:p/>" * 100_000


def test_too_many_entries_are_refused_before_zipfile_reads_them(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(bounded_zip.MAX_MEMBERS + 1):
            archive.writestr(f"x/{n}", "")
    constructed = []
    monkeypatch.setattr(bounded_zip.zipfile, "ZipFile",
                        lambda *a, **k: constructed.append(1) or zipfile.ZipFile(*a, **k))
    with pytest.raises(UnsafeArchive, match="entries"):
        open_archive(buffer.getvalue())
    assert constructed == []


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_methods_inflated_without_a_bound_are_refused(method):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        archive.writestr("mimetype", ODT)
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(UnsafeArchive):
        open_archive(buffer.getvalue())


def test_too_well_compressed_or_too_large_members_are_refused():
    with pytest.raises(UnsafeArchive, match="compressed too well"):
        open_archive(_deflated_zeros("word/document.xml", 20))
    fine = _deflated_zeros("word/media/image.bin", 1)  # 1 MB of zeros: under the floor
    with open_archive(fine) as archive:
        assert archive.namelist() == ["word/media/image.bin"]


def test_ordinary_documents_and_broken_zips_read_as_before():
    assert detect_media_type(odt_bytes()) == ODT
    assert detect_media_type(docx_bytes()).endswith("wordprocessingml.document")
    assert detect_media_type(b"PK\x03\x04 not really a zip") is None
    with open_archive(odt_bytes()) as archive:
        assert read_member(archive, "mimetype", 128) == ODT.encode()
        with pytest.raises(KeyError):
            read_member(archive, "missing", 128)
