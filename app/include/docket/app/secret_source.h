// Where docketd reads a secret from: a file or an environment variable, never a command-line
// value (every local user can read a process's arguments).
#pragma once

#include <string>

#include "docket/common/expected.h"

namespace docket::app {

// The secret in `file` when it is given (its content without a trailing line break; an error
// when it cannot be read or is empty), else the value of the environment variable `env_name`
// (empty when unset).
Expected<std::string, std::string> read_secret(const std::string& file, const char* env_name);

}  // namespace docket::app
