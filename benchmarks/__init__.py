"""Benchmarks of Carte ESS: speed, size and memory, each beside a baseline measured in the same run.

Run ``python -m benchmarks`` (``--quick`` for a run of a few minutes, ``--json`` for a JSON line),
or ``python -m benchmarks load --sessions 20 --actions 10`` for the load test alone. Benchmarks
are not tests: nothing here asserts a timing; each figure is printed beside its target.
"""
