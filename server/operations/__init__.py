"""Running Suicha: backups and restores, the worker count rule."""
