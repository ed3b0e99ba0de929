import assert from "node:assert/strict";
import { test } from "node:test";
import { findInterpreter, NO_INTERPRETER, serverCommand } from "../src/python";

test("the setting wins over the Python extension", async () => {
  let asked = false;
  const found = await findInterpreter(["/opt/py/bin/python", "-X", "utf8"], async () => {
    asked = true;
    return ["/usr/bin/python3"];
  });
  assert.deepEqual(found, { ok: true, argv: ["/opt/py/bin/python", "-X", "utf8"], source: "the mlopsAdapt.interpreter setting" });
  assert.equal(asked, false);
});

test("the Python extension is used when the setting is empty", async () => {
  const found = await findInterpreter(["  "], async () => ["/usr/bin/python3"]);
  assert.deepEqual(found, { ok: true, argv: ["/usr/bin/python3"], source: "the Python extension" });
});

test("a clear message when neither exists, or the extension fails", async () => {
  assert.deepEqual(await findInterpreter([], async () => undefined), { ok: false, message: NO_INTERPRETER });
  const broken = await findInterpreter([], async () => {
    throw new Error("extension crashed");
  });
  assert.deepEqual(broken, { ok: false, message: NO_INTERPRETER });
  assert.match(NO_INTERPRETER, /mlopsAdapt\.interpreter/);
});

test("the server runs as `python -m mlops_adapt lsp`", () => {
  assert.deepEqual(serverCommand(["/usr/bin/python3", "-X", "utf8"]), {
    command: "/usr/bin/python3",
    args: ["-X", "utf8", "-m", "mlops_adapt", "lsp"],
  });
});
