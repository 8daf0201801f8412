#include "tip_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "docket/engine/sha256.h"

namespace docket::engine {
namespace {

Error tip_error(ErrorCode code, const std::string& path, const std::string& what) {
  return Error{code, "Expected " + what + " " + path + ", but " + std::strerror(errno), {}, {}};
}

std::string encode_slot(const Tip& tip) {
  std::string slot(format::kTipMagic);
  format::put_u64be(slot, tip.position);
  slot.append(reinterpret_cast<const char*>(tip.hash.data()), tip.hash.size());
  const auto check = sha256(slot);
  slot.append(reinterpret_cast<const char*>(check.data()), format::kTipSlotBytes - slot.size());
  return slot;
}

std::optional<Tip> decode_slot(std::string_view slot) {
  if (slot.size() != format::kTipSlotBytes || !slot.starts_with(format::kTipMagic))
    return std::nullopt;
  const auto body = slot.substr(0, 48);
  const auto check = sha256(body);
  if (std::memcmp(check.data(), slot.data() + 48, format::kTipSlotBytes - 48) != 0)
    return std::nullopt;
  Tip tip;
  tip.position = format::get_u64be(slot.substr(8, 8));
  tip.hash = hash_from_bytes(slot.substr(16, format::kHashSize));
  return tip;
}

bool read_exactly(int fd, char* out, std::size_t size, off_t offset) {
  std::size_t done = 0;
  while (done < size) {
    auto n = ::pread(fd, out + done, size - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

TipFile::TipFile(std::string directory, bool sync)
    : directory_(std::move(directory)),
      path_(directory_ + "/" + std::string(format::kTipFileName)),
      sync_(sync) {}

TipFile::~TipFile() {
  if (fd_ >= 0)
    ::close(fd_);
}

Result<std::optional<Tip>> TipFile::read() {
  std::lock_guard lock(mu_);
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return std::optional<Tip>{};
    return unexpected(tip_error(ErrorCode::kIo, path_, "to read the acknowledged tip in"));
  }
  std::optional<Tip> best;
  unsigned best_slot = 0;
  for (unsigned slot = 0; slot < 2; ++slot) {
    std::string bytes(format::kTipSlotBytes, '\0');
    if (!read_exactly(fd, bytes.data(), bytes.size(),
                      static_cast<off_t>(slot * format::kTipSlotStride)))
      continue;
    auto tip = decode_slot(bytes);
    if (tip && (!best || tip->position > best->position)) {
      best = tip;
      best_slot = slot;
    }
  }
  ::close(fd);
  if (!best) {
    return unexpected(Error{
        ErrorCode::kCorruption,
        "Expected a valid acknowledged tip in " + path_ + ", but neither of its slots is intact",
        {},
        {}});
  }
  next_slot_ = 1 - best_slot;  // overwrite the older slot first
  return best;
}

Result<void> TipFile::open_locked() {
  if (fd_ >= 0)
    return {};
  struct stat st {};
  const bool existed = ::stat(path_.c_str(), &st) == 0;
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    return unexpected(tip_error(ErrorCode::kIo, path_, "to open the acknowledged tip"));
  // Allocate both slots now, so that recording a tip never needs new space on a full disk.
  const auto size = static_cast<off_t>(format::kTipSlotStride + format::kTipSlotBytes);
  if ((!existed || st.st_size < size) && ::posix_fallocate(fd_, 0, size) != 0) {
    ::close(fd_);
    fd_ = -1;
    return unexpected(
        tip_error(ErrorCode::kUnavailable, path_, "room for the acknowledged tip in"));
  }
  if (!existed && sync_) {
    // Make the new file's name durable too.
    int dir = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  }
  return {};
}

Result<void> TipFile::record(const Tip& tip) {
  std::lock_guard lock(mu_);
  if (recorded_ && tip.position <= *recorded_)
    return {};
  if (auto r = open_locked(); !r)
    return r;
  const auto slot = encode_slot(tip);
  const auto offset = static_cast<off_t>(next_slot_ * format::kTipSlotStride);
  std::size_t done = 0;
  while (done < slot.size()) {
    auto n =
        ::pwrite(fd_, slot.data() + done, slot.size() - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return unexpected(tip_error(ErrorCode::kIo, path_, "to write the acknowledged tip to"));
    done += static_cast<std::size_t>(n);
  }
  if (sync_ && ::fdatasync(fd_) != 0)
    return unexpected(tip_error(ErrorCode::kIo, path_, "to sync the acknowledged tip in"));
  next_slot_ = 1 - next_slot_;
  recorded_ = tip.position;
  return {};
}

}  // namespace docket::engine
