#include "docket/replay/history.h"

#include <openssl/evp.h>
#include <boost/json/serialize.hpp>

#include <cstdio>

#include "aligned.h"
#include "docket/engine/format.h"
#include "docket/engine/sha256.h"
#include "docket/replay/time_format.h"
#include "envelope_generated.h"

namespace docket::replay {

namespace json = boost::json;
namespace format = engine::format;

namespace {

engine::Error error(engine::ErrorCode code, std::string message) {
  return engine::Error{code, std::move(message), std::nullopt, std::nullopt};
}

// Cuts `text` to at most `max` bytes at a UTF-8 character boundary, marking the cut.
std::string clip(std::string text, std::size_t max) {
  if (text.size() <= max)
    return text;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  text.resize(cut);
  text += "…";
  return text;
}

std::string pad(std::string text, std::size_t width) {
  // Pads by characters, not bytes, so CJK text lines up no worse than ASCII.
  std::size_t chars = 0;
  for (unsigned char c : text)
    chars += (c & 0xC0) != 0x80;
  if (chars < width)
    text.append(width - chars, ' ');
  return text;
}

}  // namespace

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

json::object event_json(const engine::RecordedEvent& event, const PayloadRenderer& renderer) {
  json::object out;
  out.emplace("position", event.position);
  out.emplace("stream", event.stream);
  out.emplace("version", event.version);
  out.emplace("type", event.type);
  out.emplace("schema_version", event.schema_version);
  out.emplace("time", format_time(event.recorded_at_us));
  out.emplace("recorded_at_us", event.recorded_at_us);
  out.emplace("actor", json::object{{"id", event.actor.id}, {"role", event.actor.role}});
  out.emplace("event_id", event.event_id.to_string());
  out.emplace("correlation_id", event.correlation_id.to_string());
  out.emplace("causation_id", event.causation_id.to_string());
  auto payload = renderer.render(event);
  if (payload) {
    out.emplace("payload", std::move(*payload));
  } else {
    out.emplace("payload_error", payload.error().message);
    out.emplace("payload_base64", base64(event.payload));
  }
  return out;
}

std::string history_table_header() {
  return pad("POSITION", 9) + pad("VER", 5) + pad("TIME (UTC)", 28) + pad("TYPE", 30) +
         pad("ACTOR", 28) + "PAYLOAD";
}

std::string history_table_row(const engine::RecordedEvent& event, const PayloadRenderer& renderer) {
  auto payload = renderer.render(event);
  std::string summary = payload ? json::serialize(*payload) : "(" + payload.error().message + ")";
  return pad(std::to_string(event.position), 9) + pad(std::to_string(event.version), 5) +
         pad(format_time(event.recorded_at_us), 28) + pad(clip(event.type, 28), 30) +
         pad(clip(event.actor.role + ":" + event.actor.id, 26), 28) + clip(summary, 120);
}

engine::Result<std::uint64_t> write_history(engine::EventStore& store, const std::string& stream,
                                            const HistoryOptions& options, std::ostream& out) {
  constexpr std::size_t kPage = 512;
  const auto& renderer = PayloadRenderer::domain();
  std::uint64_t written = 0;
  std::uint64_t from = std::max<std::uint64_t>(1, options.from_version);
  bool any = false;
  if (options.format == OutputFormat::kTable)
    out << history_table_header() << '\n';
  for (;;) {
    auto page = store.read_stream(stream, from, kPage);
    if (!page)
      return unexpected(page.error());
    for (const auto& e : *page) {
      any = true;
      if (!options.until.admits(e) || written >= options.limit)
        return written;
      if (options.format == OutputFormat::kTable)
        out << history_table_row(e, renderer) << '\n';
      else
        out << json::serialize(event_json(e, renderer)) << '\n';
      ++written;
    }
    if (page->size() < kPage)
      break;
    from = page->back().version + 1;
  }
  if (!any && from == std::max<std::uint64_t>(1, options.from_version)) {
    auto version = store.stream_version(stream);
    if (version && *version == 0)
      return unexpected(error(engine::ErrorCode::kNotFound,
                              "Expected events in " + stream + ", but it has none"));
  }
  return written;
}

engine::Result<ExportSummary> write_export(engine::EventStore& store, const ExportOptions& options,
                                           std::ostream& out) {
  ExportSummary summary;
  summary.from = options.from;
  const std::uint64_t last = store.last_position();
  summary.to = std::min(options.to, last);
  if (options.from == 0 || options.from > options.to) {
    return unexpected(
        error(engine::ErrorCode::kInvalidArgument, "Expected 1 <= --from <= --to, but from is " +
                                                       std::to_string(options.from) +
                                                       " and to is " + std::to_string(options.to)));
  }
  if (options.from > last && !(last == 0 && options.from == 1)) {
    return unexpected(error(engine::ErrorCode::kInvalidArgument,
                            "Expected --from within the log (1 … " + std::to_string(last) +
                                "), but it is " + std::to_string(options.from)));
  }
  format::Hash previous = format::kGenesisHash;
  if (options.from > 1) {
    bool found = false;
    auto r = store.scan(options.from - 1, options.from - 1, [&](const engine::RecordView& v) {
      previous = engine::hash_from_bytes(v.hash);
      found = true;
      return false;
    });
    if (!r)
      return unexpected(r.error());
    if (!found) {
      return unexpected(error(engine::ErrorCode::kCorruption, "Expected a record at position " +
                                                                  std::to_string(options.from - 1) +
                                                                  ", but there is none"));
    }
  }
  const std::uint64_t count = summary.to >= options.from ? summary.to - options.from + 1 : 0;
  json::object header;
  header.emplace("docket_export", 1);
  header.emplace("format_version", format::kFormatVersion);
  header.emplace("from", options.from);
  header.emplace("to", summary.to);
  header.emplace("records", count);
  header.emplace("previous_hash", engine::to_hex(previous));
  out << json::serialize(header) << '\n';
  if (options.progress != nullptr)
    options.progress->restart("export", count);
  summary.tip = engine::to_hex(previous);
  if (count == 0) {
    summary.to = options.from - 1;
    return summary;
  }
  const auto& renderer = PayloadRenderer::domain();
  std::optional<engine::Error> failure;
  detail::AlignedBytes aligned;
  auto r = store.scan(options.from, summary.to, [&](const engine::RecordView& v) {
    json::object line;
    line.emplace("position", v.key_position);
    line.emplace("hash", engine::to_hex(v.hash));
    line.emplace("envelope", base64(v.envelope));
    const auto bytes = aligned(v.envelope);
    flatbuffers::Verifier verifier(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                   bytes.size());
    if (engine::fb::VerifyEnvelopeBuffer(verifier)) {
      const auto* env = engine::fb::GetEnvelope(bytes.data());
      const std::string stream = env->stream_id() ? env->stream_id()->str() : std::string();
      const std::string type = env->event_type() ? env->event_type()->str() : std::string();
      line.emplace("stream", stream);
      line.emplace("version", env->stream_version());
      line.emplace("type", type);
      line.emplace("time", format_time(env->recorded_at_us()));
      if (options.payloads) {
        std::string_view payload;
        if (env->payload() != nullptr)
          payload = std::string_view(reinterpret_cast<const char*>(env->payload()->data()),
                                     env->payload()->size());
        auto rendered =
            renderer.render(format::category_of(stream), type, env->schema_version(), payload);
        if (rendered)
          line.emplace("payload", std::move(*rendered));
        else
          line.emplace("payload_error", rendered.error().message);
      }
    }
    out << json::serialize(line) << '\n';
    ++summary.records;
    summary.tip = engine::to_hex(v.hash);
    if (options.progress != nullptr && (summary.records & 1023) == 0)
      options.progress->set(summary.records);
    if (!out) {
      failure = error(engine::ErrorCode::kIo, "Expected to write the export, but output failed");
      return false;
    }
    return true;
  });
  if (options.progress != nullptr)
    options.progress->finish();
  if (failure)
    return unexpected(std::move(*failure));
  if (!r)
    return unexpected(r.error());
  summary.to = options.from + summary.records - 1;
  return summary;
}

}  // namespace docket::replay
