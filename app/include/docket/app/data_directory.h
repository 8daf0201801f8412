// The data directory's permissions: only the account that runs docketd may read it. The store
// holds every filing, party and credential record, so the directory is created 0700 and every
// file in it 0600; a directory found wider (from an earlier version, a copy or a restore) is
// narrowed at start, with a warning naming what was changed.
#pragma once

#include <string>
#include <vector>

#include "docket/common/expected.h"

namespace docket::app {

// Makes every file and directory the process creates from now on private to its owner (umask
// 077). docketd calls it first thing.
void restrict_new_files();

// Creates `path` (mode 0700) when missing; otherwise narrows it and everything under it to its
// owner (directories 0700, files 0600; symbolic links are not followed). Returns one line per
// path that was wider than that, for the caller to warn with; the error text when the
// directory cannot be created or narrowed.
Expected<std::vector<std::string>, std::string> secure_data_directory(const std::string& path);

}  // namespace docket::app
