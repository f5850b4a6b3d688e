// Program::load: what it refuses, with the instruction named, and the helper
// table's limits.
#include <gtest/gtest.h>

#include <cstdint>

#include "vm_test_util.hpp"

namespace bpfhost::vm::test {
namespace {

using isa::LddwKind;

Insn lddw_kind(LddwKind kind) { return isa::LoadImm64{reg(1), kind, 3, 0}; }

TEST(VmLoad, RefusesWhatTheLoaderMustResolve) {
  struct Case {
    const char *name;
    std::vector<Insn> program;
    ErrorCode code;
    std::string error;
  };
  const Case cases[] = {
      {"map fd",
       {mov64(0, I(0)), lddw_kind(LddwKind::MapFd), exit_insn()},
       ErrorCode::InvalidInput,
       "insn 1: lddw with pseudo source 1 (map fd) must be resolved to a plain "
       "64-bit immediate "
       "before execution"},
      {"map value",
       {lddw_kind(LddwKind::MapValue), exit_insn()},
       ErrorCode::InvalidInput,
       "insn 0: lddw with pseudo source 2 (map value) must be resolved to a "
       "plain 64-bit immediate "
       "before execution"},
      {"map index",
       {lddw_kind(LddwKind::MapIdx), exit_insn()},
       ErrorCode::InvalidInput,
       "insn 0: lddw with pseudo source 5 (map index) must be resolved to a "
       "plain 64-bit immediate "
       "before execution"},
      {"kfunc",
       {isa::CallBtf{7}, exit_insn()},
       ErrorCode::NotSupported,
       "insn 0: kfunc calls (call by BTF id) are not supported by the "
       "interpreter"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    auto program = Program::load(encode(c.program));
    ASSERT_FALSE(program);
    EXPECT_EQ(program.error().code, c.code);
    EXPECT_EQ(program.error().to_string(), c.error);
  }
}

// Structural errors come from isa::validate, whose messages its own tests
// pin down; here only that load passes them on.
TEST(VmLoad, PassesOnValidationErrors) {
  EXPECT_FALSE(Program::load({}));
  auto falls_off = Program::load(encode({mov64(0, I(0))}));
  ASSERT_FALSE(falls_off);
  EXPECT_EQ(falls_off.error().code, ErrorCode::InvalidInput);
  auto writes_r10 = Program::load(encode({mov64(10, I(0)), exit_insn()}));
  ASSERT_FALSE(writes_r10);
  EXPECT_NE(writes_r10.error().to_string().find("insn 0"), std::string::npos)
      << writes_r10.error().to_string();
}

TEST(VmLoad, KeepsSlotCount) {
  auto program = Program::load(encode({lddw(0, 1), exit_insn()}));
  ASSERT_TRUE(program);
  EXPECT_EQ(program->slot_count(), 3u);
  EXPECT_EQ(program->function_count(), 1u);
}

uint64_t nothing(RunContext &, uint64_t, uint64_t, uint64_t, uint64_t,
                 uint64_t) {
  return 0;
}

TEST(VmLoad, HelperTableIds) {
  HelperTable table;
  EXPECT_TRUE(table.set(0, nothing));
  EXPECT_TRUE(table.set(HelperTable::kMaxId - 1, nothing));
  auto negative = table.set(-1, nothing);
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().to_string(), "helper id -1 is outside [0, 65536)");
  EXPECT_FALSE(table.set(HelperTable::kMaxId, nothing));
  EXPECT_EQ(table.find(0), &nothing);
  EXPECT_EQ(table.find(1), nullptr);
  EXPECT_EQ(table.find(-5), nullptr);
  EXPECT_EQ(table.find(HelperTable::kMaxId), nullptr);
}

} // namespace
} // namespace bpfhost::vm::test
