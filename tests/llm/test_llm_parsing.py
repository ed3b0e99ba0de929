"""Answer parsing: fences, prose around code, unfenced code, several blocks, truncation."""

from __future__ import annotations

from llm_scripts import GOOD, SCRIPT, TRUNCATED_TEXT

from mlops_adapt.llm.cache import Completion
from mlops_adapt.llm.parsing import TRUNCATED, extract_code


def test_one_fenced_block_with_prose_around_it():
    answer = Completion(
        f"Sure! Here is the file:\n\n```python\n{GOOD}```\n\nLet me know if you need more."
    )
    assert extract_code(answer, SCRIPT).code == GOOD


def test_unfenced_whole_file():
    assert extract_code(Completion(GOOD), SCRIPT).code == GOOD


def test_unfenced_code_with_prose_before_and_after():
    answer = Completion(f"Here is the adapted script:\n{GOOD}That is all.\n")
    assert extract_code(answer, SCRIPT).code == GOOD


def test_the_longest_python_block_is_the_file():
    answer = Completion(
        f"Add this import:\n```py\nimport mlflow\n```\nFull file:\n```python\n{GOOD}```\n"
    )
    assert extract_code(answer, SCRIPT).code == GOOD


def test_a_tilde_fence_and_a_missing_final_newline():
    answer = Completion(f"~~~python\n{GOOD.rstrip()}\n~~~")
    assert extract_code(answer, SCRIPT).code == GOOD


def test_truncated_answers_are_detected():
    extracted = extract_code(Completion(TRUNCATED_TEXT, "length"), SCRIPT)
    assert extracted.code is None and extracted.truncated
    assert extracted.problem == TRUNCATED


def test_prose_only_and_empty_answers_have_no_code():
    assert extract_code(Completion("I cannot help with that request."), SCRIPT).code is None
    assert extract_code(Completion(""), SCRIPT).problem == "the answer was empty"
