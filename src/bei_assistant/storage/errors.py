"""The storage errors the CLI and UI answer with one line; free of the database layer, so that
commands that never touch a database need not load it to catch them."""


class StorageError(Exception):
    """A database that cannot be opened or used, said in one line."""


class NotFound(LookupError):
    """A session, turn or person that does not exist; the message says which."""
