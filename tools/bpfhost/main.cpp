// bpfhost: the command-line tool (DESIGN.md §4).
#include <iostream>
#include <string>
#include <vector>

#include "args.hpp"
#include "commands.hpp"

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto command = bpfhost::cli::parse_args(args);
  if (!command) {
    std::cerr << "Error: " << command.error().to_string() << "\n"
              << bpfhost::cli::usage();
    return 2;
  }
  return bpfhost::cli::run_command(*command);
}
