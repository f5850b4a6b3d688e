// The JIT against the interpreter: every opcode-table row with many operand
// and register values, then whole programs (loops, calls, helpers, packets).
// Both engines run on the same memory; r0, errors, executed counts and
// memory effects must agree (engines.hpp).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engines.hpp"
#include "isa/opcode_table.hpp"

namespace bpfhost::jit::test {
namespace {

using isa::RawInsn;

// Register values that find edge cases: zero, one, all ones, sign bits,
// 32-bit boundaries, shift widths.
constexpr uint64_t kValues[] = {
    0,
    1,
    ~uint64_t{0},
    0x8000000000000000,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x100000000,
    63,
    32,
    0xfffffffffffffff0ull,
    0x123456789abcdef0,
    7,
    -7ull,
    0xff00ff00ff00ff00ull,
    0x8000,
};
constexpr int32_t kImms[] = {0,      1,       -1, 7,         31,
                             32,     63,      64, INT32_MIN, INT32_MAX,
                             0x1234, -0x8000, 3,  0xff};

uint64_t helper_mix(vm::RunContext &, uint64_t a, uint64_t b, uint64_t c,
                    uint64_t d, uint64_t e) {
  return a * 3 + (b ^ c) - d * 5 + (e << 1);
}

struct Rng {
  uint64_t s;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  template <class T, size_t N> T pick(const T (&a)[N]) { return a[next() % N]; }
};

std::vector<RawInsn> slots_of(const std::vector<isa::Insn> &insns) {
  return isa::encode(insns);
}
isa::Insn mov_imm64(int dst, uint64_t v) {
  return isa::LoadImm64{isa::Reg{static_cast<uint8_t>(dst)}, isa::LddwKind::Imm,
                        static_cast<int32_t>(static_cast<uint32_t>(v)),
                        static_cast<int32_t>(static_cast<uint32_t>(v >> 32))};
}
isa::Insn stx(int base, int16_t off, int src) {
  return isa::Store{isa::Reg{static_cast<uint8_t>(base)}, off, isa::Width::DW,
                    isa::Reg{static_cast<uint8_t>(src)}};
}
isa::Insn ldx(int dst, int base, int16_t off) {
  return isa::Load{isa::Reg{static_cast<uint8_t>(dst)},
                   isa::Reg{static_cast<uint8_t>(base)}, off, isa::Width::DW,
                   false};
}

// A program around one instruction under test: registers get values (one of
// them a pointer into the memory, for memory rows), the instruction runs,
// then every register is written to the memory, so any difference in any
// register shows up as a memory difference.
//   memory[0, 64): data the instruction may touch; [64, 144): r0..r9 after.
std::vector<RawInsn> harness(const std::vector<RawInsn> &under_test,
                             const uint64_t (&regs)[10], int pointer_reg) {
  std::vector<isa::Insn> pre;
  pre.push_back(stx(10, -88, 1)); // the memory's address
  for (int r = 0; r <= 9; ++r) {
    if (r == pointer_reg)
      pre.push_back(isa::Alu{isa::AluOp::Mov, isa::Reg{static_cast<uint8_t>(r)},
                             isa::Reg{1}, true});
    else if (r != 1 || pointer_reg != 1)
      pre.push_back(mov_imm64(r, regs[r]));
  }
  if (pointer_reg >= 0)
    pre.push_back(isa::Alu{isa::AluOp::Add,
                           isa::Reg{static_cast<uint8_t>(pointer_reg)},
                           isa::Imm{24}, true});
  std::vector<isa::Insn> post;
  for (int r = 0; r <= 9; ++r)
    post.push_back(stx(10, static_cast<int16_t>(-8 * (r + 1)), r));
  post.push_back(ldx(1, 10, -88));
  for (int r = 0; r <= 9; ++r) {
    post.push_back(ldx(2, 10, static_cast<int16_t>(-8 * (r + 1))));
    post.push_back(stx(1, static_cast<int16_t>(64 + 8 * r), 2));
  }
  post.push_back(isa::Alu{isa::AluOp::Mov, isa::Reg{0}, isa::Imm{0}, true});
  post.push_back(isa::Exit{});
  std::vector<RawInsn> out = slots_of(pre);
  out.insert(out.end(), under_test.begin(), under_test.end());
  const std::vector<RawInsn> tail = slots_of(post);
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

bool is_memory_row(uint8_t opcode) {
  const auto cls = isa::insn_class(opcode);
  return cls == isa::InsnClass::Ldx || cls == isa::InsnClass::St ||
         cls == isa::InsnClass::Stx;
}
bool is_jump_row(uint8_t opcode) {
  const auto cls = isa::insn_class(opcode);
  const uint8_t op = opcode & 0xf0;
  return (cls == isa::InsnClass::Jmp || cls == isa::InsnClass::Jmp32) &&
         op != 0x80 && op != 0x90;
}

// One instruction of `row`, with random operands; jumps skip one
// instruction, calls target a helper or a one-instruction function.
std::vector<RawInsn> instance(const isa::OpcodeRow &row, Rng &rng,
                              int &pointer_reg) {
  uint8_t dst = (row.uses & isa::kDst) ? rng.next() % 10 : 0;
  uint8_t src = (row.uses & isa::kSrc) ? rng.next() % 10 : 0;
  int16_t off =
      (row.uses & isa::kOff) ? static_cast<int16_t>(rng.pick(kImms)) : 0;
  int32_t imm = (row.uses & isa::kImm) ? rng.pick(kImms) : 0;
  pointer_reg = -1;
  if (is_memory_row(row.opcode)) {
    const bool load = isa::insn_class(row.opcode) == isa::InsnClass::Ldx;
    pointer_reg = load ? src : dst;
    if (pointer_reg == 1 || pointer_reg == 0 || rng.next() % 2)
      pointer_reg = 7;
    (load ? src : dst) = static_cast<uint8_t>(pointer_reg);
    // Mostly in bounds, sometimes misaligned or outside (checked errors).
    constexpr int16_t kOffsets[] = {-24, -16, 0, 8, 16, 32, 3, -25, 40, 100};
    off = rng.pick(kOffsets);
  }
  if (is_jump_row(row.opcode)) {
    if (row.opcode == 0x06) // gotol: the offset is imm
      imm = 1;
    else
      off = 1;
  }
  switch (row.selector) {
  case isa::Selector::None:
    break;
  case isa::Selector::Src:
    src = static_cast<uint8_t>(row.selector_value);
    break;
  case isa::Selector::Off:
    off = static_cast<int16_t>(row.selector_value);
    break;
  case isa::Selector::Imm:
    imm = row.selector_value;
    break;
  }
  if (row.opcode == 0x85 && row.selector_value == 0)
    imm = rng.next() % 3 == 0 ? 2 : 1; // helper 1 exists, 2 does not
  if (row.opcode == 0x85 && row.selector_value == 1)
    imm = 1; // local call: skip the jump below, land on the function
  if (row.opcode == 0x95) {
    return {RawInsn::make(0x95, 0, 0, 0, 0)};
  }
  std::vector<RawInsn> out{RawInsn::make(row.opcode, dst, src, off, imm)};
  if (row.opcode == 0x18)
    out.push_back(RawInsn::make(0, 0, 0, 0, rng.pick(kImms)));
  if (is_jump_row(row.opcode))
    out.push_back(RawInsn::make(0xb7, 0, 0, 0, 0x77)); // r0 = 0x77 if not taken
  if (row.opcode == 0x85 && row.selector_value == 1) {
    // ja +2 over the function; the function: r0 = r1 + 5; exit.
    out.push_back(RawInsn::make(0x05, 0, 0, 2, 0));
    out.push_back(RawInsn::make(0xbf, 0, 1, 0, 0));
    out.push_back(RawInsn::make(0x07, 0, 0, 0, 5));
    out.push_back(RawInsn::make(0x95, 0, 0, 0, 0));
  }
  return out;
}

TEST(JitDifferential, EveryOpcodeRow) {
  vm::HelperTable helpers;
  ASSERT_TRUE(helpers.set(1, helper_mix).ok());
  Rng rng{0x9e3779b97f4a7c15ull};
  for (const isa::OpcodeRow &row : isa::opcode_table()) {
    SCOPED_TRACE(std::string(row.mnemonic));
    for (int k = 0; k < 40; ++k) {
      uint64_t regs[10];
      for (uint64_t &r : regs)
        r = rng.pick(kValues);
      if (row.opcode == 0x8d) // callx: mostly a valid id
        regs[rng.next() % 10] = rng.next() % 4 ? 1 : 9;
      int pointer_reg = -1;
      const std::vector<RawInsn> insn = instance(row, rng, pointer_reg);
      RunSetup setup;
      setup.memory.resize(144);
      for (size_t b = 0; b < 64; ++b)
        setup.memory[b] = static_cast<uint8_t>(rng.next());
      setup.packet.assign(setup.memory.begin(), setup.memory.begin() + 48);
      setup.helpers = &helpers;
      const auto slots = harness(insn, regs, pointer_reg);
      SCOPED_TRACE(k);
      const Outcome interp = run_engine(Engine::Interpreter, slots,
                                        vm::MemoryMode::Checked, setup);
      const Outcome jit =
          run_engine(Engine::Jit, slots, vm::MemoryMode::Checked, setup);
      // Both refuse kfunc calls and unresolved lddw, in their own words.
      if (interp.error && jit.error &&
          (interp.error->message.find("kfunc") != std::string::npos ||
           interp.error->message.find("pseudo source") != std::string::npos)) {
        EXPECT_EQ(interp.error->code, jit.error->code);
        continue;
      }
      expect_same(interp, jit);
      // Unchecked code may clobber r1..r5 across helper calls (the dump
      // would show it), so calls are compared in checked mode only.
      const bool is_call = row.opcode == 0x85 || row.opcode == 0x8d;
      if (interp.r0 && !is_call) {
        const Outcome fast =
            run_engine(Engine::Jit, slots, vm::MemoryMode::Unchecked, setup);
        EXPECT_EQ(interp.r0, fast.r0) << describe(fast);
        EXPECT_EQ(interp.memory, fast.memory);
        EXPECT_EQ(interp.executed, fast.executed);
      }
      if (::testing::Test::HasFailure())
        return;
    }
  }
}

} // namespace
} // namespace bpfhost::jit::test

namespace bpfhost::jit::test {
namespace {

using isa::AluOp;
using isa::Insn;
using isa::JumpCond;
using isa::Width;

isa::Reg reg(int r) { return isa::Reg{static_cast<uint8_t>(r)}; }
isa::Operand R(int r) { return reg(r); }
isa::Operand I(int32_t v) { return isa::Imm{v}; }
Insn alu64(AluOp op, int dst, isa::Operand src) {
  return isa::Alu{op, reg(dst), src, true};
}
Insn alu32(AluOp op, int dst, isa::Operand src) {
  return isa::Alu{op, reg(dst), src, false};
}
Insn jmp(JumpCond c, int dst, isa::Operand src, int32_t off) {
  return isa::Jump{c, false, reg(dst), src, off};
}
Insn st(Width w, int base, int16_t off, isa::Operand v) {
  return isa::Store{reg(base), off, w, v};
}
Insn ld(Width w, int dst, int base, int16_t off) {
  return isa::Load{reg(dst), reg(base), off, w, false};
}
Insn call_local(int32_t off) { return isa::CallLocal{off}; }
Insn exit_insn() { return isa::Exit{}; }

uint64_t stop_with_42(vm::RunContext &ctx, uint64_t, uint64_t, uint64_t,
                      uint64_t, uint64_t) {
  ctx.stop(42);
  return 0;
}
uint64_t fail_bad_key(vm::RunContext &ctx, uint64_t, uint64_t, uint64_t,
                      uint64_t, uint64_t) {
  ctx.fail(make_error(ErrorCode::InvalidInput, "bad key"));
  return 0;
}
uint64_t g_value = 0x5555;
uint64_t lookup(vm::RunContext &ctx, uint64_t, uint64_t, uint64_t, uint64_t,
                uint64_t) {
  const auto addr =
      static_cast<uint64_t>(reinterpret_cast<uintptr_t>(&g_value));
  ctx.add_region({addr, sizeof g_value, true});
  return addr;
}

struct ProgramRow {
  const char *name;
  std::vector<Insn> program;
  size_t memory_bytes = 16;
  std::vector<uint8_t> packet = {};
};

// Whole programs; each runs through both engines in every mode.
TEST(JitDifferential, Programs) {
  const ProgramRow rows[] = {
      {"xorshift loop",
       {alu64(AluOp::Mov, 0, I(0)),
        isa::LoadImm64{reg(2), isa::LddwKind::Imm, 0x12345, 0x6789},
        alu64(AluOp::Mov, 3, I(1000)),
        // x ^= x << 13; x ^= x >> 7; x ^= x << 17; sum += x
        alu64(AluOp::Mov, 4, R(2)), alu64(AluOp::Lsh, 4, I(13)),
        alu64(AluOp::Xor, 2, R(4)), alu64(AluOp::Mov, 4, R(2)),
        alu64(AluOp::Rsh, 4, I(7)), alu64(AluOp::Xor, 2, R(4)),
        alu64(AluOp::Mov, 4, R(2)), alu64(AluOp::Lsh, 4, I(17)),
        alu64(AluOp::Xor, 2, R(4)), alu64(AluOp::Add, 0, R(2)),
        alu64(AluOp::Sub, 3, I(1)), jmp(JumpCond::Ne, 3, I(0), -12),
        exit_insn()}},
      {"stack and memory",
       {st(Width::DW, 10, -8, I(-2)), ld(Width::W, 2, 10, -8),
        st(Width::H, 1, 2, R(2)), ld(Width::DW, 0, 1, 0),
        alu32(AluOp::Add, 0, R(2)), exit_insn()}},
      {"local calls keep r6-r9 and frames",
       {alu64(AluOp::Mov, 6, I(6)), st(Width::DW, 10, -8, I(11)),
        alu64(AluOp::Mov, 1, I(3)), call_local(4), ld(Width::DW, 2, 10, -8),
        alu64(AluOp::Add, 0, R(2)), alu64(AluOp::Add, 0, R(6)), exit_insn(),
        // f(r1): its own stack slot, r6 clobbered, recursion once
        st(Width::DW, 10, -8, R(1)), alu64(AluOp::Mov, 6, I(100)),
        jmp(JumpCond::Eq, 1, I(0), 3), alu64(AluOp::Sub, 1, I(1)),
        call_local(-5), ld(Width::DW, 1, 10, -8), alu64(AluOp::Mov, 0, R(1)),
        alu64(AluOp::Mul, 0, I(10)), exit_insn()}},
      {"helper stops the run",
       {alu64(AluOp::Mov, 0, I(1)), isa::Call{3}, alu64(AluOp::Mov, 0, I(2)),
        exit_insn()}},
      {"helper fails the run",
       {alu64(AluOp::Mov, 0, I(1)), isa::Call{4}, exit_insn()}},
      {"helper-added region",
       {isa::Call{5}, ld(Width::DW, 2, 0, 0), st(Width::DW, 0, 0, I(7)),
        ld(Width::DW, 3, 0, 0), st(Width::DW, 0, 0, R(2)),
        alu64(AluOp::Mov, 0, R(2)), alu64(AluOp::Add, 0, R(3)), exit_insn()}},
      {"packet loads, then out of bounds ends with r0 = 0",
       {isa::PacketLoad{Width::H, std::nullopt, 2}, alu64(AluOp::Mov, 6, R(0)),
        alu64(AluOp::Mov, 7, I(1)), isa::PacketLoad{Width::W, reg(7), 1},
        alu64(AluOp::Add, 0, R(6)), jmp(JumpCond::Gt, 0, I(100), 1),
        exit_insn(), isa::PacketLoad{Width::B, reg(7), 100}, exit_insn()},
       16,
       {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
      {"atomics on the stack and in memory",
       {st(Width::DW, 10, -8, I(5)), alu64(AluOp::Mov, 2, I(3)),
        isa::Atomic{isa::AtomicOp::Add, true, Width::DW, reg(10), -8, reg(2)},
        alu64(AluOp::Mov, 0, I(8)), alu64(AluOp::Mov, 3, I(9)),
        isa::Atomic{isa::AtomicOp::CmpXchg, true, Width::DW, reg(10), -8,
                    reg(3)},
        isa::Atomic{isa::AtomicOp::Or, true, Width::W, reg(1), 4, reg(0)},
        ld(Width::DW, 4, 10, -8), alu64(AluOp::Add, 0, R(4)),
        alu64(AluOp::Add, 0, R(2)), exit_insn()}},
  };
  vm::HelperTable helpers;
  ASSERT_TRUE(helpers.set(3, stop_with_42).ok());
  ASSERT_TRUE(helpers.set(4, fail_bad_key).ok());
  ASSERT_TRUE(helpers.set(5, lookup).ok());
  for (const ProgramRow &row : rows) {
    SCOPED_TRACE(row.name);
    RunSetup setup;
    setup.memory.assign(row.memory_bytes, 0x5a);
    setup.packet = row.packet;
    setup.helpers = &helpers;
    g_value = 0x5555;
    compare_engines(row.program, setup);
  }
}

} // namespace
} // namespace bpfhost::jit::test
