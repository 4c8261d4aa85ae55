"""Pharmacovigilance: disproportionality signal detection over adverse-event report databases.

Pure Python (no Django). `signals.detect_signals(path)` reads a long table `id, var1, var2[, strata…]`,
counts with DuckDB (or PySpark), and computes PRR, ROR, BCPNN IC and MGPS EBGM/EB05/EB95 per pair.
`ingest` converts FAERS quarterly ASCII extracts and CAERS exports to that table. See
docs/pharmacovigilance.md.
"""
