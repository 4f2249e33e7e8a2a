"""Pure parsing of plan documents, split by job: ``decode`` (bytes → text), ``lines`` (cleaning,
joining broken lines), ``tables`` (tables in extracted text, in the ``layouts`` extraction
gives, read with the ``header`` and ``cells`` helpers), ``indicators`` (table rows →
indicators, flagged where a cell cannot be read), ``outline`` (headings → section tree), ``text`` (text → blocks), ``document``
(blocks → parsed plan), ``serialize`` (parsed plan → JSON). No Django import anywhere here."""
from .decode import decode_plan_bytes
from .document import MISSING_TITLE, clean_text, document_text, parse_document, parse_text
from .model import (
    Flag,
    Paragraph,
    ParsedIndicator,
    ParsedPlan,
    ParsedSection,
    PlanEncodingWarning,
    PlanImportError,
    PlanMetadata,
    ProposedIndicator,
    SourceDocument,
    Table,
)
from .serialize import to_json
from .text import text_document

__all__ = [
    "MISSING_TITLE", "Flag", "Paragraph", "ParsedIndicator", "ParsedPlan", "ParsedSection",
    "PlanEncodingWarning", "PlanImportError", "PlanMetadata", "ProposedIndicator", "SourceDocument",
    "Table", "clean_text", "decode_plan_bytes", "document_text", "parse_document", "parse_text",
    "text_document", "to_json",
]
