#pragma once
// Follow-ups: "And in Quebec?", "what about Champions?", "show me the top 20" reuse the
// previous turn's intent with the slots they change.

#include <nlohmann/json.hpp>
#include <string>

#include "analyst/planner.h"

namespace aa::analyst {

// Whether the question reads as a follow-up of a previous turn: it opens with "and", "what
// about", "how about", "same for", "only", "now", "show me the top N"..., or is a few words
// naming something, and has no strong intent of its own.
bool reads_as_follow_up(const std::string& question, const Slots& slots,
                        const Recognition& recognition);

// The previous slots with the new question's in their place: names replace names of the same
// kind (one new segment after a comparison replaces its second side), numbers replace numbers;
// the shape (yes/no, how much, direction) stays the previous question's unless the new one has
// its own. Writes {inherited: [...], changed: [...]} into `record`.
Slots overlay(const Turn& previous, const Slots& now, nlohmann::json& record);

}  // namespace aa::analyst
