"""The app layer's own error: curated data in data/ that breaks an invariant."""

from geo.geocoding.errors import GeoError


class DataValidationError(GeoError, ValueError):
    """Raised when a curated CSV in data/ breaks an invariant; lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))
