#!/usr/bin/env python3
"""Measure `twc-import validate` on a large Shopify-shaped CSV: peak memory and rows per second.

Generates the CSV in a temporary folder (nothing large is written into the
repository), runs `twc-import -q validate FILE -m shopify` several times in
fresh processes, and prints each run's wall time, rows per second and peak
resident memory, then the medians. Peak memory is the child's own
``ru_maxrss`` as returned by ``os.wait4``, so no extra tool is needed.

With --read-only it times the reading stage alone instead: every chunk of
the file, as the pipeline's passes read it, in this process.

Usage: python benchmarks/validate_large.py [--rows 2000000] [--runs 3] [--keep DIR] [--read-only]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "shopify_customers_export.csv"


def generate(path: Path, rows: int) -> None:
    """Write ``rows`` records built from the shipped sample, with unique IDs and emails."""
    with open(SAMPLE, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        templates = [record for record in reader if len(record) == len(header)]
    id_column, email_column = header.index("Customer ID"), header.index("Email")

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for number in range(rows):
            record = list(templates[number % len(templates)])
            record[id_column] = f"'{7000000000000 + number}"
            if "@" in record[email_column]:
                record[email_column] = f"customer{number}@example.com"
            writer.writerow(record)


def measure(command: list[str]) -> tuple[int, float, int]:
    """Run ``command``; return its exit status, wall seconds and peak RSS in bytes."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    return os.waitstatus_to_exitcode(status), elapsed, usage.ru_maxrss * 1024  # KiB on Linux


def time_reading(source: Path) -> tuple[int, float]:
    """Read every chunk of ``source``; return the records read and the seconds taken."""
    from importer.sources.inputs import resolve_inputs

    started = time.perf_counter()
    [item] = resolve_inputs([str(source)], source.parent)
    records = sum(len(chunk.frame) + len(chunk.malformed) for chunk in item.chunks())
    return records, time.perf_counter() - started


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    total = memory[1].split()[1] if len(memory) > 1 else "?"
    return f"{os.cpu_count()} cores (nproc), {total} memory (free -h), {cpu}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Generate into this folder and keep the files.")
    parser.add_argument("--read-only", action="store_true", help="Time the reading stage alone.")
    arguments = parser.parse_args()

    work = arguments.keep or Path(tempfile.mkdtemp(prefix="twc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"shopify_{arguments.rows}.csv"
    try:
        if not source.exists():
            started = time.perf_counter()
            generate(source, arguments.rows)
            print(f"Generated {source} ({source.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s")

        print("Machine:", machine())
        if arguments.read_only:
            for run in range(1, arguments.runs + 1):
                records, seconds = time_reading(source)
                print(f"read {run}: {records:,} records in {seconds:.1f} s, {records / seconds:,.0f} records/s")
            return

        twc_import = shutil.which("twc-import", path=str(Path(sys.executable).parent)) or "twc-import"
        command = [twc_import, "-q", "validate", str(source), "-m", "shopify", "-o", str(work / "run")]
        print("Command:", " ".join(command))
        results = []
        for run in range(1, arguments.runs + 1):
            shutil.rmtree(work / "run", ignore_errors=True)
            status, seconds, peak = measure(command)
            results.append((seconds, peak))
            print(
                f"run {run}: exit {status}, {seconds:.1f} s, {arguments.rows / seconds:,.0f} rows/s, "
                f"peak RSS {peak / 2**20:.0f} MiB"
            )
        seconds = statistics.median(result[0] for result in results)
        peak = statistics.median(result[1] for result in results)
        print(
            f"median of {arguments.runs}: {seconds:.1f} s, {arguments.rows / seconds:,.0f} rows/s, "
            f"peak RSS {peak / 2**20:.0f} MiB (highest {max(r[1] for r in results) / 2**20:.0f} MiB)"
        )
    finally:
        if not arguments.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
