// Settings: reads the `mlopsAdapt.*` configuration into typed objects; the server part mirrors the
// Python dataclasses in mlops_adapt/server/settings.py and is sent as initializationOptions.

import { TASKS } from "./tasks.generated";

export const SECTION = "mlopsAdapt";

export type Backend = "auto" | "recipe" | "llm";
export type VerifyMode = "static" | "run";

export interface LlmSettings {
  baseUrl: string;
  model: string;
  timeout: number;
}

export interface ServerSettings {
  backend: Backend;
  verify: VerifyMode;
  enabledTasks: string[];
  diagnostics: { enabled: boolean };
  llm: LlmSettings;
}

export interface ClientSettings {
  interpreter: string[];
  traceServer: "off" | "messages" | "verbose";
}

/** Reads one setting below the section (e.g. "llm.baseUrl"), with a fallback. */
export type SettingReader = <T>(key: string, fallback: T) => T;

/** Settings the server reads; a change restarts it. */
export const SERVER_KEYS = [
  "backend",
  "verify",
  "enabledTasks",
  "diagnostics.enabled",
  "llm.baseUrl",
  "llm.model",
  "llm.timeout",
] as const;

/** Settings only the extension reads (marked "x-client-only" in package.json). */
export const CLIENT_KEYS = ["interpreter", "trace.server"] as const;

/** Task ids, from the generated catalog copy (see src/tasks.generated.ts); the enabledTasks default. */
export const TASK_IDS: readonly string[] = TASKS.map((task) => task.id);

export function readServerSettings(read: SettingReader): ServerSettings {
  return {
    backend: read<Backend>("backend", "auto"),
    verify: read<VerifyMode>("verify", "static"),
    enabledTasks: [...read<readonly string[]>("enabledTasks", TASK_IDS)],
    diagnostics: { enabled: read<boolean>("diagnostics.enabled", false) },
    llm: {
      baseUrl: read<string>("llm.baseUrl", ""),
      model: read<string>("llm.model", ""),
      timeout: read<number>("llm.timeout", 120),
    },
  };
}

export function readClientSettings(read: SettingReader): ClientSettings {
  return {
    interpreter: [...read<string[]>("interpreter", [])],
    traceServer: read<ClientSettings["traceServer"]>("trace.server", "off"),
  };
}

/** True when a configuration change touches any setting of this extension. */
export function affectsExtension(affects: (section: string) => boolean): boolean {
  return [...SERVER_KEYS, ...CLIENT_KEYS].some((key) => affects(`${SECTION}.${key}`));
}

/** A SettingReader over the package.json defaults (used by tests and as documentation). */
export function manifestReader(manifest: {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
}): SettingReader {
  const properties = manifest.contributes.configuration.properties;
  return <T>(key: string, fallback: T): T => {
    const property = properties[`${SECTION}.${key}`];
    return property && "default" in property ? (property.default as T) : fallback;
  };
}
