// Python: finds the interpreter that runs the server and builds the server's command line.

export interface ServerCommand {
  command: string;
  args: string[];
}

export type Interpreter = { ok: true; argv: string[]; source: string } | { ok: false; message: string };

export const NO_INTERPRETER =
  "MLOps-Adapt needs a Python interpreter with mlops-adapt installed. Set `mlopsAdapt.interpreter`, " +
  "or install the Python extension (ms-python.python) and select an interpreter.";

/**
 * The interpreter from the `mlopsAdapt.interpreter` setting, else from the Python extension.
 * `fromPythonExtension` resolves to undefined when that extension is missing or has no interpreter.
 */
export async function findInterpreter(
  configured: string[],
  fromPythonExtension: () => Promise<string[] | undefined>,
): Promise<Interpreter> {
  const setting = configured.filter((part) => part.trim() !== "");
  if (setting.length > 0) {
    return { ok: true, argv: setting, source: "the mlopsAdapt.interpreter setting" };
  }
  let fromExtension: string[] | undefined;
  try {
    fromExtension = await fromPythonExtension();
  } catch {
    fromExtension = undefined; // a broken Python extension is the same as none
  }
  if (fromExtension && fromExtension.length > 0 && fromExtension[0]) {
    return { ok: true, argv: fromExtension, source: "the Python extension" };
  }
  return { ok: false, message: NO_INTERPRETER };
}

/** `<python> [extra args] -m mlops_adapt lsp` */
export function serverCommand(argv: string[]): ServerCommand {
  const [command, ...rest] = argv;
  return { command, args: [...rest, "-m", "mlops_adapt", "lsp"] };
}
