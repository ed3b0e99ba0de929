import assert from "node:assert/strict";
import { test } from "node:test";
import { formatReport, TASK_TITLES, taskChoices } from "../src/commands";
import { Logger } from "../src/logging";
import { TASK_IDS } from "../src/settings";
import { TASKS } from "../src/tasks.generated";

const [first, second] = TASKS;

test("every task has a title and unknown ids are not offered", () => {
  assert.deepEqual([...TASK_TITLES.keys()], [...TASK_IDS]);
  for (const task of TASKS) {
    assert.ok(task.title.length > 10, `${task.id} has no title`);
  }
  const choices = taskChoices([second.id, "nope", first.id]);
  assert.deepEqual(choices, [
    { label: second.title, description: second.id, task: second.id },
    { label: first.title, description: first.id, task: first.id },
  ]);
  assert.deepEqual(taskChoices([]), []);
});

test("the generated task list has unique, well-formed ids and a target each", () => {
  assert.ok(TASKS.length > 0);
  assert.equal(new Set(TASK_IDS).size, TASK_IDS.length);
  for (const task of TASKS) {
    assert.match(task.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/);
    assert.ok(task.target.length > 0, `${task.id} has no target`);
  }
});

test("an applied result shows its safety and checks", () => {
  const text = formatReport({
    status: "applied",
    task: first.id,
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
      `${first.id}: applied`,
      "backend: recipe, safety: safe",
      "  safety: additive only",
      "  V1 parses: pass",
      "  V3 api-reality: skip (no index)",
    ].join("\n"),
  );
});

test("failures, skips and nothing at all read clearly", () => {
  assert.equal(formatReport({ status: "failed", task: first.id, reasons: ["a", "b"] }), `${first.id}: failed\n  a\n  b`);
  assert.equal(
    formatReport({ status: "skipped", task: second.id, reason: "nothing to adapt" }),
    `${second.id}: skipped\n  nothing to adapt`,
  );
  assert.equal(formatReport(null), "No MLOps-Adapt edit has been computed yet.");
});

test("log lines carry a timestamp, a level and the cause", () => {
  const lines: string[] = [];
  const logger = new Logger({ appendLine: (line) => lines.push(line) }, () => new Date("2026-01-02T03:04:05Z"));
  logger.info("hello");
  logger.error("boom", new Error("why"));
  assert.deepEqual(lines, ["[2026-01-02T03:04:05.000Z] [info] hello", "[2026-01-02T03:04:05.000Z] [error] boom: why"]);
});
