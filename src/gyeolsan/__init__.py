"""gyeolsan — 세입·세출 결산 (Korean local-government budget settlement): import, check, report."""

__version__ = "0.1.0"
