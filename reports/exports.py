"""django-tables2 exports that a spreadsheet can open safely."""
from decimal import Decimal

from django_tables2.export import TableExport

from core.spreadsheet import PLAIN_NUMBER, csv_safe

TYPED_FORMATS = {"xlsx", "xls", "ods"}  # cells have types: a number is written as a number


class SafeTableExport(TableExport):
    """TableExport whose text cells never start a formula (= + - @), in CSV and in xlsx alike,
    whose plain numbers (``-3.5``) stay numbers: text in CSV, number cells in a workbook, and
    whose sheet is named by the table's ``export_title`` in the visitor's language."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        title = getattr(table, "export_title", None)
        if title and not (dataset_kwargs or {}).get("title"):
            dataset_kwargs = {**(dataset_kwargs or {}), "title": str(title)}  # not tablib's "Export Data"
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        typed = self.format in TYPED_FORMATS
        safe = [tuple(_cell(value, typed) for value in row) for row in dataset]
        headers = dataset.headers
        dataset.wipe()
        dataset.headers = headers
        dataset.extend(safe)
        return dataset


def _cell(value, typed: bool):
    if not isinstance(value, str):
        return value
    if typed and PLAIN_NUMBER.fullmatch(value):
        return Decimal(value)
    return csv_safe(value)
