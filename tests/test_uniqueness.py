import numpy as np
import pandas as pd
import pytest

from importer.validation import uniqueness
from importer.validation.uniqueness import DuplicateFinder

FIRST = pd.DataFrame({"email": ["ann@example.com", "bob@example.com", None], "customerRef": ["1", "2", "3"]}, dtype=object)
SECOND = pd.DataFrame({"email": ["ann@example.com", "cat@example.com", "ann@example.com"], "customerRef": ["4", "2", "5"]}, dtype=object)


def finder(tmp_path, policy):
    duplicates = DuplicateFinder(tmp_path, ["a.csv", "b.csv"], policy)
    duplicates.add(FIRST, 0, [2, 3, 4])
    duplicates.add(SECOND, 1, [2, 6, 9])
    duplicates.finish()
    return duplicates


def codes(problems):
    return {position: [(problem.code, problem.message) for problem in items] for position, items in problems.items()}


def test_reject_policy_names_other_lines_across_files(tmp_path):
    duplicates = finder(tmp_path, "reject")

    assert codes(duplicates.find_problems(FIRST, 0, [2, 3, 4])) == {
        0: [("duplicate-email", "email 'ann@example.com' is also on lines 2, 9 of b.csv; every row sharing it is rejected. Remove the extra rows, or set duplicates: keep-first or keep-last in the mapping.")],
        1: [("duplicate-customer-ref", "customerRef '2' is also on line 6 of b.csv; every row sharing it is rejected. Remove the extra rows, or set duplicates: keep-first or keep-last in the mapping.")],
    }
    assert list(duplicates.find_problems(SECOND, 1, [2, 6, 9])) == [0, 2, 1]


def test_keep_first_keeps_earliest(tmp_path):
    duplicates = finder(tmp_path, "keep-first")

    assert duplicates.find_problems(FIRST, 0, [2, 3, 4]) == {}
    assert codes(duplicates.find_problems(SECOND, 1, [2, 6, 9])) == {
        0: [("duplicate-email", "email 'ann@example.com' is already on line 2 of a.csv, which is imported instead (duplicates: keep-first).")],
        2: [("duplicate-email", "email 'ann@example.com' is already on line 2 of a.csv, which is imported instead (duplicates: keep-first).")],
        1: [("duplicate-customer-ref", "customerRef '2' is already on line 3 of a.csv, which is imported instead (duplicates: keep-first).")],
    }


def test_keep_last_keeps_latest(tmp_path):
    duplicates = finder(tmp_path, "keep-last")

    assert sorted(duplicates.find_problems(FIRST, 0, [2, 3, 4])) == [0, 1]
    assert sorted(duplicates.find_problems(SECOND, 1, [2, 6, 9])) == [0]


def test_partition_files_removed_after_finish(tmp_path):
    finder(tmp_path, "reject")

    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("size", [1, 50_000])
def test_no_false_duplicates(tmp_path, size):
    keys = pd.DataFrame({"email": [f"user{number}@example.com" for number in range(size)]}, dtype=object)
    duplicates = DuplicateFinder(tmp_path, ["a.csv"], "reject")
    duplicates.add(keys, 0, list(range(2, size + 2)))
    duplicates.finish()

    assert duplicates.find_problems(keys, 0, list(range(2, size + 2))) == {}


def colliding_hash(keys):
    """Give every key the same two hashes, as a worst-case collision would."""
    same = np.zeros(len(keys), dtype=np.uint64)
    return same, same.copy()


def test_hash_collision_is_not_a_duplicate(tmp_path, monkeypatch):
    monkeypatch.setattr(uniqueness, "_hash", colliding_hash)
    keys = pd.DataFrame({"email": ["ann@example.com", "bob@example.com", "ann@example.com", "cat@example.com"]}, dtype=object)
    duplicates = DuplicateFinder(tmp_path, ["a.csv"], "reject")
    duplicates.add(keys, 0, [2, 3, 4, 5])
    duplicates.finish()

    assert codes(duplicates.find_problems(keys, 0, [2, 3, 4, 5])) == {
        0: [("duplicate-email", "email 'ann@example.com' is also on line 4 of a.csv; every row sharing it is rejected. Remove the extra rows, or set duplicates: keep-first or keep-last in the mapping.")],
        2: [("duplicate-email", "email 'ann@example.com' is also on line 2 of a.csv; every row sharing it is rejected. Remove the extra rows, or set duplicates: keep-first or keep-last in the mapping.")],
    }


def test_collision_verified_across_chunks_and_files(tmp_path, monkeypatch):
    monkeypatch.setattr(uniqueness, "_hash", colliding_hash)
    first = pd.DataFrame({"customerRef": ["7", "8"]}, dtype=object)
    second = pd.DataFrame({"customerRef": ["9", "7"]}, dtype=object)
    duplicates = DuplicateFinder(tmp_path, ["a.csv", "b.csv"], "keep-last")
    duplicates.add(first, 0, [2, 3])
    duplicates.add(second, 1, [2, 3])
    duplicates.finish()

    assert codes(duplicates.find_problems(first, 0, [2, 3])) == {
        0: [("duplicate-customer-ref", "customerRef '7' appears again on line 3 of b.csv, which is imported instead (duplicates: keep-last).")],
    }
    assert duplicates.find_problems(second, 1, [2, 3]) == {}


def test_non_ascii_keys_compared_by_text(tmp_path, monkeypatch):
    monkeypatch.setattr(uniqueness, "_hash", colliding_hash)
    keys = pd.DataFrame({"alternateCustomerRef": ["zoë", "zoe", "zoë", "ß"]}, dtype=object)
    duplicates = DuplicateFinder(tmp_path, ["a.csv"], "keep-first")
    duplicates.add(keys, 0, [2, 3, 4, 5])
    duplicates.finish()

    assert list(duplicates.find_problems(keys, 0, [2, 3, 4, 5])) == [2]
