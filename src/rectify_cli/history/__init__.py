"""Git as the audit trail: the ledger's history, read from git objects.

`..gitread` talks to git (one `log`, one `cat-file --batch`), `items` turns blobs
into comparable item values, `timeline` replays commits, and `audit`,
`semdiff`, `burndown` and `at` answer the questions people ask of a ledger's
history. Nothing here prints: commands render what these return.
"""
