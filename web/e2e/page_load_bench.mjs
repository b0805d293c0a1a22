// First page load on loopback (target < 1 s) and the bundle's gzipped size (target < 1 MB):
//   node e2e/page_load_bench.mjs --cli BUILD/airline-analytics --lake LAKE [--loads 10]
// Each load is a fresh browser context (empty cache) opening the Overview; the time runs from
// navigation to the page's data and charts drawn (data-ready), as the browser test waits.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback = null) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : fallback);
const cli = option("--cli");
const lake = option("--lake");
const loads = Number(option("--loads", "10"));
const web = resolve(option("--web", join(here, "..", "dist")));
if (!cli || !lake) {
  console.error("usage: page_load_bench.mjs --cli PATH --lake LAKE [--loads N]");
  process.exit(2);
}

const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
let raw = 0;
let gz = 0;
for (const f of files(web)) {
  const bytes = readFileSync(f);
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 6 }).length;
}
console.log(`bundle: ${(raw / 1024).toFixed(0)} KB, ${(gz / 1024).toFixed(0)} KB gzipped (target < 1024 KB)`);

const server = spawn(cli, ["serve", "--lake", lake, "--web", web, "--port", "0", "--stop-after", "900"], { stdio: ["ignore", "pipe", "inherit"] });
const base = await new Promise((ok, fail) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
    if (m) ok(m[0]);
  });
  server.on("exit", (code) => fail(new Error(`serve exited ${code}`)));
});
// serve listens while it loads the snapshot: the loads are timed once it is in.
while ((await (await fetch(base + "/api/health")).json()).status !== "ok") {
  await new Promise((ok) => setTimeout(ok, 100));
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"] });
const times = [];
const transferred = [];
try {
  for (let i = 0; i < loads + 1; i++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    let bytes = 0;
    page.on("response", async (r) => { const h = await r.allHeaders(); bytes += Number(h["content-length"] ?? 0); });
    const t0 = performance.now();
    await page.goto(base + "/");
    await page.waitForSelector('.page[data-page="overview"][data-ready="true"]', { timeout: 60000 });
    const ms = performance.now() - t0;
    if (i > 0) { times.push(ms); transferred.push(bytes); } // the first load warms the browser itself
    await context.close();
  }
} finally {
  await browser.close();
  server.kill("SIGTERM");
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
console.log(`first page load (Overview, data and charts drawn), ${loads} cold loads: ` +
  `median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms (target < 1000 ms)`);
console.log(`bytes on the wire per load (gzip where the browser asked): ${(transferred[0] / 1024).toFixed(0)} KB`);
