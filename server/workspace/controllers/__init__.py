"""Workspace page groups, one module each."""
