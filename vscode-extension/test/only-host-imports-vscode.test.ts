import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

test("only src/host.ts imports vscode or vscode-languageclient", () => {
  const src = join(__dirname, "..", "..", "src");
  const importers = readdirSync(src)
    .filter((name) => name.endsWith(".ts"))
    .filter((name) => /from\s+"vscode(-languageclient[^"]*)?"/.test(readFileSync(join(src, name), "utf8")));
  assert.deepEqual(importers, ["host.ts"]);
});
