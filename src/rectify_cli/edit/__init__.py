"""Editing the ledger from the command line without damaging a single byte.

`yamledit` splices text at node marks (no re-emitting), `actions` and
`scaffold` decide what to change, `ledger` judges the result against the
whole repository, `atomic` writes, `commit` records it in git, `lock` keeps
a second edit of the repository out meanwhile, and `session` runs those steps
in that order. No terminal code lives here.
"""
