"""What the page scripts share: the current application in session state, saving and workspaces (persist),
演示模式 (workshop), formatting, the sidebar and the cached scoring (common)."""
