// Commands: the pieces of the extension's commands that need no editor (task choices, report text).

import { TASKS } from "./tasks.generated";

export const SERVER_ADAPT_FILE = "mlops-adapt.adaptFile";
export const SERVER_SHOW_REPORT = "mlops-adapt.showReport";

/** Title of each task id, from the generated catalog copy (see src/tasks.generated.ts). */
export const TASK_TITLES: ReadonlyMap<string, string> = new Map(TASKS.map((task) => [task.id, task.title]));

export interface TaskChoice {
  label: string;
  description: string;
  task: string;
}

/** Quick-pick items for the enabled tasks, in the user's order; ids this extension does not know are left out. */
export function taskChoices(enabledTasks: readonly string[]): TaskChoice[] {
  return enabledTasks.flatMap((task) => {
    const title = TASK_TITLES.get(task);
    return title === undefined ? [] : [{ label: title, description: task, task }];
  });
}

interface Check {
  id: string;
  name: string;
  status: string;
  reasons?: string[];
}

/** The text shown for a result or report from the server (result_to_dict form). */
export function formatReport(report: unknown): string {
  if (!report || typeof report !== "object") {
    return "No MLOps-Adapt edit has been computed yet.";
  }
  const r = report as Record<string, unknown>;
  const lines = [`${r.task ?? "?"}: ${r.status ?? "?"}`];
  if (r.status === "applied") {
    lines.push(`backend: ${r.backend}, safety: ${r.safety}`);
    const verification = (r.verification ?? {}) as { checks?: Check[]; safety_reasons?: string[] };
    for (const reason of verification.safety_reasons ?? []) {
      lines.push(`  safety: ${reason}`);
    }
    for (const check of verification.checks ?? []) {
      const reasons = check.reasons && check.reasons.length > 0 ? ` (${check.reasons.join("; ")})` : "";
      lines.push(`  ${check.id} ${check.name}: ${check.status}${reasons}`);
    }
  } else if (Array.isArray(r.reasons)) {
    for (const reason of r.reasons) {
      lines.push(`  ${reason}`);
    }
  } else if (typeof r.reason === "string") {
    lines.push(`  ${r.reason}`);
  }
  return lines.join("\n");
}
