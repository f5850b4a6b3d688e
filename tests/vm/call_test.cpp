// BPF-to-BPF calls (frames, callee-saved registers, stacks), helper calls
// through the table, callx, and what helpers can do with the RunContext.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "vm_test_util.hpp"

namespace bpfhost::vm::test {
namespace {

using isa::AluOp;
using isa::JumpCond;
using isa::Width;

uint64_t sum_args(RunContext &, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                  uint64_t e) {
  return a + b + c + d + e;
}
// bpf_conformance's "unwind" helper: returning 0 ends the program.
uint64_t unwind(RunContext &ctx, uint64_t a, uint64_t, uint64_t, uint64_t,
                uint64_t) {
  if (a == 0)
    ctx.stop(0);
  return a;
}
uint64_t stop_with_42(RunContext &ctx, uint64_t, uint64_t, uint64_t, uint64_t,
                      uint64_t) {
  ctx.stop(42);
  return 0;
}
uint64_t fail_bad_key(RunContext &ctx, uint64_t, uint64_t, uint64_t, uint64_t,
                      uint64_t) {
  ctx.fail(make_error(ErrorCode::InvalidInput, "bad key"));
  return 0;
}
uint64_t read_user_data(RunContext &ctx, uint64_t, uint64_t, uint64_t, uint64_t,
                        uint64_t) {
  return *static_cast<uint64_t *>(ctx.user_data());
}
// Like a map lookup: returns a pointer the program may then use.
uint64_t g_value = 0x5555;
uint64_t lookup_registered(RunContext &ctx, uint64_t, uint64_t, uint64_t,
                           uint64_t, uint64_t) {
  const auto addr =
      static_cast<uint64_t>(reinterpret_cast<uintptr_t>(&g_value));
  ctx.add_region({addr, sizeof g_value, true});
  return addr;
}
uint64_t lookup_unregistered(RunContext &, uint64_t, uint64_t, uint64_t,
                             uint64_t, uint64_t) {
  return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(&g_value));
}
// Like a helper writing 8 bytes at its first argument.
uint64_t write_arg(RunContext &ctx, uint64_t p, uint64_t, uint64_t, uint64_t,
                   uint64_t) {
  if (auto ok = ctx.check_access(p, 8, true); !ok) {
    ctx.fail(ok.error());
    return 0;
  }
  const uint64_t v = 0x77;
  std::memcpy(reinterpret_cast<void *>(static_cast<uintptr_t>(p)), &v,
              sizeof v);
  return 0;
}

HelperTable make_helpers() {
  HelperTable t;
  EXPECT_TRUE(t.set(1, sum_args));
  EXPECT_TRUE(t.set(5, unwind));
  EXPECT_TRUE(t.set(6, stop_with_42));
  EXPECT_TRUE(t.set(7, fail_bad_key));
  EXPECT_TRUE(t.set(8, read_user_data));
  EXPECT_TRUE(t.set(9, lookup_registered));
  EXPECT_TRUE(t.set(10, lookup_unregistered));
  EXPECT_TRUE(t.set(11, write_arg));
  return t;
}

struct CallCase {
  const char *name;
  std::vector<Insn> program;
  std::optional<uint64_t> r0;
  std::string error; // when r0 is empty: the checked run's error
};

const HelperTable kHelpers = make_helpers();
uint64_t g_user_data = 1234;

const Insn kCallxR2 = isa::CallX{reg(2)};

const CallCase kCases[] = {
    {"helper gets r1..r5",
     {mov64(1, I(1)), mov64(2, I(2)), mov64(3, I(3)), mov64(4, I(4)),
      mov64(5, I(5)), call(1), exit_insn()},
     15,
     ""},
    {"callx", {mov64(1, I(20)), mov64(2, I(1)), kCallxR2, exit_insn()}, 21, ""},
    {"unwind helper returning non-zero",
     {mov64(1, I(-1)), call(5), mov64(0, I(2)), exit_insn()},
     2,
     ""},
    {"unwind helper returning zero",
     {mov64(1, I(0)), call(5), mov64(0, I(2)), exit_insn()},
     0,
     ""},
    {"helper stops the program",
     {call(6), mov64(0, I(2)), exit_insn()},
     42,
     ""},
    {"helper fails the run",
     {mov64(0, I(0)), mov64(1, I(0)), call(7), exit_insn()},
     std::nullopt,
     "insn 2: bad key"},
    {"helper sees user data", {call(8), exit_insn()}, 1234, ""},
    {"helper registers a region",
     {call(9), ldx(Width::DW, 0, 0, 0), exit_insn()},
     0x5555,
     ""},
    {"helper checks a stack argument",
     {mov64(1, R(10)), alu64(AluOp::Add, 1, I(-8)), call(11),
      ldx(Width::DW, 0, 10, -8), exit_insn()},
     0x77,
     ""},
    {"unknown helper",
     {call(99), exit_insn()},
     std::nullopt,
     "insn 0: call to unknown helper 99"},
    {"negative helper id",
     {call(-1), exit_insn()},
     std::nullopt,
     "insn 0: call to unknown helper -1"},
    {"unknown callx id",
     {mov64(2, I(1000)), kCallxR2, exit_insn()},
     std::nullopt,
     "insn 1: call to unknown helper 1000"},
    {"callx id in a hole of the table",
     {mov64(2, I(2)), kCallxR2, exit_insn()},
     std::nullopt,
     "insn 1: call to unknown helper 2"},
    {"helper pointer not registered",
     {call(10), ldx(Width::DW, 0, 0, 0), exit_insn()},
     std::nullopt,
     "insn 1: invalid read of 8 bytes at " + hex_of(&g_value) +
         ": outside the stack and every memory region"},
    {"helper argument check fails",
     {mov64(1, I(64)), call(11), exit_insn()},
     std::nullopt,
     "insn 1: invalid write of 8 bytes at 0x40: outside the stack and every "
     "memory region"},
};

TEST(VmCall, Helpers) {
  for (const CallCase &c : kCases) {
    SCOPED_TRACE(c.name);
    const Outcome out =
        run_all(c.program, {.helpers = &kHelpers, .user_data = &g_user_data});
    EXPECT_EQ(out.r0, c.r0) << out.error;
    EXPECT_EQ(out.error, c.error);
  }
}

} // namespace
} // namespace bpfhost::vm::test
