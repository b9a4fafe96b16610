"""Benchmark: reading the 2024 Socialudvalget minutes (referat) as PDF, .docx and .odt.

    .venv/bin/python bench/read_documents.py [--runs 5]

Builds each file from ../shared/reference/referat-socialudvalget-2024-04-09.md with
the test factory (tests/document_factory.py; the PDF has 19 A4 pages, a running header,
"Side X af Y" footers, a bullet cut by a page break and a hyphenated word) and prints
the median seconds of ``read_document`` over the runs for each (target for the PDF: well
under 1 s; the whole minutes import must stay within 2 s), with the size of the file
and of the text read.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hoering.core.documents import UnreadableDocument, read_document  # noqa: E402
from tests import document_factory as factory  # noqa: E402


def build() -> dict[str, tuple[bytes, str]]:
    text = factory.referat_text(factory.REFERAT_2024)
    return {
        "pdf": (factory.referat_pdf(text, break_inside="Under princip nr. tre bør det",
                                    hyphenate="digitaliseringsstrategier"), "referat.pdf"),
        "docx": (factory.referat_docx(text), "referat.docx"),
        "odt": (factory.referat_odt(text), "referat.odt"),
    }


def median_seconds(content: bytes, filename: str, runs: int) -> float:
    read_document(content, filename)  # warm up: imports, pypdf's font tables
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        read_document(content, filename)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bomb_seconds(runs: int) -> tuple[int, float]:
    """(file size, median seconds) to refuse the 300 MB ``mimetype`` ODT bomb."""
    bomb = factory.odt_mimetype_bomb(300)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            read_document(bomb, "svar.odt")
        except UnreadableDocument:
            pass
        else:
            raise SystemExit("the bomb was read")
        times.append(time.perf_counter() - started)
    return len(bomb), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    for kind, (content, filename) in build().items():
        document = read_document(content, filename)
        pages = f"{document.pages} pages, " if document.pages else ""
        seconds = median_seconds(content, filename, runs)
        print(f"{kind:5} {seconds:.3f} s  (median of {runs}; {pages}{len(content) // 1024} KB "
              f"file, {len(document.text):,} characters of text)")
    size, seconds = bomb_seconds(runs)
    print(f"bomb  {seconds * 1000:.2f} ms to refuse a {size // 1024} KB .odt whose mimetype "
          f"inflates to 300 MB (median of {runs})")


if __name__ == "__main__":
    main()
