#include "analyst/intents.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/app_error.h"

namespace aa::analyst {

namespace {

// Words that mean the same across intents. Each maps to the word the examples use.
const std::vector<std::pair<std::string, std::string>>& general_synonyms() {
  static const std::vector<std::pair<std::string, std::string>> all = {
      {"quit", "churn"},
      {"quitting", "churn"},
      {"leave", "churn"},
      {"leaving", "churn"},
      {"left", "churn"},
      {"cancel", "churn"},
      {"cancelling", "churn"},
      {"canceling", "churn"},
      {"cancellation", "churn"},
      {"cancellations", "churn"},
      {"cancelled", "churn"},
      {"attrition", "churn"},
      {"defect", "churn"},
      {"defecting", "churn"},
      {"lapse", "churn"},
      {"walk", "churn"},
      {"walking", "churn"},
      {"churning", "churn"},
      {"churned", "churn"},
      {"drop", "churn"},
      {"bleeding", "churn"},
      {"customer", "member"},
      {"customers", "member"},
      {"people", "member"},
      {"ppl", "member"},
      {"client", "member"},
      {"clients", "member"},
      {"flyer", "member"},
      {"flyers", "member"},
      {"traveller", "member"},
      {"travellers", "member"},
      {"passenger", "member"},
      {"passengers", "member"},
      {"person", "member"},
      {"folks", "member"},
      {"members", "member"},
      {"call", "phone"},
      {"calls", "phone"},
      {"contact", "phone"},
      {"reach", "phone"},
      {"money", "dollars"},
      {"cad", "dollars"},
      {"revenue", "dollars"},
      {"costs", "cost"},
      {"expensive", "cost"},
      {"risky", "risk"},
      {"riskiest", "risk"},
      {"riskier", "risk"},
      {"losing", "loss"},
      {"lose", "loss"},
      {"valuable", "value"},
      {"spenders", "value"},
      {"profitable", "value"},
      {"profit", "value"},
      {"lucrative", "value"},
      {"y", "why"},
      {"opportunity", "priority"},
      {"opportunities", "priority"},
      {"distinguishes", "differ"},
      {"distinguish", "differ"},
      {"separates", "differ"},
      {"newbies", "joiners"},
      {"newbie", "joiners"},
      {"rookies", "joiners"},
      {"recruits", "joiners"},
      {"trustworthy", "accurate"},
      {"reliable", "accurate"},
      {"trust", "accurate"},
      {"worry", "risk"},
      {"worried", "risk"},
      {"bonus", "reward"},
      {"treat", "reward"},
      {"lasting", "stay"},
      {"remain", "stay"},
      {"remaining", "stay"},
      {"problems", "errors"},
      {"issues", "errors"},
      {"faults", "errors"},
      // Phrases (several words standing for one), matched before the words.
      {"walk out the door", "churn"},
      {"walks out the door", "churn"},
      {"walking out the door", "churn"},
      {"out the door", "churn"},
      {"walk away", "churn"},
      {"walks away", "churn"},
      {"drop out", "churn"},
      {"drops out", "churn"},
      {"drop off", "churn"},
      {"jump ship", "churn"},
      {"head for the exit", "churn"},
      {"take their business elsewhere", "churn"},
      {"switch to a competitor", "churn"},
      {"stop being members", "churn"},
      {"give up their membership", "churn"},
      {"end their membership", "churn"},
      {"close their account", "churn"},
      {"do nothing", "inaction"},
      {"does nothing", "inaction"},
      {"doing nothing", "inaction"},
      {"don t act", "inaction"},
      {"dont act", "inaction"},
      {"do not act", "inaction"},
      {"no action", "inaction"},
      {"take no action", "inaction"},
      {"stand still", "inaction"},
      {"status quo", "inaction"},
      {"business as usual", "inaction"},
      {"left unchecked", "inaction"},
      {"no retention programme", "inaction"},
      {"no retention program", "inaction"},
      {"no intervention", "inaction"},
      {"ignore churn", "inaction"},
      {"ignore it", "inaction"},
      {"part of canada", "province"},
      {"parts of canada", "province"},
      {"part of the country", "province"},
      {"parts of the country", "province"},
      {"across canada", "province"},
      {"where in canada", "province"},
      {"customer lifetime value", "clv"},
      {"lifetime value", "clv"},
      {"life time value", "clv"},
      {"lifetime of a membership", "survival"},
      {"lifetime of a member", "survival"},
      {"membership lifetime", "survival"},
      {"member lifetime", "survival"},
      {"life span", "survival"},
      {"lifespan", "survival"},
      {"in their membership", "tenure"},
      {"into their membership", "tenure"},
      {"into the membership", "tenure"},
      {"in the membership", "tenure"},
      {"stage of membership", "tenure"},
      {"time as a member", "tenure"},
      {"time as members", "tenure"},
      {"years as a member", "tenure"},
      {"years as members", "tenure"},
      {"length of membership", "tenure"},
      {"membership length", "tenure"},
      {"membership duration", "tenure"},
      {"how long they have been members", "tenure"},
      {"how long they ve been members", "tenure"},
      {"how long someone has been a member", "tenure"},
      {"the longer", "tenure"},
      {"feature importance", "driver"},
      {"feature importances", "driver"},
      {"what s making", "cause"},
      {"what is making", "cause"},
      {"what s behind", "cause"},
      {"what is behind", "cause"},
      {"root cause", "cause"},
      {"what should we do", "priority"},
      {"what do we do", "priority"},
      {"what would you do", "priority"},
      {"reduce churn", "priority"},
      {"stop churn", "priority"},
      {"cut churn", "priority"},
      {"lower churn", "priority"},
      {"fight churn", "priority"},
      {"prevent churn", "priority"},
      {"reduce attrition", "priority"},
      {"reduce cancellations", "priority"},
      {"improve retention", "priority"},
      {"boost retention", "priority"},
      {"keep more members", "priority"},
      {"cost to contact", "outreach"},
      {"cost to call", "outreach"},
      {"cost of calling", "outreach"},
      {"cost of contacting", "outreach"},
      {"to contact everyone", "outreach"},
      {"to call everyone", "outreach"},
      {"reach out", "phone"},
      {"reach out to", "phone"},
      {"get in touch", "phone"},
      {"call centre", "phone"},
      {"call center", "phone"},
      {"contact centre", "phone"},
      {"share price", "stocks"},
      {"stock price", "stocks"},
      {"stock market", "stocks"},
      {"have in common", "driver"},
      {"in common", "driver"},
      {"common traits", "driver"},
      {"typical churner", "driver"},
      {"months since enrollment", "tenure"},
      {"months since enrolment", "tenure"},
      {"since enrollment", "tenure"},
      {"since enrolment", "tenure"},
      {"since joining", "tenure"},
      {"since they joined", "tenure"},
      {"customer base", "segment"},
      {"member base", "segment"},
      {"lost clv", "loss"},
      {"clv lost", "loss"},
      {"lost value", "loss"},
      {"value lost", "loss"},
      {"lost revenue", "loss"},
      {"revenue lost", "loss"},
      {"clv we lose", "loss"},
      {"value we lose", "loss"},
      {"out west", "province"},
      {"the west", "province"},
      {"the east", "province"},
      {"out east", "province"},
      {"east coast", "province"},
      {"west coast", "province"},
      {"the prairies", "province"},
      {"the maritimes", "province"},
      {"atlantic canada", "province"},
      {"the north", "province"},
      {"stays as it is", "inaction"},
      {"stay as it is", "inaction"},
      {"stays the same", "inaction"},
      {"stay the same", "inaction"},
      {"nothing changes", "inaction"},
      {"if nothing changes", "inaction"},
      {"carry on as we are", "inaction"},
      {"in membership", "tenure"},
      {"been with us longer", "veterans"},
      {"with us longer", "veterans"},
      {"been with us for years", "veterans"},
      {"been members longer", "veterans"},
      {"go first", "priority"},
      {"half life", "survival"},
      {"years of membership", "tenure"},
      {"year of membership", "tenure"},
      {"lever", "priority"},
      {"levers", "priority"},
      {"class of", "cohort"},
      {"win back", "retain"},
      {"drop off", "churn"},
      // Single words no example uses, mapped to one that does.
      {"rescue", "retain"},
      {"recover", "retain"},
      {"winback", "retain"},
      {"reactivate", "retain"},
      {"reactivation", "retain"},
      {"reengage", "retain"},
      {"renew", "retain"},
      {"renewal", "retain"},
      {"engagement", "activity"},
      {"disengaged", "inactivity"},
      {"disengagement", "inactivity"},
      {"inactive", "inactivity"},
      {"dropout", "churn"},
      {"dropoff", "churn"},
      {"stickiness", "stay"},
      {"sticky", "stay"},
      {"persist", "stay"},
      {"abandonment", "churn"},
      {"departure", "churn"},
      {"turnover", "churn"},
      {"terminate", "churn"},
      {"termination", "churn"},
      {"margin", "value"},
      {"wallet", "value"},
      {"monetary", "value"},
      {"elite", "vip"},
      {"whales", "vip"},
      {"threat", "risk"},
      {"flagged", "risk"},
      {"odds", "chance"},
      {"propensity", "chance"},
      {"likelihood", "chance"},
      {"local", "province"},
      {"persona", "segment"},
      {"personas", "segment"},
      {"class", "segment"},
      {"contribute", "driver"},
      {"influence", "driver"},
      {"correlate", "driver"},
      {"correlation", "driver"},
      {"pattern", "driver"},
      {"patterns", "driver"},
      {"indicator", "driver"},
      {"indicators", "driver"},
      {"journey", "tenure"},
      {"quantile", "tertile"},
      {"quantiles", "tertile"},
      {"halflife", "survival"},
      {"generation", "cohort"},
      {"algorithm", "model"},
      {"classifier", "model"},
      {"brier", "calibration"},
      {"backtest", "model"},
      {"overfit", "model"},
      {"nulls", "errors"},
      {"anomalies", "errors"},
      {"outliers", "errors"},
      {"completeness", "quality"},
      {"schema", "validation"},
      {"investment", "spend"},
      {"invest", "spend"},
      {"allocate", "spend"},
      {"allocation", "spend"},
      {"stats", "kpi"},
      {"statistics", "kpi"},
      {"first move", "priority"},
      {"best move", "priority"},
      {"smartest move", "priority"},
      {"next move", "priority"},
      {"highest impact", "priority"},
      {"biggest impact", "priority"},
      {"most impact", "priority"},
      {"high impact", "priority"},
      {"biggest difference", "priority"},
      {"if nobody calls", "inaction"},
      {"if no one calls", "inaction"},
      {"if we don t call", "inaction"},
      {"if we do not call", "inaction"},
      {"if we don t act", "inaction"},
      {"if nobody acts", "inaction"},
      {"before they cancel", "warning"},
      {"before cancelling", "warning"},
      {"lead up to", "warning"},
      {"leading up to", "warning"},
      {"run up to", "warning"},
      {"bucket", "segment"},
      {"buckets", "segment"},
      {"cluster", "segment"},
      {"clusters", "segment"},
      {"beforehand", "warning"},
      {"precede", "warning"},
      {"precedes", "warning"},
      {"preceding", "warning"},
      {"account", "member"},
      {"accounts", "member"},
      {"protect", "retain"},
      {"richest", "value"},
      {"come first", "priority"},
      {"new vs old", "tenure"},
      {"new versus old", "tenure"},
      {"new or old", "tenure"},
      {"new and old", "tenure"},
      {"newer vs older", "tenure"},
      {"old members", "veterans"},
      {"older members", "veterans"},
      {"long time members", "veterans"},
      {"longtime members", "veterans"},
      {"early months", "tenure"},
      {"danger period", "tenure"},
      {"member last", "survival"},
      {"members last", "survival"},
      {"customer last", "survival"},
      {"customers last", "survival"},
      {"part of the membership", "segment"},
      {"part of our base", "segment"},
      // Words.
      {"slice", "segment"},
      {"slices", "segment"},
      {"premium", "value"},
      {"pamper", "reward"},
      {"danger", "risk"},
      {"unchanged", "inaction"},
      {"fragile", "risk"},
      {"vulnerable", "risk"},
      {"defection", "churn"},
      {"defections", "churn"},
      {"trigger", "driver"},
      {"triggers", "driver"},
      {"characteristics", "driver"},
      {"traits", "driver"},
      {"action", "initiative"},
      {"actions", "initiative"},
      {"win", "priority"},
      {"wins", "priority"},
      {"tackle", "focus"},
      {"target", "focus"},
      {"intervene", "initiative"},
      {"intervention", "initiative"},
      {"project", "initiative"},
      {"projects", "initiative"},
      {"leverage", "priority"},
      {"recommendation", "recommend"},
      {"recommendations", "recommend"},
      {"advise", "recommend"},
      {"advice", "recommend"},
      {"suggest", "recommend"},
      {"churners", "churn"},
      {"leavers", "churn"},
      {"abandon", "churn"},
      {"exits", "churn"},
      {"departures", "churn"},
      {"depart", "churn"},
      {"lapsed", "churn"},
      {"lapsing", "churn"},
      {"unsubscribe", "churn"},
      {"retaining", "retain"},
      {"retained", "retain"},
      {"ltv", "clv"},
      {"area", "province"},
      {"areas", "province"},
      {"location", "province"},
      {"locations", "province"},
      {"importance", "driver"},
      {"predictors", "driver"},
      {"predictor", "driver"},
      {"contributors", "driver"},
      {"influences", "driver"},
      {"correlates", "driver"},
      {"sex", "gender"},
      {"forecast", "projected"},
      {"forecasted", "projected"},
      {"projection", "projected"},
      {"expected", "projected"},
      {"anticipate", "projected"},
      {"dataset", "data"},
      {"datasets", "data"},
      {"duplicates", "errors"},
      {"duplicate", "errors"},
      {"corrupt", "errors"},
      {"malformed", "errors"},
      {"clean", "quality"},
      {"cleanliness", "quality"},
  };
  return all;
}

}  // namespace

const IntentRow& find_intent(const std::string& name) {
  const auto& rows = intent_table();
  const auto it =
      std::find_if(rows.begin(), rows.end(), [&](const IntentRow& r) { return r.name == name; });
  if (it == rows.end()) {
    core::fail(core::ErrorKind::InvalidInput, "unknown intent '{}'; valid intents: {}", name,
               fmt::join(intent_names(), ", "));
  }
  return *it;
}

std::vector<std::string> intent_names() {
  std::vector<std::string> out;
  for (const auto& r : intent_table()) {
    out.push_back(r.name);
  }
  return out;
}

const std::vector<std::string>& slot_names() {
  static const std::vector<std::string> names = {
      "segments", "provinces", "cards",          "genders",       "clv_tiers", "segment_pair",
      "top_n",    "budget",    "loyalty_number", "tenure_groups", "years",     "horizon"};
  return names;
}

std::vector<std::pair<std::string, std::string>> all_synonyms() {
  std::vector<std::pair<std::string, std::string>> out = general_synonyms();
  for (const auto& r : intent_table()) {
    out.insert(out.end(), r.synonyms.begin(), r.synonyms.end());
  }
  return out;
}

std::string intents_sentence() {
  std::string out;
  const auto& rows = intent_table();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == rows.size() ? " and " : ", ") + rows[i].description;
  }
  return out;
}

std::string intent_of_operations(const std::vector<std::string>& all_ops) {
  // The KPI operations are in every plan: they say the overview only when nothing else does.
  std::vector<std::string> ops;
  for (const auto& op : all_ops) {
    if (op != "kpis_slice" && op != "kpis_baseline") {
      ops.push_back(op);
    }
  }
  if (ops.empty()) {
    ops = all_ops;
  }
  for (const auto& op : ops) {
    for (const auto& r : intent_table()) {
      if (!r.ops.empty() && r.ops.front() == op) {
        return r.name;
      }
    }
  }
  for (const auto& op : ops) {
    for (const auto& r : intent_table()) {
      if (std::find(r.ops.begin(), r.ops.end(), op) != r.ops.end()) {
        return r.name;
      }
    }
  }
  return "";
}

std::string intents_markdown() {
  std::string out = "| intent | answers | example | slots | operations |\n|---|---|---|---|---|\n";
  for (const auto& r : intent_table()) {
    std::vector<std::string> ops;
    for (const auto& op : r.ops) {
      ops.push_back("`" + op + "`");
    }
    out += fmt::format(
        "| {} | {} | \"{}\" | {} | {} |\n", r.name, r.description, r.examples.front(),
        r.slots.empty() ? "–" : fmt::format("{}", fmt::join(r.slots, ", ")), fmt::join(ops, ", "));
  }
  return out;
}

std::string intents_help() {
  std::string out = "Intents (the analyst answers these kinds of question):\n";
  for (const auto& r : intent_table()) {
    out += fmt::format("  {:<13} {}, e.g. \"{}\"\n", r.name, r.description, r.examples.front());
  }
  out +=
      "A follow-up (\"And in Quebec?\", \"what about Champions?\", \"show me the top 20\") keeps "
      "the previous intent when --context names the previous --json output.";
  return out;
}

}  // namespace aa::analyst
