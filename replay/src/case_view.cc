#include "docket/replay/case_view.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <vector>

#include "docket/app/engine_decider.h"
#include "docket/domain/service.h"
#include "docket/replay/time_format.h"

namespace docket::replay {

namespace json = boost::json;

namespace {

// The streams of the case's services: service streams whose first event names the case.
engine::Result<std::vector<std::string>> services_of(engine::EventStore& store,
                                                     const std::string& case_number,
                                                     const Moment& moment) {
  constexpr std::size_t kPage = 1024;
  std::vector<std::string> out;
  std::uint64_t from = 1;
  for (;;) {
    auto page = store.read_category(domain::ServiceAggregate::kCategory, from, kPage);
    if (!page)
      return unexpected(page.error());
    for (const auto& e : *page) {
      if (!moment.admits(e))
        return out;
      if (e.version != 1)
        continue;
      auto state = domain::ServiceAggregate::initial();
      if (auto folded = domain::fold_event<domain::ServiceAggregate>(state, app::to_stored(e));
          !folded) {
        return unexpected(engine::Error{engine::ErrorCode::kCorruption, std::move(folded).error(),
                                        std::nullopt, e.position});
      }
      if (state.exists && state.case_number == case_number)
        out.push_back(e.stream);
    }
    if (page->size() < kPage)
      return out;
    from = page->back().position + 1;
  }
}

// The admitted events of a stream, as timeline entries.
engine::Result<void> add_timeline(engine::EventStore& store, const std::string& stream,
                                  const Moment& moment, std::vector<json::object>& timeline) {
  constexpr std::size_t kPage = 1024;
  std::uint64_t from = 1;
  for (;;) {
    auto page = store.read_stream(stream, from, kPage);
    if (!page)
      return unexpected(page.error());
    for (const auto& e : *page) {
      if (!moment.admits(e))
        return {};
      timeline.push_back(json::object{{"position", e.position},
                                      {"time", format_time(e.recorded_at_us)},
                                      {"stream", e.stream},
                                      {"type", e.type},
                                      {"actor", e.actor.role + ":" + e.actor.id}});
    }
    if (page->size() < kPage)
      return {};
    from = page->back().version + 1;
  }
}

}  // namespace

engine::Result<json::object> case_at(engine::EventStore& store, const std::string& case_number,
                                     const Moment& moment) {
  const std::string case_stream = domain::case_stream(case_number);
  auto the_case = fold_at<domain::CaseAggregate>(store, case_stream, moment);
  if (!the_case)
    return unexpected(the_case.error());
  if (the_case->version == 0 || !the_case->state.exists) {
    return unexpected(
        engine::Error{engine::ErrorCode::kNotFound,
                      "Expected case " + case_number + " to be registered by then, but it was not",
                      std::nullopt, std::nullopt});
  }
  std::vector<std::string> streams{case_stream};
  json::object out;
  out.emplace("case_number", case_number);
  out.emplace("as_of", moment.to_json());

  auto render = [&](const std::string& stream) -> engine::Result<json::value> {
    auto s = state_at(store, stream, moment);
    if (!s) {
      if (s.error().code == engine::ErrorCode::kNotFound)
        return json::value(nullptr);
      return unexpected(s.error());
    }
    streams.push_back(stream);
    return json::value(s->to_json());
  };

  StreamState rendered_case;
  rendered_case.stream = case_stream;
  rendered_case.category = std::string(domain::CaseAggregate::kCategory);
  rendered_case.version = the_case->version;
  rendered_case.position = the_case->position;
  rendered_case.state = to_json(the_case->state);
  auto last = store.read_event(the_case->position);
  if (!last)
    return unexpected(last.error());
  rendered_case.recorded_at_us = last->recorded_at_us;
  out.emplace("case", rendered_case.to_json());

  const auto& filing_id = the_case->state.filing_id;
  json::value filing = nullptr;
  json::value payment = nullptr;
  if (!filing_id.empty()) {
    auto f = render(domain::filing_stream(filing_id));
    if (!f)
      return unexpected(f.error());
    filing = std::move(*f);
    auto p = render(domain::payment_stream(filing_id));
    if (!p)
      return unexpected(p.error());
    payment = std::move(*p);
  }
  out.emplace("filing", std::move(filing));
  out.emplace("payment_notice", std::move(payment));

  auto services = services_of(store, case_number, moment);
  if (!services)
    return unexpected(services.error());
  json::array service_states;
  for (const auto& stream : *services) {
    auto s = render(stream);
    if (!s)
      return unexpected(s.error());
    if (!s->is_null())
      service_states.push_back(std::move(*s));
  }
  out.emplace("services", std::move(service_states));

  std::vector<const domain::JudgeMessage*> messages;
  for (const auto& [id, message] : the_case->state.messages)
    messages.push_back(&message);
  std::stable_sort(messages.begin(), messages.end(),
                   [](const auto* a, const auto* b) { return a->sent_at_us < b->sent_at_us; });
  json::array message_list;
  const auto& case_state = out.at("case").as_object().at("state").as_object();
  for (const auto* m : messages)
    message_list.push_back(case_state.at("messages").as_object().at(m->message_id));
  out.emplace("messages", std::move(message_list));

  std::vector<json::object> timeline;
  for (const auto& stream : streams) {
    if (auto r = add_timeline(store, stream, moment, timeline); !r)
      return unexpected(r.error());
  }
  std::sort(timeline.begin(), timeline.end(), [](const json::object& a, const json::object& b) {
    return a.at("position").to_number<std::uint64_t>() <
           b.at("position").to_number<std::uint64_t>();
  });
  json::array timeline_json;
  for (auto& t : timeline)
    timeline_json.push_back(std::move(t));
  out.emplace("timeline", std::move(timeline_json));
  return out;
}

}  // namespace docket::replay
