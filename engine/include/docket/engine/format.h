// Persistent format constants of the event store: column families, key layout, hash chain.
// Specified in doc/format.md; change both together, and bump kFormatVersion when the layout
// changes incompatibly.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace docket::engine::format {

// 4: an `idempotency` value may go on after its 24 bytes with the command's recorded rejection;
// a store of format 3 (only 24-byte values) is upgraded in place at open.
// 3: credentials (password hashes, API-key digests) live in the `credentials` family outside
// the chain; stores of format 1 and 2 held them in the log's events and are refused at open.
// (2: blob chunks became ordinary values of the `blobs` family.)
inline constexpr std::uint32_t kFormatVersion = 4;

// Column families.
inline constexpr std::string_view kCfDefault = "default";  // meta: format version
inline constexpr std::string_view kCfLog = "log";          // u64be position -> hash(32) || envelope
inline constexpr std::string_view kCfStreams =
    "streams";  // stream 0x00 u64be version -> u64be position
inline constexpr std::string_view kCfHeads = "heads";  // stream -> u64be version || u64be position
inline constexpr std::string_view kCfCategories =
    "categories";  // category 0x00 u64be position -> ""
inline constexpr std::string_view kCfIdempotency = "idempotency";  // key -> IdempotencyRecord
inline constexpr std::string_view kCfTimers = "timers";            // 'd' due id / 'i' id (see doc)
inline constexpr std::string_view kCfSnapshots =
    "snapshots";  // stream 0x00 u64be version -> snapshot value (see below)
inline constexpr std::string_view kCfBlobs =
    "blobs";  // 'm' sha256 -> meta; 'c' upload u32be chunk -> bytes
inline constexpr std::string_view kCfCheckpoints =
    "checkpoints";                                                // consumer name -> u64be position
inline constexpr std::string_view kProjectionCfPrefix = "proj.";  // one family per projection
inline constexpr std::string_view kCfFailedReactions =
    "failed_reactions";  // reactor name 0x00 u64be position -> failed reaction record
// credentials: owner stream 0x00 kind -> credential (doc/format.md, "The credential store").
// Outside the hash chain; written atomically with the append that records the change.
inline constexpr std::string_view kCfCredentials = "credentials";

inline constexpr std::string_view kMetaFormatVersionKey = "format_version";

// The acknowledged-tip file beside RocksDB's files in the store directory (doc/format.md, "The
// acknowledged tip"): two 64-byte slots, at offsets 0 and kTipSlotStride, each
// magic(8) || u64be position || hash(32) || the first 16 bytes of SHA-256 of the 48 before.
inline constexpr std::string_view kTipFileName = "ACKNOWLEDGED";
inline constexpr std::string_view kTipMagic = "DKTTIP1\n";
inline constexpr std::size_t kTipSlotBytes = 64;
inline constexpr std::size_t kTipSlotStride = 4096;
// checkpoints: the prefixes of consumers' positions, and the suffix of a projection's version.
inline constexpr std::string_view kReactorCheckpointPrefix = "reactor.";
inline constexpr std::string_view kProjectionCheckpointPrefix = "projection.";
inline constexpr std::string_view kCheckpointVersionSuffix = "/version";

inline constexpr std::size_t kHashSize = 32;  // SHA-256
using Hash = std::array<std::uint8_t, kHashSize>;

// hash(0): the chain starts from 32 zero bytes.
inline constexpr Hash kGenesisHash{};

inline constexpr char kSeparator = '\0';  // between a stream or category name and a number
inline constexpr char kTimerDuePrefix = 'd';
inline constexpr char kTimerIdPrefix = 'i';
inline constexpr char kBlobMetaPrefix = 'm';
inline constexpr char kBlobChunkPrefix = 'c';

// Big-endian fixed-width integers: keys sort numerically.
inline void put_u64be(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}
inline void put_u32be(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}
inline std::uint64_t get_u64be(std::string_view in) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i)
    v = (v << 8) | static_cast<std::uint8_t>(in[i]);
  return v;
}
inline std::uint32_t get_u32be(std::string_view in) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i)
    v = (v << 8) | static_cast<std::uint8_t>(in[i]);
  return v;
}

// log: u64be position.
inline std::string log_key(std::uint64_t position) {
  std::string k;
  k.reserve(8);
  put_u64be(k, position);
  return k;
}

// streams: stream 0x00 u64be version.
inline std::string stream_key(std::string_view stream, std::uint64_t version) {
  std::string k;
  k.reserve(stream.size() + 9);
  k.append(stream);
  k.push_back(kSeparator);
  put_u64be(k, version);
  return k;
}

// categories: category 0x00 u64be position.
inline std::string category_key(std::string_view category, std::uint64_t position) {
  return stream_key(category, position);
}

// The category of a stream id is the text before its first '-' (the whole id when it has none).
inline std::string_view category_of(std::string_view stream) {
  auto dash = stream.find('-');
  return dash == std::string_view::npos ? stream : stream.substr(0, dash);
}

// timers: 'd' u64be due (µs, offset so negative times sort first) id, and 'i' id.
inline constexpr std::uint64_t kTimeOffset = 0x8000000000000000ULL;
inline std::string timer_due_key(std::int64_t due_us, std::string_view id) {
  std::string k;
  k.reserve(9 + id.size());
  k.push_back(kTimerDuePrefix);
  put_u64be(k, static_cast<std::uint64_t>(due_us) ^ kTimeOffset);
  k.append(id);
  return k;
}
inline std::string timer_id_key(std::string_view id) {
  std::string k;
  k.push_back(kTimerIdPrefix);
  k.append(id);
  return k;
}
inline std::int64_t decode_time(std::string_view be8) {
  return static_cast<std::int64_t>(get_u64be(be8) ^ kTimeOffset);
}

// snapshots: stream 0x00 u64be version.
inline std::string snapshot_key(std::string_view stream, std::uint64_t version) {
  return stream_key(stream, version);
}

// A snapshot value: kSnapshotMagic || u32be state version || u64be position || chain hash (32)
// || seal (32) || cereal state bytes. The position and hash are those of the stream's event at
// the key's version (the last event the state folds); the seal is HMAC-SHA-256 (SHA-256 when
// no key is configured) of the key followed by the value without the seal.
inline constexpr std::string_view kSnapshotMagic{"DKS\x02", 4};
inline constexpr std::size_t kSnapshotStateVersionOffset = kSnapshotMagic.size();
inline constexpr std::size_t kSnapshotPositionOffset = kSnapshotStateVersionOffset + 4;
inline constexpr std::size_t kSnapshotHashOffset = kSnapshotPositionOffset + 8;
inline constexpr std::size_t kSnapshotSealOffset = kSnapshotHashOffset + kHashSize;
inline constexpr std::size_t kSnapshotHeaderSize = kSnapshotSealOffset + kHashSize;

// failed_reactions: reactor name 0x00 u64be position of the event whose reaction failed.
inline std::string failed_reaction_key(std::string_view reactor, std::uint64_t position) {
  return stream_key(reactor, position);
}

}  // namespace docket::engine::format
