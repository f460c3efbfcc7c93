"""The kb exception tree: everything a user may be told about, as one-line messages."""


class KbError(Exception):
    """Raised when kb cannot do what was asked; the message is shown to the user as is."""


class LoadError(KbError):
    """Raised when a file cannot be read as a document (corrupt, encrypted, empty, no text layer...)."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class TaxonomyError(KbError):
    """Raised when a taxonomy file is malformed; names the file, the line and the concept when known."""


class KbIndexError(KbError):
    """Raised when the index is missing, locked, or was built by an incompatible kb."""


class QueryError(KbError):
    """Raised when a query cannot be parsed or names an unknown concept or filter."""


class MetadataError(KbError):
    """Raised when a BibTeX, RIS or CSL-JSON file cannot be read."""
