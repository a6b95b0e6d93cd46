"""Saved applications: the SQLite store of drafts and their versions, and the workspaces (local, passphrase or
signed-in) that own them."""

from .drafts import AppRecord, ConflictError, NotFoundError, Store, StoreError
from .workspace import Settings, Workspace, WorkspaceError, load_settings, local_workspace

__all__ = ["AppRecord", "ConflictError", "load_settings", "local_workspace", "NotFoundError", "Settings", "Store",
           "StoreError", "Workspace", "WorkspaceError"]
