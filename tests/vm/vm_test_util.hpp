// Shorthands for building test programs from the IR, and a runner that runs a
// program in every configuration (checked and unchecked, fused and not,
// counting and not) and checks that they all agree.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "isa/encode.hpp"
#include "isa/ir.hpp"
#include "vm/vm.hpp"

namespace bpfhost::vm::test {

using isa::Insn;

inline isa::Reg reg(int r) { return isa::Reg{static_cast<uint8_t>(r)}; }
inline isa::Operand R(int r) { return reg(r); }
inline isa::Operand I(int32_t v) { return isa::Imm{v}; }

inline Insn alu64(isa::AluOp op, int dst, isa::Operand src) {
  return isa::Alu{op, reg(dst), src, true};
}
inline Insn alu32(isa::AluOp op, int dst, isa::Operand src) {
  return isa::Alu{op, reg(dst), src, false};
}
inline Insn mov64(int dst, isa::Operand src) {
  return alu64(isa::AluOp::Mov, dst, src);
}
inline Insn lddw(int dst, uint64_t value) {
  return isa::LoadImm64{
      reg(dst), isa::LddwKind::Imm,
      static_cast<int32_t>(static_cast<uint32_t>(value)),
      static_cast<int32_t>(static_cast<uint32_t>(value >> 32))};
}
inline Insn jmp(isa::JumpCond cond, int dst, isa::Operand src, int32_t offset,
                bool is32 = false) {
  return isa::Jump{cond, is32, reg(dst), src, offset};
}
inline Insn ja(int32_t offset) {
  return isa::Jump{isa::JumpCond::Always, false, reg(0), I(0), offset};
}
inline Insn ldx(isa::Width w, int dst, int base, int16_t off, bool sx = false) {
  return isa::Load{reg(dst), reg(base), off, w, sx};
}
inline Insn st(isa::Width w, int base, int16_t off, isa::Operand value) {
  return isa::Store{reg(base), off, w, value};
}
inline Insn atomic(isa::AtomicOp op, bool fetch, isa::Width w, int base,
                   int16_t off, int src) {
  return isa::Atomic{op, fetch, w, reg(base), off, reg(src)};
}
inline Insn call(int32_t helper) { return isa::Call{helper}; }
inline Insn call_local(int32_t offset) { return isa::CallLocal{offset}; }
inline Insn exit_insn() { return isa::Exit{}; }

inline std::vector<isa::RawInsn> encode(const std::vector<Insn> &program) {
  return isa::encode(program);
}

// An address as error messages print it ("0x7ffd1234").
inline std::string hex_of(uint64_t addr) {
  std::ostringstream os;
  os << "0x" << std::hex << addr;
  return os.str();
}
inline std::string hex_of(const void *p) {
  return hex_of(reinterpret_cast<uintptr_t>(p));
}

// What a run gives: r0, or the error's to_string().
struct Outcome {
  std::optional<uint64_t> r0;
  std::string error;
  uint64_t executed = 0;
  bool operator==(const Outcome &) const = default;
};

inline std::string describe(const Outcome &o) {
  return o.r0 ? "r0=" + std::to_string(*o.r0) : "error: " + o.error;
}

// Options of a run besides the mode; `memory` becomes r1/r2 and a region.
struct TestEnv {
  std::vector<uint8_t> *memory = nullptr;
  bool memory_writable = true;
  const HelperTable *helpers = nullptr;
  std::vector<uint8_t> packet = {};
  uint64_t insn_budget = kDefaultInsnBudget;
  void *user_data = nullptr;
};

inline Outcome run_once(const std::vector<isa::RawInsn> &slots, MemoryMode mode,
                        bool fuse, bool count, const TestEnv &t) {
  auto program = Program::load(slots, LoadOptions{fuse});
  if (!program)
    return {std::nullopt, "load: " + program.error().to_string(), 0};
  MemoryRegion region;
  RunEnv env;
  env.mode = mode;
  if (t.memory) {
    region = {reinterpret_cast<uintptr_t>(t.memory->data()), t.memory->size(),
              t.memory_writable};
    env.regions = {&region, 1};
    env.r1 = region.start;
    env.r2 = region.size;
  }
  env.helpers = t.helpers;
  env.packet = t.packet;
  env.insn_budget = t.insn_budget;
  env.user_data = t.user_data;
  uint64_t executed = 0;
  if (count)
    env.executed_count = &executed;
  auto r = run(*program, env);
  if (!r)
    return {std::nullopt, r.error().to_string(), executed};
  return {*r, "", executed};
}

// Runs in all configurations; expects them to agree and returns the checked,
// fused outcome. Memory is restored before each run and left as the last run
// (unchecked, unfused) wrote it. Error runs are compared in checked mode only.
inline Outcome run_all(const std::vector<Insn> &program, TestEnv t = {}) {
  const auto slots = encode(program);
  const std::vector<uint8_t> initial =
      t.memory ? *t.memory : std::vector<uint8_t>{};
  auto reset = [&] {
    if (t.memory)
      *t.memory = initial;
  };
  Outcome checked = run_once(slots, MemoryMode::Checked, true, true, t);
  reset();
  const Outcome checked_unfused =
      run_once(slots, MemoryMode::Checked, false, true, t);
  EXPECT_EQ(checked, checked_unfused)
      << describe(checked) << " vs " << describe(checked_unfused);
  if (!checked.r0)
    return checked;
  for (bool fuse : {true, false}) {
    reset();
    const Outcome counted =
        run_once(slots, MemoryMode::Unchecked, fuse, true, t);
    EXPECT_EQ(checked, counted) << "unchecked counting, fuse=" << fuse;
    reset();
    Outcome plain = run_once(slots, MemoryMode::Unchecked, fuse, false, t);
    plain.executed = checked.executed;
    EXPECT_EQ(checked, plain) << "unchecked, fuse=" << fuse;
  }
  return checked;
}

// Runs in checked mode only (for programs that must fail).
inline Outcome run_checked(const std::vector<Insn> &program, TestEnv t = {}) {
  return run_once(encode(program), MemoryMode::Checked, true, true, t);
}

} // namespace bpfhost::vm::test
