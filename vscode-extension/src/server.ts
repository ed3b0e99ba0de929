// Server: owns the language client's life cycle (start, stop, restart) and debounces restarts.

import { Logger } from "./logging";
import { Interpreter, ServerCommand, serverCommand } from "./python";
import { ServerSettings } from "./settings";

/** What the controller needs from a vscode-languageclient LanguageClient. */
export interface ClientHandle {
  start(): Promise<void>;
  stop(): Promise<void>;
  sendRequest<R>(method: string, params: unknown): Promise<R>;
}

export interface ServerDeps {
  findInterpreter(): Promise<Interpreter>;
  readSettings(): ServerSettings;
  createClient(command: ServerCommand, initializationOptions: ServerSettings): ClientHandle;
  showError(message: string): void;
  logger: Logger;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const RESTART_DELAY_MS = 750;

export class ServerController {
  private client: ClientHandle | undefined;
  private timer: unknown;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ServerDeps) {}

  get running(): ClientHandle | undefined {
    return this.client;
  }

  /** Start the server unless it runs; tells the user when no interpreter exists. */
  start(): Promise<void> {
    return this.serialize(() => this.doStart());
  }

  stop(): Promise<void> {
    return this.serialize(() => this.doStop());
  }

  restart(): Promise<void> {
    return this.serialize(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  /** Restart once the settings stop changing for a moment (a burst of edits gives one restart). */
  scheduleRestart(delayMs: number = RESTART_DELAY_MS): void {
    if (this.timer !== undefined) {
      this.deps.clearTimer(this.timer);
    }
    this.timer = this.deps.setTimer(() => {
      this.timer = undefined;
      void this.restart();
    }, delayMs);
  }

  /** Runs a server command (workspace/executeCommand), starting nothing. */
  async execute<R>(command: string, args: unknown[]): Promise<R | undefined> {
    if (!this.client) {
      this.deps.showError("The MLOps-Adapt server is not running. Run 'MLOps-Adapt: Restart the language server'.");
      return undefined;
    }
    return this.client.sendRequest<R>("workspace/executeCommand", { command, arguments: args });
  }

  dispose(): Promise<void> {
    if (this.timer !== undefined) {
      this.deps.clearTimer(this.timer);
      this.timer = undefined;
    }
    return this.stop();
  }

  private serialize(step: () => Promise<void>): Promise<void> {
    this.pending = this.pending.then(step, step);
    return this.pending;
  }

  private async doStart(): Promise<void> {
    if (this.client) {
      return;
    }
    const interpreter = await this.deps.findInterpreter();
    if (!interpreter.ok) {
      this.deps.logger.error(interpreter.message);
      this.deps.showError(interpreter.message);
      return;
    }
    const command = serverCommand(interpreter.argv);
    this.deps.logger.info(`starting ${[command.command, ...command.args].join(" ")} (from ${interpreter.source})`);
    const client = this.deps.createClient(command, this.deps.readSettings());
    try {
      await client.start();
      this.client = client;
      this.deps.logger.info("server started");
    } catch (error) {
      this.deps.logger.error("the server failed to start", error);
      this.deps.showError(`MLOps-Adapt: the language server failed to start (${describe(error)}). See the output.`);
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) {
      return;
    }
    try {
      await client.stop();
      this.deps.logger.info("server stopped");
    } catch (error) {
      this.deps.logger.error("the server did not stop cleanly", error);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
