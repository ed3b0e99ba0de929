import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  affectsExtension,
  CLIENT_KEYS,
  manifestReader,
  readClientSettings,
  readServerSettings,
  SECTION,
  SERVER_KEYS,
  TASK_IDS,
} from "../src/settings";
import { TASKS } from "../src/tasks.generated";

const manifest = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8"));
const properties: Record<string, Record<string, unknown>> = manifest.contributes.configuration.properties;

test("every setting has a default, a scope and a description", () => {
  for (const [key, schema] of Object.entries(properties)) {
    assert.ok("default" in schema, `${key} has no default`);
    assert.ok(typeof schema.scope === "string", `${key} has no scope`);
    assert.ok(typeof schema.description === "string" && schema.description.length > 10, `${key} has no description`);
  }
});

test("the settings module knows exactly the settings of package.json", () => {
  const known = [...SERVER_KEYS, ...CLIENT_KEYS].map((key) => `${SECTION}.${key}`).sort();
  assert.deepEqual(Object.keys(properties).sort(), known);
  const clientOnly = Object.entries(properties)
    .filter(([, schema]) => schema["x-client-only"] === true)
    .map(([key]) => key.slice(SECTION.length + 1));
  assert.deepEqual(clientOnly.sort(), [...CLIENT_KEYS].sort());
});

test("the code defaults equal the package.json defaults", () => {
  const fromManifest = readServerSettings(manifestReader(manifest));
  const fromCode = readServerSettings(<T>(_key: string, fallback: T) => fallback);
  assert.deepEqual(fromManifest, fromCode);
  assert.deepEqual(readClientSettings(manifestReader(manifest)), { interpreter: [], traceServer: "off" });
});

test("initialization options are the nested server schema", () => {
  const options = readServerSettings(manifestReader(manifest));
  assert.deepEqual(options, {
    backend: "auto",
    verify: "static",
    enabledTasks: [...TASK_IDS],
    diagnostics: { enabled: false },
    llm: { baseUrl: "", model: "", timeout: 120 },
  });
});

test("the enabledTasks schema lists the generated tasks: ids, titles and the default", () => {
  const schema = properties["mlopsAdapt.enabledTasks"] as { default: string[]; items: { enum: string[]; enumDescriptions: string[] } };
  assert.deepEqual(schema.items.enum, [...TASK_IDS]);
  assert.deepEqual(schema.items.enumDescriptions, TASKS.map((task) => task.title));
  assert.deepEqual(schema.default, [...TASK_IDS]);
});

test("user values override defaults", () => {
  const values: Record<string, unknown> = { backend: "llm", "llm.baseUrl": "http://127.0.0.1:8000/v1" };
  const read = <T>(key: string, fallback: T) => (key in values ? (values[key] as T) : fallback);
  const settings = readServerSettings(read);
  assert.equal(settings.backend, "llm");
  assert.equal(settings.llm.baseUrl, "http://127.0.0.1:8000/v1");
  assert.equal(settings.verify, "static");
});

test("only changes to this extension's settings count", () => {
  assert.equal(affectsExtension((section) => section === "mlopsAdapt.llm.model"), true);
  assert.equal(affectsExtension((section) => section === "python.defaultInterpreterPath"), false);
});
