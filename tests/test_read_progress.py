"""Progress of the reading stage: what the pipeline reports, and the log line without a terminal."""

import logging
from pathlib import Path

from importer.pipeline import RunOptions, run_validate
from importer.sources.progress import LogProgress

DATA = Path(__file__).parent / "data"


class RecordingProgress:
    """Keeps every progress call, to compare with literal lists."""

    def __init__(self):
        self.calls = []

    def start(self, task, name, total_bytes):
        self.calls.append(("start", task, Path(name).name, total_bytes))

    def advance(self, rows, bytes_read):
        self.calls.append(("advance", rows, bytes_read))

    def finish(self):
        self.calls.append(("finish",))


def test_run_reports_both_passes_by_chunk(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("fields:\n  email: a\n")
    progress = RecordingProgress()
    options = RunOptions("validate", (str(DATA / "ragged.csv"),), str(mapping), out_dir=tmp_path / "run", chunk_size=2)

    run_validate(options, progress)

    size = (DATA / "ragged.csv").stat().st_size
    assert progress.calls == [
        ("start", "Checking keys in", "ragged.csv", size),
        ("advance", 2, size),
        ("advance", 2, size),
        ("finish",),
        ("start", "Validating", "ragged.csv", size),
        ("advance", 2, size),
        ("advance", 2, size),
        ("finish",),
    ]


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_log_line_at_a_fixed_interval(caplog):
    clock = FakeClock()
    progress = LogProgress(interval=10, clock=clock)
    caplog.set_level(logging.INFO, logger="importer.sources.progress")

    progress.start("Validating", "shop.csv", 4_000_000)
    clock.now += 4
    progress.advance(50_000, 1_000_000)
    clock.now += 6
    progress.advance(50_000, 2_000_000)
    clock.now += 5
    progress.advance(50_000, 3_000_000)
    clock.now += 5
    progress.advance(50_000, 4_000_000)

    assert [record.getMessage() for record in caplog.records] == [
        "Validating shop.csv: 100,000 rows, 10,000 rows/s, 2.0 MB of 4.0 MB read, about 10 s left",
        "Validating shop.csv: 200,000 rows, 10,000 rows/s, 4.0 MB of 4.0 MB read",
    ]


def test_quiet_shows_no_progress():
    from importer.cli_reading import make_progress
    from importer.sources.progress import NullProgress

    assert isinstance(make_progress(quiet=True), NullProgress)


def test_log_progress_without_a_terminal():
    from importer.cli_reading import make_progress

    assert isinstance(make_progress(quiet=False), LogProgress)
