#include "docket/engine/blob_store.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "docket/engine/storage_error.h"

namespace docket::engine {
namespace {

// meta value: u64be size || u32be chunk count || 16-byte upload id || content type
struct BlobMeta {
  std::uint64_t size = 0;
  std::uint32_t chunks = 0;
  std::string upload;  // 16 bytes
  std::string content_type;
};

std::string meta_key(const format::Hash& hash) {
  std::string k(1, format::kBlobMetaPrefix);
  k.append(reinterpret_cast<const char*>(hash.data()), hash.size());
  return k;
}

std::string chunk_key(std::string_view upload, std::uint32_t chunk) {
  std::string k(1, format::kBlobChunkPrefix);
  k.append(upload);
  format::put_u32be(k, chunk);
  return k;
}

std::string encode_meta(const BlobMeta& m) {
  std::string v;
  format::put_u64be(v, m.size);
  format::put_u32be(v, m.chunks);
  v.append(m.upload);
  v.append(m.content_type);
  return v;
}

std::optional<BlobMeta> decode_meta(std::string_view v) {
  if (v.size() < 28)
    return std::nullopt;
  BlobMeta m;
  m.size = format::get_u64be(v);
  m.chunks = format::get_u32be(v.substr(8));
  m.upload.assign(v.substr(12, 16));
  m.content_type.assign(v.substr(28));
  return m;
}

Error io(const rocksdb::Status& s, std::string_view what) {
  return storage_error(s, std::string(what));
}

Error not_found(std::string_view hash) {
  return Error{
      ErrorCode::kNotFound, "Expected a blob " + std::string(hash) + ", but there is none", {}, {}};
}

}  // namespace

class BlobWriterImpl final : public BlobWriter {
 public:
  BlobWriterImpl(BlobStore& store, std::string content_type) : store_(store) {
    meta_.content_type = std::move(content_type);
    const auto id = Uuid::random();
    meta_.upload.clear();
    format::put_u64be(meta_.upload, id.hi);
    format::put_u64be(meta_.upload, id.lo);
  }

  ~BlobWriterImpl() override {
    if (!finished_)
      discard();
  }

  Result<void> write(std::string_view bytes) override {
    if (finished_)
      return unexpected(Error{
          ErrorCode::kInvalidArgument, "Expected an open upload, but it is finished", {}, {}});
    if (meta_.size + bytes.size() > store_.options_.max_size) {
      discard();
      finished_ = true;
      return unexpected(Error{ErrorCode::kTooLarge,
                              "Expected a file of at most " +
                                  std::to_string(store_.options_.max_size) +
                                  " bytes, but it is larger",
                              {},
                              {}});
    }
    hasher_.update(bytes);
    meta_.size += bytes.size();
    while (!bytes.empty()) {
      auto take = std::min(bytes.size(), store_.options_.chunk_size - buffer_.size());
      buffer_.append(bytes.substr(0, take));
      bytes.remove_prefix(take);
      if (buffer_.size() == store_.options_.chunk_size) {
        if (auto r = flush(); !r)
          return r;
      }
    }
    return {};
  }

  Result<BlobInfo> finish() override {
    if (finished_)
      return unexpected(Error{
          ErrorCode::kInvalidArgument, "Expected an open upload, but it is finished", {}, {}});
    if (!buffer_.empty()) {
      if (auto r = flush(); !r)
        return unexpected(r.error());
    }
    finished_ = true;
    const auto hash = hasher_.finish();
    BlobInfo info{to_hex(hash), meta_.size, meta_.content_type};
    auto* db = store_.store_.db();
    std::string existing;
    auto s = db->Get(rocksdb::ReadOptions(), store_.family_, meta_key(hash), &existing);
    if (s.ok()) {
      discard();  // the same bytes are stored already: keep one copy
      if (auto m = decode_meta(existing))
        info.content_type = m->content_type;
      return info;
    }
    if (!s.IsNotFound())
      return unexpected(io(s, "Expected to look up a blob"));
    rocksdb::WriteOptions wo;
    wo.sync = true;  // syncing the WAL here also makes the earlier chunk writes durable
    s = db->Put(wo, store_.family_, meta_key(hash), encode_meta(meta_));
    if (!s.ok())
      return unexpected(io(s, "Expected to publish a blob"));
    return info;
  }

 private:
  Result<void> flush() {
    auto s = store_.store_.db()->Put(rocksdb::WriteOptions(), store_.family_,
                                     chunk_key(meta_.upload, meta_.chunks), buffer_);
    if (!s.ok())
      return unexpected(io(s, "Expected to store a blob chunk"));
    ++meta_.chunks;
    buffer_.clear();
    return {};
  }

  void discard() {
    if (meta_.chunks == 0)
      return;
    rocksdb::WriteBatch wb;
    wb.DeleteRange(store_.family_, chunk_key(meta_.upload, 0),
                   chunk_key(meta_.upload, meta_.chunks));
    (void)store_.store_.db()->Write(rocksdb::WriteOptions(), &wb);
    meta_.chunks = 0;
  }

  BlobStore& store_;
  BlobMeta meta_;
  Sha256 hasher_;
  std::string buffer_;
  bool finished_ = false;
};

BlobStore::BlobStore(EventStore& store, BlobOptions options)
    : store_(store), options_(options), family_(store.column_family(format::kCfBlobs)) {}

std::unique_ptr<BlobWriter> BlobStore::begin(std::string content_type) {
  return std::make_unique<BlobWriterImpl>(*this, std::move(content_type));
}

Result<BlobInfo> BlobStore::put(std::string_view bytes, std::string content_type) {
  auto writer = begin(std::move(content_type));
  if (auto r = writer->write(bytes); !r)
    return unexpected(r.error());
  return writer->finish();
}

Result<BlobInfo> BlobStore::stat(std::string_view hash) const {
  auto h = hash_from_hex(hash);
  if (!h)
    return unexpected(not_found(hash));
  std::string value;
  auto s = store_.db()->Get(rocksdb::ReadOptions(), family_, meta_key(*h), &value);
  if (s.IsNotFound())
    return unexpected(not_found(hash));
  if (!s.ok())
    return unexpected(io(s, "Expected to read a blob"));
  auto m = decode_meta(value);
  if (!m)
    return unexpected(Error{ErrorCode::kCorruption, "Expected well-formed blob metadata", {}, {}});
  return BlobInfo{std::string(hash), m->size, m->content_type};
}

Result<void> BlobStore::read_chunks(std::string_view hash,
                                    const std::function<bool(std::string_view)>& visit) const {
  auto h = hash_from_hex(hash);
  if (!h)
    return unexpected(not_found(hash));
  std::string value;
  auto s = store_.db()->Get(rocksdb::ReadOptions(), family_, meta_key(*h), &value);
  if (s.IsNotFound())
    return unexpected(not_found(hash));
  if (!s.ok())
    return unexpected(io(s, "Expected to read a blob"));
  auto m = decode_meta(value);
  if (!m)
    return unexpected(Error{ErrorCode::kCorruption, "Expected well-formed blob metadata", {}, {}});
  for (std::uint32_t c = 0; c < m->chunks; ++c) {
    rocksdb::PinnableSlice chunk;
    s = store_.db()->Get(rocksdb::ReadOptions(), family_, chunk_key(m->upload, c), &chunk);
    if (!s.ok()) {
      return unexpected(Error{ErrorCode::kCorruption,
                              "Expected chunk " + std::to_string(c) + " of blob " +
                                  std::string(hash) + ", but " + s.ToString(),
                              {},
                              {}});
    }
    if (!visit(chunk.ToStringView()))
      break;
  }
  return {};
}

Result<std::string> BlobStore::read(std::string_view hash) const {
  std::string out;
  auto r = read_chunks(hash, [&](std::string_view chunk) {
    out.append(chunk);
    return true;
  });
  if (!r)
    return unexpected(r.error());
  return out;
}

Result<void> BlobStore::verify(std::string_view hash) const {
  Sha256 hasher;
  auto r = read_chunks(hash, [&](std::string_view chunk) {
    hasher.update(chunk);
    return true;
  });
  if (!r)
    return r;
  if (to_hex(hasher.finish()) != hash) {
    return unexpected(
        Error{ErrorCode::kCorruption,
              "Expected blob " + std::string(hash) + " to hash to its name, but it does not",
              {},
              {}});
  }
  return {};
}

Result<std::optional<std::string>> BlobStore::verify_all() const {
  std::vector<std::string> hashes;
  {
    std::unique_ptr<rocksdb::Iterator> it(
        store_.db()->NewIterator(rocksdb::ReadOptions(), family_));
    const std::string prefix(1, format::kBlobMetaPrefix);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      hashes.push_back(to_hex(it->key().ToStringView().substr(1)));
    }
    if (!it->status().ok())
      return unexpected(io(it->status(), "Expected to list blobs"));
  }
  for (const auto& h : hashes) {
    if (auto r = verify(h); !r) {
      if (r.error().code == ErrorCode::kIo)
        return unexpected(r.error());
      return std::optional<std::string>(h);
    }
  }
  return std::optional<std::string>{};
}

}  // namespace docket::engine
