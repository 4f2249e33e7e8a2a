"""django-tables2 exports that a spreadsheet can open safely."""
from django_tables2.export import TableExport

from core.spreadsheet import csv_safe


class SafeTableExport(TableExport):
    """TableExport whose text cells never start a formula (= + - @), in CSV and in xlsx alike."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        safe = [tuple(csv_safe(cell) if isinstance(cell, str) else cell for cell in row) for row in dataset]
        headers = dataset.headers
        dataset.wipe()
        dataset.headers = headers
        dataset.extend(safe)
        return dataset
