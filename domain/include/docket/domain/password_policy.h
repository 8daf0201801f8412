// The password policy, for every password a person chooses and every first password an admin
// gives a staff member: at least kPasswordMinLength characters (code points), no control
// character (NUL included), not only spaces, not one character repeated, not the login (licence
// number or staff id, whatever the case), and not in a built-in list of the most common
// passwords (whatever the case).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace docket::domain {

inline constexpr std::size_t kPasswordMinLength = 10;

// nullopt when `password` passes the policy for the account `login`; otherwise why not, as
// "Expected …, but …".
std::optional<std::string> password_problem(std::string_view password, std::string_view login);

}  // namespace docket::domain
