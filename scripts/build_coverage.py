"""Build data/coverage/coverage.csv: the share of each région's and département's population
living inside a labelled territory's perimeter (geo.domain.coverage), from the shipped perimeters and
the gazetteer's commune populations. Run from the repository root: python scripts/build_coverage.py
"""

from __future__ import annotations

from geo.domain.coverage import COVERAGE_FILE, coverage_table
from geo.domain.territories import load_placed


def main() -> None:
    table = coverage_table(load_placed().placed)
    COVERAGE_FILE.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(COVERAGE_FILE, index=False, lineterminator="\n")
    regions = table[table["level"] == "region"]
    print(
        f"wrote {COVERAGE_FILE}: {len(regions)} régions, {len(table) - len(regions)} départements"
    )
    for row in regions.itertuples():
        print(
            f"  {row.code} {row.name}: {row.covered_pct} % (+{row.approximate_pct} % approximate)"
        )


if __name__ == "__main__":
    main()
