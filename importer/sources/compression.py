"""Open the bytes of an input: a plain file, a gzip file, or a member of a zip archive.

A zip archive is a set of inputs: a Mailchimp audience export, for example,
is a zip of three CSV files. Every member becomes an input of its own, named
``archive.zip!member.csv`` in messages and reports. An Excel workbook is a
zip archive too, and is read whole.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from importer.sources.errors import SourceError

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
MEMBER_SEPARATOR = "!"
BUFFER_SIZE = 1 << 20

# Members that archivers add beside the real files.
_IGNORED_MEMBER_PREFIXES = ("__MACOSX/",)
_IGNORED_MEMBER_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass(frozen=True)
class Source:
    """One stream of bytes to read."""

    name: str
    path: Path
    member: str | None = None
    gzipped: bool = False

    @property
    def inner_name(self) -> str:
        """Return the file name that shows the format: the member's, or the path's without ``.gz``."""
        if self.member is not None:
            return PurePosixPath(self.member).name
        if self.gzipped and self.path.suffix.lower() == ".gz":
            return self.path.stem
        return self.path.name

    @property
    def size(self) -> int:
        """Return the number of bytes ``OpenedSource.bytes_read`` counts up to."""
        if self.member is not None:
            with zipfile.ZipFile(self.path) as archive:
                return archive.getinfo(self.member).file_size
        return self.path.stat().st_size

    def open(self) -> OpenedSource:
        return OpenedSource(self)


class _CountingReader(io.RawIOBase):
    """Pass reads through and count the bytes."""

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self._raw.readinto(buffer)
        self.count += count
        return count


class OpenedSource:
    """The decompressed bytes of a source, and how many bytes of it were read so far."""

    def __init__(self, source: Source):
        self._closables: list = []
        try:
            self.stream = self._open(source)
        except BaseException:
            self.close()
            raise

    def _open(self, source: Source) -> BinaryIO:
        if source.member is not None:
            archive = zipfile.ZipFile(source.path)
            self._closables.append(archive)
            try:
                member = archive.open(source.member)
            except (RuntimeError, NotImplementedError) as exc:  # encrypted, or an unsupported compression method
                raise SourceError(
                    f"{source.name}: the member cannot be opened ({exc}); extract the archive and give the file itself."
                ) from exc
            self._closables.append(member)
            self._counter = _CountingReader(member)
            return io.BufferedReader(self._counter, BUFFER_SIZE)

        raw = open_file(source.path, source.name)
        self._closables.append(raw)
        self._counter = _CountingReader(raw)
        counted = io.BufferedReader(self._counter, BUFFER_SIZE)
        if source.gzipped:
            return gzip.GzipFile(fileobj=counted, mode="rb")
        return counted

    @property
    def bytes_read(self) -> int:
        return self._counter.count

    def close(self) -> None:
        for closable in reversed(self._closables):
            closable.close()
        self._closables.clear()

    def __enter__(self) -> OpenedSource:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def open_file(path: Path, name: str) -> BinaryIO:
    """Open a file for reading bytes; on failure, raise SourceError naming what to check."""
    try:
        return open(path, "rb", buffering=0)
    except FileNotFoundError:
        raise SourceError(f"{name}: file not found; check the path.") from None
    except IsADirectoryError:
        raise SourceError(f"{name}: is a folder; give the export file itself.") from None
    except PermissionError:
        raise SourceError(f"{name}: permission denied; check the file's permissions.") from None


def expand_sources(name: str, path: Path) -> list[Source]:
    """Return the sources in a file: itself, or each member of a zip archive that is not a workbook."""
    with open_file(path, name) as handle:
        magic = handle.read(4)
    if magic.startswith(GZIP_MAGIC):
        return [Source(name, path, gzipped=True)]
    if not magic.startswith(ZIP_MAGICS):
        return [Source(name, path)]

    try:
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{name}: the zip archive cannot be read ({exc}); download or export it again.") from exc
    names = [info.filename for info in members]
    if is_workbook(names):
        return [Source(name, path)]

    sources = [
        Source(f"{name}{MEMBER_SEPARATOR}{member}", path, member=member)
        for member in names
        if not member.startswith(_IGNORED_MEMBER_PREFIXES)
        and PurePosixPath(member).name not in _IGNORED_MEMBER_NAMES
    ]
    if not sources:
        raise SourceError(f"{name}: the zip archive contains no files; export it again.")
    return sources


def is_workbook(member_names: list[str]) -> bool:
    """Tell whether the names of a zip archive's members are those of an Excel workbook."""
    return "[Content_Types].xml" in member_names and any(
        member.startswith("xl/workbook") for member in member_names
    )
