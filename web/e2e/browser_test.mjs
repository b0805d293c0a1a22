// The dashboard in a real browser: Debian's Chromium driven by playwright-core.
//
//   node e2e/browser_test.mjs --cli BUILD/airline-analytics [--screenshots DIR] [--keep]
//
// Builds a synthetic lake (with two bad activity rows, so the quarantine has something to
// show), starts `airline-analytics serve` on a free port of 127.0.0.1 (it stops itself after
// --stop-after), opens every page, applies a filter and checks the KPI against the API, asks
// the analyst, downloads a CSV, asserts no console errors, and saves a screenshot per page
// (under docs/screenshots/ with --screenshots docs/screenshots, else a temporary folder).
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, appendFileSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { checkAskAboutThisView, checkCustomerSearch, checkOverviewCharts, everyMemberLinked } from "./reference_checks.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback = null) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const cli = option("--cli");
if (!cli) {
  console.error("usage: browser_test.mjs --cli PATH [--screenshots DIR] [--keep]");
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), "aa-browser-"));
const shots = resolve(option("--screenshots") ?? mkdtempSync(join(tmpdir(), "aa-screenshots-")));
mkdirSync(shots, { recursive: true });
const web = resolve(option("--web", join(here, "..", "dist")));
assert.ok(existsSync(join(web, "index.html")), `no built web app in ${web}: run npm run build`);

const step = (text) => console.log(`- ${text}`);
const run = (argv) => execFileSync(cli, argv, { stdio: ["ignore", "ignore", "inherit"] });

// 1. A synthetic lake.
step("building a synthetic lake (1,500 members)");
const raw = join(work, "raw");
const lake = join(work, "lake");
run(["generate-sample", "--out", raw, "--members", "1500", "--seed", "11", "--quiet"]);
appendFileSync(join(raw, "Customer Flight Activity.csv"),
  "100001,2017,1,-3,0,0,0,0\n100002,2017,13,1,100,100,0,0\n");
// Months of exports first (the replay cuts the sample as each month's export would have
// looked), so that Model health has past scorings judged against what followed; then the
// monthly run on the whole files.
run(["replay", "--raw-dir", raw, "--lake", lake, "--from", "2018-06", "--to", "2018-12", "--bootstrap", "50", "--quiet"]);
run(["run", "--raw-dir", raw, "--lake", lake, "--quiet"]);

// 2. The server, on a free port; it stops itself even if this script dies.
step("starting airline-analytics serve");
const server = spawn(cli, ["serve", "--lake", lake, "--web", web, "--host", "127.0.0.1", "--port", "0", "--stop-after", "600"],
  { stdio: ["ignore", "pipe", "pipe"] });
let serverErr = "";
server.stderr.on("data", (d) => (serverErr += d));
const base = await new Promise((ok, fail) => {
  let out = "";
  const timer = setTimeout(() => fail(new Error(`serve printed no URL: ${out} ${serverErr}`)), 60000);
  server.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
    if (m) { clearTimeout(timer); ok(m[0].replace(/\/$/, "")); }
  });
  server.on("exit", (code) => fail(new Error(`serve exited (${code}): ${serverErr}`)));
});
step(`serving at ${base}`);
// serve listens while it loads the snapshot: wait until /api/health says "ok".
for (let i = 0; ; i++) {
  const status = (await (await fetch(base + "/api/health")).json()).status;
  if (status === "ok") break;
  assert.notEqual(status, "failed", `serve could not load the lake: ${serverErr}`);
  assert.ok(i < 600, "the snapshot did not load within 60 s");
  await new Promise((ok) => setTimeout(ok, 100));
}

const api = async (path, body) => {
  const r = await fetch(base + path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return r.json();
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
         "--disable-default-apps", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
});
const problems = [];
let failed = false;
const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
const page = await context.newPage();
try {
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => { if (!r.url().startsWith("blob:")) problems.push(`request failed: ${r.url()}`); });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });

  const ready = async (id) => {
    await page.waitForSelector(`.page[data-page="${id}"][data-ready="true"]`, { timeout: 30000 });
    const alert = await page.$(`.page[data-page="${id}"] [role="alert"]`);
    assert.equal(alert, null, alert ? await alert.textContent() : "");
  };
  const shot = async (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });

  // Overview, and the first load's timing.
  step("overview");
  const t0 = Date.now();
  await page.goto(base + "/");
  await ready("overview");
  step(`overview ready in ${Date.now() - t0} ms`);
  await page.waitForSelector(".page[data-page=overview] .vega-embed canvas", { timeout: 30000 });
  assert.equal(await page.locator("[data-kpi]").count(), 7);
  const baseline = await api("/api/operations/kpis_slice", { filters: {} });
  const shown = await page.getAttribute('[data-kpi="customers"]', "data-value");
  assert.equal(Number(shown), baseline.result.customers);
  const risk = page.locator('[data-testid="top-risk"] tbody tr');
  assert.equal(await risk.count(), 50);
  await shot("overview");
  // What a reference user expects of the Overview (issue 29; reference_checks.mjs).
  await checkOverviewCharts({ page, api, step });
  await everyMemberLinked(page, "top-risk");

  // A filter: one province, chosen in the filter bar. The KPI must become the API's value.
  step("filter by province");
  const choices = (await api("/api/operations")).filters.province.choices;
  const province = choices[0];
  await page.click('details[data-filter="province"] summary');
  await page.check(`details[data-filter="province"] input[value="${province}"]`);
  await page.waitForFunction((p) => decodeURIComponent(location.hash).includes(p), province);
  await ready("overview");
  const sliced = await api("/api/operations/kpis_slice", { filters: { province: [province] } });
  assert.ok(sliced.result.customers < baseline.result.customers);
  await page.waitForFunction((v) => document.querySelector('[data-kpi="customers"]')?.getAttribute("data-value") === String(v),
    sliced.result.customers, { timeout: 15000 });
  const text = await page.textContent('[data-kpi="customers"] .kpi-value');
  assert.equal(text.replace(/,/g, ""), String(sliced.result.customers));
  const clv = await page.getAttribute('[data-kpi="avg_clv"]', "data-value");
  assert.ok(Math.abs(Number(clv) - sliced.result.avg_clv) < 1e-6);
  assert.ok(page.url().includes("province="), "the filter is in the URL");

  // The CSV of the filtered risk list.
  step("download the risk list as CSV");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click('[data-testid="top-risk-csv"]'),
  ]);
  const csvPath = join(work, "risk.csv");
  await download.saveAs(csvPath);
  const lines = readFileSync(csvPath, "utf8").trim().split("\r\n");
  assert.ok(lines[0].startsWith("loyalty_number,"), lines[0]);
  const expectedRows = Math.min(50, sliced.result.customers);
  assert.ok(lines.length - 1 <= expectedRows && lines.length > 1, `${lines.length - 1} rows`);
  assert.ok(lines.slice(1).every((l) => l.includes(province)), "every row is in the province");
  await checkAskAboutThisView({ page, base, province, ready, step });

  // A filter that matches nobody: a message, not an error.
  step("an empty slice");
  await page.goto(`${base}/#/overview?clv_min=99999999`);
  await ready("overview");
  await page.waitForSelector('[data-testid="empty-slice"]');

  // Every other page, with the filter kept.
  const q = `?province=${encodeURIComponent(encodeURIComponent(province))}`;
  step("model");
  await page.goto(`${base}/#/model${q}`);
  await ready("model");
  assert.match(await page.textContent('[data-testid="model-auc"] .kpi-value'), /^0\.\d{3}$/);
  assert.ok((await page.locator(".page[data-page=model] .vega-embed canvas").count()) >= 5);
  {  // What the data supports, in the words train wrote; the two AUCs answer different questions.
    const perf = (await api("/api/operations/model_performance", {})).result;
    assert.equal(await page.textContent('[data-testid="model-signal"] .signal-headline'), perf.signal.headline);
    assert.equal(await page.locator('[data-testid="model-signal"].warning').count(), perf.signal.one_feature_model ? 1 : 0);
    const why = await page.textContent('[data-testid="why-lower"]');
    assert.match(why, /answer different questions/);
    assert.match(why, /different label and a different population/);
    const text = await page.textContent(".page[data-page=model]");
    assert.ok(!/Monday morning/.test(text), "no Monday-morning claim");
    const brier = await page.locator(".kpi", { hasText: "Brier score" }).locator(".kpi-value").textContent();
    assert.match(brier, /^0\.\d{4}$/, "the Brier score is a squared error, not an AUC");
    await page.waitForSelector('[data-testid="model-diagnostics"]');
    assert.ok((await page.locator('[data-testid="model-diagnostics"] tbody tr').count()) >= 4);
    assert.match(await page.textContent('[data-testid="model-protocol"]'), /Settings chosen on validation cutoff \d{4}-\d{2}, before the first test cutoff \d{4}-\d{2}/);
  }
  await shot("model");

  step("customer 360");
  const member = (await api("/api/operations/top_risk_customers", { params: { top_n: 1 } })).result.rows[0].loyalty_number;
  await page.goto(`${base}/#/customer${q}`);
  await ready("customer");
  await page.fill('[data-testid="customer-id"]', String(member));
  await page.press('[data-testid="customer-id"]', "Enter");
  await page.waitForSelector('[data-testid="customer-title"]');
  await ready("customer");
  assert.equal(await page.textContent('[data-testid="customer-title"]'), `Member ${member}`);
  await page.waitForSelector(".page[data-page=customer] .vega-embed canvas");
  const profile = await page.textContent('[data-testid="customer-profile"]');
  assert.ok(!/Postal code|Salary/.test(profile), "no personal fields by default");
  await shot("customer");
  await checkCustomerSearch({ page, base, api, ready, step, shot });

  step("retention planner");
  await page.goto(`${base}/#/planner`);
  await ready("planner");
  await page.fill('[data-testid="plan-budget"]', "5000");
  await page.press('[data-testid="plan-budget"]', "Enter");
  await page.waitForFunction(() => location.hash.includes("budget=5000"));
  await ready("planner");
  await page.waitForSelector(".page[data-page=planner] .vega-embed canvas");
  await everyMemberLinked(page, "plan-list");
  await shot("planner");

  step("survival and cohorts");
  // The hazard card's sentence names the month the API finds (or says none stands out), and
  // its chart draws; with the province filter, then over everyone.
  const checkHazard = async (filters) => {
    const hazard = (await api("/api/operations/tenure_hazard", { filters })).result;
    const card = page.locator('[data-testid="tenure-hazard"]');
    const sentence = await card.locator('[data-testid="hazard-sentence"]').textContent();
    if (hazard.peak) {
      const month = hazard.peak.tenure_months;
      assert.ok(sentence.startsWith(`Cancellations peak in month ${month} of membership: ` +
        `${hazard.peak.events.toLocaleString("en-CA")} of ${hazard.cancellations.toLocaleString("en-CA")} cancellations`), sentence);
      assert.equal(await card.locator('[data-testid="hazard-sentence"]').getAttribute("data-month"), String(month));
    } else {
      assert.ok(/^No (month of membership stands out|cancellations in this slice)/.test(sentence), sentence);
    }
    assert.equal(await card.locator(".note").textContent(), hazard.rule);
    if (hazard.rows.length) await card.locator(".vega-embed canvas").waitFor({ timeout: 15000 });
    return hazard.peak ? `a spike in month ${hazard.peak.tenure_months}` : "no spike";
  };
  await page.goto(`${base}/#/survival${q}`);
  await ready("survival");
  assert.ok((await page.locator(".page[data-page=survival] .vega-embed canvas").count()) >= 3);
  step(`hazard card, ${province}: ${await checkHazard({ province: [province] })}`);
  // Same page, other filters: wait for a new page element, not the one already ready.
  await page.evaluate(() => document.querySelector(".page").setAttribute("data-stale", "true"));
  await page.goto(`${base}/#/survival`);
  await page.waitForSelector('.page[data-page="survival"][data-ready="true"]:not([data-stale])', { timeout: 30000 });
  await ready("survival");
  step(`hazard card, everyone: ${await checkHazard({})}`);
  await shot("survival");

  step("data quality");
  await page.goto(`${base}/#/quality`);
  await ready("quality");
  const sample = page.locator('[data-testid="quarantine-sample"] tbody tr');
  assert.equal(await sample.count(), 2);
  await shot("quality");

  step("model health");
  await page.goto(`${base}/#/health`);
  await ready("health");
  const mh = (await api("/api/operations/model_health", { params: {}, filters: {} })).result;
  assert.ok(mh.realized.length >= 6, `scorings judged: ${mh.realized.length}`);
  const judged = page.locator('[data-testid="health-realized"] tbody tr');
  assert.equal(await judged.count(), mh.realized.length);
  for (let i = 0; i < mh.realized.length; i++) {
    const r = mh.realized[i];
    const cells = await judged.nth(i).locator("td").allTextContents();
    assert.equal(cells[0], r.scored_month);
    assert.equal(cells[1], r.model_id);
    const auc = r.roc_auc == null ? "–" : r.roc_auc.toFixed(3);
    assert.ok(cells[3].startsWith(auc), `${r.scored_month}: ${cells[3]} against ${auc}`);
    if (r.roc_auc_ci?.[0] != null) assert.ok(cells[3].includes(`[${r.roc_auc_ci[0].toFixed(3)}, ${r.roc_auc_ci[1].toFixed(3)}]`), cells[3]);
    assert.ok(cells[4].startsWith(r.expected_roc_auc.toFixed(3)), cells[4]);
    assert.equal(cells[8], r.status);
  }
  assert.equal(await page.textContent('[data-testid="health-model"] .kpi-value'), mh.current_model_id);
  assert.ok((await page.locator(".page[data-page=health] .vega-embed canvas").count()) >= 1);
  const driftRows = page.locator('[data-testid="health-drift"] tbody tr');
  assert.equal(await driftRows.count(), mh.drift.features.length + 1);
  const firstFeature = await driftRows.nth(0).locator("td").allTextContents();
  assert.equal(firstFeature[0], mh.drift.features[0].feature);
  assert.equal(firstFeature[3], mh.drift.features[0].psi.toFixed(3));
  assert.equal(await page.locator('[data-testid="health-alerts"] li').count(), mh.alerts.length);
  const [healthCsv] = await Promise.all([
    page.waitForEvent("download"),
    page.click('[data-testid="health-realized-csv"]'),
  ]);
  const healthPath = join(work, "health.csv");
  await healthCsv.saveAs(healthPath);
  const healthLines = readFileSync(healthPath, "utf8").trim().split("\r\n");
  const healthHeader = healthLines[0].split(",");
  assert.ok(["scored_month", "roc_auc", "status"].every((c) => healthHeader.includes(c)), healthLines[0]);
  assert.equal(healthLines.length - 1, mh.realized.length);
  mh.realized.forEach((r, i) => assert.ok(healthLines[i + 1].includes(`,${r.scored_month},`), healthLines[i + 1]));
  step(`model health: ${mh.realized.length} scorings judged, ${mh.alerts.length} alerts`);
  await shot("health");

  step("AI analyst");
  await page.goto(`${base}/#/analyst${q}`);
  await ready("analyst");
  await page.click('[data-testid="example"] >> nth=0');
  await page.waitForSelector('[data-testid="answer"]', { timeout: 30000 });
  const answer = await page.textContent('[data-testid="answer"] .answer-text');
  assert.ok(answer.trim().length > 40, answer);
  await page.click('[data-testid="answer"] details.how summary');
  const how = await page.textContent('[data-testid="answer"] details.how');
  assert.ok(how.includes("offline rules"), how);
  assert.ok(how.includes(province), "the current filters went to the analyst");
  // A follow-up keeps the thread: it reuses the first question's intent and says what it
  // inherited and what it changed.
  await page.fill('[data-testid="question"]', "what about Champions?");
  await page.press('[data-testid="question"]', "Enter");
  await page.waitForSelector('[data-testid="follow-up"]', { timeout: 30000 });
  const follow = await page.textContent('[data-testid="follow-up"]');
  assert.ok(follow.includes("Follow-up of “Where should we focus retention efforts?”: kept intent priority; changed segments"), follow);
  assert.equal(await page.locator('[data-testid="answer"]').count(), 2);
  await shot("analyst");

  // Tablet width: the overview still lays out without horizontal scrolling of the page.
  step("tablet width");
  await page.setViewportSize({ width: 820, height: 1100 });
  await page.goto(`${base}/#/overview`);
  await ready("overview");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page overflows by ${overflow}px at tablet width`);

  assert.deepEqual(problems, [], "no console errors, failed requests or HTTP errors");
  step(`screenshots in ${shots}`);
} catch (e) {
  failed = true;
  console.error(e);
  await page.screenshot({ path: join(shots, "failure.png") }).catch(() => {});
  console.error(`at ${page.url()}; screenshot: ${join(shots, "failure.png")}`);
  if (problems.length) console.error("browser problems:\n" + problems.join("\n"));
} finally {
  await browser.close();
  // The server stops cleanly on SIGTERM (under the sanitizers too: no leak report).
  const exited = new Promise((ok) => server.on("exit", (code, signal) => ok({ code, signal })));
  server.kill("SIGTERM");
  const { code, signal } = await exited;
  if (code !== 0) {
    failed = true;
    console.error(`serve exited with ${code ?? signal}: ${serverErr}`);
  }
  if (!args.includes("--keep")) rmSync(work, { recursive: true, force: true });
}
if (failed) process.exit(1);
console.log("browser test passed");
