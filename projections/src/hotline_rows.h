// The hotline read model (family proj.hotline): one entity per hotline request and its rows.
//
//   hotline   d/<hotline request id>                  request JSON (hotline_request_json)
//             k/<court> <hotline request id>          id: every request of the court
//             l/<licence> <hotline request id>        id: the requests a lawyer filed online
//             j/<judge> <hotline request id>          id: the requests forwarded to a judge
//
// Whether a request is overdue at a moment is the query's to say (ReadModels): a row holds the
// due time and whether the log recorded it overdue, never a judgment of "now".
#pragma once

#include <boost/json.hpp>
#include <memory>

#include "aggregate_projection.h"
#include "docket/domain/hotline.h"
#include "docket/projections/projection.h"

namespace docket::projections::detail {

using HotlineEntity = Entity<domain::HotlineAggregate, NoExtra>;

namespace rows {
inline constexpr char kHotlineByCourt = 'k';
inline constexpr char kHotlineByLawyer = 'l';
inline constexpr char kHotlineByJudge = 'j';
}  // namespace rows

// The request as every reader sees it: {hotline_request_id, court, kind, channel, case_number,
// title, body, filer_licence_number, caller {name, phone}, recorded_by, filed_at_us,
// answer_due_at_us, status, overdue_recorded, forwarded_to, forwarded_by, forward_note,
// forwarded_at_us, answer, answered_by, answered_at_us}; absent values are null.
boost::json::object hotline_request_json(const domain::HotlineRequestState& request);

// The hotline projection (standard_projections() lists it).
std::unique_ptr<Projection> hotline_projection();

}  // namespace docket::projections::detail
