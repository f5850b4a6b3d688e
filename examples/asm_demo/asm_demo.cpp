// The first demo: assemble a small program, show its disassembly in bpftool's
// syntax, run it in the interpreter on a real IPv4 header and print r0.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "isa/asm_parse.hpp"
#include "isa/disasm.hpp"
#include "vm/vm.hpp"

using namespace bpfhost;

int main(int argc, char **argv) {
  const std::string path =
      argc > 1 ? argv[1] : std::string(BPFHOST_EXAMPLE_DIR) + "/ipv4_checksum.s";
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "asm_demo: cannot open %s\n", path.c_str());
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();

  auto slots = isa::assemble(text.str(), isa::Syntax::Conformance);
  if (!slots) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), slots.error().to_string().c_str());
    return 2;
  }
  std::printf("Assembled %s: %zu instructions. In bpftool's syntax:\n%s\n",
              path.c_str(), slots->size(),
              isa::disassemble_listing(*slots, isa::Syntax::Bpftool).c_str());

  auto program = vm::Program::load(*slots);
  if (!program) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), program.error().to_string().c_str());
    return 1;
  }
  // An IPv4 header (192.168.0.1 -> 192.168.0.199, UDP) whose checksum is 0xb861.
  std::vector<uint8_t> header = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
                                 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8,
                                 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  const vm::MemoryRegion region{reinterpret_cast<uint64_t>(header.data()),
                                header.size(), false};
  uint64_t executed = 0;
  vm::RunEnv env;
  env.mode = vm::MemoryMode::Checked;
  env.r1 = region.start;
  env.r2 = header.size();
  env.regions = {&region, 1};
  env.executed_count = &executed;
  auto r0 = vm::run(*program, env);
  if (!r0) {
    std::fprintf(stderr, "run failed: %s\n", r0.error().to_string().c_str());
    return 1;
  }
  std::printf("Ran it in the interpreter (checked mode) on a 20-byte IPv4 header: "
              "r0 = 0x%llx after %llu instructions (the header's real checksum "
              "is 0xb861).\n",
              static_cast<unsigned long long>(*r0),
              static_cast<unsigned long long>(executed));
  return *r0 == 0xb861 ? 0 : 1;
}
