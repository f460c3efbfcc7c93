"""kb: a bilingual literature knowledge base for the therapeutic-alliance field."""

__version__ = "0.1.0"

from kb.errors import KbError  # noqa: E402

__all__ = ["KbError", "__version__"]
