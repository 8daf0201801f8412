// JSON renderings of the projections' entities. Pure functions of their arguments (no clock),
// so rows rendered during a rebuild equal those rendered live.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string_view>

#include "entities.h"

namespace docket::projections::detail {

boost::json::object schedule_entry_json(const domain::ScheduleEntry& entry);
// Profile without secrets (no password hash); `with_identity` adds the identity number.
boost::json::object lawyer_json(const domain::LawyerState& lawyer, bool with_identity);

boost::json::object filing_summary_json(const FilingEntity& filing);
boost::json::object filing_detail_json(const FilingEntity& filing);

boost::json::object payment_json(const PaymentEntity& payment);

boost::json::object case_summary_json(const CaseEntity& entity);
boost::json::object case_detail_json(const CaseEntity& entity);
// A hearing as the agent with `licence` sees it (their own avoidance requests), or with every
// avoidance request (nullopt: the row of an agent recorded by identity number); whether its
// transcript awaits the confirmation of the agent who confirms as `participant` (their licence
// number, or their identity number when recorded without one).
boost::json::object hearing_row_json(const domain::CaseState& state, const domain::Hearing& hearing,
                                     std::optional<std::string_view> licence,
                                     std::string_view participant);
boost::json::object avoidance_item_json(const domain::CaseState& state,
                                        const domain::Hearing& hearing,
                                        const domain::AvoidanceRequest& request);
boost::json::object evidence_batch_json(const domain::EvidenceBatch& batch);
boost::json::object message_json(const domain::JudgeMessage& message);
boost::json::object file_review_json(const domain::FileReview& review);
boost::json::object exchange_json(const domain::EvidenceExchange& exchange);

boost::json::object service_json(const ServiceEntity& entity);
// The outbox row of `entry`, its status from the service's state now.
boost::json::object outbox_json(std::string_view stream, const ServiceEntity& entity,
                                const OutboxEntry& entry);

boost::json::object court_json(const domain::CourtState& court);
boost::json::array law_links_json(const domain::CourtState& court);

// Serialises to compact text (row values).
std::string to_text(const boost::json::object& object);

}  // namespace docket::projections::detail
