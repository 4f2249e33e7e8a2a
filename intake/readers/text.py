"""A text file (.txt, pasted text) as blocks: decoded (UTF-8/UTF-16/GBK) and read by the text path;
the decoder's notice (the file was GBK) becomes a document warning."""
import warnings

from intake.parsing import PlanEncodingWarning, SourceDocument, decode_plan_bytes, text_document


def read_text(data: bytes) -> SourceDocument:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanEncodingWarning)
        text = decode_plan_bytes(data)
    notices = tuple(str(w.message) for w in caught if issubclass(w.category, PlanEncodingWarning))
    return text_document(text, warnings=notices)
