"""verify_candidate(): runs V1-V5 on one candidate edit and derives its safety label."""

from __future__ import annotations

import libcst as cst

from mlops_adapt.analysis.cache import parsed
from mlops_adapt.analysis.facts import analyze
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Check, VerificationReport
from mlops_adapt.tasks import TASKS
from mlops_adapt.verify.rules.base import Recommendation, rules_for
from mlops_adapt.verify.safety import verdict
from mlops_adapt.verify.scope import check_scope
from mlops_adapt.verify.unbound import with_library_import

def verify_candidate(
    original: str, candidate: str, task: str, options: AdaptOptions | None = None, backend: str = "recipe"
) -> VerificationReport:
    """Check a candidate adaptation of `original` for `task`; never raises on bad candidates.

    `backend` ("recipe" or "llm") is who wrote the candidate; the safety label depends on it.
    """
    options = options or AdaptOptions()
    checks: list[Check] = []
    try:
        original_mod = parsed(original)
    except cst.ParserSyntaxError as err:
        checks.append(Check("V1", "parses", "fail", (f"the original does not parse: line {err.raw_line}",)))
        return _label(checks, task, backend)
    try:
        candidate_mod = cst.parse_module(candidate)
    except cst.ParserSyntaxError as err:
        message = str(err.message).strip().splitlines()[0] if err.message else "invalid syntax"
        checks.append(Check("V1", "parses", "fail", (f"syntax error at line {err.raw_line}: {message}",)))
        return _label(checks, task, backend)
    checks.append(Check("V1", "parses", "pass"))

    library = TASKS[task].library
    rules = rules_for(task)
    scope = check_scope(original_mod, candidate_mod, original, candidate, rules, library)
    if scope.reasons:
        checks.append(Check("V2", "scope", "fail", scope.reasons + scope.warnings))
    else:
        checks.append(Check("V2", "scope", "warn" if scope.warnings else "pass", scope.warnings))
    checks.append(_api_reality(candidate_mod, library, original))

    facts = analyze(original)
    # A forgotten `import <library>` is V3's finding; V4 judges the rest of the edit.
    assumed = with_library_import(original, candidate, library)
    judged_mod = cst.parse_module(assumed) if assumed else candidate_mod
    try:
        problems = rules.postconditions(original_mod, judged_mod, facts, options)
    except Exception as err:  # a rule bug must not crash the caller; it fails the check instead
        problems = [f"postcondition check crashed: {type(err).__name__}: {err}"]
    failures = tuple(p for p in problems if not isinstance(p, Recommendation))
    advice = tuple(f"recommended: {p}" for p in problems if isinstance(p, Recommendation))
    status = "fail" if failures else "warn" if advice else "pass"
    checks.append(Check("V4", "postconditions", status, failures + advice))

    if options.verify == "run":
        if all(c.status != "fail" for c in checks):
            checks.append(_executed(original, candidate, task, options))
        else:
            checks.append(Check("V5", "executed", "skip", ("static checks failed first",)))
    return _label(checks, task, backend)


def _api_reality(module: cst.Module, library: str, original: str) -> Check:
    """V3 through the docs index, and names the edit reads but never binds; skipped (not failed) if the index is unavailable."""
    try:
        from mlops_adapt.verify.api_reality import check_api_calls
    except ImportError:
        return Check("V3", "api-reality", "skip", ("the API index is not available",))
    findings = check_api_calls(module, library, original=original)
    errors = tuple(f"line {f.line}: {f.message}" for f in findings if f.severity == "error")
    warnings = tuple(f"line {f.line}: {f.message}" for f in findings if f.severity != "error")
    if errors:
        return Check("V3", "api-reality", "fail", errors + warnings)
    return Check("V3", "api-reality", "warn" if warnings else "pass", warnings)


def _executed(original: str, candidate: str, task: str, options: AdaptOptions) -> Check:
    """V5: run the generated test in the sandbox."""
    try:
        from mlops_adapt.verify.executed import check_executed
    except ImportError:
        return Check("V5", "executed", "skip", ("executed verification is not available",))
    try:
        return check_executed(original, candidate, task, options)
    except Exception as err:  # the sandbox must never take the caller down
        return Check("V5", "executed", "fail", (f"sandbox error: {type(err).__name__}: {err}",))


def _label(checks: list[Check], task: str, backend: str) -> VerificationReport:
    """The report with its safety label: the one place the label is decided."""
    label, reasons = verdict(checks, rules_for(task).SCOPE, backend)
    return VerificationReport(tuple(checks), label, reasons)
