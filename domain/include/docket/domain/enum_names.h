// The wire names of the domain's enums: one rule, applied by every module that writes or reads an
// enum (request bodies, replies, read models, the feed, the auditors' tool, the OpenAPI document).
//
// Every domain enum is described with BOOST_DESCRIBE_ENUM next to its definition. Its wire name is
// the enumerator's name without a leading `k` (when a capital follows) and without a trailing `_`,
// in snake_case: kNaturalPerson -> "natural_person", kNoShow -> "no_show", signed_ -> "signed".
// An enum whose names the rule does not give specialises EnumNameOverrides next to its
// definition (PaymentChannel::kWeChat -> "wechat"). Renaming an enumerator renames its wire name;
// tests/domain/enum_names_test.cc pins every name, so that cannot happen unnoticed.
//
// The names are computed once per enum on first use (thread-safe) and live for the program.
#pragma once

#include <array>
#include <boost/describe/enum.hpp>
#include <boost/describe/enumerators.hpp>
#include <boost/mp11/algorithm.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace docket::domain {

// An enum with a Boost.Describe description.
template <class E>
concept DescribedEnum = std::is_enum_v<E> && boost::describe::has_describe_enumerators<E>::value;

// Wire names the rule does not give, as (value, name) pairs. Specialise next to the enum:
//   template <> struct EnumNameOverrides<PaymentChannel> {
//     static constexpr std::array kNames{std::pair{PaymentChannel::kWeChat, "wechat"}};
//   };
template <class E>
struct EnumNameOverrides {
  static constexpr std::array<std::pair<E, const char*>, 0> kNames{};
};

// The rule: "kCorrectionRequested" -> "correction_requested", "signed_" -> "signed".
inline std::string wire_name_of_enumerator(std::string_view enumerator) {
  if (enumerator.size() > 1 && enumerator[0] == 'k' && enumerator[1] >= 'A' && enumerator[1] <= 'Z')
    enumerator.remove_prefix(1);
  if (!enumerator.empty() && enumerator.back() == '_')
    enumerator.remove_suffix(1);
  std::string out;
  out.reserve(enumerator.size() + 4);
  for (const char c : enumerator) {
    if (c >= 'A' && c <= 'Z') {
      if (!out.empty())
        out.push_back('_');
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace detail {

template <DescribedEnum E>
struct EnumTable {
  std::vector<std::pair<E, std::string>> entries;  // declaration order

  static const EnumTable& get() {
    static const EnumTable table = [] {
      EnumTable t;
      boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
        std::string name = wire_name_of_enumerator(d.name);
        for (const auto& [value, override_name] : EnumNameOverrides<E>::kNames) {
          if (value == d.value)
            name = override_name;
        }
        t.entries.emplace_back(d.value, std::move(name));
      });
      return t;
    }();
    return table;
  }
};

}  // namespace detail

// The wire name of `value`; "unknown" for a value that is not an enumerator.
template <DescribedEnum E>
std::string_view enum_name(E value) {
  for (const auto& [v, name] : detail::EnumTable<E>::get().entries) {
    if (v == value)
      return name;
  }
  return "unknown";
}

// The enumerator whose wire name is `name`; nullopt for any other text.
template <DescribedEnum E>
std::optional<E> enum_from_name(std::string_view name) {
  for (const auto& [v, n] : detail::EnumTable<E>::get().entries) {
    if (n == name)
      return v;
  }
  return std::nullopt;
}

// Every wire name of E, in declaration order.
template <DescribedEnum E>
std::vector<std::string_view> enum_names() {
  std::vector<std::string_view> out;
  for (const auto& entry : detail::EnumTable<E>::get().entries)
    out.emplace_back(entry.second);
  return out;
}

// Every value of E with its wire name, in declaration order.
template <DescribedEnum E>
std::vector<std::pair<std::string_view, E>> enum_choices() {
  std::vector<std::pair<std::string_view, E>> out;
  for (const auto& [value, name] : detail::EnumTable<E>::get().entries)
    out.emplace_back(name, value);
  return out;
}

}  // namespace docket::domain
