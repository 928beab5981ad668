// Opens report.html files from disk in headless Chromium and checks them as a reader would see
// them: no console error, warning or exception; every chart container holds an SVG (or canvas)
// with drawn marks of non-zero size; no request leaves the file (only file:, data:, blob: and
// about: URLs). Optionally saves one PNG screenshot per section.
//
//   node check_report.mjs [--screenshots DIR] [--timeout SECONDS] REPORT.html...
//
// Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands
// go to its file descriptor 3, replies come from 4, each message JSON ended by a NUL byte), with
// Node's built-ins only. Everything is time-bounded: a hung browser is killed and the check
// fails. The last line reads "N passed, M failed".
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, basename, dirname } from "node:path";
import { pathToFileURL } from "node:url";

const ALLOWED_SCHEMES = ["file:", "data:", "blob:", "about:"];

function parseArguments(argv) {
  const options = { files: [], screenshots: null, timeout: 90, width: 1280 };
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === "--screenshots") options.screenshots = argv[++i];
    else if (argv[i] === "--timeout") options.timeout = Number(argv[++i]);
    else if (argv[i] === "--width") options.width = Number(argv[++i]);
    else options.files.push(resolve(argv[i]));
  }
  if (options.files.length === 0) {
    console.error("usage: node check_report.mjs [--screenshots DIR] [--timeout S] REPORT.html...");
    process.exit(2);
  }
  return options;
}

// A DevTools protocol connection over Chromium's pipe.
class Connection {
  constructor(toBrowser, fromBrowser) {
    this.toBrowser = toBrowser;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Set();
    let buffered = Buffer.alloc(0);
    fromBrowser.on("data", (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let end = buffered.indexOf(0); end >= 0; end = buffered.indexOf(0)) {
        this.dispatch(JSON.parse(buffered.subarray(0, end).toString("utf8")));
        buffered = buffered.subarray(end + 1);
      }
    });
  }

  dispatch(message) {
    if (message.id === undefined) {
      for (const listener of this.listeners) listener(message);
      return;
    }
    const waiting = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (message.error) waiting.reject(new Error(`${waiting.method}: ${message.error.message}`));
    else waiting.resolve(message.result);
  }

  send(method, params = {}, sessionId = undefined) {
    const id = this.nextId++;
    const message = { id, method, params };
    if (sessionId) message.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.toBrowser.write(JSON.stringify(message) + "\0");
    });
  }

  // Resolves with the first event of `method` in `sessionId` that happens after the call.
  waitFor(method, sessionId, seconds) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no ${method} within ${seconds} s`));
      }, seconds * 1000);
      const listener = (event) => {
        if (event.method !== method || event.sessionId !== sessionId) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(event.params);
      };
      this.listeners.add(listener);
    });
  }
}

function launchChromium(profile) {
  const binary = process.env.CHROMIUM || "/usr/bin/chromium";
  const flags = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
    "--font-render-hinting=none", `--user-data-dir=${profile}`, "--remote-debugging-pipe",
    "about:blank",
  ];
  // Its own process group, so that a timeout can end the browser and all its children.
  const child = spawn(binary, flags, { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"], detached: true });
  const log = [];
  child.stderr.on("data", (chunk) => log.push(...chunk.toString().split("\n").filter(Boolean)));
  child.on("error", (error) => log.push(`cannot start ${binary}: ${error.message}`));
  return { child, log, connection: new Connection(child.stdio[3], child.stdio[4]) };
}

function scheme(url) {
  try { return new URL(url).protocol; } catch { return `unparsable URL`; }
}

// Records what the page does that a report must not: errors, warnings, outside requests.
function watch(connection, sessionId, problems) {
  connection.listeners.add((event) => {
    if (event.sessionId !== sessionId) return;
    const p = event.params;
    if (event.method === "Runtime.exceptionThrown")
      problems.push(`exception: ${p.exceptionDetails.exception?.description ?? p.exceptionDetails.text}`);
    else if (event.method === "Runtime.consoleAPICalled" && ["error", "warning", "assert"].includes(p.type))
      problems.push(`console ${p.type}: ${p.args.map((a) => a.value ?? a.description).join(" ")}`);
    else if (event.method === "Log.entryAdded" && ["error", "warning"].includes(p.entry.level))
      problems.push(`browser ${p.entry.level}: ${p.entry.text} ${p.entry.url ?? ""}`);
    else if (event.method === "Network.requestWillBeSent" && !ALLOWED_SCHEMES.includes(scheme(p.request.url)))
      problems.push(`request leaves the file: ${p.request.url}`);
    else if (event.method === "Network.webSocketCreated")
      problems.push(`web socket opened: ${p.url}`);
  });
}

// Runs in the page: what each chart container holds.
const INSPECT_CHARTS = `(() => {
  const charts = Array.from(document.querySelectorAll(".chart"));
  return {
    specs: document.querySelectorAll('script[type="application/json"][id^="spec-"]').length,
    charts: charts.map((element) => {
      const svg = element.querySelector("svg");
      const canvas = element.querySelector("canvas");
      let marks = 0;
      if (svg)
        for (const mark of svg.querySelectorAll(".role-mark path, .role-mark rect, .role-mark line, .role-mark circle")) {
          const box = mark.getBBox();
          if (box.width > 0 || box.height > 0) ++marks;
        }
      const box = (svg || canvas || element).getBoundingClientRect();
      return { id: element.id, svg: Boolean(svg), canvas: Boolean(canvas && canvas.width > 0),
               marks, width: box.width, height: box.height, text: element.textContent.slice(0, 200) };
    }),
  };
})()`;

async function evaluate(connection, sessionId, expression) {
  const reply = await connection.send("Runtime.evaluate", { expression, returnByValue: true }, sessionId);
  if (reply.exceptionDetails) throw new Error(`evaluating in the page: ${reply.exceptionDetails.text}`);
  return reply.result.value;
}

async function waitForCharts(connection, sessionId, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const state = await evaluate(connection, sessionId, "document.body && document.body.dataset.charts");
    if (state === "drawn" || state === "failed") return state;
    if (Date.now() > deadline) return `still drawing after ${seconds} s`;
    await new Promise((done) => setTimeout(done, 100));
  }
}

function checkCharts(inspection, problems) {
  if (inspection.charts.length === 0) problems.push("no chart in the report");
  if (inspection.charts.length !== inspection.specs)
    problems.push(`${inspection.charts.length} chart containers for ${inspection.specs} specifications`);
  for (const chart of inspection.charts) {
    if (!chart.svg && !chart.canvas) problems.push(`${chart.id}: nothing drawn (${chart.text})`);
    else if (chart.svg && chart.marks === 0) problems.push(`${chart.id}: an SVG without drawn marks`);
    else if (chart.width < 50 || chart.height < 50)
      problems.push(`${chart.id}: drawn at ${chart.width} x ${chart.height} px`);
  }
}

// One PNG per section, named <report folder>-<section id>.png.
async function screenshotSections(connection, sessionId, file, directory) {
  mkdirSync(directory, { recursive: true });
  await evaluate(connection, sessionId, 'document.querySelector("nav").style.position = "static"');
  const boxes = await evaluate(connection, sessionId, `Array.from(document.querySelectorAll("header, section")).map((e) => {
    const r = e.getBoundingClientRect();
    return { id: e.id || "header", x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
  })`);
  const prefix = basename(dirname(file));
  const written = [];
  for (const box of boxes) {
    const clip = { x: 0, y: Math.floor(box.y), width: Math.ceil(box.x * 2 + box.width), height: Math.ceil(box.height), scale: 1 };
    const shot = await connection.send("Page.captureScreenshot", { format: "png", clip, captureBeyondViewport: true }, sessionId);
    const path = join(directory, `${prefix}-${box.id}.png`);
    writeFileSync(path, Buffer.from(shot.data, "base64"));
    written.push(path);
  }
  return written;
}

async function checkReport(connection, file, options) {
  const problems = [];
  const { targetId } = await connection.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await connection.send("Target.attachToTarget", { targetId, flatten: true });
  watch(connection, sessionId, problems);
  for (const domain of ["Runtime", "Log", "Network", "Page"]) await connection.send(`${domain}.enable`, {}, sessionId);
  await connection.send("Emulation.setDeviceMetricsOverride",
                        { width: options.width, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
  const loaded = connection.waitFor("Page.loadEventFired", sessionId, 30);
  await connection.send("Page.navigate", { url: pathToFileURL(file).href }, sessionId);
  await loaded;
  const state = await waitForCharts(connection, sessionId, 30);
  if (state !== "drawn") problems.push(`charts ${state}`);
  checkCharts(await evaluate(connection, sessionId, INSPECT_CHARTS), problems);
  await new Promise((done) => setTimeout(done, 200));  // late errors still count
  const shots = options.screenshots ? await screenshotSections(connection, sessionId, file, options.screenshots) : [];
  await connection.send("Target.closeTarget", { targetId });
  return { problems, shots };
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const profile = mkdtempSync(join(tmpdir(), "tenure-chromium-"));
  const browser = launchChromium(profile);
  const stop = () => {
    try { process.kill(-browser.child.pid, "SIGKILL"); } catch { /* already gone */ }
    rmSync(profile, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    console.error(`FAILED: the browser did not finish within ${options.timeout} s`);
    console.error(browser.log.slice(-20).join("\n"));
    stop();
    process.exit(1);
  }, options.timeout * 1000);
  let passed = 0, failed = 0;
  for (const file of options.files) {
    const started = Date.now();
    const { problems, shots } = await checkReport(browser.connection, file, options).catch(
      (error) => ({ problems: [error.message], shots: [] }));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (problems.length === 0) ++passed; else ++failed;
    console.log(`${problems.length === 0 ? "ok  " : "FAIL"} ${file} (${seconds} s)`);
    for (const problem of problems) console.log(`     ${problem}`);
    for (const shot of shots) console.log(`     wrote ${shot}`);
  }
  await browser.connection.send("Browser.close").catch(() => {});
  clearTimeout(watchdog);
  stop();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main();
