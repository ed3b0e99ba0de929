// Commands: the pieces of the extension's commands that need no editor (task choices, report text).

export const SERVER_ADAPT_FILE = "mlops-adapt.adaptFile";
export const SERVER_SHOW_REPORT = "mlops-adapt.showReport";

export const TASK_TITLES: Record<string, string> = {
  "track-mlflow": "Track hyperparameters and metrics with MLflow",
  "track-wandb": "Track hyperparameters and metrics with Weights & Biases",
  "hpo-optuna": "Tune hyperparameters with an Optuna study",
  "register-mlflow": "Log and register the trained model in the MLflow Model Registry",
  "optimize-prune": "Prune the trained torch model and report the metric before and after",
  "optimize-quantize": "Quantize the trained torch model (dynamic int8) and report the metric",
  "translate-gitpython-dvc": "Version data files with DVC instead of GitPython",
};

export interface TaskChoice {
  label: string;
  description: string;
  task: string;
}

export function taskChoices(enabledTasks: string[]): TaskChoice[] {
  return enabledTasks
    .filter((task) => task in TASK_TITLES)
    .map((task) => ({ label: TASK_TITLES[task], description: task, task }));
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
