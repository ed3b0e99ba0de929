"""pygls' LSP protocol, changed so that a request with unreadable params still gets an answer."""

from __future__ import annotations

from typing import Any

from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification

# A notification nobody handles: what the reader gets instead of a request we already answered.
ANSWERED = "$/mlopsAdapt/alreadyAnswered"


class AnsweringProtocol(LanguageServerProtocol):
    """Answers requests whose params do not fit the method's schema with InvalidParams.

    Stock pygls 2.1 only shows a message for them, so the client would wait forever.
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
