#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deciding.h"  // utf8_length
#include "docket/domain/password_policy.h"

namespace docket::domain {
namespace {

// The most common passwords of ten characters or more (leaked-password lists), compared without
// regard to case. Shorter ones are refused by length already.
constexpr std::array<std::string_view, 40> kCommonPasswords = {
    "1234567890",    "0123456789",   "9876543210",   "0987654321",  "1234512345",    "12345678910",
    "123456789a",    "a123456789",   "1234567890a",  "123456789q",  "1q2w3e4r5t",    "1q2w3e4r5t6y",
    "q1w2e3r4t5",    "1qaz2wsx3edc", "zaq12wsxcde3", "qwertyuiop",  "qwertyuiop123", "qwerty1234",
    "qwerty12345",   "asdfghjkl;",   "asdfghjkl1",   "zxcvbnm123",  "password12",    "password123",
    "password1234",  "passw0rd12",   "p@ssw0rd12",   "p@ssword123", "admin12345",    "admin123456",
    "administrator", "iloveyou12",   "iloveyou123",  "abcdefghij",  "abcd123456",    "abc1234567",
    "woaini1314",    "5201314520",   "1314520520",   "changeme123",
};

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The text's code points, each as its UTF-8 bytes.
std::vector<std::string_view> code_points(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 1; i <= text.size(); ++i) {
    if (i == text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      out.push_back(text.substr(start, i - start));
      start = i;
    }
  }
  return out;
}

bool is_space(std::string_view point) {
  return point == " " || point == "\u00A0" || point == "\u3000" || point == "\u2002" ||
         point == "\u2003" || point == "\u2009";
}

}  // namespace

std::optional<std::string> password_problem(std::string_view password, std::string_view login) {
  const auto length = deciding::utf8_length(password);
  if (length < kPasswordMinLength) {
    return "Expected a password of at least " + std::to_string(kPasswordMinLength) +
           " characters, but it has " + std::to_string(length);
  }
  for (unsigned char c : password) {
    if (c < 0x20 || c == 0x7F) {
      return std::string("Expected a password without control characters, but it has one");
    }
  }
  const auto points = code_points(password);
  if (std::all_of(points.begin(), points.end(), is_space))
    return std::string("Expected a password with more than spaces, but it has only spaces");
  if (std::all_of(points.begin(), points.end(),
                  [&](std::string_view p) { return p == points.front(); })) {
    return std::string(
        "Expected a password of more than one repeated character, but it "
        "repeats one character");
  }
  const auto lower = ascii_lower(password);
  if (!login.empty() && lower == ascii_lower(login))
    return std::string("Expected a password other than the login, but it is the login");
  if (std::find(kCommonPasswords.begin(), kCommonPasswords.end(), lower) !=
      kCommonPasswords.end()) {
    return std::string(
        "Expected a password that is not among the most common ones, but it "
        "is");
  }
  return std::nullopt;
}

}  // namespace docket::domain
