"""Pull-request bot: changed training scripts -> verified edits -> GitHub review, rdjson or SARIF."""
