#pragma once
// The question's shape (docs/ANALYST.md, "Which intent"): what kind of answer it asks for, read
// from its slots and a small closed set of function words, not from its topic words. The unit
// (individual members, one figure, a breakdown by a dimension, a check of the model or of the
// data over time), the filters it names (provinces, cards, segments, genders, CLV and tenure
// ranges, a risk tier, the enrollment type) and, for a breakdown, the dimension. A small table
// maps a clear shape to an intent; an unclear one says nothing.

#include <string>
#include <vector>

#include "analyst/slots.h"

namespace aa::analyst {

enum class AnswerUnit { kNone, kMembers, kFigure, kBreakdown, kModelOverTime, kModelQuality };

struct QuestionShape {
  AnswerUnit unit = AnswerUnit::kNone;
  std::string dimension;  // a breakdown's: province, segment, card, gender, tenure, clv, year
  int filters = 0;        // how many filters the question names
  int names = 0;          // of them, names of provinces, cards, segments, genders
  bool only_one_name = false;  // its filters are one name of one dimension ("the Champions")
  bool beyond_names = false;   // a filter other than a name: a range, a tier, the enrollment type
  bool ranked = false;         // members ranked by risk, value or whom to call ("most likely")
  bool sorted = false;         // an explicit order not by risk ("sorted by CLV", "newest first")
  bool projection = false;     // a figure of the future, a loss, a curve, a cohort's remains
  bool about_value = false;    // value words (valuable, CLV, worth, spenders)
  bool calling = false;        // whom to call, phone, contact
  bool compare = false;        // two things side by side, or a yes/no question
  bool high_risk = false;      // "high risk" (a filter of a figure, not of a member list)
  bool stat_words = false;     // a statistic named (count, mean, median, KPIs)
  bool cannot_lose = false;    // members the question cannot afford to lose (cannot_lose)
  bool against_average = false;  // a slice set against the average ("riskier than the average")
};

// Whether the question speaks the model monitor's own vocabulary (docs/ANALYST.md, "Model
// health"): its alerts, scorings that have or have not matured, the calibration ratio
// (observed over predicted), a level shift, member-months missing from an export, the
// quarantine rate against an earlier arrival, a figure per scored month, the data's last month.
bool speaks_of_monitor(const std::vector<std::string>& words);
// Whether the question asks about the ingest's details: blank lines skipped, values set to
// null, negative amounts, quarantined or rejected rows, malformed lines, the CSV read.
bool speaks_of_ingest_details(const std::vector<std::string>& words);
// Whether the question names members it cannot afford to lose ("we must never lose", "can't
// afford to lose"): valuable members to keep, not members about to leave.
bool cannot_lose(const std::vector<std::string>& words);

// The question's words in order, typos corrected, and as written.
QuestionShape shape_of(const Slots& slots, const std::vector<std::string>& corrected,
                       const std::vector<std::string>& written);
// The intent a clear shape asks for, or "" when the shape leaves it to the other signals.
std::string shape_intent(const QuestionShape& shape, const Slots& slots);
// Whether a clear shape (one that says `shape_says`) rules out `intent`: a list of members is no
// group's summary, a breakdown no member list, a slice's figure neither.
bool shape_contradicts(const QuestionShape& shape, const std::string& shape_says,
                       const std::string& intent);

}  // namespace aa::analyst
