// Visual check in headless Chromium against scripts/fake-server.mjs: builds a small pipeline with
// the mouse, tries a wrong connection, edits a parameter, runs, opens help and export, and saves
// screenshots. Usage: npm run build && node scripts/visual-check.mjs [outDir]  (default /tmp/designer-shots)
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const out = process.argv[2] ?? "/tmp/designer-shots";
const port = 8765 + Math.floor(Math.random() * 1000);
mkdirSync(out, { recursive: true });
const root = fileURLToPath(new URL("..", import.meta.url));
const server = spawn(process.execPath, ["scripts/fake-server.mjs", String(port)], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
await new Promise((resolve) => server.stdout.once("data", resolve));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const failures = [];
const check = (ok, what) => { console.log(`${ok ? "ok  " : "FAIL"} ${what}`); if (!ok) failures.push(what); };

const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
try {
  page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && console.log("console:", m.text(), m.location().url));
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.locator(".palette-item").first().waitFor();
  await page.screenshot({ path: `${out}/01-empty.png` });
  check(await page.locator(".empty-state").isVisible(), "empty state shows");

  const pane = page.locator(".react-flow__pane");
  const drop = async (component, x, y) =>
    page.locator(`[data-component="${component}"]`).dragTo(pane, { targetPosition: { x, y } });
  await drop("datasets.iris", 130, 100);
  await drop("preprocessing.train_test_split", 130, 400);
  await drop("training.logistic_regression", 420, 100);
  await drop("evaluation.predict", 420, 400);
  await drop("evaluation.classification_metrics", 700, 250);
  check(await page.locator(".react-flow__node").count() === 5, "five nodes dropped from the palette");

  const handle = (node, port, kind) => page.locator(`.react-flow__handle.${kind}[data-nodeid="${node}"][data-handleid="${port}"]`);
  const link = async (a, ap, b, bp) => {
    const from = await handle(a, ap, "source").boundingBox();
    const to = await handle(b, bp, "target").boundingBox();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
    await page.mouse.up();
  };
  await link("iris", "table", "train_test_split", "table");
  await link("train_test_split", "train", "logistic_regression", "table");
  await link("logistic_regression", "model", "predict", "model");
  await link("train_test_split", "test", "predict", "table");
  await link("predict", "table", "classification_metrics", "table");
  check(await page.locator(".react-flow__edge").count() === 5, "five edges connected with the mouse");

  await link("logistic_regression", "model", "classification_metrics", "table");
  await page.locator(".toast-error").waitFor({ timeout: 2000 }).catch(() => undefined);
  check(await page.locator(".react-flow__edge").count() === 5, "wrong-type link refused");
  check((await page.locator(".toast").textContent().catch(() => "")).includes("Type mismatch"), "refusal says why");
  await page.screenshot({ path: `${out}/02-refused.png` });

  await page.keyboard.press("l");
  await page.waitForTimeout(400);
  await page.locator('.react-flow__node[data-id="logistic_regression"]').click();
  const c = page.locator('[data-param="C"] input');
  await c.fill("0");
  check(await page.locator('[data-param="C"] .field-error').isVisible(), "bound violation shown inline");
  await c.fill("0.5");
  await page.screenshot({ path: `${out}/03-inspector.png` });

  await page.locator(".insp-head h2").click(); // leave the field: Ctrl Z in a field is the field's own undo
  await page.keyboard.press("Control+z");
  check(await c.inputValue() === "1", `undo restores the parameter (got ${await c.inputValue()})`);
  await page.keyboard.press("Control+Shift+z");
  check(await c.inputValue() === "0.5", "redo re-applies it");

  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.locator('[data-testid="node-logistic_regression"] .cnode-problems').waitFor({ timeout: 5000 });
  check((await page.locator(".toast-error").textContent()).includes("1 problem"), "run refused with the problem count");
  const target = page.locator('[data-param="target"] select');
  check(await target.isVisible(), "column picker filled from the upstream schema");
  check((await page.locator('[data-param="target"] .field-error').allTextContents()).some((t) => t.includes("required")), "server message pinned to the field");
  await target.selectOption("target");
  await page.screenshot({ path: `${out}/04-problems.png` });
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.locator(".cnode.status-running").first().waitFor({ timeout: 5000 });
  await page.screenshot({ path: `${out}/05-running.png` });
  await page.locator(".cnode.status-succeeded").nth(3).waitFor({ timeout: 10000 });
  await page.waitForTimeout(300);
  check(await page.locator(".cnode.status-cached").count() === 1, "first node cached");
  check(await page.locator(".cnode.status-succeeded").count() === 4, "the rest succeeded");
  await page.screenshot({ path: `${out}/06-finished.png` });
  check(await page.getByRole("button", { name: "Undo" }).isEnabled(), "undo history survives the first save");

  await page.keyboard.press("?");
  await page.screenshot({ path: `${out}/07-help.png` });
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Export to code" }).click();
  await page.locator('[data-testid="export-code"]').waitFor();
  check((await page.locator('[data-testid="export-code"]').textContent()).includes("training.logistic_regression"), "export names the components");
  await page.screenshot({ path: `${out}/08-export.png` });
  await page.keyboard.press("Escape");

  const empty = await page.evaluate(() => {
    for (let y = 80; y < 800; y += 40) for (let x = 300; x < 1100; x += 40) {
      if (document.elementFromPoint(x, y)?.classList.contains("react-flow__pane")) return { x, y };
    }
    return null;
  });
  await page.mouse.dblclick(empty.x, empty.y);
  await page.keyboard.type("scal");
  await page.screenshot({ path: `${out}/09-quick-search.png` });
  await page.keyboard.press("Enter");
  check(await page.locator(".react-flow__node").count() === 6, "quick search adds a node");
} catch (err) {
  failures.push(String(err?.stack ?? err));
  await page.screenshot({ path: `${out}/error.png` }).catch(() => undefined);
} finally {
  await browser.close();
  server.kill();
}
console.log(failures.length ? `\n${failures.length} problem(s):\n${failures.join("\n")}` : `\nall checks passed; screenshots in ${out}`);
process.exit(failures.length ? 1 : 0);
