// docket: the auditors' command-line tool. See docket/replay/cli.h.
//
// SIGINT, SIGTERM and SIGHUP are taken by a thread of their own, which removes the secondary
// directories of the stores still open and ends the process, so an interrupted run leaves
// nothing behind.
#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <thread>

#include "docket/app/logging.h"
#include "docket/replay/cli.h"
#include "docket/replay/data_dir.h"

int main(int argc, char** argv) {
  docket::app::log_to_stderr();  // standard output is for what a command answers
  std::ios::sync_with_stdio(false);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([signals] {
    int received = 0;
    if (sigwait(&signals, &received) != 0)
      return;
    docket::replay::remove_live_secondary_dirs();
    ::_exit(128 + received);
  }).detach();
  return docket::replay::run_cli(argc, argv, std::cout, std::cerr);
}
