// A line-oriented bridge from pytest to a system browser, through
// puppeteer-core (it never downloads a browser: executablePath is the
// system one). `node bridge.mjs chromium` drives Debian's chromium over the
// DevTools protocol; `node bridge.mjs firefox` drives Debian's firefox-esr
// over WebDriver BiDi. Node 18 or newer (Debian 12's nodejs is 18).
//
// One process = one browser session; every request is one JSON line on
// stdin, every answer one JSON line on stdout: {"ok": value} or
// {"error": message}. Everything the page does that a test must see is
// recorded from the start: console messages, page errors, dialogs (dismissed)
// and every request the page makes.
//
// Requests:
//   {"op": "open", "path": "/abs/file.html"}     new page; resets the record
//   {"op": "eval", "js": "expr or promise"}       value of the expression
//   {"op": "click", "selector": "css"}            a real mouse click on it
//   {"op": "mouse", "x": 1, "y": 2}               a real click at page coords
//   {"op": "move", "x": 1, "y": 2}                the mouse moves there (hover)
//   {"op": "fill", "selector": "css", "value": "text"}
//   {"op": "select", "selector": "css", "value": "option value"}
//   {"op": "press", "key": "Escape"}
//   {"op": "screenshot", "path": "/abs/file.png"}
//   {"op": "record"}                              what was recorded so far
//   {"op": "version"}                             the browser's name/version
//   {"op": "close"}
import puppeteer from "puppeteer-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import readline from "node:readline";

const which = process.argv[2] || "chromium";
const viewport = { width: 1400, height: 900 };
const profile = mkdtempSync(join(tmpdir(), `actorgraph-${which}-`));
const launch = {
  chromium: {
    browser: "chrome",
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run"],
  },
  firefox: {
    browser: "firefox",
    protocol: "webDriverBiDi",
    executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
  },
}[which];
if (!launch) throw new Error(`unknown browser ${which}: chromium or firefox`);
const browser = await puppeteer.launch({ ...launch, headless: true, userDataDir: profile, defaultViewport: viewport });

let page = null;
let record = null;

async function open(path) {
  if (page) await page.close();
  record = { console: [], errors: [], dialogs: [], requests: [] };
  page = await browser.newPage();
  await page.setViewport(viewport);
  page.on("console", (m) => record.console.push({ type: m.type(), text: m.text() }));
  page.on("pageerror", (e) => record.errors.push(String(e)));
  page.on("dialog", (d) => { record.dialogs.push({ type: d.type(), message: d.message() }); d.dismiss().catch(() => {}); });
  // WebDriver BiDi has no resource types: a request is the page itself or not.
  page.on("request", (r) => record.requests.push({ url: r.url(), navigation: r.isNavigationRequest() }));
  await page.goto(pathToFileURL(path).href, { waitUntil: "load" });
  return page.url();
}

async function handle(req) {
  switch (req.op) {
    case "open": return await open(req.path);
    case "eval": return await page.evaluate(req.js);
    case "click": await page.locator(req.selector).click(); return null;
    case "mouse": await page.mouse.click(req.x, req.y); return null;
    case "move": await page.mouse.move(req.x, req.y, { steps: 4 }); return null;
    case "fill": await page.locator(req.selector).fill(req.value); return null;
    case "select": await page.select(req.selector, req.value); return null;
    case "press": await page.keyboard.press(req.key); return null;
    case "screenshot": await page.screenshot({ path: req.path }); return req.path;
    case "record": return record;
    case "version": return await browser.version();
    case "close": return null;
    default: throw new Error(`unknown op ${req.op}`);
  }
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let req;
  let answer;
  try {
    req = JSON.parse(line);
    answer = { ok: (await handle(req)) ?? null };
  } catch (e) {
    answer = { error: String(e && e.stack ? e.stack : e) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
  if (req && req.op === "close") break;
}
lines.close();
await browser.close();
rmSync(profile, { recursive: true, force: true });
process.exit(0);
