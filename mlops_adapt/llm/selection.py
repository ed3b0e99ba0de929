"""Candidates with their verification, and the choice of the best verified one."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from mlops_adapt.results import VerificationReport


@dataclass(frozen=True)
class Candidate:
    """One model answer after parsing and verification."""

    round: int  # 0 = first sampling, 1.. = repair rounds
    index: int  # position among the answers of its round
    code: str | None  # None when no code could be extracted
    report: VerificationReport | None
    problem: str | None = None  # why there is no code (truncated, empty, ...)

    @property
    def verified(self) -> bool:
        return self.code is not None and self.report is not None and self.report.ok

    @property
    def label(self) -> str:
        where = "first sampling" if self.round == 0 else f"repair round {self.round}"
        return f"candidate {self.index + 1} ({where})"

    @property
    def reasons(self) -> list[str]:
        if self.problem:
            return [self.problem]
        return list(self.report.failures) if self.report is not None else []


def changed_lines(original: str, code: str) -> int:
    """Lines added plus lines removed: the size of the diff a reviewer reads."""
    matcher = difflib.SequenceMatcher(
        None, original.splitlines(), code.splitlines(), autojunk=False
    )
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def rank_key(candidate: Candidate, original: str) -> tuple:
    """Safe before unsafe, executed (V5) before static-only, then the smallest diff, then first come."""
    assert candidate.report is not None and candidate.code is not None
    return (
        -candidate.report.safety.rank,
        not candidate.report.executed,
        changed_lines(original, candidate.code),
        candidate.round,
        candidate.index,
    )


def best_verified(candidates: list[Candidate], original: str) -> Candidate | None:
    """The best candidate that passed verification, or None; unverified ones are never returned."""
    verified = [c for c in candidates if c.verified]
    return min(verified, key=lambda c: rank_key(c, original)) if verified else None


def repair_target(candidates: list[Candidate]) -> Candidate | None:
    """The failed candidate closest to passing: it parses, fewest failures, not truncated."""
    usable = [
        c for c in candidates if c.code is not None and c.report is not None and not c.report.ok
    ]
    if not usable:
        return None
    return min(
        usable,
        key=lambda c: (
            any(ch.id == "V1" and ch.status == "fail" for ch in c.report.checks),
            len(c.reasons),
            c.round,
            c.index,
        ),
    )
