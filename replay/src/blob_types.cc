#include "blob_types.h"

#include <array>

namespace docket::replay::detail {
namespace {

struct Signature {
  std::string_view what;    // for the message
  std::string_view magic;   // at offset 0
  std::string_view magic8;  // at offset 8, when not empty
  std::array<std::string_view, 2> types;
};

using namespace std::string_view_literals;

constexpr std::array<Signature, 7> kSignatures{{
    {"a PDF file", "%PDF-"sv, {}, {"application/pdf"sv, {}}},
    {"a PNG image", "\x89PNG\r\n\x1a\n"sv, {}, {"image/png"sv, {}}},
    {"a JPEG image", "\xff\xd8\xff"sv, {}, {"image/jpeg"sv, {}}},
    {"a GIF image", "GIF8"sv, {}, {"image/gif"sv, {}}},
    {"a WebP image", "RIFF"sv, "WEBP"sv, {"image/webp"sv, {}}},
    {"a TIFF image", "II*\0"sv, {}, {"image/tiff"sv, {}}},
    {"a TIFF image", "MM\0*"sv, {}, {"image/tiff"sv, {}}},
}};

// A ZIP archive: OFD documents are ZIP containers.
constexpr Signature kZip{
    "a ZIP container", "PK\x03\x04"sv, {}, {"application/ofd"sv, "application/zip"sv}};

bool restricted_name(std::string_view s) {
  if (s.empty() || s.size() > 127)
    return false;
  for (unsigned char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '!' || c == '#' || c == '$' || c == '&' || c == '-' || c == '^' ||
                    c == '_' || c == '.' || c == '+';
    if (!ok)
      return false;
  }
  return true;
}

bool matches(const Signature& s, std::string_view head) {
  if (head.substr(0, s.magic.size()) != s.magic)
    return false;
  return s.magic8.empty() || head.substr(std::min<std::size_t>(8, head.size()), 4) == s.magic8;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s)
    out += (c < 0x20 || c >= 0x7f) ? '?' : static_cast<char>(c);
  return out + "\"";
}

}  // namespace

std::optional<std::string> content_type_problem(std::string_view content_type,
                                                std::string_view head) {
  const auto slash = content_type.find('/');
  if (slash == std::string_view::npos || !restricted_name(content_type.substr(0, slash)) ||
      !restricted_name(content_type.substr(slash + 1))) {
    return "a media type (type/subtype) as its content type, but it is " + quoted(content_type);
  }
  auto check = [&](const Signature& s) -> std::optional<std::string> {
    if (!matches(s, head))
      return std::nullopt;
    for (auto t : s.types) {
      if (!t.empty() && t == content_type)
        return std::string();
    }
    return "a content type that agrees with its bytes (" + std::string(s.what) + "), but it is " +
           quoted(content_type);
  };
  for (const auto& s : kSignatures) {
    if (auto r = check(s))
      return r->empty() ? std::nullopt : r;
  }
  if (auto r = check(kZip))
    return r->empty() ? std::nullopt : r;
  return std::nullopt;
}

}  // namespace docket::replay::detail
