"""A small client of the real yaml-language-server (Red Hat's, as its VS Code YAML extension runs it).

JSON-RPC over stdio: initialize, the settings the extension sends (schema store off: no network),
didOpen, and the diagnostics, completions and hovers the editor would show. The server comes from
npm (.ci/run installs it); env KEHOACH_YAML_LS names its folder (the one holding node_modules/).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path

from support import unavailable

TIMEOUT = 30  # seconds for one answer; the server answers in milliseconds once started
SETTINGS = {"validate": True, "hover": True, "completion": True, "format": {"enable": True},
            "schemaStore": {"enable": False}, "kubernetesCRDStore": {"enable": False}}


def server_command() -> list[str]:
    """node and the server's script; skipped on a developer machine without them, a failure on CI."""
    folder = os.environ.get("KEHOACH_YAML_LS", "")
    script = Path(folder) / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
    node = shutil.which("node") or shutil.which("nodejs")
    if not folder or not script.is_file() or node is None:
        unavailable(f"yaml-language-server not found (KEHOACH_YAML_LS={folder!r}, node: {node}); .ci/run installs it")
    return [node, str(script), "--stdio"]


class YamlLanguageServer:
    """One server process; open documents and ask what the editor would show for them."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(server_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.ids = itertools.count(1)
        self.answers: dict[int, queue.Queue] = {}
        self.diagnostics: dict[str, queue.Queue] = {}
        self.lock = threading.Lock()
        self.configured = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(), "workspaceFolders": [{"uri": root.as_uri(), "name": "kehoach"}],
            "capabilities": {"workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": True}},
                             "textDocument": {"completion": {"completionItem": {"snippetSupport": True,
                                                                                "documentationFormat": ["markdown", "plaintext"]}},
                                              "hover": {"contentFormat": ["markdown", "plaintext"]},
                                              "publishDiagnostics": {"relatedInformation": True}}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": SETTINGS}})
        assert self.configured.wait(TIMEOUT), "the server never asked for its settings"

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        with self.lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:  # the server asks the client
                self._send({"id": message["id"], "result": self._answer(message)})
            elif "id" in message:
                self.answers.setdefault(message["id"], queue.Queue()).put(message)
            elif message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                self.diagnostics.setdefault(params["uri"], queue.Queue()).put(params["diagnostics"])

    def _answer(self, message: dict) -> object:
        if message["method"] == "workspace/configuration":
            self.configured.set()
            return [SETTINGS if item.get("section") == "yaml" else {} for item in message["params"]["items"]]
        return None  # client/registerCapability, window/workDoneProgress/create …

    def request(self, method: str, params: dict) -> object:
        number = next(self.ids)
        self.answers.setdefault(number, queue.Queue())
        self._send({"id": number, "method": method, "params": params})
        answer = self.answers[number].get(timeout=TIMEOUT)
        assert "error" not in answer, answer
        return answer["result"]

    def notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    @contextlib.contextmanager
    def _opened(self, path: Path, text: str | None):
        # Each opening under a name of its own (beside the file, for its schema line's relative path):
        # the server's answers for one text never mix with another's.
        if text is None:
            text = path.read_text("utf-8")
        path = path.resolve()
        uri = path.with_name(f"{path.stem}.{next(self.ids)}{path.suffix}").as_uri()
        self.diagnostics.setdefault(uri, queue.Queue())
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        try:
            yield uri, self.diagnostics[uri].get(timeout=TIMEOUT)
        finally:
            self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            self.diagnostics[uri].get(timeout=TIMEOUT)  # closing clears the file's diagnostics

    def open(self, path: Path, text: str | None = None) -> list[dict]:
        """Open a file as VS Code does (its text, or the text given) and return the diagnostics shown for it."""
        with self._opened(path, text) as (_, found):
            return found

    def _at(self, method: str, path: Path, text: str, line: int, character: int) -> object:
        with self._opened(path, text) as (uri, _):
            return self.request(method, {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})

    def completion(self, path: Path, text: str, line: int, character: int) -> list[dict]:
        """The completion items offered at a position of a text."""
        result = self._at("textDocument/completion", path, text, line, character)
        return result["items"] if isinstance(result, dict) else (result or [])

    def hover(self, path: Path, text: str, line: int, character: int) -> str:
        """The hover text shown at a position ("" when none)."""
        result = self._at("textDocument/hover", path, text, line, character)
        return result["contents"]["value"] if result else ""

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=TIMEOUT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.reader.join(TIMEOUT)  # it stops at the end of the server's output
            self.process.stdin.close()
            self.process.stdout.close()
