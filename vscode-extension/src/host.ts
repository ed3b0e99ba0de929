// Host: the only module that touches the VS Code API (and vscode-languageclient, which imports it).

import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from "vscode-languageclient/node";
import { TaskChoice } from "./commands";
import { LineSink } from "./logging";
import { ServerCommand } from "./python";
import { ClientHandle } from "./server";
import { SECTION, SettingReader } from "./settings";

export type ExtensionContext = vscode.ExtensionContext;

export interface ActiveDocument {
  uri: string;
  version: number;
}

export function outputChannel(context: vscode.ExtensionContext): vscode.OutputChannel & LineSink {
  const channel = vscode.window.createOutputChannel("MLOps-Adapt");
  context.subscriptions.push(channel);
  return channel;
}

export function settingReader(): SettingReader {
  const config = vscode.workspace.getConfiguration(SECTION);
  return <T>(key: string, fallback: T): T => config.get<T>(key, fallback);
}

export function createClient(
  command: ServerCommand,
  initializationOptions: unknown,
  channel: vscode.OutputChannel,
): ClientHandle {
  const serverOptions: ServerOptions = {
    command: command.command,
    args: command.args,
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "untitled", language: "python" },
      // Python cells of Jupyter notebooks, synced as notebook documents (the server's
      // notebookDocumentSync): their code actions are computed on the whole notebook.
      { notebook: "jupyter-notebook", language: "python" },
    ],
    outputChannel: channel,
    initializationOptions,
  };
  return new LanguageClient("mlopsAdapt", "MLOps-Adapt", serverOptions, clientOptions);
}

/** The interpreter selected in the Python extension, if it is installed and has one. */
export async function pythonFromExtension(): Promise<string[] | undefined> {
  const extension = vscode.extensions.getExtension("ms-python.python");
  if (!extension) {
    return undefined;
  }
  const api = extension.isActive ? extension.exports : await extension.activate();
  const resource = vscode.window.activeTextEditor?.document.uri;
  const details = api?.settings?.getExecutionDetails?.(resource);
  return details?.execCommand as string[] | undefined;
}

export function onSettingsChanged(context: vscode.ExtensionContext, listener: (affects: (s: string) => boolean) => void) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => listener((section) => event.affectsConfiguration(section))),
  );
}

export function registerCommand(context: vscode.ExtensionContext, id: string, run: () => unknown): void {
  context.subscriptions.push(vscode.commands.registerCommand(id, run));
}

export function activePythonDocument(): ActiveDocument | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== "python") {
    return undefined;
  }
  return { uri: document.uri.toString(), version: document.version };
}

export async function pickTask(choices: TaskChoice[]): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(choices, { placeHolder: "Adapt this file with…" });
  return picked?.task;
}

export function showError(message: string): void {
  void vscode.window.showErrorMessage(message);
}

export function showInfo(message: string): void {
  void vscode.window.showInformationMessage(message);
}

export function onDispose(context: vscode.ExtensionContext, dispose: () => unknown): void {
  context.subscriptions.push({ dispose });
}
