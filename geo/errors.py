"""The project's exceptions: one root class, a few subclasses that also inherit the builtin."""


class GeoError(Exception):
    """Root of every error this package raises on purpose."""


class DataValidationError(GeoError, ValueError):
    """Raised when a curated CSV in data/ breaks an invariant; lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class InputError(GeoError, ValueError):
    """Raised when a user's file cannot be used at all (empty, not text, no name column...).

    The message is one of geo.i18n's texts (`key`, `values`) so that the dashboard can say it in
    French or English; str() is the English text, for the command line and logs.
    """

    def __init__(self, key: str, **values: object):
        self.key = key
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The message in "fr" or "en"."""
        from geo.i18n import t  # i18n is plain data; imported here to keep errors.py a leaf

        return t(self.key, lang, **self.values)


class ProviderError(GeoError, RuntimeError):
    """Raised when an online geocoding provider cannot give an answer."""
