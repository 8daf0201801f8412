#include "docket/app/secret_source.h"

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace docket::app {

Expected<std::string, std::string> read_secret(const std::string& file, const char* env_name) {
  if (file.empty()) {
    const char* value = std::getenv(env_name);
    return std::string(value == nullptr ? "" : value);
  }
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return unexpected("Expected a readable secret file " + file + ", but it cannot be opened");
  std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad())
    return unexpected("Expected a readable secret file " + file + ", but reading it failed");
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r'))
    secret.pop_back();
  if (secret.empty())
    return unexpected("Expected a secret in " + file + ", but the file is empty");
  return secret;
}

}  // namespace docket::app
