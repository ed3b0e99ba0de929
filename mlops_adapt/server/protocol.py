"""pygls' LSP protocol, changed so that unreadable requests get answers and old changes are dropped."""

from __future__ import annotations

import logging
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification
from pygls.protocol.language_server import lsp_method

log = logging.getLogger(__name__)

# A notification nobody handles: what the reader gets instead of a request we already answered.
ANSWERED = "$/mlopsAdapt/alreadyAnswered"


class AnsweringProtocol(LanguageServerProtocol):
    """Answers requests whose params do not fit the method's schema with InvalidParams, and
    ignores a didChange whose version is older than the buffer's.

    Stock pygls 2.1 only shows a message for the former, so the client would wait forever; and
    it applies any change, so an out-of-order one would put old text (and an old version
    number) back, and edits computed for it would land on the newer text in the editor.
    """

    def structure_message(self, data: dict) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException:
            if not ("id" in data and "method" in data):
                raise
            error = JsonRpcInvalidParams(f"invalid params for {data['method']}")
            self._send_response(data["id"], error=error.to_response_error())
            return JsonRPCNotification(method=ANSWERED, jsonrpc=self.VERSION, params=None)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        """Apply the change, unless its version is older than the open buffer's: log and drop it."""
        uri, version = params.text_document.uri, params.text_document.version
        document = self.workspace.text_documents.get(uri)
        current = getattr(document, "version", None)
        if current is not None and version is not None and version < current:
            message = (f"mlops-adapt: ignored a change to {uri} with version {version}, older "
                       f"than the open buffer's version {current}")
            log.warning(message)
            self._server.window_log_message(
                types.LogMessageParams(type=types.MessageType.Warning, message=message))
            return
        yield from super().lsp_text_document__did_change(params)
