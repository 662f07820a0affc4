// A stand-in server for the visual check ONLY (never the product): serves dist/ like Django will
// (/static/app/..., index.html at / and /w/<id>), the catalogue from the test fixtures, and just
// enough of the workflow/run API and a scripted /ws/runs/<id>/ event stream to show a run.
// Usage: node scripts/fake-server.mjs [port]   (build first: npm run build)
import { createHash } from "node:crypto";
import { readFileSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const port = Number(process.argv[2] ?? 8765);
const fixture = (name) => JSON.parse(readFileSync(join(root, "src/test/fixtures", name), "utf8"));

const catalogue = () => fixture("catalogue.json");

const TYPES = { ".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".map": "application/json", ".svg": "image/svg+xml" };
const workflows = new Map();
let nextId = 1;
const runs = new Map();

const IRIS = ["sepal_length", "sepal_width", "petal_length", "petal_width"].map((name) => ({ name, kind: "float" }))
  .concat([{ name: "target", kind: "int" }]);

function send(res, status, body, type = "application/json") {
  res.writeHead(status, { "Content-Type": type, "Set-Cookie": "csrftoken=fake-token; Path=/" });
  res.end(typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => resolve(data ? JSON.parse(data) : {}));
  });
}

function topo(graph) {
  const indeg = new Map(graph.nodes.map((n) => [n.id, 0]));
  for (const e of graph.edges) indeg.set(e.target, (indeg.get(e.target) ?? 0) + 1);
  const order = [];
  const queue = [...indeg].filter(([, d]) => d === 0).map(([id]) => id);
  while (queue.length) {
    const id = queue.shift();
    order.push(id);
    for (const e of graph.edges) if (e.source === id) {
      indeg.set(e.target, indeg.get(e.target) - 1);
      if (indeg.get(e.target) === 0) queue.push(e.target);
    }
  }
  return order;
}

async function api(req, res, url) {
  const path = url.pathname;
  if (path === "/api/components/") return send(res, 200, catalogue());
  if (path === "/api/workflows/" && req.method === "POST") {
    const body = await readBody(req);
    const wf = { id: nextId++, name: body.name ?? "Untitled", description: "", graph: body.graph, version: 1, updated_at: new Date().toISOString() };
    workflows.set(wf.id, wf);
    return send(res, 201, wf);
  }
  const m = /^\/api\/workflows\/(\d+)\/(validate\/|runs\/|export\/)?$/.exec(path);
  const wf = m && workflows.get(Number(m[1]));
  if (m && !wf) return send(res, 404, { detail: "Not found. It does not exist or is not yours.", code: "not_found" });
  if (m && !m[2] && req.method === "PATCH") {
    Object.assign(wf, await readBody(req), { version: wf.version + 1 });
    return send(res, 200, wf);
  }
  if (m && !m[2]) return send(res, 200, wf);
  if (m && m[2] === "validate/") {
    // Required params that are missing, and every table output shaped like iris (+ prediction).
    const specs = new Map(catalogue().components.map((c) => [`${c.id}@${c.version}`, c]));
    const errors = [];
    const schemas = {};
    for (const n of wf.graph.nodes) {
      const spec = specs.get(`${n.component}@${n.version}`);
      for (const p of spec?.params_schema.required ?? []) {
        if (!(p in n.params)) errors.push({ code: "missing_param", message: `${p} is required; pick a value`, node: n.id, port: null, param: p, edge: null });
      }
      const cols = n.component === "evaluation.predict" ? [...IRIS, { name: "prediction", kind: "int" }] : IRIS;
      schemas[n.id] = Object.fromEntries((spec?.outputs ?? []).filter((o) => o.type === "table").map((o) => [o.name, cols]));
    }
    return send(res, 200, { valid: errors.length === 0, errors, schemas });
  }
  if (m && m[2] === "runs/") {
    const options = await readBody(req);
    const run = { id: nextId++, status: "queued", nodes: topo(wf.graph).map((node_id) => ({ node_id, status: "pending" })), options };
    runs.set(run.id, run);
    return send(res, 201, run);
  }
  if (m && m[2] === "export/") {
    const lines = ["from designer.sdk import Workflow", "", `wf = Workflow(${JSON.stringify(wf.name)})`];
    for (const n of wf.graph.nodes) lines.push(`${n.id} = wf.add(${JSON.stringify(n.component)}, id=${JSON.stringify(n.id)})  # v${n.version}`);
    for (const e of wf.graph.edges) lines.push(`wf.connect(${e.source}.${e.source_port}, ${e.target}.${e.target_port})`);
    lines.push("", "if __name__ == \"__main__\":", "    wf.run()");
    return send(res, 200, lines.join("\n") + "\n", "text/plain");
  }
  return send(res, 404, { detail: `No fake for ${req.method} ${path}`, code: "not_found" });
}

function frame(text) {
  const payload = Buffer.from(text);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x81, len]) : Buffer.from([0x81, 126, len >> 8, len & 255]);
  return Buffer.concat([head, payload]);
}

function runSocket(req, socket, runId) {
  const accept = createHash("sha1").update(req.headers["sec-websocket-key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const run = runs.get(runId);
  if (!run) return socket.end();
  let seq = 0;
  const events = [{ type: "run.snapshot", status: "queued", nodes: run.nodes }, { type: "run.started" }];
  // Scripted: the first node comes from the cache, the last one fails (when "fail" is in its id), others succeed.
  run.nodes.forEach((n, i) => {
    if (i === 0) return events.push({ type: "node.cached", node: n.node_id, outputs: {} });
    events.push({ type: "node.queued", node: n.node_id }, { type: "node.started", node: n.node_id });
    for (let v = 1; v <= 3; v++) events.push({ type: "node.progress", node: n.node_id, value: v, max: 4, text: `step ${v}/4` });
    events.push(n.node_id.includes("fail")
      ? { type: "node.failed", node: n.node_id, error: "ValueError: column 'target' has one class; pick another", traceback: "" }
      : { type: "node.succeeded", node: n.node_id, outputs: {} });
  });
  events.push({ type: "run.finished", status: run.nodes.some((n) => n.node_id.includes("fail")) ? "failed" : "succeeded" });
  const hold = Number(new URL(req.url, "http://x").searchParams.get("hold") ?? 0);
  const timer = setInterval(() => {
    const e = events.shift();
    if (!e || (hold && events.length < hold)) return clearInterval(timer);
    socket.write(frame(JSON.stringify({ ...e, run: runId, seq: ++seq, ts: new Date().toISOString() })));
  }, 120);
  socket.on("error", () => clearInterval(timer));
  socket.on("close", () => clearInterval(timer));
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  if (url.pathname.startsWith("/api/")) return api(req, res, url);
  if (url.pathname.startsWith("/static/app/")) {
    const file = normalize(join(dist, url.pathname.slice("/static/app/".length)));
    if (file.startsWith(dist) && existsSync(file)) return send(res, 200, readFileSync(file), TYPES[extname(file)] ?? "application/octet-stream");
    return send(res, 404, "not found", "text/plain");
  }
  if (url.pathname === "/" || /^\/w\/\d+\/?$/.test(url.pathname)) return send(res, 200, readFileSync(join(dist, "index.html")), "text/html");
  send(res, 404, "not found", "text/plain");
});
server.on("upgrade", (req, socket) => {
  const m = /^\/ws\/runs\/(\d+)\/$/.exec(new URL(req.url, "http://x").pathname);
  if (m) runSocket(req, socket, Number(m[1]));
  else socket.destroy();
});
server.listen(port, "127.0.0.1", () => console.log(`fake server on http://127.0.0.1:${port}/`));
