"""Library errors on a bad file become a ``PlanImportError`` with a message saying what to do."""
from contextlib import contextmanager

from intake.parsing import PlanImportError


@contextmanager
def library_errors(message: str):
    """Any exception a parsing library raises inside the block becomes ``PlanImportError(message)``;
    a ``PlanImportError`` raised by the reader itself passes unchanged."""
    try:
        yield
    except PlanImportError:
        raise
    except Exception as error:  # noqa: BLE001 - a library's failure on a bad file, of any kind
        raise PlanImportError(message) from error
