"""The project's exceptions: one root class, a few subclasses that also inherit the builtin."""


class GeoError(Exception):
    """Root of every error this package raises on purpose."""


class DataValidationError(GeoError, ValueError):
    """Raised when a curated CSV in data/ breaks an invariant; lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class InputError(GeoError, ValueError):
    """Raised when a user's file cannot be used at all (empty, not text, no name column...)."""


class ProviderError(GeoError, RuntimeError):
    """Raised when an online geocoding provider cannot give an answer."""
