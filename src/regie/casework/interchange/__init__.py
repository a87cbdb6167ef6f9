"""The interchange format (docs/import-format.md): all-or-nothing import and lossless export of a municipality."""

from .exporter import export_file, export_records
from .importer import ImportRefused, ImportReport, LineError, import_file, import_work, validate_file

__all__ = [
    "ImportRefused",
    "ImportReport",
    "LineError",
    "export_file",
    "export_records",
    "import_file",
    "import_work",
    "validate_file",
]
