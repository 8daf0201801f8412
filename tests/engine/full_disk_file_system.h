// A RocksDB file system for tests whose writes fail with "no space left on device" (and which
// reports no free space) while `full` is set.
#pragma once

#include <rocksdb/file_system.h>

#include <atomic>
#include <memory>
#include <string>

namespace docket::testing {

class FullDiskFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  FullDiskFileSystem() : rocksdb::FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FullDiskFileSystem"; }

  std::atomic<bool> full{false};

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    if (full.load())
      return no_space();
    auto s = target()->NewWritableFile(name, options, result, dbg);
    if (s.ok())
      *result = std::make_unique<File>(std::move(*result), full);
    return s;
  }

  rocksdb::IOStatus GetFreeSpace(const std::string& path, const rocksdb::IOOptions& options,
                                 std::uint64_t* free, rocksdb::IODebugContext* dbg) override {
    if (full.load()) {
      *free = 0;
      return rocksdb::IOStatus::OK();
    }
    return target()->GetFreeSpace(path, options, free, dbg);
  }

  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override {
    auto s = target()->ReopenWritableFile(name, options, result, dbg);
    if (s.ok())
      *result = std::make_unique<File>(std::move(*result), full);
    return s;
  }

 private:
  static rocksdb::IOStatus no_space() {
    return rocksdb::IOStatus::NoSpace("injected", "No space left on device");
  }

  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> file, const std::atomic<bool>& full)
        : rocksdb::FSWritableFileOwnerWrapper(std::move(file)), full_(full) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      return full_.load() ? no_space() : target()->Append(data, options, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
      return full_.load() ? no_space() : target()->Append(data, options, info, dbg);
    }

   private:
    const std::atomic<bool>& full_;
  };
};

}  // namespace docket::testing
