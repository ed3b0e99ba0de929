"""Shared data and helpers of the sandbox suite."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Secret-like variables a CI job or a developer shell really holds; the first six got through the
# old deny-list. Every value is unique, so finding it anywhere in the script's output is a leak.
SECRETS = {
    name: f"s3cret-{name.lower()}-0451"
    for name in (
        "DATABASE_URL",
        "PIP_INDEX_URL",
        "SENTRY_DSN",
        "CI_JOB_JWT",
        "AUTHORIZATION",
        "SSHPASS",
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "HF_TOKEN",
        "WANDB_API_KEY",
        "MLFLOW_TRACKING_PASSWORD",
        "MLFLOW_TRACKING_URI",
        "PGPASSWORD",
        "REDIS_URL",
        "SLACK_WEBHOOK_URL",
        "NPM_TOKEN",
        "TWINE_PASSWORD",
        "VAULT_TOKEN",
        "DOCKER_AUTH_CONFIG",
        "KUBECONFIG",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "AZURE_CLIENT_SECRET",
    )
}


def leaked(text: str) -> list[str]:
    """The planted secrets whose value appears in `text`."""
    return [name for name, value in SECRETS.items() if value in text]


def host_processes_mentioning(token: str) -> list[int]:
    """Host pids whose command line contains `token` (e.g. a sandbox's script path)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if token.encode() in cmdline:
            found.append(int(entry.name))
    return found
