"""Intake figures for ``manage.py bench``: how long a plan file takes from bytes to a parsed plan
(``intake.readers.read_document`` then ``intake.parsing.parse_document``), no database.

- ``intake_pdf_60p``: a PDF of at least 60 pages (the seed plans' text, repeated, wrapped at the
  page width, their key-indicator tables drawn with ruling lines), goal: under 30 s.
- ``intake_docx``: a .docx of the same text with native tables, goal: under 5 s.

Each is the median and p95 of ``REPEATS[scale]`` runs in its own process (after one warm-up run
when more than one). The
files are rendered by ``tests/intake/render_files.py``. ``benchmarks.runner.measure`` calls
``runner_figure``; ``python -m benchmarks.intake_figures NAME`` measures one.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "plans"
PAGES = 60
REPEATS = {"national": 5, "small": 1}  # small: one run, no warm-up (the CI smoke run of every figure)
GOALS = {"intake_pdf_60p": "parse ≤ 30 s (60-page PDF)", "intake_docx": "parse ≤ 5 s (large .docx)"}
LIMITS_S = {"intake_pdf_60p": 30, "intake_docx": 5}


def plan_text(copies: int) -> str:
    """The seed plans' text, ``copies`` times over: a long plan with chapters, tables and prose."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    return "\n".join(texts * copies)


def pdf_file(pages: int = PAGES) -> tuple[bytes, int]:
    """A PDF of at least ``pages`` pages and its page count."""
    import io

    import pdfplumber

    from intake.parsing import text_document
    from tests.intake.render_files import pdf_bytes

    copies = 1
    while True:
        data = pdf_bytes(text_document(plan_text(copies)))
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            count = len(pdf.pages)
        if count >= pages:
            return data, count
        copies = max(copies + 1, int(copies * pages / max(count, 1)) + 1)


def docx_file(copies: int = 3) -> tuple[bytes, int]:
    """A large .docx (the seed plans' text ``copies`` times) and its paragraph count."""
    from intake.parsing import text_document
    from tests.intake.render_files import docx_bytes

    document = text_document(plan_text(copies))
    return docx_bytes(document), len(document.blocks)


def measure(data: bytes, name: str, repeats: int) -> dict:
    from intake.parsing import parse_document
    from intake.readers import read_document

    times, parsed, warmup = [], None, int(repeats > 1)
    for run in range(repeats + warmup):
        started = time.perf_counter()
        parsed = parse_document(read_document(data, name))
        if run >= warmup:  # a first run warms imports and caches
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {"median_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1), "runs": len(times),
            "indicators": len(parsed.indicators), "bytes": len(data)}


def figure(name: str, scale: str = "national") -> dict:
    repeats = REPEATS.get(scale, REPEATS["national"])
    if name == "intake_pdf_60p":
        data, pages = pdf_file()
        return {**measure(data, "plan.pdf", repeats), "pages": pages}
    data, paragraphs = docx_file()
    return {**measure(data, "plan.docx", repeats), "paragraphs": paragraphs}


# ---------------------------------------------------------------------------------------------
# The bench runner


def runner_figure(name: str, scale: str, url: str) -> tuple[str, tuple]:
    """The figure measured in its own process, as ``benchmarks.runner.measure`` reports it: the
    printed line and the row of RESULTS.md."""
    from .runner import _run

    r = _run(["-m", "benchmarks.intake_figures", name, scale], url, 1800)
    unit = "pages" if "pages" in r else "paragraphs"
    line = (f"{name}: median_ms={r['median_ms']} p95_ms={r['p95_ms']} ref=n/a ratio=n/a runs={r['runs']} "
            f"{unit}={r[unit]} bytes={r['bytes']} indicators={r['indicators']}")
    met = r["p95_ms"] <= LIMITS_S[name] * 1000
    notes = f"{r[unit]} {unit}, {r['bytes']} bytes, {r['indicators']} indicators; {r['runs']} runs, no database"
    return line, (name, r["median_ms"], r["p95_ms"], "—", "—", "", notes, met)


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    sys.path.insert(0, str(ROOT))
    sys.stdout.write("\n" + json.dumps(figure(argv[0], argv[1] if len(argv) > 1 else "national")) + "\n")


if __name__ == "__main__":
    main()
