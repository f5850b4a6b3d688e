// The command line of bpfhost (DESIGN.md §4): global options, then bpftool's
// grammar. Parsing only; commands.cpp does the work.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/result.hpp"

namespace bpfhost::cli {

struct GlobalOptions {
  bool json = false;              // -j
  bool pretty = false;            // -p (implies -j)
  std::string exec = "interpret"; // --exec: only interpret so far
};

// PROG := FILE [program NAME]
struct ProgRef {
  std::string file;
  std::optional<std::string> name;
};

struct RunArgs {
  ProgRef prog;
  std::string data_in;
  std::optional<std::string> data_out, ctx_in, ctx_out;
  uint32_t repeat = 1;
  bool dump_maps = false;
};

struct Command {
  enum class Kind { ProgShow, ProgDumpXlated, ProgRun, Help } kind = Kind::Help;
  GlobalOptions global;
  ProgRef prog; // show: file only
  RunArgs run;
};

// An InvalidInput error carries the usage message.
Result<Command> parse_args(const std::vector<std::string> &args);

const char *usage();

} // namespace bpfhost::cli
