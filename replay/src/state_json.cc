#include "docket/replay/state_json.h"

#include <boost/describe/enum_to_string.hpp>
#include <boost/describe/members.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/mp11/algorithm.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <vector>

#include "describe_domain.h"
#include "docket/engine/format.h"
#include "docket/replay/time_format.h"

namespace docket::replay {

namespace json = boost::json;

namespace {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_map : std::false_type {};
template <class K, class V, class C, class A>
struct is_map<std::map<K, V, C, A>> : std::true_type {};
template <class T>
struct is_set : std::false_type {};
template <class K, class C, class A>
struct is_set<std::set<K, C, A>> : std::true_type {};

template <class T>
json::value json_of(const T& v);

// An enum by its wire name (enum_names.h); a value that is no enumerator by its number.
template <class E>
json::value enum_json(E v) {
  if (boost::describe::enum_to_string(v, nullptr) == nullptr)
    return static_cast<std::int64_t>(v);
  return json::string(domain::enum_name(v));
}

template <class T>
json::value json_of(const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v;
  } else if constexpr (std::is_enum_v<T>) {
    return enum_json(v);
  } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
    return static_cast<std::uint64_t>(v);
  } else if constexpr (std::is_integral_v<T>) {
    return static_cast<std::int64_t>(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    return static_cast<double>(v);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return json::string(v);
  } else if constexpr (is_optional<T>::value) {
    return v ? json_of(*v) : json::value(nullptr);
  } else if constexpr (is_vector<T>::value || is_set<T>::value) {
    json::array out;
    out.reserve(v.size());
    for (const auto& item : v)
      out.push_back(json_of(item));
    return out;
  } else if constexpr (is_map<T>::value) {
    if constexpr (std::is_same_v<typename T::key_type, std::string>) {
      json::object out;
      for (const auto& [key, item] : v)
        out.emplace(key, json_of(item));
      return out;
    } else {
      json::array out;
      for (const auto& [key, item] : v)
        out.push_back(json::array{json_of(key), json_of(item)});
      return out;
    }
  } else {
    static_assert(boost::describe::has_describe_members<T>::value,
                  "describe the type in describe_domain.h");
    json::object out;
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto member) { out.emplace(member.name, json_of(v.*member.pointer)); });
    return out;
  }
}

// Records the types serialize() writes, in order.
struct TypeRecorder {
  std::vector<std::type_index> types;
  template <class... T>
  void operator()(T&... values) {
    (types.emplace_back(typeid(std::remove_cvref_t<decltype(values)>)), ...);
  }
};

template <class T>
bool description_matches_serialize() {
  T value{};
  TypeRecorder serialized;
  value.serialize(serialized);
  std::vector<std::type_index> described;
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
      [&](auto member) {
        described.emplace_back(typeid(std::remove_cvref_t<decltype(value.*member.pointer)>));
      });
  return described == serialized.types;
}

using Aggregates =
    std::tuple<domain::CourtAggregate, domain::CaseNumberAggregate, domain::LawyerAggregate,
               domain::FilingAggregate, domain::PaymentAggregate, domain::CaseAggregate,
               domain::ServiceAggregate, domain::StaffAggregate, domain::HotlineAggregate>;

// Calls f.template operator()<A>() for the aggregate of `category`; false when none has it.
template <class F>
bool with_aggregate(std::string_view category, F&& f) {
  bool found = false;
  std::apply(
      [&](auto... aggregates) {
        ((!found && decltype(aggregates)::kCategory == category
              ? (found = true, f.template operator()<decltype(aggregates)>(), 0)
              : 0),
         ...);
      },
      Aggregates{});
  return found;
}

}  // namespace

json::value Moment::to_json() const {
  json::object out;
  switch (kind_) {
    case Kind::kLatest:
      out.emplace("latest", true);
      break;
    case Kind::kTime:
      out.emplace("at", format_time(value_));
      out.emplace("at_us", value_);
      break;
    case Kind::kPosition:
      out.emplace("position", static_cast<std::uint64_t>(value_));
      break;
  }
  return out;
}

json::object StreamState::to_json() const {
  json::object out;
  out.emplace("stream", stream);
  out.emplace("category", category);
  out.emplace("version", version);
  out.emplace("position", position);
  out.emplace("recorded_at",
              version == 0 ? json::value(nullptr) : json::value(format_time(recorded_at_us)));
  out.emplace("state", state);
  return out;
}

engine::Result<StreamState> state_at(engine::EventStore& store, const std::string& stream,
                                     const Moment& moment) {
  StreamState out;
  out.stream = stream;
  out.category = std::string(engine::format::category_of(stream));
  std::optional<engine::Error> failure;
  bool known = with_aggregate(out.category, [&]<class A>() {
    auto loaded = fold_at<A>(store, stream, moment);
    if (!loaded) {
      failure = loaded.error();
      return;
    }
    out.version = loaded->version;
    out.position = loaded->position;
    out.state = replay::to_json(loaded->state);
  });
  if (!known) {
    std::string names;
    for (auto c : known_categories())
      names += (names.empty() ? "" : ", ") + std::string(c);
    return unexpected(engine::Error{engine::ErrorCode::kInvalidArgument,
                                    "Expected a stream of " + names + ", but " + stream +
                                        " is of category \"" + out.category + "\"",
                                    std::nullopt, std::nullopt});
  }
  if (failure)
    return unexpected(std::move(*failure));
  if (out.version == 0) {
    return unexpected(
        engine::Error{engine::ErrorCode::kNotFound,
                      "Expected " + stream + " to have events by then, but it has none",
                      std::nullopt, std::nullopt});
  }
  auto last = store.read_event(out.position);
  if (!last)
    return unexpected(last.error());
  out.recorded_at_us = last->recorded_at_us;
  return out;
}

std::vector<std::string_view> known_categories() {
  std::vector<std::string_view> out;
  std::apply([&](auto... aggregates) { (out.push_back(decltype(aggregates)::kCategory), ...); },
             Aggregates{});
  return out;
}

json::value to_json(const domain::CourtState& state) {
  return json_of(state);
}
json::value to_json(const domain::CaseNumberSequenceState& state) {
  return json_of(state);
}
json::value to_json(const domain::LawyerState& state) {
  return json_of(state);
}
json::value to_json(const domain::FilingState& state) {
  return json_of(state);
}
json::value to_json(const domain::PaymentNoticeState& state) {
  return json_of(state);
}
json::value to_json(const domain::CaseState& state) {
  return json_of(state);
}
json::value to_json(const domain::ServiceState& state) {
  return json_of(state);
}
json::value to_json(const domain::StaffState& state) {
  return json_of(state);
}
json::value to_json(const domain::HotlineRequestState& state) {
  return json_of(state);
}

std::vector<std::string> state_render_gaps() {
  std::vector<std::string> gaps;
  boost::mp11::mp_for_each<
      boost::mp11::mp_transform<boost::mp11::mp_identity, detail::DescribedStates>>(
      [&](auto identity) {
        using T = typename decltype(identity)::type;
        if (!description_matches_serialize<T>())
          gaps.emplace_back(typeid(T).name());
      });
  return gaps;
}

}  // namespace docket::replay
