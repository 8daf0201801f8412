// The credential store of a domain test: the decisions' credential writes, kept beside the
// stream as the engine keeps them beside the log, and read back to fill the commands that check
// a credential (as the app fills them).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "docket/domain/core.h"

namespace docket::domain::testing {

struct Credentials {
  std::map<std::string, std::string> values;  // credential key -> value

  void apply(const Decision& decision) {
    for (const auto& w : decision.credentials) {
      if (w.value.empty())
        values.erase(w.key);
      else
        values[w.key] = w.value;
    }
  }

  // The credential of `kind`, whichever stream owns it (a test has one); empty when none.
  std::string of(CredentialKind kind) const {
    const std::string suffix = std::string(1, '\0') + std::string(to_string(kind));
    for (const auto& [key, value] : values) {
      if (key.size() >= suffix.size() && key.ends_with(suffix))
        return value;
    }
    return {};
  }

  // Fills `slot` as the app would, unless the test set it itself.
  void fill(std::string& slot, CredentialKind kind) const {
    if (slot.empty())
      slot = of(kind);
  }
};

}  // namespace docket::domain::testing
