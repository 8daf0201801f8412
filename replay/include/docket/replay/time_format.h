// Moments in time as auditors write and read them.
//
// Output is RFC 3339 in UTC ("2026-01-05T02:30:00Z", with ".ffffff" when the microseconds are
// not zero). Input (parse_time) accepts:
//   - RFC 3339 with a zone: "2026-01-05T10:30:00+08:00", "2026-01-05T02:30:00.5Z";
//   - a date and time without a zone, taken as court time (UTC+8): "2026-01-05T10:30" or
//     "2026-01-05 10:30:00";
//   - a bare date, meaning the end of that day in court time: "2026-01-05" is every moment up to
//     2026-01-05T23:59:59.999999+08:00;
//   - "@<microseconds since the Unix epoch>", e.g. "@1767225600000000".
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "docket/common/expected.h"

namespace docket::replay {

// The court's time zone offset (China Standard Time), used for times written without a zone.
inline constexpr std::int64_t kCourtUtcOffsetUs = 8LL * 3600 * 1'000'000;

// Microseconds since the Unix epoch, or a message "Expected …, but …".
Expected<std::int64_t, std::string> parse_time(std::string_view text);

// RFC 3339 in UTC.
std::string format_time(std::int64_t us);

}  // namespace docket::replay
