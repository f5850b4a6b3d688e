// Checked-mode faults: the JIT ends the run with the interpreter's error,
// word for word, naming the same instruction.
#include <gtest/gtest.h>

#include "engines.hpp"

namespace bpfhost::jit::test {
namespace {

using isa::AluOp;
using isa::Insn;
using isa::Width;

isa::Reg reg(int r) { return isa::Reg{static_cast<uint8_t>(r)}; }
Insn mov(int dst, int32_t v) {
  return isa::Alu{AluOp::Mov, reg(dst), isa::Imm{v}, true};
}
Insn exit_insn() { return isa::Exit{}; }

struct FaultRow {
  const char *name;
  std::vector<Insn> program;
  ErrorCode code;
  const char *location;
  uint64_t budget = vm::kDefaultInsnBudget;
};

TEST(JitErrors, MatchTheInterpreter) {
  const FaultRow rows[] = {
      {"read past the region",
       {isa::Load{reg(0), reg(1), 16, Width::DW, false}, exit_insn()},
       ErrorCode::Unsafe,
       "insn 0"},
      {"write below the frame",
       {isa::Store{reg(10), -520, Width::W, isa::Imm{1}}, mov(0, 0),
        exit_insn()},
       ErrorCode::Unsafe,
       "insn 0"},
      {"write above the stack",
       {mov(0, 0), isa::Store{reg(10), 0, Width::B, isa::Imm{1}}, exit_insn()},
       ErrorCode::Unsafe,
       "insn 1"},
      {"null pointer",
       {mov(2, 0), isa::Load{reg(0), reg(2), 0, Width::B, false}, exit_insn()},
       ErrorCode::Unsafe,
       "insn 1"},
      {"misaligned atomic",
       {mov(2, 1),
        isa::Atomic{isa::AtomicOp::Add, false, Width::W, reg(1), 2, reg(2)},
        mov(0, 0), exit_insn()},
       ErrorCode::Unsafe,
       "insn 1"},
      {"unknown helper",
       {isa::Call{77}, exit_insn()},
       ErrorCode::InvalidInput,
       "insn 0"},
      {"negative helper id",
       {isa::Call{-3}, exit_insn()},
       ErrorCode::InvalidInput,
       "insn 0"},
      {"callx out of range",
       {mov(3, 1000), isa::CallX{reg(3)}, exit_insn()},
       ErrorCode::InvalidInput,
       "insn 1"},
      {"endless recursion",
       {isa::CallLocal{-1}, exit_insn()},
       ErrorCode::OutOfRange,
       "insn 0"},
      {"stack too deep",
       {isa::Store{reg(10), -400, Width::DW, isa::Imm{1}}, isa::CallLocal{1},
        exit_insn(), isa::Store{reg(10), -200, Width::DW, isa::Imm{1}},
        mov(0, 0), exit_insn()},
       ErrorCode::OutOfRange,
       "insn 1"},
      {"budget",
       {mov(0, 0),
        isa::Jump{isa::JumpCond::Always, false, reg(0), isa::Imm{0}, -2}},
       ErrorCode::ResourceExhausted,
       "",
       1000},
  };
  for (const FaultRow &row : rows) {
    SCOPED_TRACE(row.name);
    RunSetup setup;
    setup.memory.assign(16, 0);
    setup.insn_budget = row.budget;
    const auto slots = isa::encode(row.program);
    const Outcome interp =
        run_engine(Engine::Interpreter, slots, vm::MemoryMode::Checked, setup);
    const Outcome jit =
        run_engine(Engine::Jit, slots, vm::MemoryMode::Checked, setup);
    ASSERT_TRUE(jit.error.has_value()) << describe(jit);
    EXPECT_EQ(jit.error->code, row.code) << jit.error->to_string();
    if (*row.location != 0) {
      EXPECT_EQ(jit.error->location, row.location);
    }
    expect_same(interp, jit);
  }
}

} // namespace
} // namespace bpfhost::jit::test
