// The AI analyst: a chat with example questions; each answer opens into how it was reached. A
// question may arrive in the URL (q) from the Overview's "Ask about this view".
import { post } from "../api";
import type { PageContext } from "../context";
import { h } from "../dom";
import { activeCount, toQuery } from "../filters";
import { blocks, pieces } from "../richtext";

function line(text: string): (Node | string)[] {
  return pieces(text).map((p) => (p.bold ? h("strong", {}, p.text) : p.text));
}

const EXAMPLES = [
  "Where should we focus retention efforts?",
  "Who should we reward?",
  "Why are customers churning?",
  "Compare Champions vs Dormant",
  "What's the financial impact if we do nothing?",
];

// Kept while the page is open, so answers survive a filter change.
const history: { question: string; answer?: any; error?: string }[] = [];
// The thread: the last answer's question, intents and slots, sent with the next question so
// that a follow-up ("And in Quebec?") keeps its intent; cleared by "New thread".
let thread: { question: string; intents: string[]; slots: unknown } | null = null;

// "Follow-up of “...”: kept the intent individuals; changed provinces; inherited top_n."
function followUpLine(f: any): string {
  const list = (xs: string[]) => (xs.length ? xs.join(", ") : "nothing");
  return `Follow-up of “${f.of}”: ${f.kept_intent ? "kept" : "new"} intent ${f.intent}; changed ${list(f.changed)}; inherited ${list(f.inherited)}.`;
}

function answerView(a: any): HTMLElement {
  const how = h("details", { class: "how" },
    h("summary", {}, "How I got this"),
    h("p", {}, `Planner: ${a.planner === "rules" ? "offline rules" : a.planner}; narrator: ${a.narrator === "template" ? "offline template" : a.narrator}.`),
    h("p", {}, "Filters: ", Object.keys(a.filters).length ? JSON.stringify(a.filters) : "none (the whole portfolio)"),
    h("ol", {}, a.plan.map((s: any) => h("li", {}, h("code", {}, s.op), " ", Object.keys(s.params).length ? JSON.stringify(s.params) : ""))),
    a.notes.length ? h("ul", {}, a.notes.map((n: string) => h("li", { class: "note" }, n))) : null,
    h("table", { class: "facts-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Fact"), h("th", {}, "Value"), h("th", {}, "From"))),
      h("tbody", {}, a.facts.map((f: any) => h("tr", {}, h("td", {}, f.label ?? f.id), h("td", { class: "num" }, typeof f.value === "number" ? f.value.toLocaleString("en-CA", { maximumFractionDigits: 4 }) : String(f.value)), h("td", {}, h("code", {}, `${f.op} ${f.path}`)))))));
  return h("div", { class: "answer", "data-testid": "answer" },
    a.follow_up ? h("p", { class: "note follow-up", "data-testid": "follow-up" }, followUpLine(a.follow_up)) : null,
    h("div", { class: "answer-text" }, blocks(String(a.answer)).map((b) =>
      b.list ? h("ul", {}, b.lines.map((l) => h("li", {}, line(l)))) : h("p", {}, line(b.lines[0])))),
    how);
}

export async function analyst(ctx: PageContext): Promise<void> {
  const { root, api, filters } = ctx;
  const health = await ctx.health;
  const mode = health?.analyst?.offline ? "offline rules and templates (no LLM configured)" : `${health?.analyst?.provider} (${health?.analyst?.model}), checked against the computed facts`;
  const log = h("div", { class: "chat", "aria-live": "polite" });
  const input = h("input", { type: "text", maxlength: 500, placeholder: "Ask about retention, value, churn, segments…", "aria-label": "Question", "data-testid": "question" }) as HTMLInputElement;
  const button = h("button", { type: "submit" }, "Ask");
  const render = () => {
    log.replaceChildren(...history.map((m) => h("div", { class: "turn" },
      h("div", { class: "question" }, m.question),
      m.answer ? answerView(m.answer) : m.error ? h("div", { class: "notice" }, m.error) : h("div", { class: "note" }, "Thinking…"))));
  };
  const ask = async (question: string) => {
    if (!question.trim()) return;
    const turn: { question: string; answer?: any; error?: string } = { question };
    history.push(turn);
    render();
    button.setAttribute("disabled", "");
    try {
      turn.answer = await post("/api/ask", thread ? { question, filters: api, context: thread } : { question, filters: api });
      thread = { question: turn.answer.question, intents: turn.answer.intents, slots: turn.answer.slots };
    } catch (e) {
      turn.error = (e as Error).message;
    } finally {
      button.removeAttribute("disabled");
      render();
    }
  };
  const fresh = h("button", { type: "button", class: "secondary", "data-testid": "new-thread", title: "Ask the next question on its own, not as a follow-up", onclick: () => { thread = null; history.length = 0; render(); } }, "New thread");
  const form = h("form", { class: "search", onsubmit: (e: Event) => { e.preventDefault(); const q = input.value; input.value = ""; void ask(q); } }, input, button, fresh);
  root.append(
    h("p", { class: "note" }, `Answers come from the dashboard's operations only; every figure is listed with its source. Path: ${mode}. `,
      activeCount(filters) ? `The current filters (${activeCount(filters)}) apply.` : "No filters: the whole portfolio."),
    h("div", { class: "examples" }, EXAMPLES.map((q) => h("button", { type: "button", class: "secondary", "data-testid": "example", onclick: () => void ask(q) }, q))),
    log, form);
  render();
  // A question from the Overview's "Ask about this view": asked once with the filters it came
  // with, then dropped from the URL, so that a reload or a filter change does not ask again.
  const question = ctx.params.get("q")?.trim();
  if (question) {
    const query = toQuery(filters);
    window.history.replaceState(null, "", `#/analyst${query ? "?" + query : ""}`);
    await ask(question);
  }
}
