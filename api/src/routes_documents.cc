// Files and documents: uploads into the blob store and downloads for those allowed; electronic
// service (module 9: serve, open, SMS key, sign, download); the materials a lawyer may read
// (exchange items, message attachments, approved case-file materials); the SMS outbox.
#include <rocksdb/db.h>

#include "docket/app/outbox.h"
#include "docket/domain/case.h"
#include "docket/domain/service.h"
#include "identifiers.h"
#include "pages.h"
#include "requests.h"
#include "responses.h"
#include "route_util.h"
#include "scope.h"

namespace docket::api {

Problem invalid(std::string field, std::string message) {
  std::string detail = message;
  return make_problem(http::status::unprocessable_entity, problem_code::kValidation,
                      std::move(detail), {{std::move(field), std::move(message)}});
}

Expected<void, Problem> check_blobs(Service& service,
                                    const std::vector<std::pair<std::string, std::string>>& blobs,
                                    const domain::Principal* uploader) {
  std::vector<domain::Violation> bad;
  for (const auto& [field, hash] : blobs) {
    if (hash.size() != 64) {
      bad.push_back({field,
                     "Expected the SHA-256 (64 hex characters) of an uploaded blob, but "
                     "got \"" +
                         hash + "\""});
      continue;
    }
    auto info = service.platform().blobs().stat(hash);
    if (!info) {
      if (info.error().code != engine::ErrorCode::kNotFound)
        return unexpected(from_engine_error(info.error()));
      bad.push_back({field, "Expected an uploaded blob " + hash +
                                ", but there is none (upload "
                                "it with POST /v1/blobs)"});
      continue;
    }
    if (uploader != nullptr && !service.uploaded_by(hash, *uploader))
      bad.push_back({field, "Expected a blob the caller uploaded, but " + hash + " is not one"});
  }
  if (bad.empty())
    return {};
  auto detail = "Expected attachments the caller uploaded, but " + bad.front().field + ": " +
                bad.front().message;
  return unexpected(make_problem(http::status::unprocessable_entity, problem_code::kValidation,
                                 std::move(detail), std::move(bad)));
}

namespace {

std::string service_stream_of_call(const Call& call) {
  return domain::service_stream(call.param("service_id"));
}

std::string media_type(std::string_view content_type) {
  auto semicolon = content_type.find(';');
  auto type = content_type.substr(0, semicolon);
  while (!type.empty() && type.back() == ' ')
    type.remove_suffix(1);
  std::string out(type);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with_bytes(std::string_view bytes, std::string_view magic) {
  return bytes.substr(0, magic.size()) == magic;
}

// Valid UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF) without a NUL byte.
bool is_utf8_text(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == 0)
      return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= bytes.size())
        return false;
      const auto cc = static_cast<unsigned char>(bytes[i + k]);
      if ((cc & 0xC0) != 0x80)
        return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

// Whether the bytes are what their declared media type says, by the type's signature (its
// "magic number"); text must be UTF-8 without NUL. Types without a check here are refused.
bool bytes_match_type(std::string_view type, std::string_view bytes) {
  if (type == "application/pdf")
    return starts_with_bytes(bytes, "%PDF-");
  if (type == "image/jpeg")
    return starts_with_bytes(bytes, "\xFF\xD8\xFF");
  if (type == "image/png")
    return starts_with_bytes(bytes, "\x89PNG\r\n\x1A\n");
  if (type == "image/gif")
    return starts_with_bytes(bytes, "GIF87a") || starts_with_bytes(bytes, "GIF89a");
  if (type == "image/webp")
    return bytes.size() >= 12 && starts_with_bytes(bytes, "RIFF") && bytes.substr(8, 4) == "WEBP";
  if (type == "image/tiff")
    return starts_with_bytes(bytes, std::string_view("II*\0", 4)) ||
           starts_with_bytes(bytes, std::string_view("MM\0*", 4)) ||
           starts_with_bytes(bytes, std::string_view("II+\0", 4)) ||
           starts_with_bytes(bytes, std::string_view("MM\0+", 4));
  if (type == "application/ofd")  // a ZIP container (GB/T 33190)
    return starts_with_bytes(bytes, "PK\x03\x04");
  if (type == "text/plain")
    return is_utf8_text(bytes);
  return false;
}

}  // namespace

void Service::add_document_routes() {
  add({.method = http::verb::post,
       .path = "/v1/blobs",
       .operation = "UploadDocument",
       .summary = "Upload one file (the raw body; Content-Type one of the accepted types: PDF, "
                  "JPEG, PNG, GIF, WebP, TIFF, plain text, OFD). The bytes must be of the declared "
                  "type (its signature; UTF-8 without NUL for text), else 415 and nothing is "
                  "stored. Returns its SHA-256, which filing steps, evidence and messages refer "
                  "to. Content-addressed: uploading the same bytes again returns the same hash.",
       .tag = "documents",
       .roles = roles({Role::kLawyer, Role::kClerk, Role::kJudge, Role::kCourtSystem}),
       .blocking = true,
       .request_type = "*/*",
       .response = schema::type<responses::Blob>(),
       .success = {201}},
      [this](Call& call) -> Result {
        std::string type;
        if (auto it = call.request.find(http::field::content_type); it != call.request.end())
          type = media_type(it->value());
        const auto& allowed = options_.upload_types;
        if (std::find(allowed.begin(), allowed.end(), type) == allowed.end()) {
          std::string list;
          for (const auto& t : allowed)
            list += (list.empty() ? "" : ", ") + t;
          return unexpected(make_problem(
              http::status::unsupported_media_type, problem_code::kUnsupportedMediaType,
              "Expected a file of type " + list + ", but got \"" + type + "\""));
        }
        const auto& bytes = call.request.body();
        if (bytes.empty())
          return unexpected(invalid("body", "Expected the file's bytes, but the body is empty"));
        if (bytes.size() > options_.max_upload_bytes)
          return unexpected(make_problem(http::status::payload_too_large, problem_code::kTooLarge,
                                         "Expected a file of at most " +
                                             std::to_string(options_.max_upload_bytes) +
                                             " bytes, but it has " + std::to_string(bytes.size())));
        if (!bytes_match_type(type, bytes))
          return unexpected(make_problem(
              http::status::unsupported_media_type, problem_code::kUnsupportedMediaType,
              "Expected the bytes of a " + type +
                  " file (its signature; UTF-8 without NUL for text/plain), but the body is "
                  "not one"));
        auto info = platform_.blobs().put(bytes, type);
        if (!info)
          return unexpected(from_engine_error(info.error()));
        record_upload(info->hash, call.principal);
        json::object out{
            {"hash", info->hash}, {"size", info->size}, {"content_type", info->content_type}};
        auto res = json_reply(call, http::status::created, out);
        res.set(http::field::location, "/v1/blobs/" + info->hash);
        return Reply{std::move(res)};
      });

  add({.method = http::verb::get,
       .path = "/v1/blobs/{hash}",
       .operation = "GetDocument",
       .summary = "Download a file by its hash: anyone the files they uploaded; a filing's files "
                  "through ?filing=<id> by its filer, agents and the staff of its court; a case's "
                  "files (evidence, exchange items, case-file materials, message attachments) "
                  "through ?case=<number> by the judge in charge, clerks and the court system of "
                  "its court; a served document through ?service=<id> by the same staff; "
                  "auditors any. Otherwise 404 for a lawyer (as for a missing file), 403 for "
                  "staff. Lawyers read served documents, exchange items, replies and case-file "
                  "materials through the routes of their own.",
       .tag = "documents",
       .roles =
           roles({Role::kLawyer, Role::kClerk, Role::kJudge, Role::kCourtSystem, Role::kAuditor}),
       .blocking = true,
       .query = {f("filing", "string", false, "the filing the file belongs to"),
                 f("case", "string", false, "the case the file belongs to (staff)"),
                 f("service", "string", false, "the service the file was served by (staff)")},
       .response_type = "application/octet-stream"},
      [this](Call& call) -> Result {
        const auto hash = call.param("hash");
        auto reached = blob_reached(call, hash);
        if (!reached)
          return unexpected(reached.error());
        return blob_reply(call, hash);
      });

  // --- electronic service ------------------------------------------------------------------

  add({.method = http::verb::post,
       .path = "/v1/cases/{case_number}/services",
       .operation = "ServeFiling",
       .summary = "The judge in charge or the court's system serves a document (an uploaded "
                  "blob) on an agent who consented to electronic service; an SMS key is queued. "
                  "The server makes the service id (\"s\" and 128 unguessable bits in hex) and "
                  "returns it as created_id and in Location; a body naming one is refused (422).",
       .tag = "documents",
       .roles = roles({Role::kJudge, Role::kCourtSystem}),
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>(),
       .success = {201}},
      with_body<requests::ServeFilingBody>(
          [this](Call& call, requests::ServeFilingBody in) -> Result {
            domain::ServeDocument command;
            command.service_id = call.made_id(made::kService);
            command.case_number = call.param("case_number");
            command.document_type = std::move(in.document_type);
            command.title = std::move(in.title);
            command.blob_hash = std::move(in.blob_hash);
            command.recipient_licence = std::move(in.recipient_licence_number);
            if (auto ok = check_blobs(*this, {{"blob_hash", command.blob_hash}}, nullptr); !ok)
              return unexpected(ok.error());
            auto outcome = platform_.serve_document(std::move(command), app_request(call));
            auto reply = accepted(call, outcome, http::status::created);
            if (reply && outcome)
              std::get<Response>(*reply).set(http::field::location,
                                             "/v1/services/" + percent_encode(outcome->created_id));
            return reply;
          }));

  add({.method = http::verb::get,
       .path = "/v1/services/{service_id}",
       .operation = "GetService",
       .summary = "A served document's status (sent, delivered, opened, signed), its SMS key's "
                  "expiry, and its downloads.",
       .tag = "documents",
       .roles =
           roles({Role::kLawyer, Role::kJudge, Role::kClerk, Role::kCourtSystem, Role::kAuditor}),
       .owner = Owner::kService,
       .reads_projections = true,
       .response = schema::type<responses::ServedDocument>()},
      [this](Call& call) -> Result {
        const auto id = call.param("service_id");
        auto loaded = platform_.load<domain::ServiceAggregate>(domain::service_stream(id));
        if (!loaded)
          return unexpected(from_engine_error(loaded.error()));
        if (loaded->state.exists) {
          // Of the judges, only the judge in charge of the case sees what was served in it.
          auto scope = scope_of(loaded->state);
          auto kase =
              platform_.load<domain::CaseAggregate>(domain::case_stream(loaded->state.case_number));
          if (!kase)
            return unexpected(from_engine_error(kase.error()));
          scope.judge = kase->state.judge;
          if (auto ok = check_reach(call.principal, scope, "served document", id); !ok)
            return unexpected(ok.error());
        }
        return resource_reply(call, domain::service_stream(id),
                              [&] { return read_models_.service(id); });
      });

  add({.method = http::verb::post,
       .path = "/v1/services/{service_id}/open",
       .operation = "OpenServiceNotice",
       .summary = "The recipient opens the service notice (title and type, not the document).",
       .tag = "documents",
       .roles = roles({Role::kLawyer}),
       .owner = Owner::kService,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::ServiceAggregate>(*this, service_stream_of_call, [](NoBody, const Call&) {
        return domain::OpenServiceNotice{};
      }));

  add({.method = http::verb::post,
       .path = "/v1/services/{service_id}/sms-key",
       .operation = "ResendSmsKey",
       .summary = "Send a new SMS key (voids the current one and unlocks signing). At most 3 keys "
                  "of a service in any 24 hours, the one sent with the service included: past "
                  "it 409 (policy) and nothing changes.",
       .tag = "documents",
       .roles = roles({Role::kLawyer, Role::kCourtSystem}),
       .owner = Owner::kService,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::ServiceAggregate>(*this, service_stream_of_call, [](NoBody, const Call&) {
        return domain::ResendSmsKey{};
      }));

  add({.method = http::verb::post,
       .path = "/v1/services/{service_id}/signature",
       .operation = "SignForReceipt",
       .summary = "The recipient signs for receipt with the SMS key. A wrong key is recorded and "
                  "answered 403; the fifth in a row locks signing until a new key is sent.",
       .tag = "documents",
       .roles = roles({Role::kLawyer}),
       .owner = Owner::kService,
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      command<domain::ServiceAggregate, requests::SignForReceiptBody>(
          *this, service_stream_of_call, [](requests::SignForReceiptBody in, const Call&) {
            return domain::SignForReceipt{std::move(in.sms_key)};
          }));

  add({.method = http::verb::get,
       .path = "/v1/services/{service_id}/document",
       .operation = "DownloadServedDocument",
       .summary = "The recipient reads or downloads the served document, only after signing for "
                  "it (409 before). Every download is recorded.",
       .tag = "documents",
       .roles = roles({Role::kLawyer}),
       .owner = Owner::kService,
       .writes = true,
       .blocking = true,
       .response_type = "application/octet-stream"},
      [this](Call& call) -> Result {
        const auto stream = service_stream_of_call(call);
        auto outcome = platform_.execute<domain::ServiceAggregate>(
            stream, domain::DownloadDocument{}, app_request(call));
        if (!outcome)
          return accepted(call, outcome);
        auto loaded = platform_.load<domain::ServiceAggregate>(stream);
        if (!loaded)
          return unexpected(from_engine_error(loaded.error()));
        auto reply = blob_reply(call, loaded->state.blob_hash);
        if (reply)
          std::get<Response>(*reply).set("Docket-Position", std::to_string(outcome->position));
        return reply;
      });

  // --- materials a lawyer reads inside a case ----------------------------------------------

  add({.method = http::verb::get,
       .path = "/v1/cases/{case_number}/exchanges/{exchange_id}/items/{item_id}/content",
       .operation = "GetExchangeItem",
       .summary = "The recipient (or the judge side) reads an item sent for evidence exchange.",
       .tag = "evidence",
       .roles = roles({Role::kLawyer, Role::kJudge, Role::kCourtSystem}),
       .owner = Owner::kCase,
       .blocking = true,
       .response_type = "application/octet-stream"},
      [this](Call& call) -> Result {
        auto loaded =
            platform_.load<domain::CaseAggregate>(domain::case_stream(call.param("case_number")));
        if (!loaded)
          return unexpected(from_engine_error(loaded.error()));
        const auto& c = loaded->state;
        if (!c.exists)
          return unexpected(
              not_found("Expected a case " + call.param("case_number") + ", but there is none"));
        auto x = c.evidence_exchanges.find(call.param("exchange_id"));
        const bool judge_side = domain::is_judge_side(c, call.principal);
        if (x == c.evidence_exchanges.end())
          return unexpected(not_found("Expected an evidence exchange " + call.param("exchange_id") +
                                      ", but there is none"));
        if (!judge_side && x->second.recipient_licence != call.principal.id)
          return unexpected(forbidden("Expected the exchange's recipient or the judge side, but " +
                                      call.principal.id + " asked"));
        for (const auto& item : x->second.items) {
          if (item.item_id == call.param("item_id"))
            return blob_reply(call, item.blob_hash);
        }
        return unexpected(
            not_found("Expected an item " + call.param("item_id") + ", but there is none"));
      });

  add({.method = http::verb::get,
       .path = "/v1/cases/{case_number}/messages/{message_id}/attachments/{hash}",
       .operation = "GetMessageAttachment",
       .summary = "The message's writer (or the judge side) reads an attachment of the message "
                  "or of its reply.",
       .tag = "messages",
       .roles = roles({Role::kLawyer, Role::kJudge, Role::kCourtSystem}),
       .owner = Owner::kCase,
       .blocking = true,
       .response_type = "application/octet-stream"},
      [this](Call& call) -> Result {
        auto loaded =
            platform_.load<domain::CaseAggregate>(domain::case_stream(call.param("case_number")));
        if (!loaded)
          return unexpected(from_engine_error(loaded.error()));
        const auto& c = loaded->state;
        auto m = c.messages.find(call.param("message_id"));
        if (!c.exists || m == c.messages.end())
          return unexpected(
              not_found("Expected a message " + call.param("message_id") + ", but there is none"));
        if (!domain::is_judge_side(c, call.principal) && m->second.licence != call.principal.id)
          return unexpected(forbidden("Expected the message's writer or the judge side, but " +
                                      call.principal.id + " asked"));
        const auto hash = call.param("hash");
        auto listed = [&](const std::vector<domain::CaseAttachment>& list) {
          return std::any_of(list.begin(), list.end(),
                             [&](const auto& a) { return a.blob_hash == hash; });
        };
        if (!listed(m->second.attachments) && !listed(m->second.reply_attachments))
          return unexpected(not_found("Expected an attachment " + hash +
                                      " of the message, but "
                                      "there is none"));
        return blob_reply(call, hash);
      });

  add({.method = http::verb::get,
       .path = "/v1/cases/{case_number}/file-reviews/{application_id}/materials/{material_id}",
       .operation = "ReadFileReviewMaterial",
       .summary = "The applicant reads an approved case-file material inside the approved "
                  "window; every access is recorded.",
       .tag = "file-review",
       .roles = roles({Role::kLawyer}),
       .owner = Owner::kCase,
       .writes = true,
       .blocking = true,
       .response_type = "application/octet-stream"},
      [this](Call& call) -> Result {
        const auto stream = domain::case_stream(call.param("case_number"));
        auto outcome = platform_.execute<domain::CaseAggregate>(
            stream,
            domain::RecordFileReviewAccess{call.param("application_id"), call.param("material_id")},
            app_request(call));
        if (!outcome)
          return accepted(call, outcome);
        auto loaded = platform_.load<domain::CaseAggregate>(stream);
        if (!loaded)
          return unexpected(from_engine_error(loaded.error()));
        auto m = loaded->state.file_materials.find(call.param("material_id"));
        if (m == loaded->state.file_materials.end())
          return unexpected(not_found("Expected a case-file material " + call.param("material_id") +
                                      ", but there is none"));
        auto reply = blob_reply(call, m->second.blob_hash);
        if (reply)
          std::get<Response>(*reply).set("Docket-Position", std::to_string(outcome->position));
        return reply;
      });

  // --- the SMS outbox ------------------------------------------------------------------------

  add({.method = http::verb::get,
       .path = "/v1/outbox/sms",
       .operation = "ListSmsOutbox",
       .summary = "The SMS gateway's queue: signing-key notifications after a position, each "
                  "with its re-derived key and text, in log order. Admin only (it holds keys).",
       .tag = "outbox",
       .roles = roles({Role::kAdmin}),
       .reads_projections = true,
       .query = pages::with_query_docs(
           {f("after", "integer", false, "a log position (also waits for it)")}),
       .response = schema::type<responses::Page<responses::OutboxSms>>()},
      [this](Call& call) -> Result {
        auto request = pages::read_request(call.query_param("limit"), call.query_param("cursor"));
        if (!request)
          return unexpected(request.error());
        // The cursor is the position of the page's last notification.
        std::uint64_t after = call.after;
        if (request->after) {
          const auto& key = *request->after;
          if (key.size() != 1 || !key[0].is_number())
            return unexpected(bad_request(
                "Expected `cursor` to be a next_cursor this list gave, but it belongs to another "
                "list"));
          after = std::max(after, key[0].to_number<std::uint64_t>());
        }
        if (auto w = wait_for_projections(call.after); !w)
          return unexpected(w.error());
        auto rows = read_models_.sms_outbox(after, request->limit + 1);
        if (!rows)
          return unexpected(from_engine_error(rows.error()));
        std::optional<std::string> next_cursor;
        if (auto* array = rows->if_array(); array != nullptr && array->size() > request->limit) {
          array->resize(request->limit);
          const auto* last = array->back().as_object().if_contains("position");
          if (last != nullptr)
            next_cursor = pages::encode_cursor(json::array{*last});
        }
        // The rows hold no key: the sender re-derives it from (stream, serial), as the outbox
        // composer does for the queued event.
        const app::SmsOutbox outbox(platform_.secrets());
        if (auto* array = rows->if_array()) {
          for (auto& row : *array) {
            auto* o = row.if_object();
            const auto* position = o != nullptr ? o->if_contains("position") : nullptr;
            if (position == nullptr || !position->is_number())
              continue;
            auto event = store_.read_event(position->to_number<std::uint64_t>());
            if (!event)
              continue;
            if (auto message = outbox.compose(*event)) {
              (*o)["sms_key"] = message->sms_key;
              (*o)["text"] = message->text;
            }
          }
        }
        json::object reply{
            {"items", rows->is_array() ? std::move(rows->as_array()) : json::array{}}};
        if (next_cursor)
          reply["next_cursor"] = *next_cursor;
        return Reply{json_reply(call, http::status::ok, reply)};
      });

  add({.method = http::verb::post,
       .path = "/v1/outbox/sms/deliveries",
       .operation = "RecordSmsDelivery",
       .summary = "The SMS gateway reports a key delivered to the recipient's phone (If-Match: the "
                  "service's version, 412 when it moved on).",
       .tag = "outbox",
       .roles = roles({Role::kAdmin}),
       .writes = true,
       .blocking = true,
       .response = schema::type<responses::Accepted>()},
      with_body<requests::RecordSmsDeliveryBody>(
          [this](Call& call, requests::RecordSmsDeliveryBody in) -> Result {
            const std::string id = std::move(in.service_id);
            const auto serial = in.serial;
            auto request =
                app::Request::system("sms-delivery/" + id + "/" + std::to_string(serial));
            request.if_match = call.if_match;
            return accepted(
                call, platform_.execute<domain::ServiceAggregate>(
                          domain::service_stream(id), domain::RecordSmsDelivery{serial}, request));
          }));
}

}  // namespace docket::api
