import assert from "node:assert/strict";
import { test } from "node:test";
import { formatReport, TASK_TITLES, taskChoices } from "../src/commands";
import { Logger } from "../src/logging";
import { TASK_IDS } from "../src/settings";

test("every task has a title and unknown ids are not offered", () => {
  assert.deepEqual(Object.keys(TASK_TITLES).sort(), [...TASK_IDS].sort());
  const choices = taskChoices(["track-wandb", "nope"]);
  assert.deepEqual(choices, [{ label: TASK_TITLES["track-wandb"], description: "track-wandb", task: "track-wandb" }]);
});

test("an applied result shows its safety and checks", () => {
  const text = formatReport({
    status: "applied",
    task: "track-mlflow",
    backend: "recipe",
    safety: "safe",
    verification: {
      safety_reasons: ["additive only"],
      checks: [
        { id: "V1", name: "parses", status: "pass", reasons: [] },
        { id: "V3", name: "api-reality", status: "skip", reasons: ["no index"] },
      ],
    },
  });
  assert.equal(
    text,
    [
      "track-mlflow: applied",
      "backend: recipe, safety: safe",
      "  safety: additive only",
      "  V1 parses: pass",
      "  V3 api-reality: skip (no index)",
    ].join("\n"),
  );
});

test("failures, skips and nothing at all read clearly", () => {
  assert.equal(formatReport({ status: "failed", task: "hpo-optuna", reasons: ["a", "b"] }), "hpo-optuna: failed\n  a\n  b");
  assert.equal(formatReport({ status: "skipped", task: "track-wandb", reason: "nothing to adapt" }), "track-wandb: skipped\n  nothing to adapt");
  assert.equal(formatReport(null), "No MLOps-Adapt edit has been computed yet.");
});

test("log lines carry a timestamp, a level and the cause", () => {
  const lines: string[] = [];
  const logger = new Logger({ appendLine: (line) => lines.push(line) }, () => new Date("2026-01-02T03:04:05Z"));
  logger.info("hello");
  logger.error("boom", new Error("why"));
  assert.deepEqual(lines, ["[2026-01-02T03:04:05.000Z] [info] hello", "[2026-01-02T03:04:05.000Z] [error] boom: why"]);
});
