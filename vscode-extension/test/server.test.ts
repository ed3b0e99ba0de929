import assert from "node:assert/strict";
import { test } from "node:test";
import { Logger } from "../src/logging";
import { Interpreter, ServerCommand } from "../src/python";
import { ClientHandle, ServerController, ServerDeps } from "../src/server";
import { readServerSettings, ServerSettings, TASK_IDS } from "../src/settings";

class FakeClient implements ClientHandle {
  started = 0;
  stopped = 0;
  requests: [string, unknown][] = [];
  constructor(private readonly failStart = false) {}
  async start() {
    this.started += 1;
    if (this.failStart) throw new Error("spawn python ENOENT");
  }
  async stop() {
    this.stopped += 1;
  }
  async sendRequest<R>(method: string, params: unknown): Promise<R> {
    this.requests.push([method, params]);
    return { status: "applied" } as R;
  }
}

function harness(interpreter: Interpreter, failStart = false) {
  const clients: { client: FakeClient; command: ServerCommand; options: ServerSettings }[] = [];
  const errors: string[] = [];
  const log: string[] = [];
  const timers = new Map<number, () => void>();
  let nextTimer = 0;
  const deps: ServerDeps = {
    findInterpreter: async () => interpreter,
    readSettings: () => readServerSettings(<T>(_k: string, fallback: T) => fallback),
    createClient: (command, options) => {
      const client = new FakeClient(failStart);
      clients.push({ client, command, options });
      return client;
    },
    showError: (message) => errors.push(message),
    logger: new Logger({ appendLine: (line) => log.push(line) }),
    setTimer: (callback) => {
      timers.set(++nextTimer, callback);
      return nextTimer;
    },
    clearTimer: (handle) => timers.delete(handle as number),
  };
  return { controller: new ServerController(deps), clients, errors, log, timers };
}

const python: Interpreter = { ok: true, argv: ["/usr/bin/python3"], source: "test" };

test("start launches the server with the settings as initialization options", async () => {
  const h = harness(python);
  await h.controller.start();
  await h.controller.start(); // already running: no second server
  assert.equal(h.clients.length, 1);
  assert.deepEqual(h.clients[0].command, { command: "/usr/bin/python3", args: ["-m", "mlops_adapt", "lsp"] });
  assert.equal(h.clients[0].options.backend, "auto");
  assert.equal(h.clients[0].client.started, 1);
  assert.ok(h.controller.running);
});

test("no interpreter: a clear error and no server", async () => {
  const h = harness({ ok: false, message: "no python" });
  await h.controller.start();
  assert.deepEqual(h.errors, ["no python"]);
  assert.equal(h.clients.length, 0);
  assert.equal(await h.controller.execute("mlops-adapt.showReport", []), undefined);
  assert.equal(h.errors.length, 2);
});

test("a server that fails to start is reported, not left half-running", async () => {
  const h = harness(python, true);
  await h.controller.start();
  assert.equal(h.controller.running, undefined);
  assert.match(h.errors[0], /spawn python ENOENT/);
  assert.ok(h.log.some((line) => line.includes("[error] the server failed to start")));
});

test("restart stops the old server and starts a new one", async () => {
  const h = harness(python);
  await h.controller.start();
  await h.controller.restart();
  assert.equal(h.clients.length, 2);
  assert.equal(h.clients[0].client.stopped, 1);
  assert.equal(h.controller.running, h.clients[1].client);
});

test("a burst of settings changes gives one debounced restart", async () => {
  const h = harness(python);
  await h.controller.start();
  h.controller.scheduleRestart();
  h.controller.scheduleRestart();
  h.controller.scheduleRestart();
  assert.equal(h.timers.size, 1);
  const [fire] = h.timers.values();
  fire();
  await h.controller.stop();
  assert.equal(h.clients.length, 2);
  assert.equal(h.clients[0].client.stopped, 1);
});

test("execute sends workspace/executeCommand to the running server", async () => {
  const h = harness(python);
  await h.controller.start();
  const result = await h.controller.execute("mlops-adapt.adaptFile", ["file:///a.py", TASK_IDS[0], 3]);
  assert.deepEqual(result, { status: "applied" });
  assert.deepEqual(h.clients[0].client.requests, [
    ["workspace/executeCommand", { command: "mlops-adapt.adaptFile", arguments: ["file:///a.py", TASK_IDS[0], 3] }],
  ]);
});

test("dispose cancels a pending restart and stops the server", async () => {
  const h = harness(python);
  await h.controller.start();
  h.controller.scheduleRestart();
  await h.controller.dispose();
  assert.equal(h.timers.size, 0);
  assert.equal(h.clients[0].client.stopped, 1);
  assert.equal(h.controller.running, undefined);
});
