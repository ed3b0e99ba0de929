"""docs/recipes.md is generated from the recipes and must match them."""

from pathlib import Path

from mlops_adapt.transforms.docs import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "recipes.md"


def test_recipes_doc_is_up_to_date():
    text = DOC.read_text(encoding="utf-8")
    assert text == render(), "regenerate with: python -m mlops_adapt.transforms.docs > docs/recipes.md"


def test_recipes_doc_covers_every_task_with_a_diff():
    text = render()
    for task in ("track-mlflow", "track-wandb", "register-mlflow", "hpo-optuna", "optimize-prune",
                 "optimize-quantize", "translate-gitpython-dvc"):
        assert f"## `{task}`" in text
    assert text.count("```diff") >= 7
