// Identifiers at the edge: every id a request carries (path parameters, the login, ids in
// bodies) is checked against a documented alphabet before any lookup, limit counter or command,
// so two spellings never name one account or stream and no id smuggles a NUL into a key.
// Internal to docket_api; README.md ("Identifiers") is the contract.
//
// Two alphabets:
//   id           printable ASCII without space and '/': bytes 0x21-0x7E except 0x2F, 1 to 128
//                bytes (licence numbers, staff ids, filing, service, hearing, batch, item,
//                message, application and party ids, payment codes, blob hashes).
//   case number  the id alphabet plus the CJK characters and brackets of Chinese case numbers
//                and court codes: CJK ideographs (U+3400-U+4DBF, U+4E00-U+9FFF), fullwidth
//                parentheses （） (U+FF08, U+FF09), 〔〕 (U+3014, U+3015) and 【】 (U+3010,
//                U+3011); valid UTF-8, 1 to 64 characters (case numbers and court codes).
// Nothing is normalised away: an id outside its alphabet is refused, never trimmed, so the id
// that passes is the one every lookup and counter sees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docket/api/problem.h"

namespace docket::api {

enum class IdKind : std::uint8_t { kId, kCaseNumber };

inline constexpr std::size_t kMaxIdBytes = 128;
inline constexpr std::size_t kMaxCaseNumberCharacters = 64;

// nullopt when `text` is a valid identifier of `kind`; else "Expected …, but …" naming `what`.
std::optional<std::string> identifier_error(IdKind kind, std::string_view what,
                                            std::string_view text);

// The kind of a path parameter by its name: case numbers and court codes ("case_number",
// "court") are kCaseNumber, every other parameter kId.
IdKind path_parameter_kind(std::string_view name);

// {} when `text` is valid; else 422 problem+json (code "validation") with one violation on
// `field`.
Expected<void, Problem> check_identifier(IdKind kind, std::string_view field,
                                         std::string_view text);

// A new server-made id: `prefix` and 128 bits from the operating system's CSPRNG as 32 lower-case
// hex digits (e.g. "f3b0…" for a filing). Unguessable, so no caller can take another's next id;
// never derived from a caller's name or Idempotency-Key.
std::string new_server_id(std::string_view prefix);

// {} when every path parameter (name, decoded value) is valid for its kind; else 400
// problem+json with a violation per bad parameter ("path.<name>").
Expected<void, Problem> check_path_identifiers(
    const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace docket::api
