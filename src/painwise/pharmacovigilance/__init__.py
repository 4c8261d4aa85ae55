"""Researcher pages for pharmacovigilance signal detection (the computation lives in painwise.core.pv)."""
