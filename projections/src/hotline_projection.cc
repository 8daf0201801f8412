// The hotline projection: the requests to a court's litigation-service hotline, by court, by the
// lawyer who filed them and by the judge they were forwarded to (hotline_rows.h).
#include <string>

#include "docket/projections/read_models.h"
#include "hotline_rows.h"
#include "render.h"

namespace docket::projections::detail {

namespace json = boost::json;

namespace {

json::value text_or_null(const std::string& s) {
  if (s.empty())
    return nullptr;
  return json::string(s);
}

json::value time_or_null(std::int64_t us) {
  if (us == 0)
    return nullptr;
  return us;
}

class HotlineProjection final : public AggregateProjection<domain::HotlineAggregate> {
  static constexpr EventKey kApplies[] = {{domain::event_type::kHotlineRequestFiled, 1},
                                          {domain::event_type::kHotlineRequestForwarded, 1},
                                          {domain::event_type::kHotlineRequestAnswered, 1},
                                          {domain::event_type::kHotlineRequestOverdue, 1}};

 public:
  std::string_view name() const override { return kHotlineProjection; }
  std::uint32_t version() const override { return projection_version<domain::HotlineAggregate>(1); }
  std::span<const EventKey> applies() const override { return kApplies; }

 protected:
  void derive(std::string_view /*stream*/, const EntityType& entity, Rows& rows) const override {
    const auto& r = entity.state;
    if (!r.exists)
      return;
    const std::string& id = r.hotline_request_id;
    rows[row_key(rows::kDocument, id)] = to_text(hotline_request_json(r));
    rows[row_key(rows::kHotlineByCourt, r.court, id)] = id;
    if (!r.filer_licence_number.empty())
      rows[row_key(rows::kHotlineByLawyer, r.filer_licence_number, id)] = id;
    if (!r.forwarded_to.empty())
      rows[row_key(rows::kHotlineByJudge, r.forwarded_to, id)] = id;
  }
};

}  // namespace

json::object hotline_request_json(const domain::HotlineRequestState& r) {
  json::value caller;
  if (r.channel == domain::HotlineChannel::kPhone)
    caller = json::object{{"name", json::string(r.caller.name)},
                          {"phone", json::string(r.caller.phone)}};
  return json::object{
      {"hotline_request_id", json::string(r.hotline_request_id)},
      {"court", json::string(r.court)},
      {"kind", json::string(domain::enum_name(r.kind))},
      {"channel", json::string(domain::enum_name(r.channel))},
      {"case_number", text_or_null(r.case_number)},
      {"title", json::string(r.title)},
      {"body", json::string(r.body)},
      {"filer_licence_number", text_or_null(r.filer_licence_number)},
      {"caller", std::move(caller)},
      {"recorded_by", text_or_null(r.recorded_by)},
      {"filed_at_us", r.filed_at_us},
      {"answer_due_at_us", r.answer_due_at_us},
      {"status", json::string(domain::enum_name(r.status))},
      {"overdue_recorded", r.overdue},
      {"forwarded_to", text_or_null(r.forwarded_to)},
      {"forwarded_by", text_or_null(r.forwarded_by)},
      {"forward_note", text_or_null(r.forward_note)},
      {"forwarded_at_us", time_or_null(r.forwarded_at_us)},
      {"answer", text_or_null(r.answer)},
      {"answered_by", text_or_null(r.answered_by)},
      {"answered_at_us", time_or_null(r.answered_at_us)},
  };
}

std::unique_ptr<Projection> hotline_projection() {
  return std::make_unique<HotlineProjection>();
}

}  // namespace docket::projections::detail
