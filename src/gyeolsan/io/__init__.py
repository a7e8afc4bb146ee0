"""Importers and exporters, one module per format. Problems are reported as findings."""

from gyeolsan.io.errors import ImportResult, InputError
from gyeolsan.io.load import load_any

__all__ = ["ImportResult", "InputError", "load_any"]
