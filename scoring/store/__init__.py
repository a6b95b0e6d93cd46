"""Saved applications: the SQLite store of drafts and their versions, and the workspaces (local, passphrase or
signed-in) that own them. ``scoring.store.batches`` (saved selection batches of a city's 工信局 and per-workspace
preferences such as the role) is imported on its own: it needs ``scoring.selection``, which the drafts do not."""

from .drafts import AppRecord, ConflictError, NotFoundError, Store, StoreError
from .workspace import Settings, Workspace, WorkspaceError, load_settings, local_workspace

__all__ = ["AppRecord", "ConflictError", "load_settings", "local_workspace", "NotFoundError", "Settings", "Store",
           "StoreError", "Workspace", "WorkspaceError"]
