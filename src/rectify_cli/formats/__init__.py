"""Ledger formats: the rows people keep in Excel, and calendars, in and out.

Core code only: every function returns text or bytes (or plain data) and
never touches the terminal; `cli/report.py` decides where it goes.
"""
