#include "docket/engine/storage_error.h"

#include <rocksdb/status.h>

namespace docket::engine {

ErrorCode error_code_of(const rocksdb::Status& status) {
  if (status.IsCorruption())
    return ErrorCode::kCorruption;
  return status.IsNoSpace() ? ErrorCode::kUnavailable : ErrorCode::kIo;
}

Error storage_error(const rocksdb::Status& status, const std::string& what) {
  return Error{error_code_of(status), what + ": " + status.ToString(), {}, {}};
}

}  // namespace docket::engine
