// BPF-to-BPF calls: arguments, callee-saved r6..r9, one stack frame per call,
// the 8-frame limit and the 512-byte stack of a call chain.
#include <gtest/gtest.h>

#include <cstdint>

#include "vm_test_util.hpp"

namespace bpfhost::vm::test {
namespace {

using isa::AluOp;
using isa::JumpCond;
using isa::Width;

// main: r1 = depth; r0 = f(r1). f(n) = n == 0 ? 100 : f(n - 1) + 1, each
// level one more frame.
std::vector<Insn> recursion(int32_t depth) {
  return {mov64(1, I(depth)),
          call_local(1),
          exit_insn(),
          /* f, slot 3 */ jmp(JumpCond::Ne, 1, I(0), 2),
          mov64(0, I(100)),
          exit_insn(),
          alu64(AluOp::Sub, 1, I(1)),
          call_local(-5),
          alu64(AluOp::Add, 0, I(1)),
          exit_insn()};
}

struct LocalCallCase {
  const char *name;
  std::vector<Insn> program;
  std::optional<uint64_t> r0;
  std::string error; // the checked run's error when r0 is empty
};

const LocalCallCase kCases[] = {
    {"arguments in, r0 out, r6..r9 preserved",
     {mov64(1, I(1)), mov64(2, I(2)), mov64(3, I(3)), mov64(4, I(4)),
      mov64(5, I(5)), mov64(6, I(6)), mov64(7, I(7)), mov64(8, I(8)),
      mov64(9, I(9)), call_local(9),
      // r0 = r0 * 10000 + r6 * 1000 + r7 * 100 + r8 * 10 + r9
      alu64(AluOp::Mul, 0, I(10)), alu64(AluOp::Add, 0, R(6)),
      alu64(AluOp::Mul, 0, I(10)), alu64(AluOp::Add, 0, R(7)),
      alu64(AluOp::Mul, 0, I(10)), alu64(AluOp::Add, 0, R(8)),
      alu64(AluOp::Mul, 0, I(10)), alu64(AluOp::Add, 0, R(9)), exit_insn(),
      /* slot 19 */ mov64(0, R(1)), alu64(AluOp::Add, 0, R(2)),
      alu64(AluOp::Add, 0, R(3)), alu64(AluOp::Add, 0, R(4)),
      alu64(AluOp::Add, 0, R(5)), mov64(6, I(0)), mov64(7, I(0)),
      mov64(8, I(0)), mov64(9, I(0)), exit_insn()},
     156789,
     ""},
    {"each frame has its own stack",
     {st(Width::DW, 10, -8, I(1)), call_local(2), ldx(Width::DW, 0, 10, -8),
      exit_insn(),
      /* slot 4 */ st(Width::DW, 10, -8, I(2)), ldx(Width::DW, 0, 10, -8),
      exit_insn()},
     1,
     ""},
    {"callee writes the caller's stack through a pointer",
     {st(Width::DW, 10, -8, I(5)), mov64(1, R(10)), alu64(AluOp::Add, 1, I(-8)),
      call_local(2), ldx(Width::DW, 0, 10, -8), exit_insn(),
      /* slot 6 */ ldx(Width::DW, 2, 1, 0), alu64(AluOp::Add, 2, I(1)),
      st(Width::DW, 1, 0, R(2)), exit_insn()},
     6,
     ""},
    {"8 frames", recursion(6), 106, ""},
    {"9 frames", recursion(7), std::nullopt,
     "insn 7: call nesting exceeds 8 frames"},
    {"call chain of 512 stack bytes",
     {st(Width::DW, 10, -256, I(1)), call_local(1), exit_insn(),
      /* slot 3 */ st(Width::DW, 10, -256, I(2)), ldx(Width::DW, 0, 10, -256),
      exit_insn()},
     2,
     ""},
    {"call chain of 528 stack bytes",
     {st(Width::DW, 10, -256, I(1)), call_local(1), exit_insn(),
      /* slot 3 */ st(Width::DW, 10, -264, I(2)), ldx(Width::DW, 0, 10, -264),
      exit_insn()},
     std::nullopt,
     "insn 1: the call chain would use 528 bytes of stack, more than 512"},
    {"stack returns to the caller's frame",
     {call_local(4), call_local(3), st(Width::DW, 10, -256, I(3)),
      ldx(Width::DW, 0, 10, -256), exit_insn(),
      /* slot 5 */ st(Width::DW, 10, -256, I(2)), exit_insn()},
     3,
     ""},
};

TEST(VmLocalCall, Table) {
  for (const LocalCallCase &c : kCases) {
    SCOPED_TRACE(c.name);
    const Outcome out = run_all(c.program);
    EXPECT_EQ(out.r0, c.r0) << out.error;
    EXPECT_EQ(out.error, c.error);
  }
}

// The stack each function gets (see frame_layout.hpp for the policy).
TEST(VmLocalCall, FrameSizes) {
  struct Case {
    const char *name;
    std::vector<Insn> program;
    std::vector<std::pair<size_t, uint32_t>> frames; // first slot, bytes
  };
  const Case cases[] = {
      {"no stack", {mov64(0, I(0)), exit_insn()}, {{0, 0}}},
      {"deepest access rounded to 16",
       {st(Width::B, 10, -17, I(0)), ldx(Width::DW, 0, 10, -8), exit_insn()},
       {{0, 32}}},
      {"r10 escapes",
       {mov64(1, R(10)), mov64(0, I(0)), exit_insn()},
       {{0, 512}}},
      {"r10 stored",
       {st(Width::DW, 10, -8, R(10)), mov64(0, I(0)), exit_insn()},
       {{0, 512}}},
      {"comparing r10 does not escape",
       {jmp(JumpCond::Eq, 1, R(10), 0), st(Width::W, 10, -4, I(0)),
        mov64(0, I(0)), exit_insn()},
       {{0, 16}}},
      {"per function",
       {st(Width::DW, 10, -64, I(0)), call_local(1), exit_insn(),
        mov64(0, R(10)), exit_insn()},
       {{0, 64}, {3, 512}}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    auto program = Program::load(encode(c.program));
    ASSERT_TRUE(program) << program.error().to_string();
    EXPECT_EQ(program->function_count(), c.frames.size());
    for (const auto &[slot, bytes] : c.frames)
      EXPECT_EQ(program->frame_size_at(slot), bytes) << "slot " << slot;
  }
}

} // namespace
} // namespace bpfhost::vm::test
