"""Reading an untrusted zip archive (an uploaded .docx or .odt, imported minutes) with
bounds: nothing is ever inflated without a limit.

A zip bomb is a small file whose members inflate to gigabytes (a 300 KB ``mimetype``
that is 300 MB of zeros), or whose central directory lists hundreds of thousands of
entries. ``open_archive`` refuses an archive whose end record announces too many entries
or too large a directory (read before ``zipfile`` builds a ZipInfo per entry), whose
members declare absurd sizes or compression ratios, or that needs ZIP64 (no document of
a few MB does). ``read_member`` reads at most ``limit`` bytes of one member, whatever
its header claims; ``iter_member`` streams a larger one in chunks under the same cap.

Usage::

    with open_archive(content) as archive:
        names = set(archive.namelist())
        mimetype = read_member(archive, "mimetype", 128)

Everything refused raises ``UnsafeArchive``; a file that is not a zip at all raises
``zipfile.BadZipFile`` as before.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterator

MAX_MEMBERS = 1000  # a .docx or .odt has tens
MAX_DIRECTORY_BYTES = 1024 * 1024
MAX_MEMBER_BYTES = 100 * 1024 * 1024  # declared, inflated
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # declared, inflated, all members together
MAX_RATIO = 200  # inflated / compressed; XML rarely passes 20, a bomb reaches 1000
RATIO_FLOOR = 1024 * 1024  # members inflating to less than this may compress any amount
CHUNK_BYTES = 64 * 1024

_END_RECORD = struct.Struct("<4s4H2LH")  # the end of central directory record
_END_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
# Inflated with a bound by zipfile; bzip2 and LZMA members are inflated a whole
# compressed chunk at a time, which a few KB can turn into gigabytes.
_BOUNDED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class UnsafeArchive(Exception):
    """The archive is refused unread: too many entries, a member too large or
    compressed too well, or more in a member than its limit."""


def _end_record(content: bytes) -> tuple[int, int, bool]:
    """(entries, directory size, ZIP64) from the end record, found the way ``zipfile``
    finds it: at the very end, else the last one within a comment's reach; ZIP64 when a
    ZIP64 locator stands before it (``zipfile`` then takes the ZIP64 record's counts)."""
    start = len(content) - _END_RECORD.size
    if start < 0:
        raise zipfile.BadZipFile("too short for a zip file")
    if content[start:start + 4] != _END_SIGNATURE or content[-2:] != b"\0\0":
        start = content.rfind(_END_SIGNATURE, max(0, start - (1 << 16)))
        if start < 0 or start + _END_RECORD.size > len(content):
            raise zipfile.BadZipFile("no end of central directory record")
    fields = _END_RECORD.unpack_from(content, start)
    zip64 = content[max(0, start - _ZIP64_LOCATOR_SIZE):start].startswith(_ZIP64_LOCATOR)
    return fields[4], fields[5], zip64


def check_announced(content: bytes) -> None:
    """Refuse an archive whose end record announces too many entries, too large a
    central directory, or ZIP64 (no document of a few MB needs it)."""
    entries, directory_size, zip64 = _end_record(content)
    if zip64 or entries >= 0xFFFF or directory_size >= 0xFFFFFFFF:
        raise UnsafeArchive("ZIP64 archive")
    if entries > MAX_MEMBERS:
        raise UnsafeArchive(f"{entries} entries")
    if directory_size > MAX_DIRECTORY_BYTES:
        raise UnsafeArchive(f"central directory of {directory_size} bytes")


def check_members(archive: zipfile.ZipFile, *, max_member_bytes: int = MAX_MEMBER_BYTES,
                  max_total_bytes: int = MAX_TOTAL_BYTES) -> None:
    """Refuse an archive with too many members, members compressed other than stored
    or deflated (or encrypted), or members whose declared sizes are absurd: too large,
    all together too large, or compressed beyond ``MAX_RATIO``. (A member that declares
    less than it holds is caught while it is read.) A caller may pass tighter size
    limits than the defaults."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnsafeArchive(f"{len(infos)} entries")
    total = 0
    for info in infos:
        if info.compress_type not in _BOUNDED_METHODS or info.flag_bits & 0x1:
            raise UnsafeArchive(f"{info.filename!r}: compression {info.compress_type} "
                                "or encrypted")
        if info.file_size > max_member_bytes:
            raise UnsafeArchive(f"{info.filename!r} inflates to {info.file_size} bytes")
        if info.file_size > RATIO_FLOOR and (
                info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise UnsafeArchive(f"{info.filename!r} compressed too well")
        total += info.file_size
    if total > max_total_bytes:
        raise UnsafeArchive(f"members inflate to {total} bytes")


def open_archive(content: bytes, *, max_member_bytes: int = MAX_MEMBER_BYTES,
                 max_total_bytes: int = MAX_TOTAL_BYTES) -> zipfile.ZipFile:
    """The archive in ``content``, checked (``check_announced``, ``check_members``, with
    the size limits given); use it as a context manager."""
    check_announced(content)
    archive = zipfile.ZipFile(io.BytesIO(content))
    try:
        check_members(archive, max_member_bytes=max_member_bytes,
                      max_total_bytes=max_total_bytes)
    except BaseException:
        archive.close()
        raise
    return archive


def iter_member(archive: zipfile.ZipFile, name: str, limit: int,
                chunk: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The member ``name`` in chunks of at most ``chunk`` bytes; ``UnsafeArchive`` as
    soon as it declares, or turns out to hold, more than ``limit`` bytes. KeyError if
    there is no such member."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise UnsafeArchive(f"{name!r} declares {info.file_size} bytes, limit {limit}")
    read = 0
    with archive.open(info) as stream:
        while True:
            data = stream.read(min(chunk, limit - read + 1))
            if not data:
                return
            read += len(data)
            if read > limit:
                raise UnsafeArchive(f"{name!r} holds more than {limit} bytes")
            yield data


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """The member ``name``, at most ``limit`` bytes (``UnsafeArchive`` beyond)."""
    return b"".join(iter_member(archive, name, limit))
