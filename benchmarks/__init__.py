"""Benchmarks at national scale, each figure beside its reference (issue 6, DESIGN.md §8).

    python manage.py bench [--scale small|national] [--only NAME] [--database-url URL] [--keep-data]

``generate`` builds the synthetic data, ``figures`` measures one figure at a time (each in its own
process, so memory peaks are separate), ``runner`` drives both and writes ``RESULTS.md``.
"""
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/guihua_bench"
