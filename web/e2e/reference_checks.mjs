// What a user of the reference project expects of the dashboard (issue 29), checked in the
// browser by browser_test.mjs: the Overview's charts (segment order, alphabetical provinces,
// one colour scale, the eight tooltip fields, percentages on the mixes), "Ask about this view",
// Customer 360's search with its sortable list, and a link from every member in every table.
import assert from "node:assert/strict";

// The Vega view of the chart in the card titled `title` (charts.ts keeps it on the element).
const viewOf = (title) => `[...document.querySelectorAll(".page section.card")]
  .find((c) => c.querySelector("h3")?.textContent === ${JSON.stringify(title)})
  ?.querySelector(".chart")`;

// Runs `action`, then waits for the page it leads to (not the one already ready).
export async function rerendered(page, action, id) {
  await page.evaluate(() => document.querySelector(".page")?.setAttribute("data-stale", "true"));
  await action();
  await page.waitForSelector(`.page[data-page="${id}"][data-ready="true"]:not([data-stale])`, { timeout: 30000 });
  assert.equal(await page.$(`.page[data-page="${id}"] [role="alert"]`), null);
}

// Every row of the table `testId` links its loyalty number to the member's Customer 360 page.
export async function everyMemberLinked(page, testId) {
  const rows = page.locator(`[data-testid="${testId}"] tbody tr`);
  const n = await rows.count();
  assert.ok(n > 0, `${testId} has rows`);
  const links = await page.$$eval(`[data-testid="${testId}"] tbody tr a[data-member]`,
    (as) => as.map((a) => [a.getAttribute("href"), a.textContent]));
  assert.equal(links.length, n, `${testId}: every member is a link`);
  for (const [href, text] of links) assert.equal(href, `#/customer?id=${text}`);
}

export async function checkOverviewCharts({ page, api, step }) {
  step("overview charts: segment order, alphabetical provinces, one colour scale");
  const catalogue = await api("/api/operations");
  const groups = { top_n: 50, sort_by: "customers" };
  const seg = (await api("/api/operations/summary_by_segment", { params: groups })).result.rows;
  const prov = (await api("/api/operations/summary_by_province", { params: groups })).result.rows;
  const shown = await page.evaluate(`(() => {
    const s = ${viewOf("Members by RFM segment")}.vegaView, p = ${viewOf("Members by province")}.vegaView;
    return { segments: s.scale("y").domain(), provinces: p.scale("y").domain(),
             segColour: s.scale("color").domain(), provColour: p.scale("color").domain() };
  })()`);
  const present = new Set(seg.map((r) => r.rfm_segment));
  assert.deepEqual(shown.segments, catalogue.filters.rfm_segment.choices.filter((s) => present.has(s)));
  assert.deepEqual(shown.provinces, prov.map((r) => r.province).sort());
  const probabilities = [...seg, ...prov].map((r) => r.avg_churn_probability);
  assert.deepEqual(shown.segColour, shown.provColour, "one colour scale for both charts");
  assert.ok(Math.abs(shown.segColour[0] - Math.min(...probabilities)) < 1e-12);
  assert.ok(Math.abs(shown.segColour[1] - Math.max(...probabilities)) < 1e-12);

  step("overview charts: the eight tooltip fields on a segment bar");
  // The middle of the first band's bar (Vega's scales map data to the canvas).
  const customers = seg.find((r) => r.rfm_segment === shown.segments[0]).customers;
  const at = await page.evaluate(`(() => {
    const el = ${viewOf("Members by RFM segment")}, view = el.vegaView, y = view.scale("y");
    el.scrollIntoView({ block: "center" });
    const rect = el.querySelector("canvas").getBoundingClientRect();
    return { x: rect.left + view.origin()[0] + view.scale("x")(${customers}) / 2,
             y: rect.top + view.origin()[1] + y(y.domain()[0]) + y.bandwidth() / 2 };
  })()`);
  await page.mouse.move(at.x - 5, at.y);
  await page.mouse.move(at.x, at.y, { steps: 3 });
  await page.waitForSelector("#vg-tooltip-element td.key", { timeout: 10000 });
  const keys = await page.$$eval("#vg-tooltip-element td.key", (tds) => tds.map((t) => t.textContent));
  for (const k of ["Customers", "Avg CLV (CAD)", "Avg churn score (CAD at risk)", "Avg recency (months)",
    "Avg frequency (flights)", "Avg monetary (km)", "Avg tenure (months)", "Cancellation rate"]) {
    assert.ok(keys.includes(k), `tooltip field ${k} in ${keys}`);
  }
  await page.mouse.move(0, 0);

  step("overview charts: percentages on the gender and card mixes");
  for (const [op, field, testId, title] of [["summary_by_gender", "gender", "gender-shares", "Gender"],
    ["summary_by_card", "loyalty_card", "card-shares", "Loyalty card"]]) {
    const rows = (await api(`/api/operations/${op}`, { params: groups })).result.rows;
    const total = rows.reduce((s, r) => s + r.customers, 0);
    const expected = Object.fromEntries(rows.map((r) => [r[field], `${(r.customers / total * 100).toFixed(1)}%`]));
    const listed = await page.$$eval(`[data-testid="${testId}"] li`, (lis) => lis.map((li) => [li.dataset.name, li.querySelector("strong").textContent]));
    assert.deepEqual(Object.fromEntries(listed), expected);
    const onDonut = await page.evaluate(`(() => {
      const out = []; const walk = (n) => { if (n.marktype === "text" && n.role === "mark") out.push(...n.items.map((i) => i.text)); (n.items || []).forEach(walk); };
      walk(${viewOf(title)}.vegaView.scenegraph().root); return out; })()`);
    assert.deepEqual([...onDonut].sort(), Object.values(expected).sort(), `${title}: a percentage on every slice`);
  }
}

export async function checkAskAboutThisView({ page, base, province, ready, step }) {
  step("ask about this view: the Overview's question goes to the analyst with the filters");
  await page.goto(`${base}/#/overview?province=${encodeURIComponent(encodeURIComponent(province))}`);
  await ready("overview");
  await page.fill('[data-testid="ask-view-question"]', "Where should we focus retention efforts?");
  await rerendered(page, () => page.press('[data-testid="ask-view-question"]', "Enter"), "analyst");
  await page.waitForSelector('[data-testid="answer"]', { timeout: 30000 });
  assert.equal(await page.textContent(".turn .question"), "Where should we focus retention efforts?");
  await page.click('[data-testid="answer"] details.how summary');
  assert.ok((await page.textContent('[data-testid="answer"] details.how')).includes(province));
  assert.ok(!page.url().includes("q="), "asked once: the question left the URL");
  assert.ok(decodeURIComponent(page.url()).includes(province), "the filters stay");
  await page.reload();  // a reload does not ask again; the chat starts empty for later steps
  await ready("analyst");
  assert.equal(await page.locator(".turn").count(), 0);
}

export async function checkCustomerSearch({ page, base, api, ready, step, shot }) {
  step("customer 360 search: province, segment, card and risk tier");
  const member = (await api("/api/operations/customer_search", { params: { top_n: 1 } })).result.rows[0];
  await page.goto(`${base}/#/customer`);
  await ready("customer");
  for (const key of ["province", "rfm_segment", "loyalty_card", "risk_tier"]) {
    await rerendered(page, () => page.selectOption(`select[data-finder="${key}"]`, member[key]), "customer");
  }
  const filters = { province: [member.province], rfm_segment: [member.rfm_segment],
    loyalty_card: [member.loyalty_card], risk_tier: member.risk_tier };
  const expected = async (params) => (await api("/api/operations/customer_search", { params, filters })).result;
  const first = await expected({});
  assert.equal(Number(await page.getAttribute('[data-testid="finder-count"]', "data-matched")), first.matched_members);
  const listed = () => page.$$eval('[data-testid="finder-list"] tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  for (const cells of await listed()) {
    assert.deepEqual(cells.slice(1, 5), [member.province, member.rfm_segment, member.loyalty_card, member.risk_tier]);
  }
  await everyMemberLinked(page, "finder-list");
  await shot("customer-search");

  step("customer 360 search: sorting by a column, both ways");
  // Wider: the member's province and segment, any card and tier.
  for (const key of ["loyalty_card", "risk_tier"]) {
    await rerendered(page, () => page.selectOption(`select[data-finder="${key}"]`, ""), "customer");
  }
  delete filters.loyalty_card;
  delete filters.risk_tier;
  for (const [dir, ascending] of [["desc", false], ["asc", true]]) {
    await rerendered(page, () => page.click('[data-testid="finder-list"] th button[data-sort="clv"]'), "customer");
    assert.ok(page.url().includes(`sort=clv&dir=${dir}`), page.url());
    const numbers = (await listed()).map((c) => Number(c[0]));
    const apiRows = (await expected({ sort_by: "clv", ascending })).rows;
    assert.ok(numbers.length > 2, `${numbers.length} members to sort`);
    assert.deepEqual(numbers, apiRows.map((r) => r.loyalty_number));
    const clvs = apiRows.map((r) => r.clv);
    assert.deepEqual(clvs, [...clvs].sort((a, b) => (ascending ? a - b : b - a)));
  }
  const target = (await listed())[0][0];
  await rerendered(page, () => page.click(`[data-testid="finder-list"] a[data-member="${target}"]`), "customer");
  assert.equal(await page.textContent('[data-testid="customer-title"]'), `Member ${target}`);
}
