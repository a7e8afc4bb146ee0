"""Spreadsheet and open-data importers: e호조 exports, 지방재정365, 지방재정연감 tables, the template.

``reader`` (safe XLSX/CSV reading) → ``profiles`` and ``header`` (which layout, which row, which column)
→ ``frame``/``longtable`` (a polars frame of cell texts: amounts parsed exactly, subtotal rows labelled,
checks as polars queries; ``csvfile`` for CSV of any size) → ``aggregate`` (the settlement and revenue
tables), ``adjustments`` (the ledger), ``wide`` (연감 tables), ``opendata`` (API JSON). Around them:
``codes`` (code lists by year), ``duck`` (DuckDB), ``reconcile`` (report vs export, XSRC), ``mapping``
and ``compare`` (year-on-year across reorganisations), ``template`` (the input workbook).
``gyeolsan.io.spreadsheet.import_spreadsheet`` is the entry point.
"""
