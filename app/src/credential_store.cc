#include "docket/app/credential_store.h"

#include <rocksdb/db.h>

#include "docket/engine/format.h"

namespace docket::app {

engine::Result<std::optional<std::string>> CredentialStore::get(std::string_view stream,
                                                                domain::CredentialKind kind) const {
  auto* family = store_.column_family_if_exists(engine::format::kCfCredentials);
  if (family == nullptr)
    return std::optional<std::string>();
  std::string value;
  auto s = store_.db()->Get(rocksdb::ReadOptions(), family, domain::credential_key(stream, kind),
                            &value);
  if (s.IsNotFound())
    return std::optional<std::string>();
  if (!s.ok()) {
    return unexpected(engine::Error{
        engine::ErrorCode::kIo, "Expected to read a credential, but " + s.ToString(), {}, {}});
  }
  return std::optional<std::string>(std::move(value));
}

}  // namespace docket::app
