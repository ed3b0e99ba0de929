// Logging: timestamped lines into the extension's output channel (any sink with appendLine).

export interface LineSink {
  appendLine(line: string): void;
}

export type Level = "info" | "warn" | "error";

export class Logger {
  constructor(
    private readonly sink: LineSink,
    private readonly now: () => Date = () => new Date(),
  ) {}

  info(message: string): void {
    this.write("info", message);
  }

  warn(message: string): void {
    this.write("warn", message);
  }

  error(message: string, cause?: unknown): void {
    const detail = cause instanceof Error ? `: ${cause.message}` : cause !== undefined ? `: ${String(cause)}` : "";
    this.write("error", message + detail);
  }

  private write(level: Level, message: string): void {
    this.sink.appendLine(`[${this.now().toISOString()}] [${level}] ${message}`);
  }
}
