"""The rules of Quyết định 26/2026/QĐ-UBND as plain Python.

Nothing in this package may import Flask, SQLAlchemy, RQ, Redis or WeasyPrint
(tests/domain/test_purity.py fails if it does): the rules are tested without an
app, a database or a queue, and every edge (views, API, jobs) calls them.
"""
