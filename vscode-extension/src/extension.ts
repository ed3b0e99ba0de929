// Extension entry point: wires the host (VS Code) to the settings, Python, server and command modules.

import { formatReport, SERVER_ADAPT_FILE, SERVER_SHOW_REPORT, taskChoices } from "./commands";
import * as host from "./host";
import { Logger } from "./logging";
import { findInterpreter } from "./python";
import { ServerController } from "./server";
import { affectsExtension, readClientSettings, readServerSettings } from "./settings";

let controller: ServerController | undefined;

export async function activate(context: host.ExtensionContext): Promise<void> {
  const channel = host.outputChannel(context);
  const logger = new Logger(channel);
  controller = new ServerController({
    findInterpreter: () => findInterpreter(readClientSettings(host.settingReader()).interpreter, host.pythonFromExtension),
    readSettings: () => readServerSettings(host.settingReader()),
    createClient: (command, options) => host.createClient(command, options, channel),
    showError: host.showError,
    logger,
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  });
  const server = controller;

  host.registerCommand(context, "mlopsAdapt.restart", () => server.restart());
  host.registerCommand(context, "mlopsAdapt.showLogs", () => channel.show());
  host.registerCommand(context, "mlopsAdapt.adaptFile", async () => {
    const document = host.activePythonDocument();
    if (!document) {
      return host.showError("Open a Python file to adapt.");
    }
    const task = await host.pickTask(taskChoices(readServerSettings(host.settingReader()).enabledTasks));
    if (task) {
      const result = await server.execute(SERVER_ADAPT_FILE, [document.uri, task, document.version]);
      host.showInfo(formatReport(result).split("\n")[0]);
    }
  });
  host.registerCommand(context, "mlopsAdapt.showReport", async () => {
    const report = await server.execute(SERVER_SHOW_REPORT, [host.activePythonDocument()?.uri ?? null]);
    channel.appendLine(formatReport(report));
    channel.show(true);
  });
  host.onSettingsChanged(context, (affects) => {
    if (affectsExtension(affects)) {
      server.scheduleRestart();
    }
  });
  host.onDispose(context, () => server.dispose());
  await server.start();
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
}
