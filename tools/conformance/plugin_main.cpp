// bpfhost-conformance-plugin: runs one program for the bpf_conformance suite.
//
// Protocol (bpf_conformance's plugin interface): the program arrives on
// standard input as hex bytes separated by spaces; when the test has memory,
// argv[1] holds it in the same form (otherwise argv[1] is already the first
// option); options follow (`--exec interpret` or `--exec jit`). r1 points to
// the memory and r2 holds its length (both 0 without memory). The plugin prints
// r0 in hex and exits 0, or prints an error and exits 1 (the program failed) or
// 2 (usage).
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "hex.hpp"
#include "isa/raw_insn.hpp"
#include "vm/vm.hpp"
#ifdef BPFHOST_HAVE_JIT
#include "jit/jit.hpp"
#endif

namespace {

using namespace bpfhost;

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct Options {
  std::string memory_hex;
  std::string exec = "interpret";
};

int usage(const std::string &why) {
  std::cerr
      << "bpfhost-conformance-plugin: " << why << "\n"
      << "usage: bpfhost-conformance-plugin [MEMORY_HEX] [--exec interpret|jit]"
         " < PROGRAM_HEX\n";
  return kExitUsage;
}

// bpf_conformance's helper 5 ("unwind" in call_unwind_fail.data and
// callx.data) returns its first argument.
uint64_t helper_return_r1(vm::RunContext &, uint64_t r1, uint64_t, uint64_t,
                          uint64_t, uint64_t) {
  return r1;
}

Result<uint64_t> run_program(const std::string &exec,
                             const std::vector<uint8_t> &code,
                             std::vector<uint8_t> &memory) {
  if (code.size() % sizeof(isa::RawInsn) != 0)
    return make_error(ErrorCode::InvalidInput,
                      "program is " + std::to_string(code.size()) +
                          " bytes, not a multiple of 8");
  const auto slots = isa::raw_insns_from_bytes(code);
  vm::HelperTable helpers;
  if (auto set = helpers.set(5, helper_return_r1); !set)
    return set.error();
  const auto base = reinterpret_cast<uint64_t>(memory.data());
  const vm::MemoryRegion region{base, memory.size(), true};
  vm::RunEnv env;
  env.mode = vm::MemoryMode::Checked; // conformance programs are not verified
  env.r1 = memory.empty() ? 0 : base;
  env.r2 = memory.size();
  env.regions = {&region, memory.empty() ? 0u : 1u};
  env.helpers = &helpers;
#ifdef BPFHOST_HAVE_JIT
  if (exec == "jit") {
    auto program = jit::CompiledProgram::compile(slots);
    if (!program)
      return program.error();
    return jit::run(*program, env);
  }
#endif
  (void)exec;
  auto program = vm::Program::load(slots);
  if (!program)
    return program.error();
  return vm::run(*program, env);
}

bool exec_supported(const std::string &exec) {
#ifdef BPFHOST_HAVE_JIT
  if (exec == "jit")
    return true;
#endif
  return exec == "interpret";
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  int i = 1;
  if (i < argc && std::string(argv[i]).rfind("--", 0) != 0)
    options.memory_hex = argv[i++];
  for (; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--exec" && i + 1 < argc)
      options.exec = argv[++i];
    else
      return usage("unknown option '" + arg + "'");
  }
  if (!exec_supported(options.exec))
    return usage("execution mode '" + options.exec +
                 "' is not available (supported: interpret" +
                 (exec_supported("jit") ? ", jit" : "") + ")");

  const std::string input{std::istreambuf_iterator<char>(std::cin), {}};
  auto code = conformance::parse_hex_bytes(input);
  if (!code)
    return usage("program on stdin: " + code.error().to_string());
  auto memory = conformance::parse_hex_bytes(options.memory_hex);
  if (!memory)
    return usage("memory argument: " + memory.error().to_string());

  auto r0 = run_program(options.exec, *code, *memory);
  if (!r0) {
    std::cout << "error: " << r0.error().to_string() << "\n";
    return kExitFailed;
  }
  std::printf("%llx\n", static_cast<unsigned long long>(*r0));
  return 0;
}
