#include "identifiers.h"

#include <cstdint>

#include "docket/app/secrets.h"
#include "docket/engine/sha256.h"

namespace docket::api {

namespace {

bool is_id_byte(unsigned char c) {
  return c >= 0x21 && c <= 0x7E && c != '/';
}

bool is_case_number_code_point(std::uint32_t cp) {
  return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || cp == 0xFF08 ||
         cp == 0xFF09 || cp == 0x3014 || cp == 0x3015 || cp == 0x3010 || cp == 0x3011;
}

// The next UTF-8 code point of `text` at `i` (advancing `i`), or nullopt when malformed
// (overlong forms, surrogates and values beyond U+10FFFF included).
std::optional<std::uint32_t> next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  std::uint32_t cp = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    cp = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (i + length > text.size())
    return std::nullopt;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80)
      return std::nullopt;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr std::uint32_t kMinOf[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinOf[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return std::nullopt;
  i += length;
  return cp;
}

std::string quoted_bytes(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (unsigned char c : text.substr(0, 80)) {
    if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (text.size() > 80)
    out += "…";
  return out + "\"";
}

}  // namespace

std::optional<std::string> identifier_error(IdKind kind, std::string_view what,
                                            std::string_view text) {
  const std::string name(what);
  if (text.empty())
    return "Expected " + name + " to be a non-empty identifier, but it is empty";
  if (kind == IdKind::kId) {
    if (text.size() > kMaxIdBytes) {
      return "Expected " + name + " of at most " + std::to_string(kMaxIdBytes) +
             " bytes, but it has " + std::to_string(text.size());
    }
    for (unsigned char c : text) {
      if (!is_id_byte(c)) {
        return "Expected " + name +
               " of printable ASCII without spaces, '/' or control characters, but got " +
               quoted_bytes(text);
      }
    }
    return std::nullopt;
  }
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto cp = next_code_point(text, i);
    const bool ok = cp && (*cp < 0x80 ? is_id_byte(static_cast<unsigned char>(*cp))
                                      : is_case_number_code_point(*cp));
    if (!ok) {
      return "Expected " + name +
             " of printable ASCII, CJK ideographs and the brackets of case numbers (no spaces, "
             "'/' or control characters), but got " +
             quoted_bytes(text);
    }
    ++characters;
  }
  if (characters > kMaxCaseNumberCharacters) {
    return "Expected " + name + " of at most " + std::to_string(kMaxCaseNumberCharacters) +
           " characters, but it has " + std::to_string(characters);
  }
  return std::nullopt;
}

IdKind path_parameter_kind(std::string_view name) {
  return name == "case_number" || name == "court" ? IdKind::kCaseNumber : IdKind::kId;
}

Expected<void, Problem> check_identifier(IdKind kind, std::string_view field,
                                         std::string_view text) {
  auto error = identifier_error(kind, field, text);
  if (!error)
    return {};
  std::string detail = *error;
  return unexpected(make_problem(http::status::unprocessable_entity, problem_code::kValidation,
                                 std::move(detail), {{std::string(field), std::move(*error)}}));
}

std::string new_server_id(std::string_view prefix) {
  return std::string(prefix) + engine::to_hex(app::SodiumSecrets::random_bytes(16));
}

Expected<void, Problem> check_path_identifiers(
    const std::vector<std::pair<std::string, std::string>>& params) {
  std::vector<domain::Violation> bad;
  for (const auto& [name, value] : params) {
    if (auto error = identifier_error(path_parameter_kind(name), name, value))
      bad.push_back({"path." + name, std::move(*error)});
  }
  if (bad.empty())
    return {};
  std::string detail = bad.front().message;
  return unexpected(bad_request(std::move(detail), std::move(bad)));
}

}  // namespace docket::api
