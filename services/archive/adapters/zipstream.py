"""A ZIP written as it is sent: each file is read from storage in chunks and passed on, so a domain's
thousands of scans leave the server without being held in memory or on disk."""
from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from typing import Callable

CHUNK = 256 * 1024


class _Pipe:
    """A write-only, unseekable file whose writes the generator below hands on."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def stream_zip(entries: Iterable[tuple[str, Callable[[], Iterator[bytes]]]]) -> Iterator[bytes]:
    """Yield the ZIP of `entries` (name, a function giving the content's chunks) piece by piece."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", zipfile.ZIP_STORED, allowZip64=True) as package:
        for name, chunks in entries:
            with package.open(name, "w", force_zip64=True) as member:
                for chunk in chunks():
                    member.write(chunk)
                    if pipe.position and len(pipe.chunks) > 16:
                        yield pipe.take()
            yield pipe.take()
    yield pipe.take()
