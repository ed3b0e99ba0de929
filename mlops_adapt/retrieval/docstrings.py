"""Pull the summary, per-parameter docs and deprecation notes out of a docstring."""

from __future__ import annotations

import re

_SECTION = re.compile(
    r"^(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments|Other Parameters)\s*:?\s*$"
)
_OTHER_SECTION = re.compile(
    r"^(Returns?|Yields?|Raises|Examples?|Example usage|Notes?|See Also|Attributes|Warnings?|"
    r"References|Todo|\.\. \w+::.*)\s*:?\s*$"
)
_GOOGLE_PARAM = re.compile(r"^\*{0,2}(\w+)\s*(\([^)]*\))?\s*:\s*(.*)$")
_NUMPY_PARAM = re.compile(r"^\*{0,2}(\w+)\s*:\s*\S.*$|^\*{0,2}(\w+)\s*$")
_SPHINX_PARAM = re.compile(r":param\s+(?:[\w\[\], |.]+\s+)?(\w+)\s*:\s*(.*)")
_UNDERLINE = re.compile(r"^[-=~]{3,}\s*$")

SUMMARY_CHARS = 320
PARAM_DOC_CHARS = 200


def clip(text: str, limit: int) -> str:
    """Collapse whitespace and cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def summary_of(doc: str) -> str:
    """The first prose paragraph (not a `.. warning::` directive), collapsed and clipped."""
    paragraphs: list[list[str]] = [[]]
    for line in doc.strip().splitlines():
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    for paragraph in paragraphs:
        if paragraph and not paragraph[0].startswith(".. "):
            return clip(" ".join(paragraph), SUMMARY_CHARS)
    return clip(" ".join(paragraphs[0]), SUMMARY_CHARS)


def param_docs_of(doc: str) -> dict[str, str]:
    """Per-parameter descriptions from Google, NumPy or Sphinx style sections."""
    docs: dict[str, str] = {}
    for match in _SPHINX_PARAM.finditer(doc):
        docs.setdefault(match.group(1), clip(match.group(2), PARAM_DOC_CHARS))
    lines = doc.splitlines()
    in_section = False
    section_indent = 0
    current: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        if current and buffer:
            docs.setdefault(current, clip(" ".join(buffer), PARAM_DOC_CHARS))

    for raw in lines:
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip())
        if _SECTION.match(stripped):
            flush()
            in_section, section_indent, current, buffer = True, indent, None, []
            continue
        if not in_section or _UNDERLINE.match(stripped):
            continue
        if stripped and indent <= section_indent and _OTHER_SECTION.match(stripped):
            flush()
            in_section, current, buffer = False, None, []
            continue
        if not stripped:
            continue
        google = _GOOGLE_PARAM.match(stripped)
        numpy = _NUMPY_PARAM.match(stripped)
        starts_item = indent <= section_indent + 4 and (google or numpy)
        if starts_item:
            flush()
            if google:
                current, buffer = google.group(1), [google.group(3)] if google.group(3) else []
            else:
                current, buffer = (numpy.group(1) or numpy.group(2)), []
        elif current:
            buffer.append(stripped)
    flush()
    return docs


def deprecation_of(doc: str, name: str = "") -> str | None:
    """A deprecation note for the documented object itself, if the docstring carries one.

    Only notes about the object count: `.. deprecated::`, a leading "Deprecated", "this
    function is deprecated", or the object's own name followed by "is deprecated". A remark
    that some backend or argument is deprecated does not deprecate the object.
    """
    body = []
    in_params = False
    for line in doc.splitlines():
        stripped = line.strip()
        if _SECTION.match(stripped):
            in_params = True
            continue
        if in_params and _OTHER_SECTION.match(stripped) and not line.startswith(" "):
            in_params = False
        if not in_params:
            body.append(stripped)
    short = re.escape(name.rsplit(".", 1)[-1]) if name else None
    patterns = [
        r"^\.\. deprecated::.*",
        r"^Deprecated\b.*",
        r"\b[Tt]his (function|method|class|API|property) (is|has been) deprecated.*",
    ]
    if short:
        patterns.append(rf"[`'\"]*[\w.]*\b{short}(\(\))?[`'\"]* (is|has been) deprecated.*")
    for line in body:
        for pattern in patterns:
            match = re.search(pattern, line)
            if match:
                return clip(line, PARAM_DOC_CHARS)
    return None


def deprecated_params_of(param_docs: dict[str, str]) -> dict[str, str]:
    """Parameters whose own doc says they are deprecated."""
    return {
        name: text
        for name, text in param_docs.items()
        if re.match(r"\W*(deprecated|\(deprecated\))", text, re.IGNORECASE)
    }
