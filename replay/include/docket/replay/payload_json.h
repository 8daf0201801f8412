// The auditors' tool renders payloads with the shared renderer of docket_payloads (see
// docket/payloads/payload_json.h); this name keeps the tool's own vocabulary.
#pragma once

#include "docket/payloads/payload_json.h"

namespace docket::replay {

using payloads::PayloadRenderer;

}  // namespace docket::replay
