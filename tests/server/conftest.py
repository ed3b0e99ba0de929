"""Fixtures for the language-server tests: a pytest-lsp client initialized from package.json defaults."""

from __future__ import annotations

import pytest
import pytest_lsp
from lsp_test_support import SERVER_COMMAND, package_defaults
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    """A VS Code-like client, initialized with the package.json defaults."""
    applied: list[types.ApplyWorkspaceEditParams] = []

    @lsp_client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams):
        applied.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    lsp_client.applied_edits = applied
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            initialization_options=package_defaults(),
        )
    )
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def defaults() -> dict:
    return package_defaults()
