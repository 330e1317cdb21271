"""Problem counts by code and by field, and the first examples of each code.

The tally feeds report.html and the terminal summary. It keeps at most
``MAX_EXAMPLES`` examples per code, so its memory does not grow with the run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from importer.reports.redact import Redactor
from importer.validation.problems import Problem

MAX_EXAMPLES = 20
ROW_FIELD = "(whole row)"


@dataclass(frozen=True)
class Example:
    """One problem as shown in the report: where it is, the field, the value and the message."""

    source: str
    line: int
    field: str
    value: str
    message: str


@dataclass
class ProblemTally:
    """Counts and examples of every problem reported in a run."""

    redactor: Redactor = field(default_factory=Redactor)
    by_code: Counter = field(default_factory=Counter)
    by_field: Counter = field(default_factory=Counter)
    examples: dict[str, list[Example]] = field(default_factory=dict)

    def add(self, source: str, line: int, problems: list[Problem]) -> None:
        for problem in problems:
            self.by_code[problem.code] += 1
            self.by_field[problem.field or ROW_FIELD] += 1
            examples = self.examples.setdefault(problem.code, [])
            if len(examples) < MAX_EXAMPLES:
                shown = self.redactor.problem(problem)
                examples.append(Example(source, line, problem.field or ROW_FIELD, shown.value, shown.message))
