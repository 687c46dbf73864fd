"""The HTTP edge: error mapping, authentication, guards, paging."""
