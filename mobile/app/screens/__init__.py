"""One module + one kv file per screen; see `mobile.app.lazy.SCREENS`."""
