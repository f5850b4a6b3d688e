// The commands of bpfhost; each returns the process exit code (DESIGN.md §4:
// 0 ok, 1 a program was rejected or a run failed, 2 bad usage or input).
#pragma once

#include "args.hpp"

namespace bpfhost::cli {

int run_command(const Command &command);

} // namespace bpfhost::cli
