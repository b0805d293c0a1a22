#pragma once
// What a question's words and slots say about which intent it is: the rules' signal, beside
// the keywords and the ranker (recogniser.h). Each cue is a small predicate over the question's
// words (typos corrected, then the words as written; `mapped`: the same with synonym phrases
// replaced, "do nothing" -> "inaction").

#include <string>
#include <vector>

#include "analyst/slots.h"

namespace aa::analyst {

using Words = std::vector<std::string>;

// Words that carry no question: "thanks", "hello", "ok great".
bool chit_chat(const Words& words);
// An order to act ("Delete all the data", "Restart the server", "Drop the table").
bool command(const Words& words);
// What the slots and words say for `intent`, in units of the rules' slot weight: positive
// for the intent the question reads as, negative against one it cannot be.
double rule_signal(const std::string& intent, const Slots& s, const Words& w, const Words& mapped);

}  // namespace aa::analyst
