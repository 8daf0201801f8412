// docket: the auditors' command-line tool. See docket/replay/cli.h.
#include <iostream>

#include "docket/replay/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return docket::replay::run_cli(argc, argv, std::cout, std::cerr);
}
