"""Turning evaluated ledgers into text, JSON and documents; no terminal knowledge here."""
