#include "docket/projections/projector.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <system_error>
#include <thread>

#include "docket/engine/format.h"
#include "docket/engine/reactor.h"
#include "docket/engine/storage_error.h"

namespace docket::projections {

namespace format = engine::format;
using engine::Error;
using engine::ErrorCode;
using engine::Result;

// What a projection does with a wanted event.
enum class Handling : std::uint8_t { kApply, kIgnore, kUnknown };

struct Projector::Slot {
  std::unique_ptr<Projection> projection;
  std::string name;
  rocksdb::ColumnFamilyHandle* family = nullptr;
  std::atomic<std::uint64_t> checkpoint{0};
  // The pairs the projection declares, sorted, each with whether it is applied (else ignored).
  std::vector<std::pair<EventKey, bool>> known;
  // Set (with `stop`, under position_mutex_) when the projection met an event it does not know.
  std::atomic<bool> stopped{false};
  std::optional<ProjectionStop> stop;  // guarded by position_mutex_

  Handling handling(const engine::RecordedEvent& event) const {
    const EventKey key{event.type, event.schema_version};
    auto it =
        std::lower_bound(known.begin(), known.end(), key,
                         [](const auto& entry, const EventKey& k) { return entry.first < k; });
    if (it == known.end() || it->first != key)
      return Handling::kUnknown;
    return it->second ? Handling::kApply : Handling::kIgnore;
  }
};

namespace {

Error io_error(std::string what, const rocksdb::Status& s) {
  return Error{
      engine::error_code_of(s), "Expected " + std::move(what) + ", but " + s.ToString(), {}, {}};
}

std::string u64be(std::uint64_t v) {
  std::string out;
  format::put_u64be(out, v);
  return out;
}

std::string u32be(std::uint32_t v) {
  std::string out;
  format::put_u32be(out, v);
  return out;
}

ProjectionStop stop_at(std::string_view projection, const engine::RecordedEvent& event) {
  ProjectionStop stop;
  stop.projection = std::string(projection);
  stop.position = event.position;
  stop.stream = event.stream;
  stop.type = event.type;
  stop.schema_version = event.schema_version;
  stop.message = "Expected projection " + stop.projection +
                 " to apply or ignore the event at position " + std::to_string(event.position) +
                 " (stream " + stop.stream + "), but it knows no event " + stop.type +
                 " of schema version " + std::to_string(stop.schema_version) +
                 "; it stopped at position " + std::to_string(event.position - 1);
  return stop;
}

Error stop_error(const ProjectionStop& stop) {
  return Error{ErrorCode::kCorruption, stop.message, {}, stop.position};
}

}  // namespace

std::string Projector::checkpoint_key(std::string_view name) {
  return std::string(format::kProjectionCheckpointPrefix) + std::string(name);
}

std::string Projector::version_key(std::string_view name) {
  return checkpoint_key(name) + std::string(format::kCheckpointVersionSuffix);
}

std::string Projector::family_name(std::string_view name) {
  return std::string(format::kProjectionCfPrefix) + std::string(name);
}

Projector::Projector(engine::EventStore& store,
                     std::vector<std::unique_ptr<Projection>> projections, ProjectorOptions options)
    : store_(store), options_(options), batch_(std::make_unique<rocksdb::WriteBatch>()) {
  if (options_.batch_events == 0)
    options_.batch_events = 1;
  for (auto& p : projections) {
    if (!p)
      continue;
    auto slot = std::make_unique<Slot>();
    slot->name = std::string(p->name());
    for (const auto& key : p->ignores())
      slot->known.emplace_back(key, false);
    for (const auto& key : p->applies())
      slot->known.emplace_back(key, true);
    // Applied sorts after ignored for the same pair, and wins.
    std::sort(slot->known.begin(), slot->known.end());
    std::vector<std::pair<EventKey, bool>> unique;
    for (auto& entry : slot->known) {
      if (!unique.empty() && unique.back().first == entry.first)
        unique.back() = entry;
      else
        unique.push_back(entry);
    }
    slot->known = std::move(unique);
    slot->projection = std::move(p);
    slots_.push_back(std::move(slot));
  }
  std::lock_guard lock(work_mutex_);
  if (auto opened = open_locked(); !opened) {
    std::lock_guard position_lock(position_mutex_);
    last_error_ = opened.error();
  }
}

Projector::~Projector() {
  stop();
}

Result<void> Projector::open_locked() {
  if (opened_)
    return {};
  if (store_.options().secondary) {
    return unexpected(
        Error{ErrorCode::kClosed,
              "Expected a writable store to keep projections in, but it is a read-only secondary",
              {},
              {}});
  }
  auto* checkpoints = store_.column_family(format::kCfCheckpoints);
  if (checkpoints == nullptr) {
    return unexpected(
        Error{ErrorCode::kIo, "Expected the checkpoints column family, but it is missing", {}, {}});
  }
  for (auto& slot : slots_) {
    slot->family = store_.column_family(family_name(slot->name));
    if (slot->family == nullptr) {
      return unexpected(Error{ErrorCode::kIo,
                              "Expected to open the column family " + family_name(slot->name) +
                                  ", but it could not be created",
                              {},
                              {}});
    }
    auto checkpoint = engine::read_checkpoint(store_, checkpoint_key(slot->name));
    if (!checkpoint)
      return unexpected(std::move(checkpoint).error());
    std::string stored_version;
    auto s = store_.db()->Get(rocksdb::ReadOptions(), checkpoints, version_key(slot->name),
                              &stored_version);
    if (!s.ok() && !s.IsNotFound())
      return unexpected(io_error("to read the version of projection " + slot->name, s));
    const bool same_version = s.ok() && stored_version.size() == 4 &&
                              format::get_u32be(stored_version) == slot->projection->version();
    slot->checkpoint.store(*checkpoint);
    if (!same_version) {
      // A new projection, or rows written by another version: start over from position 0.
      if (auto reset = reset_locked(*slot); !reset)
        return reset;
    }
  }
  opened_ = true;
  publish_position();
  return {};
}

Result<void> Projector::reset_locked(Slot& slot) {
  slot.projection->discard();
  {
    std::lock_guard lock(position_mutex_);
    slot.stop.reset();
    slot.stopped.store(false);
  }
  rocksdb::WriteBatch batch;
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db()->NewIterator(rocksdb::ReadOptions(), slot.family));
  it->SeekToFirst();
  if (it->Valid()) {
    std::string first = it->key().ToString();
    it->SeekToLast();
    if (it->Valid()) {
      std::string end = it->key().ToString();
      end.push_back('\0');  // just past the last key
      batch.DeleteRange(slot.family, first, end);
    }
  }
  if (!it->status().ok())
    return unexpected(io_error("to read projection " + slot.name, it->status()));
  it.reset();
  auto* checkpoints = store_.column_family(format::kCfCheckpoints);
  batch.Put(checkpoints, checkpoint_key(slot.name), u64be(0));
  batch.Put(checkpoints, version_key(slot.name), u32be(slot.projection->version()));
  auto s = store_.db()->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok())
    return unexpected(io_error("to reset projection " + slot.name, s));
  slot.checkpoint.store(0);
  publish_position();
  return {};
}

Result<std::size_t> Projector::catch_up() {
  std::lock_guard lock(work_mutex_);
  if (auto opened = open_locked(); !opened)
    return unexpected(std::move(opened).error());
  return catch_up_locked();
}

Result<std::size_t> Projector::catch_up_locked() {
  std::size_t total = 0;
  std::vector<engine::RecordedEvent> pending;
  pending.reserve(options_.batch_events);
  for (;;) {
    const std::uint64_t lowest = lowest_running_checkpoint();
    const std::uint64_t end = store_.last_position();
    if (lowest >= end)
      break;
    // One pass over the log with one iterator (readahead), committing every batch_events.
    std::optional<Error> failure;
    auto commit = [&] {
      if (pending.empty())
        return true;
      if (auto projected = project_batch_locked(pending); !projected) {
        failure = std::move(projected).error();
        return false;
      }
      total += pending.size();
      pending.clear();
      return true;
    };
    auto scanned = store_.scan(lowest + 1, end, [&](const engine::RecordView& view) {
      // The view's hash and envelope are adjacent in the stored value (hash || envelope).
      std::string joined;
      std::string_view value(view.hash.data(), view.hash.size() + view.envelope.size());
      if (view.hash.data() + view.hash.size() != view.envelope.data()) {
        joined.append(view.hash).append(view.envelope);
        value = joined;
      }
      auto event = engine::decode_record(view.key_position, value);
      if (!event) {
        failure = std::move(event).error();
        return false;
      }
      pending.push_back(std::move(*event));
      if (pending.size() >= options_.batch_events && !commit())
        return false;
      return !stopping_.load();
    });
    if (!scanned) {
      pending.clear();
      return unexpected(std::move(scanned).error());
    }
    if (!failure)
      commit();
    if (failure) {
      pending.clear();
      return unexpected(std::move(*failure));
    }
    if (stopping_.load())
      break;
  }
  return total;
}

std::uint64_t Projector::lowest_running_checkpoint() const {
  std::uint64_t lowest = std::numeric_limits<std::uint64_t>::max();
  for (const auto& slot : slots_) {
    if (!slot->stopped.load())
      lowest = std::min(lowest, slot->checkpoint.load());
  }
  return lowest;
}

Result<void> Projector::project_batch_locked(const std::vector<engine::RecordedEvent>& events) {
  auto* checkpoints = store_.column_family(format::kCfCheckpoints);
  const std::uint64_t last = events.back().position;
  auto& batch = *batch_;
  batch.Clear();
  auto abandon = [&] {
    batch.Clear();
    for (auto& slot : slots_)
      slot->projection->discard();
  };
  // Each projection builds its writes apart from the others, so large batches are projected on
  // two threads (taking projections in turn); a projection is still driven by one thread.
  std::vector<BatchOverlay> overlays(slots_.size());
  std::vector<std::optional<Error>> failures(slots_.size());
  // A projection that meets an event it does not know stops just before it.
  std::vector<std::optional<ProjectionStop>> stops(slots_.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < slots_.size(); i = next++) {
      auto& slot = *slots_[i];
      const std::uint64_t from = slot.checkpoint.load();
      if (from >= last || slot.stopped.load())
        continue;
      Writer writer(store_, slot.family, overlays[i]);
      for (const auto& event : events) {
        if (event.position <= from || !slot.projection->wants(event))
          continue;
        const Handling handling = slot.handling(event);
        if (handling == Handling::kIgnore)
          continue;
        if (handling == Handling::kUnknown) {
          stops[i] = stop_at(slot.name, event);
          break;
        }
        if (auto applied = slot.projection->apply(event, writer); !applied) {
          failures[i] = std::move(applied).error();
          break;
        }
      }
      if (failures[i])
        continue;
      if (auto flushed = slot.projection->flush(writer); !flushed)
        failures[i] = std::move(flushed).error();
    }
  };
  std::thread helper;
  if (events.size() >= options_.parallel_from_events && slots_.size() > 1) {
    try {
      helper = std::thread(work);
    } catch (const std::system_error&) {
      // No thread to spare: this thread does all the work.
    }
  }
  work();
  if (helper.joinable())
    helper.join();
  std::vector<std::uint64_t> advanced(slots_.size(), 0);
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (failures[i]) {
      abandon();
      return unexpected(std::move(*failures[i]));
    }
    auto& slot = *slots_[i];
    advanced[i] = slot.checkpoint.load();
    const std::uint64_t until = stops[i] ? stops[i]->position - 1 : last;
    if (advanced[i] >= until || slot.stopped.load())
      continue;
    for (const auto& [key, value] : overlays[i]) {  // in key order
      if (value)
        batch.Put(slot.family, key, *value);
      else
        batch.Delete(slot.family, key);
    }
    advanced[i] = until;
    batch.Put(checkpoints, checkpoint_key(slot.name), u64be(until));
  }
  // Rows and checkpoints of every projection in one atomic write. Not synced: a projection is
  // rebuildable from the log, and RocksDB recovers a batch whole or not at all.
  auto s = store_.db()->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) {
    abandon();
    return unexpected(io_error("to write projection rows", s));
  }
  batch.Clear();
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    slots_[i]->checkpoint.store(advanced[i]);
    if (!stops[i])
      continue;
    // The projection's rows hold what it folded before the event; its cache may hold more.
    slots_[i]->projection->discard();
    spdlog::error("projector: {}", stops[i]->message);
    std::lock_guard lock(position_mutex_);
    slots_[i]->stop = std::move(stops[i]);
    slots_[i]->stopped.store(true);
  }
  publish_position();
  return {};
}

void Projector::publish_position() {
  std::uint64_t lowest = std::numeric_limits<std::uint64_t>::max();
  for (const auto& slot : slots_)
    lowest = std::min(lowest, slot->checkpoint.load());
  if (slots_.empty())
    lowest = store_.last_position();
  {
    std::lock_guard lock(position_mutex_);
    position_ = lowest;
  }
  position_changed_.notify_all();
}

Result<void> Projector::rebuild(std::string_view name) {
  std::lock_guard lock(work_mutex_);
  if (auto opened = open_locked(); !opened)
    return opened;
  auto it = std::find_if(slots_.begin(), slots_.end(),
                         [&](const auto& slot) { return slot->name == name; });
  if (it == slots_.end()) {
    return unexpected(
        Error{ErrorCode::kNotFound,
              "Expected a known projection, but there is none named '" + std::string(name) + "'",
              {},
              {}});
  }
  if (auto reset = reset_locked(**it); !reset)
    return reset;
  if (auto caught = catch_up_locked(); !caught)
    return unexpected(std::move(caught).error());
  if (auto stop = first_stop_error({std::string(name)}))
    return unexpected(std::move(*stop));
  return {};
}

Result<void> Projector::rebuild_all() {
  std::lock_guard lock(work_mutex_);
  if (auto opened = open_locked(); !opened)
    return opened;
  for (auto& slot : slots_) {
    if (auto reset = reset_locked(*slot); !reset)
      return reset;
  }
  if (auto caught = catch_up_locked(); !caught)
    return unexpected(std::move(caught).error());
  if (auto stop = first_stop_error(names()))
    return unexpected(std::move(*stop));
  return {};
}

std::optional<Error> Projector::first_stop_error(const std::vector<std::string>& names) const {
  std::lock_guard lock(position_mutex_);
  for (const auto& slot : slots_) {
    if (slot->stop && std::find(names.begin(), names.end(), slot->name) != names.end())
      return stop_error(*slot->stop);
  }
  return std::nullopt;
}

std::uint64_t Projector::position() const {
  std::lock_guard lock(position_mutex_);
  return position_;
}

std::optional<std::uint64_t> Projector::checkpoint(std::string_view name) const {
  for (const auto& slot : slots_) {
    if (slot->name == name)
      return slot->checkpoint.load();
  }
  return std::nullopt;
}

bool Projector::wait_for(std::uint64_t position, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(position_mutex_);
  return position_changed_.wait_for(lock, timeout, [&] { return position_ >= position; });
}

std::vector<std::string> Projector::names() const {
  std::vector<std::string> out;
  out.reserve(slots_.size());
  for (const auto& slot : slots_)
    out.push_back(slot->name);
  return out;
}

std::optional<Error> Projector::last_error() const {
  if (auto stop = first_stop_error(names()); stop) {
    std::lock_guard lock(position_mutex_);
    return last_error_ ? last_error_ : stop;
  }
  std::lock_guard lock(position_mutex_);
  return last_error_;
}

std::vector<ProjectionStop> Projector::stopped() const {
  std::vector<ProjectionStop> out;
  std::lock_guard lock(position_mutex_);
  for (const auto& slot : slots_) {
    if (slot->stop)
      out.push_back(*slot->stop);
  }
  return out;
}

void Projector::start() {
  if (thread_.joinable())
    return;
  stopping_.store(false);
  thread_ = std::thread([this] { run(); });
}

void Projector::stop() {
  stopping_.store(true);
  if (thread_.joinable())
    thread_.join();
}

void Projector::run() {
  while (!stopping_.load()) {
    auto caught = catch_up();
    {
      std::lock_guard lock(position_mutex_);
      if (caught)
        last_error_.reset();
      else
        last_error_ = caught.error();
    }
    if (!caught) {
      spdlog::error("projector: {}", caught.error().message);
      // Pause before retrying, waking early when asked to stop.
      const auto until = std::chrono::steady_clock::now() + options_.retry_pause;
      while (!stopping_.load() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    store_.wait_for_position(position() + 1, options_.idle_wait);
  }
}

}  // namespace docket::projections
