"""Intake: reading plan documents (.txt, .docx, .pdf, .xlsx) into plans, sections and indicators.

``intake.parsing`` is pure (no Django): a file becomes a ``SourceDocument`` of blocks (paragraphs
and tables), which ``parse_document`` reads into a ``ParsedPlan``. ``intake.services`` writes a
parsed plan in one transaction; ``import_plan`` is the command line of the same pipeline.
"""
