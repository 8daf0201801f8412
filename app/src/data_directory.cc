#include "docket/app/data_directory.h"

#include <sys/stat.h>

#include <filesystem>
#include <sstream>

namespace docket::app {

namespace fs = std::filesystem;

namespace {

std::string octal(fs::perms p) {
  std::ostringstream out;
  out << std::oct << (static_cast<unsigned>(p) & 0777u);
  return out.str();
}

// Narrows one path to `allowed`; a line for the caller when it was wider.
Expected<void, std::string> narrow(const fs::path& path, fs::perms allowed,
                                   std::vector<std::string>& changed) {
  std::error_code ec;
  const auto status = fs::symlink_status(path, ec);
  if (ec)
    return unexpected("Expected to read the permissions of " + path.string() + ", but " +
                      ec.message());
  if (fs::is_symlink(status))
    return {};
  const auto perms = status.permissions() & fs::perms::all;
  if ((perms & ~allowed) == fs::perms::none)
    return {};
  fs::permissions(path, perms & allowed, fs::perm_options::replace | fs::perm_options::nofollow,
                  ec);
  if (ec)
    return unexpected("Expected to narrow the permissions of " + path.string() + " to its owner, " +
                      "but " + ec.message());
  changed.push_back(path.string() + " was " + octal(perms) + ", now " + octal(perms & allowed));
  return {};
}

}  // namespace

void restrict_new_files() {
  ::umask(077);
}

Expected<std::vector<std::string>, std::string> secure_data_directory(const std::string& path) {
  std::vector<std::string> changed;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    fs::create_directories(path, ec);
    if (!ec)  // whatever the process's umask
      fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec)
      return unexpected("Expected to create the data directory " + path + " (mode 0700), but " +
                        ec.message());
  }
  constexpr auto kDirectory = fs::perms::owner_all;
  constexpr auto kFile = fs::perms::owner_read | fs::perms::owner_write;
  if (auto r = narrow(path, kDirectory, changed); !r)
    return unexpected(r.error());
  for (auto it = fs::recursive_directory_iterator(path, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const auto status = it->symlink_status(ec);
    if (ec)
      break;
    if (fs::is_symlink(status) || fs::is_socket(status))
      continue;
    if (auto r = narrow(it->path(), fs::is_directory(status) ? kDirectory : kFile, changed); !r)
      return unexpected(r.error());
  }
  if (ec)
    return unexpected("Expected to walk the data directory " + path + ", but " + ec.message());
  return changed;
}

}  // namespace docket::app
