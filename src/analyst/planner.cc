#include "analyst/planner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "analyst/follow_up.h"
#include "analyst/intents.h"
#include "analyst/text.h"
#include "core/app_error.h"
#include "ops/registry.h"

namespace aa::analyst {

namespace {

using nlohmann::json;

// A second intent joins the plan (its answer as evidence) when it scores this close to the first.
constexpr double kSecondShare = 0.85;

bool lists(const IntentRow& row, const char* slot) {
  return std::find(row.slots.begin(), row.slots.end(), slot) != row.slots.end();
}

// The segment pair of a comparison: the two named, or a stated default.
json segment_pair(const Slots& s, std::vector<std::string>& notes) {
  if (s.segments.size() >= 2) {
    return {{"segment_a", s.segments[0]}, {"segment_b", s.segments[1]}};
  }
  const std::string a = s.segments.empty() ? "Champions" : s.segments[0];
  const std::string b = a != "At Risk" ? "At Risk" : "Champions";
  notes.push_back(fmt::format("no two segments named; comparing {} with {}", a, b));
  return {{"segment_a", a}, {"segment_b", b}};
}

json retention_plan_params(const Slots& s, std::vector<std::string>& notes) {
  json p = json::object();
  if (s.budget_cad) {
    p["budget_cad"] = std::clamp(*s.budget_cad, 0.01, 1e9);
  } else {
    notes.push_back("no budget named; planning with the default CAD 10,000");
  }
  if (s.cost_per_contact_cad) {
    p["cost_per_contact_cad"] = std::clamp(*s.cost_per_contact_cad, 0.01, 1e6);
  }
  if (s.save_rate) {
    p["save_rate"] = std::clamp(*s.save_rate, 0.001, 1.0);
  }
  return p;
}

// The parameters of one of a row's operations, from the slots the row reads.
json params_for(const std::string& op, const IntentRow& row, const Slots& s,
                std::vector<std::string>& notes) {
  if (op == "segment_comparison") {
    return segment_pair(s, notes);
  }
  if ((op == "top_risk_customers" || op == "top_value_customers") && lists(row, "top_n")) {
    return {{"top_n", std::clamp(s.top_n.value_or(10), 1, 100)}};
  }
  if (op == "retention_plan" && lists(row, "budget")) {
    return retention_plan_params(s, notes);
  }
  if (op == "customer_profile" && s.loyalty_number) {
    return {{"loyalty_number", *s.loyalty_number}};
  }
  static const std::set<std::string> every_group = {
      "summary_by_province", "summary_by_card",           "summary_by_gender",
      "summary_by_segment",  "value_at_risk_by_province", "value_at_risk_by_segment"};
  if (every_group.count(op)) {
    return {{"top_n", 50}};  // every group, so that the ones the question names are there
  }
  return json::object();
}

// Provinces, segments, cards, a gender or a tenure group named in a question narrow the slice,
// unless the intent is about that dimension itself (its answer finds the named groups among
// all of them) or the user's filters already say otherwise.
void narrow(Plan& plan, const std::string& intent) {
  const Slots& s = plan.slots;
  const auto by = [&](const char* key, const std::vector<std::string>& found,
                      std::initializer_list<const char*> own) {
    // "Should we focus on Champions?" asks whether the named group is the priority.
    const bool own_dimension =
        (intent == "priority" && s.yes_no) ||
        std::any_of(own.begin(), own.end(), [&](const char* i) { return intent == i; });
    if (found.empty() || own_dimension || plan.filters.contains(key)) {
      return;
    }
    if (std::string(key) == "gender") {
      if (found.size() == 1) {
        plan.filters[key] = found.front();
      }
    } else {
      plan.filters[key] = found;
    }
    plan.notes.push_back(fmt::format("the question names {} {}, so the figures cover {} only", key,
                                     fmt::join(found, " and "), found.size() == 1 ? "it" : "them"));
  };
  by("province", s.provinces, {"geography"});
  by("rfm_segment", s.segments, {"segments", "comparison"});
  by("loyalty_card", s.cards, {"cards"});
  by("gender", s.genders, {"gender"});
  if (s.tenure_groups.size() == 1 && intent != "tenure" && !plan.filters.contains("tenure_min") &&
      !plan.filters.contains("tenure_max")) {
    const bool newer = s.tenure_groups.front() == kNewer;
    plan.filters[newer ? "tenure_max" : "tenure_min"] =
        newer ? kNewerMaxMonths : kLongStandingMinMonths;
    plan.notes.push_back(
        fmt::format("the question asks about {} members, so the figures cover "
                    "members with {} months of tenure",
                    s.tenure_groups.front(),
                    newer ? fmt::format("0-{}", kNewerMaxMonths)
                          : fmt::format("{} or more", kLongStandingMinMonths)));
  }
}

// Customer 360's search: the sort key the question names ("sorted by CLV", "the longest
// tenure", "who haven't flown in ages"), which way, and how many rows; a risk tier it names
// ("the medium risk tier") narrows the slice.
json search_params(const std::vector<std::string>& w, const Slots& s) {
  const auto said = [&](std::initializer_list<const char*> xs) {
    return std::any_of(xs.begin(), xs.end(), [&](const char* x) {
      return std::find(w.begin(), w.end(), x) != w.end();
    });
  };
  // The key after "by" first ("sorted by recency"), then any the question names.
  const auto key_of = [&](const std::vector<std::string>& words) -> std::string {
    const auto has = [&](std::initializer_list<const char*> xs) {
      return std::any_of(xs.begin(), xs.end(), [&](const char* x) {
        return std::find(words.begin(), words.end(), x) != words.end();
      });
    };
    if (has({"probability", "likelihood"})) return "churn_probability";
    if (has({"recency", "flown", "recent", "recently", "inactive", "dormancy"})) return "recency";
    if (has({"tenure", "longest", "seniority"})) return "tenure_months";
    if (has({"frequency", "flights", "often"})) return "frequency";
    if (has({"monetary", "spend", "spending", "spent"})) return "monetary";
    if (has({"clv", "value", "valuable", "ltv", "lifetime"})) return "clv";
    if (has({"risk", "score", "churn", "risky", "riskiest"})) return "churn_score";
    if (has({"loyalty", "number", "id"})) return "loyalty_number";
    return "";
  };
  std::string key;
  for (std::size_t i = 0; i + 1 < w.size() && key.empty(); ++i) {
    if (w[i] == "by") {
      key = key_of({w.begin() + static_cast<long>(i) + 1,
                    w.begin() + static_cast<long>(std::min(w.size(), i + 3))});
    }
  }
  if (key.empty()) {
    key = key_of(w);
  }
  json p = {{"sort_by", key.empty() ? "churn_score" : key}};
  const bool ascending = said({"ascending", "asc", "lowest", "least", "smallest", "fewest",
                               "shortest", "newest"});
  const bool descending = said({"descending", "desc"});
  p["ascending"] = ascending && !descending;
  std::optional<int> n = s.top_n;
  for (std::size_t i = 0; i + 1 < w.size() && !n; ++i) {
    const bool number = !w[i].empty() && std::all_of(w[i].begin(), w[i].end(), ::isdigit) &&
                        w[i].size() <= 4;
    if (number && (w[i + 1] == "rows" || w[i + 1] == "members" || w[i + 1] == "results")) {
      n = std::stoi(w[i]);
    }
  }
  if (n) {
    p["top_n"] = std::clamp(*n, 1, 500);
  }
  return p;
}

void narrow_risk_tier(Plan& plan, const std::vector<std::string>& w) {
  if (plan.filters.contains("risk_tier")) {
    return;
  }
  for (std::size_t i = 0; i + 2 < w.size(); ++i) {
    const std::string& t = w[i];
    if ((t == "high" || t == "medium" || t == "low") && w[i + 1] == "risk" && w[i + 2] == "tier") {
      plan.filters["risk_tier"] = t;
      plan.notes.push_back(
          fmt::format("the question names the {} risk tier, so the list covers it only", t));
      return;
    }
  }
}

void note_horizon(Plan& plan, const std::string& intent) {
  const Slots& s = plan.slots;
  if (s.horizon.empty() || !s.horizon_months) {
    return;
  }
  if (intent == "impact" || intent == "individuals" || intent == "budget") {
    plan.notes.push_back(fmt::format(
        "'{}' spans {} months; the churn model's figures cover its 6-month horizon and are not "
        "rescaled",
        s.horizon, *s.horizon_months));
  }
}

// A previous turn comes from a request: names the data does not hold are dropped.
void keep_known(Slots& s, const ops::Domains& d) {
  const auto keep = [](std::vector<std::string>& names, const std::vector<std::string>& known) {
    std::erase_if(names, [&](const std::string& n) {
      return std::find(known.begin(), known.end(), n) == known.end();
    });
  };
  keep(s.segments, d.rfm_segment);
  keep(s.provinces, d.province);
  keep(s.cards, d.loyalty_card);
  keep(s.genders, d.gender);
  keep(s.clv_tiers, {"Low", "Medium", "High"});
  keep(s.tenure_groups, {kNewer, kLongStanding});
}

void plan_unsure(Plan& plan, const Recognition& r) {
  plan.understood = false;
  plan.intents = {"unsure"};
  // The gap is the reason when it stands against what the rules and the ranker say (as
  // Recognition::understood reads them), not against the classifier's part.
  const bool gap = r.gap && (r.gap_decisive || r.gap_score >= r.own_best()) &&
                   r.gap_score >= kDomainThreshold / 2;
  const bool no_question = r.threshold > 1;  // small talk, or an order to act
  plan.unsure_reason =
      gap           ? gaps()[*r.gap].reason
      : no_question ? std::string(
                          "it is not a question about the loyalty programme I can answer "
                          "from the analyses (I only read them; I do not act on systems "
                          "or data)")
                    : fmt::format(
                          "it is not close enough to any kind of question I answer (the nearest "
                          "is {})",
                          find_intent(r.best().intent).description);
  if (no_question) {
    plan.notes.push_back("not understood: small talk or an order to act, not a question");
    return;
  }
  plan.notes.push_back(
      fmt::format("not understood: the best intent, {}, scores {:.2f} where {:.2f} "
                  "is needed{}",
                  r.best().intent, r.best().score, r.threshold,
                  gap ? "; the question is nearest to a kind no operation answers "
                        "yet: " +
                            gaps()[*r.gap].name
                      : ""));
}

}  // namespace

void add_step(Plan& plan, const std::string& op, json params) {
  for (const auto& s : plan.steps) {
    if (s.op == op) {
      return;
    }
  }
  if (plan.steps.size() < kMaxSteps) {
    plan.steps.push_back({op, std::move(params)});
  }
}

void add_context_steps(Plan& plan) {
  add_step(plan, "kpis_slice");
  add_step(plan, "kpis_baseline");
  for (const char* pad : {"do_nothing_scenario", "value_at_risk_by_segment"}) {
    if (plan.steps.size() < kMinSteps) {
      add_step(plan, pad);
    }
  }
}

Recognition RulePlanner::recognise(const std::string& question) const {
  return recogniser_.recognise(question, slots_.fill(question));
}

Plan RulePlanner::plan(const std::string& question, const json& filters,
                       const std::optional<Turn>& previous) {
  Plan plan;
  plan.planner = "rules";
  plan.filters = filters.is_null() ? json::object() : filters;
  plan.slots = slots_.fill(question);
  const Recognition r = recogniser_.recognise(question, plan.slots);
  std::vector<std::string> intents;
  if (previous && reads_as_follow_up(question, plan.slots, r)) {
    json record = {{"of", previous->question}};
    const bool own = r.understood() && r.best().keyword_hits > 0 &&
                     r.best().intent != previous->intent && !plan.slots.names_something();
    intents = {own ? r.best().intent : previous->intent};
    plan.slots = overlay(*previous, plan.slots, record);
    keep_known(plan.slots, domains_);
    record["intent"] = intents.front();
    record["kept_intent"] = !own;
    plan.follow_up = record;
    plan.confidence = r.best().score;
  } else if (r.understood()) {
    intents = {r.best().intent};
    plan.confidence = r.best().score;
    // A second intent joins when the rules and the ranker back it nearly as much as the first
    // (the classifier orders intents; it does not add one).
    const IntentScore& second = r.ranked.at(1);
    if (second.own() >= r.threshold && second.own() >= kSecondShare * r.best().own()) {
      intents.push_back(second.intent);
    }
  }
  if (intents.empty()) {
    plan_unsure(plan, r);
    add_context_steps(plan);
    return plan;
  }
  plan.intents = intents;
  narrow(plan, intents.front());
  const std::vector<std::string> words = words_of(question);
  if (intents.front() == "search") {
    narrow_risk_tier(plan, words);
  }
  note_horizon(plan, intents.front());
  for (const auto& name : intents) {
    const IntentRow& row = find_intent(name);
    for (const auto& op : row.ops) {
      // A second intent's steps leave room for the two KPI operations of the evidence.
      if (name != intents.front() && plan.steps.size() + 2 >= kMaxSteps) {
        break;
      }
      add_step(plan, op,
               op == "customer_search" ? search_params(words, plan.slots)
                                       : params_for(op, row, plan.slots, plan.notes));
    }
  }
  add_context_steps(plan);
  return plan;
}

void validate_plan(const Plan& plan, const ops::Domains& domains) {
  if (plan.steps.size() < kMinSteps || plan.steps.size() > kMaxSteps) {
    core::fail(core::ErrorKind::InvalidInput, "a plan has {} steps; it needs {} to {}",
               plan.steps.size(), kMinSteps, kMaxSteps);
  }
  std::set<std::string> seen;
  for (const auto& step : plan.steps) {
    const ops::Operation& op = ops::find_operation(step.op);
    if (!seen.insert(step.op).second) {
      core::fail(core::ErrorKind::InvalidInput, "the plan calls {} twice", step.op);
    }
    ops::check_params(step.op, op.params(domains), step.params);
  }
  ops::Filters::from_json(plan.filters, domains);
}

}  // namespace aa::analyst
