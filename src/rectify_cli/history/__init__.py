"""Git as the audit trail: the ledger's history, read from git objects.

`..gitread` talks to git (one `log`, one `cat-file --batch`), `items` turns blobs
into comparable item values (read by the one reader, see `versions`),
`timeline` replays commits, and `audit`, `semdiff` and `burndown` answer the
questions people ask of a ledger's history. Nothing here prints: commands render what these return.
"""
