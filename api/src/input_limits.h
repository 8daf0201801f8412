// The one table of input limits: how long each text field of a request body may be, and how
// many items an array may hold. Fields (json_input.h) checks every string and array it reads
// against it (a longer one is a 422 naming the field and the limit); the OpenAPI document
// publishes the same numbers as maxLength / maxItems, and README "Limits" lists them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace docket::api::limits {

inline constexpr std::size_t kFreeText = 64u << 10;  // a message, a reason, facts, an opinion
inline constexpr std::size_t kName = 512;            // a person's or firm's name, a title
inline constexpr std::size_t kAddress = 1024;        // a postal address, a URL
inline constexpr std::size_t kPassword = 1024;       // a password (hashed; never stored)
inline constexpr std::size_t kOther = 256;           // ids, codes, numbers, phones, e-mails
inline constexpr std::size_t kArrayItems = 1000;     // the items of any array
// Every time and period (a field named "…_us") lies in [0, kMaxTimeUs]: the end of the year
// 9999 in microseconds since the Unix epoch. So a time plus a period, or plus a hearing's length
// (at most 2^32 minutes), stays far from the int64 range, and no sum of them can overflow.
inline constexpr std::int64_t kMaxTimeUs = 253'402'300'799'999'999LL;

struct FieldLimit {
  std::string_view field;
  std::size_t max_bytes;
};

// By field name (the last segment of a field's path); a field not listed gets kOther.
inline constexpr FieldLimit kTextLimits[] = {
    {"body", kFreeText},
    {"text", kFreeText},
    {"message", kFreeText},
    {"reason", kFreeText},
    {"facts_and_reasons", kFreeText},
    {"claims", kFreeText},
    {"opinion", kFreeText},
    {"note", kFreeText},
    {"purpose", kFreeText},
    {"name", kName},
    {"title", kName},
    {"firm", kName},
    {"legal_representative", kName},
    {"place", kName},
    {"video_room", kName},
    {"address", kAddress},
    {"url", kAddress},
    {"password", kPassword},
    {"old_password", kPassword},
    {"new_password", kPassword},
    {"initial_password", kPassword},
};

// The most bytes a string field named `field` may have.
constexpr std::size_t max_text_bytes(std::string_view field) {
  for (const auto& l : kTextLimits) {
    if (l.field == field)
      return l.max_bytes;
  }
  return kOther;
}

}  // namespace docket::api::limits
