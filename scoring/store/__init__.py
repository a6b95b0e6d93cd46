"""Saved applications: the SQLite store of drafts and their versions, and the workspaces (local, passphrase or
signed-in) that own them."""
