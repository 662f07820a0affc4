"""Run a graph on a Designer server (``Pipeline.submit``, ``designer submit``): save it as a
workflow, start a run, follow its events, read node statuses and outputs. Standard library only.

The server is ``DESIGNER_URL`` (default http://127.0.0.1:8000) and the API token
``DESIGNER_TOKEN`` unless given; ``fetch_token`` exchanges a username and password for one.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any, TextIO
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_NAME = "SDK pipeline"
FINISHED = frozenset({"succeeded", "failed", "cancelled"})
EventSink = Callable[[dict[str, Any]], None]


class RemoteError(RuntimeError):
    """The server refused a request or could not be reached; the message says what to do.
    ``status`` is the HTTP status (None when unreachable); ``body`` the JSON error body."""

    def __init__(self, message: str, *, status: int | None = None,
                 body: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = dict(body or {})
        self.code = str(self.body.get("code", ""))
        self.errors: list[dict[str, Any]] = list(self.body.get("errors") or [])


def _error_lines(body: Mapping[str, Any]) -> list[str]:
    lines = []
    for error in body.get("errors") or []:
        where = " ".join(f"{k} {error[k]}" for k in ("node", "port", "param") if error.get(k))
        lines.append(f"  {where + ': ' if where else ''}{error.get('message', error)}")
    return lines


class Client:
    """JSON over HTTP with ``Authorization: Token <token>``."""

    def __init__(self, url: str | None = None, token: str | None = None, *,
                 timeout: float = 60.0) -> None:
        self.url = (url or os.environ.get("DESIGNER_URL") or DEFAULT_URL).rstrip("/")
        self.token = token or os.environ.get("DESIGNER_TOKEN") or ""
        self.timeout = timeout
        if not self.token:
            raise RemoteError(
                "No API token: pass token=... (or --token) or set DESIGNER_TOKEN. Get one with "
                f"designer.sdk.remote.fetch_token({self.url!r}, username, password) or "
                f"POST {self.url}/api/auth/token/ with {{\"username\", \"password\"}}."
            )

    def request(self, method: str, path: str, body: Any = None,
                query: Mapping[str, Any] | None = None) -> Any:
        """``method path`` -> the parsed JSON answer (None for 204); ``RemoteError`` else."""
        return _call(method, self.url + path, body, query, self.timeout,
                     {"Authorization": f"Token {self.token}"})


def _call(method: str, url: str, body: Any, query: Mapping[str, Any] | None, timeout: float,
          headers: dict[str, str]) -> Any:
    if query:
        url += "?" + urlencode(query)
    data = None if body is None else json.dumps(body).encode()
    request = Request(url, data=data, method=method,
                      headers={"Accept": "application/json", **headers,
                               **({"Content-Type": "application/json"} if data else {})})
    try:
        with urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except HTTPError as exc:
        raw = exc.read()
        try:
            err = json.loads(raw)
        except ValueError:
            err = {"detail": raw.decode("utf-8", "replace")[:500]}
        detail = err.get("detail", exc.reason) if isinstance(err, dict) else str(err)
        hint = {401: " Check the token (DESIGNER_TOKEN / token=): it is missing, wrong or the "
                     "user was deactivated.",
                404: " It does not exist or belongs to another user."}.get(exc.code, "")
        lines = [f"{method} {url} -> {exc.code}: {detail}{hint}",
                 *_error_lines(err if isinstance(err, dict) else {})]
        raise RemoteError("\n".join(lines), status=exc.code,
                          body=err if isinstance(err, dict) else {}) from None
    except URLError as exc:
        raise RemoteError(
            f"Cannot reach the Designer server at {url} ({exc.reason}). Start it with ./dev up "
            "or point DESIGNER_URL / url= at a running server."
        ) from None
    return json.loads(raw) if raw else None


def fetch_token(url: str | None, username: str, password: str, *, timeout: float = 30.0) -> str:
    """The API token of ``username`` (created on first use)."""
    base = (url or os.environ.get("DESIGNER_URL") or DEFAULT_URL).rstrip("/")
    answer = _call("POST", base + "/api/auth/token/", {"username": username,
                                                       "password": password}, None, timeout, {})
    return str(answer["token"])


def print_events(out: TextIO | None = None) -> EventSink:
    """The default ``on_event``: one line per finished node, log line and the run's end."""
    from designer.dag.local import status_line

    def on_event(event: dict[str, Any]) -> None:
        stream = out or sys.stdout
        kind, node = event.get("type", ""), event.get("node", "")
        if kind in ("node.succeeded", "node.cached", "node.failed", "node.skipped",
                    "node.cancelled"):
            error = event.get("error") or event.get("reason")
            duration = float(event.get("duration_s") or 0.0)
            print(status_line(kind.removeprefix("node."), node, event.get("component", "-"),
                              duration, error), file=stream)
        elif kind == "node.log":
            print(f"  {node} | {event.get('message', '')}", file=stream)
        elif kind == "run.finished":
            error = f": {event['error']}" if event.get("error") else ""
            print(f"run {event.get('run')} {event.get('status')}{error}", file=stream)
        stream.flush()

    return on_event


class RemoteRun:
    """A run on the server. ``status``/``nodes`` are as of the last ``refresh`` or ``wait``."""

    def __init__(self, client: Client, detail: dict[str, Any]) -> None:
        self.client = client
        self.id = int(detail["id"])
        self.workflow_id = int(detail["workflow"])
        self.last_seq = 0
        self._update(detail)

    def _update(self, detail: dict[str, Any]) -> None:
        self.detail = detail
        self.status: str = detail["status"]
        self.error: str = detail.get("error") or ""
        self.nodes: dict[str, str] = {n["node_id"]: n["status"] for n in detail.get("nodes", [])}

    def __repr__(self) -> str:
        return f"<RemoteRun {self.id} {self.status} on {self.client.url}>"

    @property
    def done(self) -> bool:
        return self.status in FINISHED

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"

    def refresh(self) -> RemoteRun:
        self._update(self.client.request("GET", f"/api/runs/{self.id}/"))
        return self

    def events(self, after: int = 0) -> list[dict[str, Any]]:
        """Events with ``seq > after`` as stored by the server (one page, up to 1000)."""
        answer = self.client.request("GET", f"/api/runs/{self.id}/events/",
                                     query={"after": after, "limit": 1000})
        return list(answer["events"])

    def wait(self, on_event: EventSink | None = None, *, timeout: float | None = None,
             poll: float = 0.2) -> RemoteRun:
        """Poll the run's events until it finishes, passing each to ``on_event`` in order.
        ``TimeoutError`` after ``timeout`` seconds (the run keeps going on the server)."""
        components = {n["node_id"]: n["component_id"] for n in self.detail.get("nodes", [])}
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            answer = self.client.request("GET", f"/api/runs/{self.id}/events/",
                                         query={"after": self.last_seq, "limit": 1000})
            for event in answer["events"]:
                self.last_seq = max(self.last_seq, int(event["seq"]))
                if on_event is not None:
                    on_event({"component": components.get(event.get("node", ""), "-"), **event})
            if answer["status"] in FINISHED and self.last_seq >= int(answer["last_seq"]):
                return self.refresh()
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"run {self.id} still {answer['status']} after {timeout} s; "
                                   "wait() again or cancel() it")
            if not answer["events"]:
                time.sleep(poll)

    def cancel(self) -> RemoteRun:
        self._update(self.client.request("POST", f"/api/runs/{self.id}/cancel/"))
        return self

    def output(self, node_id: str, port: str, *, rows: int = 50) -> dict[str, Any]:
        """The server's JSON preview of an output (table rows and stats, metrics, figure...)."""
        path = f"/api/runs/{self.id}/nodes/{quote(node_id)}/outputs/{quote(port)}/"
        return dict(self.client.request("GET", path, query={"rows": rows}))

    def metrics(self, node_id: str, port: str | None = None) -> dict[str, float]:
        """The metrics output of ``node_id`` (its only metrics port unless ``port`` is given)."""
        if port is None:
            node = next((n for n in self.detail.get("nodes", []) if n["node_id"] == node_id), None)
            if node is None:
                raise KeyError(f"run {self.id} has no node {node_id!r}; "
                               f"nodes: {sorted(self.nodes)}")
            ports = [p for p, ref in (node.get("outputs") or {}).items()
                     if ref.get("type") == "metrics"]
            if len(ports) != 1:
                raise KeyError(f"node {node_id!r} ({node['status']}) has {len(ports)} stored "
                               "metrics outputs; pass port=")
            port = ports[0]
        return dict(self.output(node_id, port)["metrics"])

    def all_metrics(self) -> dict[str, dict[str, dict[str, float]]]:
        """``{node: {port: metrics}}`` for every stored metrics output, in plan order."""
        return {
            n["node_id"]: {p: self.metrics(n["node_id"], p) for p in ports}
            for n in self.detail.get("nodes", [])
            if (ports := [p for p, r in (n.get("outputs") or {}).items()
                          if r.get("type") == "metrics"])
        }

    def logs(self, node_id: str) -> list[dict[str, Any]]:
        answer = self.client.request("GET", f"/api/runs/{self.id}/nodes/{quote(node_id)}/logs/")
        return list(answer["lines"])


def _find_workflow(client: Client, name: str) -> int | None:
    page: int | None = 1
    while page:
        answer = client.request("GET", "/api/workflows/", query={"page": page, "page_size": 200})
        for workflow in answer["results"]:
            if workflow["name"] == name:
                return int(workflow["id"])
        page = page + 1 if answer.get("next") else None
    return None


def submit_graph(
    graph: Mapping[str, Any],
    client: Client,
    *,
    name: str | None = None,
    workflow_id: int | None = None,
    from_node: str | None = None,
    to_node: str | None = None,
    use_cache: bool = True,
    seed: int = 0,
) -> RemoteRun:
    """Save ``graph`` (a graph document) to workflow ``workflow_id``, or to the caller's
    workflow called ``name`` (created if missing; default ``"SDK pipeline"``), then start a run.
    A graph equal to the saved one adds no version. Invalid graphs raise ``RemoteError`` listing
    each problem (``.errors``) and start nothing."""
    body: dict[str, Any] = {"graph": dict(graph), "message": "submitted from the SDK"}
    if name:
        body["name"] = name
    if workflow_id is None:
        body["name"] = name or DEFAULT_NAME
        workflow_id = _find_workflow(client, body["name"])
    if workflow_id is None:
        workflow_id = int(client.request("POST", "/api/workflows/", body)["id"])
    else:
        client.request("PATCH", f"/api/workflows/{workflow_id}/", body)
    detail = client.request("POST", f"/api/workflows/{workflow_id}/runs/", {
        "from_node": from_node, "to_node": to_node, "use_cache": use_cache, "seed": seed})
    return RemoteRun(client, detail)
