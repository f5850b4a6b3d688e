// Runs one program through the interpreter and the JIT with the same
// environment and memory, so tests can compare r0, errors, executed counts
// and memory effects.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "isa/encode.hpp"
#include "isa/ir.hpp"
#include "jit/jit.hpp"
#include "vm/vm.hpp"

namespace bpfhost::jit::test {

// What a run gives: r0 or the error, the executed count and the memory after.
struct Outcome {
  std::optional<uint64_t> r0;
  std::optional<Error> error;
  uint64_t executed = 0;
  std::vector<uint8_t> memory;
};

inline std::string describe(const Outcome &o) {
  return o.r0 ? "r0=" + std::to_string(*o.r0)
              : "error: " + (o.error ? o.error->to_string() : "?");
}

// The environment of a run besides the mode; `memory` becomes r1/r2 and a
// writable region (and the packet when `packet_is_memory`).
struct RunSetup {
  std::vector<uint8_t> memory;
  const vm::HelperTable *helpers = nullptr;
  std::vector<uint8_t> packet;
  uint64_t insn_budget = vm::kDefaultInsnBudget;
};

enum class Engine { Interpreter, Jit };

// The memory every run uses (reset from the setup before each run), so both
// engines see the same addresses and their error texts can be compared.
inline std::vector<uint8_t> &shared_memory() {
  static std::vector<uint8_t> memory(4096);
  return memory;
}

inline Outcome run_engine(Engine engine, const std::vector<isa::RawInsn> &slots,
                          vm::MemoryMode mode, const RunSetup &setup,
                          bool count = true) {
  Outcome out;
  std::vector<uint8_t> &memory = shared_memory();
  std::copy(setup.memory.begin(), setup.memory.end(), memory.begin());
  vm::MemoryRegion region{reinterpret_cast<uintptr_t>(memory.data()),
                          setup.memory.size(), true};
  vm::RunEnv env;
  env.mode = mode;
  if (!setup.memory.empty()) {
    env.regions = {&region, 1};
    env.r1 = region.start;
    env.r2 = region.size;
  }
  env.helpers = setup.helpers;
  env.packet = setup.packet;
  env.insn_budget = setup.insn_budget;
  if (count)
    env.executed_count = &out.executed;
  Result<uint64_t> r = make_error(ErrorCode::Internal, "not run");
  if (engine == Engine::Interpreter) {
    auto program = vm::Program::load(slots);
    if (!program) {
      out.error = program.error();
      return out;
    }
    r = vm::run(*program, env);
  } else {
    auto program = CompiledProgram::compile(slots);
    if (!program) {
      out.error = program.error();
      return out;
    }
    r = jit::run(*program, env);
  }
  if (r)
    out.r0 = *r;
  else
    out.error = r.error();
  out.memory.assign(memory.begin(),
                    memory.begin() + static_cast<long>(setup.memory.size()));
  return out;
}

// Expects both engines to agree: same r0 and memory (and executed count) or
// the same error code and text (location and message). Budget errors are
// compared by code only: the JIT charges whole blocks.
inline void expect_same(const Outcome &interp, const Outcome &jit) {
  EXPECT_EQ(interp.r0, jit.r0) << describe(interp) << " vs " << describe(jit);
  EXPECT_EQ(interp.error.has_value(), jit.error.has_value())
      << describe(interp) << " vs " << describe(jit);
  if (interp.error && jit.error) {
    EXPECT_EQ(interp.error->code, jit.error->code)
        << interp.error->to_string() << " vs " << jit.error->to_string();
    if (interp.error->code != ErrorCode::ResourceExhausted) {
      EXPECT_EQ(interp.error->to_string(), jit.error->to_string());
    }
  }
  if (interp.r0) {
    EXPECT_EQ(interp.executed, jit.executed);
    EXPECT_EQ(interp.memory, jit.memory);
  }
}

// Runs both engines in checked mode, and for a program that ends with r0
// also in unchecked mode (counting and not); returns the JIT's checked outcome.
inline Outcome compare_engines(const std::vector<isa::Insn> &program,
                               const RunSetup &setup = {}) {
  const auto slots = isa::encode(program);
  const Outcome interp =
      run_engine(Engine::Interpreter, slots, vm::MemoryMode::Checked, setup);
  const Outcome jit =
      run_engine(Engine::Jit, slots, vm::MemoryMode::Checked, setup);
  {
    SCOPED_TRACE("checked");
    expect_same(interp, jit);
  }
  if (!interp.r0)
    return jit;
  for (bool count : {true, false}) {
    SCOPED_TRACE(count ? "unchecked, counting" : "unchecked");
    const Outcome u =
        run_engine(Engine::Jit, slots, vm::MemoryMode::Unchecked, setup, count);
    EXPECT_EQ(interp.r0, u.r0) << describe(u);
    EXPECT_EQ(interp.memory, u.memory);
    if (count) {
      EXPECT_EQ(interp.executed, u.executed);
    }
  }
  return jit;
}

} // namespace bpfhost::jit::test
