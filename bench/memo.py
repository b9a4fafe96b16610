"""Benchmark: generating the memo of a consultation with 5,000 remarks in each format.

    .venv/bin/python bench/memo.py [--remarks 5000] [--bodies 40]
    .venv/bin/python bench/memo.py --realistic [--remarks 5000] [--large 30000]

Builds the memo document and renders it as Markdown, HTML, .docx and PDF, printing the
time of each and the peak memory (tracemalloc) for a quarter, half and all of the
remarks, to show that memory grows linearly with the memo's size.

``--realistic``: the reference memo's own remarks and replies
(../shared/reference/hoeringsnotat-digitaliseringsprincipper-2024.md), repeated to
``--remarks`` remarks under its seven headings, one fifth of them in one campaign group
(one memo item with its count). Each format is rendered in a process of its own, which
prints its time and its peak resident memory (the whole process: Python, the app and the
document included). Targets: at 5,000 remarks Markdown, HTML and .docx ≤ 2 s, the tagged
PDF ≤ 30 s; at ``--large`` (30,000) remarks Markdown, HTML and .docx ≤ 15 s within
500 MiB.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hoering import create_app  # noqa: E402
from hoering.core.db import db  # noqa: E402
from hoering.memos.build import build_memo  # noqa: E402
from hoering.memos.document import Abbreviation, MemoDocument, MemoItem, MemoPart  # noqa: E402
from hoering.memos.formats import render  # noqa: E402
from tests.consultations.factories import consultation_with_remarks  # noqa: E402
from tests.consultations.reference import REFERENCE_DIR  # noqa: E402

FORMATS = ("md", "html", "docx", "pdf")
REFERENCE_MEMO = REFERENCE_DIR / "hoeringsnotat-digitaliseringsprincipper-2024.md"
CAMPAIGN_SHARE = 5  # one remark in five is a member of the campaign group
CAMPAIGN_TEXT = ("Vi protesterer mod, at digitale løsninger bliver den eneste vej til "
                 "kommunen. Der skal altid være en indgang for borgere uden netværk.")
TARGETS = {"md": 2.0, "html": 2.0, "docx": 2.0, "pdf": 30.0}
LARGE_TARGET_SECONDS, LARGE_TARGET_MIB = 15.0, 500


def measure(remarks: int, bodies: int) -> dict[str, tuple[float, float]]:
    """Seconds and peak MiB for building the document and for each format."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/m.sqlite3"})
        with app.app_context(), app.test_request_context():
            db.create_all()
            consultation = consultation_with_remarks(remarks, bodies)
            db.session.expire_all()
            results = {}
            # times first, without tracemalloc (it slows Python down several times)
            started = time.perf_counter()
            document = build_memo(consultation)
            build_seconds = time.perf_counter() - started
            seconds = {}
            for fmt in FORMATS:
                started = time.perf_counter()
                assert render(document, fmt)
                seconds[fmt] = time.perf_counter() - started
            # then the peak memory of building the document and of each rendering
            db.session.expire_all()
            tracemalloc.start()
            document = build_memo(consultation)
            results["build"] = (build_seconds, tracemalloc.get_traced_memory()[1] / 2**20)
            for fmt in FORMATS:
                tracemalloc.reset_peak()
                render(document, fmt)
                results[fmt] = (seconds[fmt], tracemalloc.get_traced_memory()[1] / 2**20)
            tracemalloc.stop()
            db.session.remove()
            db.engine.dispose()
    return results


# --- the realistic case: the reference memo's own texts ----------------------------

_BULLET = re.compile(r"^- (?P<text>.+?) ?\((?P<abbr>[A-ZÆØÅ]+)\)(?:\\\*)?\s*$")
_REPLY = re.compile(r"^\*Administrationens bemærkning(?:er)?: (?P<reply>.+)\*$")
_ABBREVIATION = re.compile(r"^(?P<abbr>[A-ZÆØÅ]{2,4}): (?P<name>.+)$")


def _plain(line: str) -> str:
    return line.lstrip("#").replace("**", "").strip().rstrip(":")


def reference_parts() -> tuple[list[MemoPart], list[Abbreviation]]:
    """The reference memo's seven headings with their remarks and replies, and its
    abbreviations, in its order."""
    parts: list[tuple[str, list[MemoItem]]] = []
    abbreviations: list[Abbreviation] = []
    for line in REFERENCE_MEMO.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith(("### ", "#### ")):
            parts.append((_plain(line), []))
        elif (bullet := _BULLET.match(line)) and parts:
            parts[-1][1].append(MemoItem(bullet["text"], bullet["abbr"], None))
        elif (reply := _REPLY.match(line)) and parts and parts[-1][1]:
            items = parts[-1][1]
            items[-1] = MemoItem(items[-1].text, items[-1].abbreviation, reply["reply"])
        elif (abbreviation := _ABBREVIATION.match(line)) and not parts:
            abbreviations.append(Abbreviation(abbreviation["abbr"], abbreviation["name"]))
    return [MemoPart(heading, tuple(items)) for heading, items in parts], abbreviations


def realistic_document(remarks: int) -> MemoDocument:
    """The reference's remarks repeated to ``remarks`` remarks: each heading keeps its
    share, and one remark in five belongs to one campaign group (the last heading's
    first item, with its count)."""
    parts, abbreviations = reference_parts()
    campaign = remarks // CAMPAIGN_SHARE
    singles = remarks - campaign
    originals = [(index, item) for index, part in enumerate(parts) for item in part.items]
    items: list[list[MemoItem]] = [[] for _ in parts]
    for n in range(singles):
        index, item = originals[n % len(originals)]
        items[index].append(item)
    if campaign:
        reply = "Administrationen noterer sig høringssvarene; der vil altid være en indgang."
        items[-1].insert(0, MemoItem(CAMPAIGN_TEXT, "Borger", reply, count=campaign))
    return MemoDocument(
        title="Notat om høring af de politiske principper for digitalisering i Ballerup "
              "Kommune",
        unit="Digitalisering", date=date(2024, 6, 8), draft=False, version=1,
        background=("Digitaliserings- og Teknologiudvalget (DTU) har igangsat en proces.",),
        responses_intro="Nedenfor er høringssvarene præsenteret efter om de omhandler "
                        "rammesætningen, et specifikt princip eller opmærksomhedspunkter.",
        abbreviations=tuple(abbreviations), municipality="Ballerup Kommune",
        responses_heading="Høringssvar fra politiske fagudvalg",
        parts=tuple(MemoPart(part.heading, tuple(own))
                    for part, own in zip(parts, items, strict=True)),
        further_work=("Når principperne er endeligt godkendte, udestår fortsat følgende:",),
        tasks=("Grafisk opsætning", "Implementering i organisationen"),
        further_work_after=("Administrationen udarbejder en plan for implementering.",),
    )


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure_one(fmt: str, remarks: int) -> dict[str, float]:
    """One format of the realistic memo, in this process: wall-clock and CPU seconds
    (CPU: what the rendering costs when other processes share the machine), peak RSS in
    MiB of the whole process, and the RSS before rendering (the document and the app)."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        document = realistic_document(remarks)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        data = render(document, fmt)
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mib": peak, "before_mib": before,
            "output_mib": len(data) / 2**20}


def realistic(remarks: int, large: int) -> None:
    runs = [(fmt, remarks) for fmt in FORMATS] + [(fmt, large) for fmt in FORMATS[:3]]
    print(f"{'format':<7}{'remarks':>8}{'wall':>9}{'CPU':>9}{'peak RSS':>12}{'before':>10}"
          f"{'output':>10}  target")
    for fmt, count in runs:
        out = subprocess.run(  # noqa: S603 (this script, with our own arguments)
            [sys.executable, __file__, "--one", fmt, "--remarks", str(count)],
            check=True, capture_output=True, text=True,
        ).stdout
        figures = json.loads(out.splitlines()[-1])
        if count == large:
            target = f"≤ {LARGE_TARGET_SECONDS:.0f} s, ≤ {LARGE_TARGET_MIB} MiB"
        else:
            target = f"≤ {TARGETS[fmt]:.0f} s"
        print(f"{fmt:<7}{count:>8}{figures['seconds']:>8.2f}s{figures['cpu_seconds']:>8.2f}s"
              f"{figures['peak_mib']:>8.0f} MiB"
              f"{figures['before_mib']:>6.0f} MiB{figures['output_mib']:>6.1f} MiB  {target}",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remarks", type=int, default=5000)
    parser.add_argument("--bodies", type=int, default=40)
    parser.add_argument("--realistic", action="store_true",
                        help="the reference memo's texts, each format in its own process")
    parser.add_argument("--large", type=int, default=30000,
                        help="with --realistic: the remarks of the large run (no PDF)")
    parser.add_argument("--one", choices=FORMATS, help=argparse.SUPPRESS)  # a subprocess
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.remarks)))
        return
    if args.realistic:
        realistic(args.remarks, args.large)
        return
    sizes = [args.remarks // 4, args.remarks // 2, args.remarks]
    table = {size: measure(size, args.bodies) for size in sizes}
    print(f"{'step':<6}" + "".join(f"{size:>10} remarks     " for size in sizes))
    for step in ("build", *FORMATS):
        row = "".join(
            f"{table[size][step][0]:>8.2f} s {table[size][step][1]:>7.1f} MiB" for size in sizes
        )
        print(f"{step:<6}{row}")
    worst = max(table[args.remarks][fmt][0] for fmt in FORMATS)
    print(f"slowest format at {args.remarks} remarks: {worst:.2f} s")


if __name__ == "__main__":
    main()
