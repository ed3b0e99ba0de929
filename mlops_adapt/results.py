"""Frozen result values returned by engine.adapt(): applied, skipped or failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Union

if TYPE_CHECKING:
    from mlops_adapt.verify.safety import Safety

Status = Literal["pass", "fail", "warn", "skip"]


@dataclass(frozen=True)
class Check:
    """The outcome of one verification check (V1..V5)."""

    id: str  # "V1".."V5"
    name: str  # e.g. "parses", "scope", "api-reality", "postconditions", "executed"
    status: Status
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerificationReport:
    """Every check run on one candidate, plus the safety label derived from them."""

    checks: tuple[Check, ...]
    safety: Safety  # set once, by verify.safety.verdict
    safety_reasons: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return all(c.status != "fail" for c in self.checks)

    @property
    def failures(self) -> list[str]:
        """Human-readable reasons of the failed checks, prefixed by check id."""
        return [f"{c.id} {c.name}: {r}" for c in self.checks if c.status == "fail" for r in c.reasons]

    @property
    def executed(self) -> bool:
        """True when V5 actually ran and passed."""
        return any(c.id == "V5" and c.status == "pass" for c in self.checks)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {
            "ok": self.ok,
            "safety": str(self.safety),
            "safety_reasons": list(self.safety_reasons),
            "checks": [
                {"id": c.id, "name": c.name, "status": c.status, "reasons": list(c.reasons)}
                for c in self.checks
            ],
        }


@dataclass(frozen=True)
class Applied:
    """A verified edit: the new source, how it was made and how it was checked."""

    task: str
    original: str
    code: str
    backend: str  # "recipe" or "llm"
    report: VerificationReport
    warnings: tuple[str, ...] = ()
    status: Literal["applied"] = field(default="applied", init=False)

    @property
    def changed(self) -> bool:
        return self.code != self.original

    @property
    def safety(self) -> Safety:
        return self.report.safety


@dataclass(frozen=True)
class Skipped:
    """Nothing to do: the task does not apply, or the code is already adapted."""

    task: str
    reason: str
    status: Literal["skipped"] = field(default="skipped", init=False)


@dataclass(frozen=True)
class Failed:
    """No verified edit exists; `kind` tells input errors from verification failures."""

    task: str
    kind: Literal["input", "unverified", "internal"]
    reasons: tuple[str, ...]
    status: Literal["failed"] = field(default="failed", init=False)


Result = Union[Applied, Skipped, Failed]


def result_to_dict(result: Result) -> dict:
    """JSON-ready form of any result (used by --json reports, the LSP and the PR bot)."""
    if isinstance(result, Applied):
        return {
            "status": "applied",
            "task": result.task,
            "backend": result.backend,
            "changed": result.changed,
            "safety": str(result.safety),
            "warnings": list(result.warnings),
            "verification": result.report.to_dict(),
        }
    if isinstance(result, Skipped):
        return {"status": "skipped", "task": result.task, "reason": result.reason}
    return {"status": "failed", "task": result.task, "kind": result.kind, "reasons": list(result.reasons)}
