#include "sessions.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <boost/json.hpp>

#include <algorithm>

#include "docket/app/secrets.h"
#include "docket/engine/sha256.h"
#include "docket/engine/storage_error.h"

namespace docket::api {

namespace json = boost::json;

namespace {

std::string encode(const Session& s) {
  json::object o;
  o["id"] = s.principal.id;
  o["role"] = domain::enum_name(s.principal.role);
  o["court"] = s.principal.court;
  o["must_change_password"] = s.must_change_password;
  o["created_at_us"] = s.created_at_us;
  o["expires_at_us"] = s.expires_at_us;
  return json::serialize(o);
}

std::optional<Session> decode(std::string_view text) {
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object())
    return std::nullopt;
  const auto& o = v.get_object();
  const auto* id = o.if_contains("id");
  const auto* role = o.if_contains("role");
  const auto* court = o.if_contains("court");
  const auto* must = o.if_contains("must_change_password");
  const auto* created = o.if_contains("created_at_us");
  const auto* expires = o.if_contains("expires_at_us");
  if (!id || !id->is_string() || !role || !role->is_string() || !court || !court->is_string() ||
      !must || !must->is_bool() || !created || !created->is_int64() || !expires ||
      !expires->is_int64())
    return std::nullopt;
  auto r = domain::enum_from_name<domain::Role>(role->get_string());
  if (!r)
    return std::nullopt;
  Session s;
  s.principal.id = std::string(id->get_string());
  s.principal.role = *r;
  s.principal.court = std::string(court->get_string());
  s.must_change_password = must->get_bool();
  s.created_at_us = created->get_int64();
  s.expires_at_us = expires->get_int64();
  return s;
}

engine::Error io_error(const rocksdb::Status& s) {
  return engine::Error{engine::error_code_of(s),
                       "Expected the session store to work, but " + s.ToString(), std::nullopt,
                       std::nullopt};
}

}  // namespace

engine::Result<std::unique_ptr<SessionStore>> SessionStore::open(engine::EventStore& store,
                                                                 SessionOptions options) {
  if (options.secrets == nullptr) {
    return unexpected(engine::Error{engine::ErrorCode::kInvalidArgument,
                                    "Expected the secrets that key the sessions' digests, but "
                                    "none were given",
                                    {},
                                    {}});
  }
  auto* family = store.column_family(kFamily);
  if (family == nullptr)
    return unexpected(engine::Error{engine::ErrorCode::kIo,
                                    "Expected to open the family api.sessions, but could not",
                                    std::nullopt, std::nullopt});
  // Failure counts per account of an earlier release ('f' || login) are no longer read.
  {
    rocksdb::WriteBatch stale;
    std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(rocksdb::ReadOptions(), family));
    for (it->Seek("f"); it->Valid() && it->key().starts_with("f"); it->Next())
      stale.Delete(family, it->key());
    if (stale.Count() > 0)
      (void)store.db()->Write(rocksdb::WriteOptions(), &stale);
  }
  return std::unique_ptr<SessionStore>(new SessionStore(store, family, options));
}

std::string SessionStore::session_key(std::string_view token) const {
  return "s" + options_.secrets->keyed_digest(kSessionTokenPurpose, token);
}

engine::Result<void> SessionStore::put(const std::string& key, const Session& session) {
  rocksdb::WriteOptions write;
  write.sync = store_.options().sync;
  auto s = store_.db()->Put(write, family_, key, encode(session));
  if (!s.ok())
    return unexpected(io_error(s));
  std::lock_guard lock(mu_);
  cache_.put(key, session);
  return {};
}

engine::Result<std::string> SessionStore::create(Session session) {
  const std::string token = engine::to_hex(app::SodiumSecrets::random_bytes(32));
  session.created_at_us = store_.clock().now_us();
  session.expires_at_us = session.created_at_us + options_.ttl_us;
  if (auto r = put(session_key(token), session); !r)
    return unexpected(r.error());
  return token;
}

std::optional<Session> SessionStore::find(std::string_view token) {
  if (token.empty() || token.size() > 256)
    return std::nullopt;
  const auto key = session_key(token);
  std::optional<Session> found;
  {
    std::lock_guard lock(mu_);
    if (const auto* cached = cache_.find(key))
      found = *cached;
  }
  if (!found) {
    // Not cached: read the session and its principal's revocation from the family. Whatever
    // ends sessions writes first and then, under the lock, drops them from the cache and bumps
    // the generation; a fill that saw another generation caches nothing.
    std::uint64_t generation = 0;
    {
      std::lock_guard lock(mu_);
      generation = generation_;
    }
    std::string value;
    if (!store_.db()->Get(rocksdb::ReadOptions(), family_, key, &value).ok())
      return std::nullopt;
    found = decode(value);
    if (!found)
      return std::nullopt;
    auto revoked = revoked_at(found->principal.id);
    if (!revoked || found->created_at_us <= *revoked)
      return std::nullopt;
    std::lock_guard lock(mu_);
    if (generation != generation_) {
      // Sessions were ended meanwhile: this one may be among them, so ask the family again
      // (under the lock, so no end can slip in between) and cache nothing.
      std::string again;
      if (!store_.db()->Get(rocksdb::ReadOptions(), family_, key, &again).ok())
        return std::nullopt;
      revoked = revoked_at(found->principal.id);
      if (!revoked || found->created_at_us <= *revoked)
        return std::nullopt;
    } else {
      cache_.put(key, *found);
    }
  }
  if (found->expires_at_us <= store_.clock().now_us())
    return std::nullopt;
  return found;
}

std::size_t SessionStore::cached_entries() const {
  std::lock_guard lock(mu_);
  return cache_.size();
}

std::size_t SessionStore::cached_bytes() const {
  std::lock_guard lock(mu_);
  return cache_.bytes();
}

engine::Result<void> SessionStore::revoke(std::string_view token) {
  const auto key = session_key(token);
  {
    std::lock_guard lock(mu_);
    cache_.erase(key);
  }
  rocksdb::WriteOptions write;
  write.sync = store_.options().sync;
  auto s = store_.db()->Delete(write, family_, key);
  if (!s.ok())
    return unexpected(io_error(s));
  return {};
}

std::optional<std::int64_t> SessionStore::revoked_at(const std::string& principal_id) {
  std::string value;
  auto s = store_.db()->Get(rocksdb::ReadOptions(), family_, "r" + principal_id, &value);
  if (s.IsNotFound())
    return INT64_MIN;
  if (!s.ok())
    return std::nullopt;
  try {
    return std::stoll(value);
  } catch (const std::exception&) {
    return INT64_MIN;  // a malformed row revokes nothing
  }
}

engine::Result<void> SessionStore::revoke_principal(std::string_view principal_id) {
  const auto now = store_.clock().now_us();
  rocksdb::WriteOptions write;
  write.sync = store_.options().sync;
  auto s = store_.db()->Put(write, family_, "r" + std::string(principal_id), std::to_string(now));
  if (!s.ok())
    return unexpected(io_error(s));
  std::lock_guard lock(mu_);
  ++generation_;
  cache_.erase_if([&](const std::string&, const Session& session) {
    return session.principal.id == principal_id;
  });
  return {};
}

engine::Result<void> SessionStore::end_other_sessions(const domain::Principal& principal,
                                                      std::string_view keep_token) {
  const auto keep = keep_token.empty() ? std::string() : session_key(keep_token);
  std::lock_guard lock(mu_);
  ++generation_;
  rocksdb::WriteBatch batch;
  std::unique_ptr<rocksdb::Iterator> it(store_.db()->NewIterator(rocksdb::ReadOptions(), family_));
  std::vector<std::string> ended;
  for (it->Seek("s"); it->Valid() && it->key().starts_with("s"); it->Next()) {
    const auto key = it->key().ToString();
    if (key == keep)
      continue;
    auto session = decode(it->value().ToString());
    if (!session || session->principal.id != principal.id ||
        session->principal.role != principal.role)
      continue;
    batch.Delete(family_, key);
    ended.push_back(key);
  }
  if (!it->status().ok())
    return unexpected(io_error(it->status()));
  for (const auto& key : ended)
    cache_.erase(key);
  if (ended.empty())
    return {};
  rocksdb::WriteOptions write;
  write.sync = store_.options().sync;
  auto s = store_.db()->Write(write, &batch);
  if (!s.ok())
    return unexpected(io_error(s));
  return {};
}

engine::Result<void> SessionStore::clear_must_change_password(std::string_view token) {
  auto session = find(token);
  if (!session)
    return {};
  session->must_change_password = false;
  return put(session_key(token), *session);
}

}  // namespace docket::api
