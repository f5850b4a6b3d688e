// The verifier end to end on assembler input, from the entry state a real
// program gets (r1 the context, r10 the stack): one row per safety rule,
// pinning the instruction and the class of the failure.
#include <gtest/gtest.h>

#include "isa/asm_parse.hpp"
#include "verifier/analyzer.hpp"
#include "verifier/wto.hpp"

namespace bpfhost::verifier {
namespace {

using A = ArgKind;

const HelperPrototype kHelpers[] = {
    {1,
     "map_lookup_elem",
     ReturnKind::PtrToMapValueOrNull,
     {A::PtrToMap, A::PtrToMapKey},
     0,
     0},
    {44,
     "adjust_head",
     ReturnKind::Integer,
     {A::PtrToCtx, A::Anything},
     kHelperReallocatesPacket,
     0},
};
const MapDescriptor kMaps[] = {{1, 1, 4, 8, 16, MapValueKind::Plain}};

// A context like xdp_md: 32-bit packet start, end and meta pointers.
PlatformSpec platform() {
  PlatformSpec p;
  p.context.size = 24;
  p.context.data_offset = 0;
  p.context.data_end_offset = 4;
  p.context.meta_offset = 8;
  p.helpers = kHelpers;
  p.helper_count = 2;
  p.maps = kMaps;
  p.map_count = 1;
  p.check_return_range = true;
  p.return_min = 0;
  p.return_max = 4;
  return p;
}

struct Row {
  const char *name;
  const char *code;
  int64_t error_slot; // -1: verifies
  const char *message = "";
  bool termination = false;
};

const Row kRows[] = {
    {"packet access after bounds check",
     "r0 = 0\n r2 = *(u32 *)(r1 + 0)\n r3 = *(u32 *)(r1 + 4)\n r4 = r2\n r4 += "
     "14\n"
     "if r4 > r3 goto +2\n r0 = *(u8 *)(r2 + 13)\n r0 &= 3\n exit",
     -1},
    {"packet access one byte past the check",
     "r0 = 0\n r2 = *(u32 *)(r1 + 0)\n r3 = *(u32 *)(r1 + 4)\n r4 = r2\n r4 += "
     "14\n"
     "if r4 > r3 goto +2\n r0 = *(u8 *)(r2 + 14)\n r0 = 0\n exit",
     6, "packet_size"},
    {"packet access without check",
     "r2 = *(u32 *)(r1 + 0)\n r0 = *(u8 *)(r2 + 0)\n r0 = 0\n exit", 1,
     "packet_size"},
    {"map value null check",
     "*(u32 *)(r10 - 4) = 0\n r2 = r10\n r2 += -4\n r1 = map_fd 1\n"
     "call 1\n if r0 == 0 goto +1\n r0 = *(u64 *)(r0 + 0)\n r0 = 0\n exit",
     -1},
    {"map value without null check",
     "*(u32 *)(r10 - 4) = 0\n r2 = r10\n r2 += -4\n r1 = map_fd 1\n"
     "call 1\n r0 = *(u64 *)(r0 + 0)\n r0 = 0\n exit",
     6, "null"},
    {"map value overrun",
     "*(u32 *)(r10 - 4) = 0\n r2 = r10\n r2 += -4\n r1 = map_fd 1\n"
     "call 1\n if r0 == 0 goto +1\n r0 = *(u64 *)(r0 + 4)\n r0 = 0\n exit",
     7, "shared_region_size"},
    {"uninitialised map key",
     "r2 = r10\n r2 += -4\n r1 = map_fd 1\n call 1\n r0 = 0\n exit", 4,
     "non-numerical"},
    {"stack below the frame", "*(u8 *)(r10 - 513) = 1\n r0 = 0\n exit", 0,
     "Lower bound"},
    {"r0 unwritten at exit", "exit", 0, "Invalid type"},
    {"return value out of range", "r0 = 7\n exit", 1, "Return value"},
    {"pointer leaked into map value",
     "*(u32 *)(r10 - 4) = 0\n r2 = r10\n r2 += -4\n r1 = map_fd 1\n"
     "call 1\n if r0 == 0 goto +1\n *(u64 *)(r0 + 0) = r10\n r0 = 0\n exit",
     7, "externally-visible"},
    {"spilled packet pointer keeps its type",
     "r2 = *(u32 *)(r1 + 0)\n r3 = *(u32 *)(r1 + 4)\n *(u64 *)(r10 - 8) = r2\n"
     "r4 = r2\n r4 += 1\n if r4 > r3 goto +2\n r5 = *(u64 *)(r10 - 8)\n"
     "r0 = *(u8 *)(r5 + 0)\n r0 = 0\n exit",
     -1},
    {"packet pointer dies when the helper reallocates",
     "r6 = r1\n r2 = *(u32 *)(r1 + 0)\n r7 = *(u32 *)(r1 + 4)\n r8 = r2\n r8 "
     "+= 1\n"
     "if r8 > r7 goto +4\n r1 = r6\n r2 = 0\n call 44\n r0 = *(u8 *)(r8 - 1)\n "
     "r0 = 0\n exit",
     9, "Invalid type"},
    {"mask bounds an index",
     "r2 = *(u32 *)(r1 + 16)\n r2 &= 7\n r3 = r10\n r3 += -8\n"
     "*(u64 *)(r10 - 8) = 0\n r3 += r2\n r0 = *(u8 *)(r3 + 0)\n r0 = 0\n exit",
     -1},
    {"bounded loop terminates",
     "r0 = 0\n r1 = 0\n r1 += 1\n r0 += 2\n if r1 < 10 goto -3\n r0 = 0\n exit",
     -1, "", true},
    {"unbounded loop", "r0 = 0\n r0 += 1\n if r0 != 0 goto -2\n exit", 1,
     "Loop counter", true},
    {"division by a possibly-zero register is defined",
     "r2 = *(u32 *)(r1 + 16)\n r0 = 10\n r0 /= r2\n r0 = 1\n exit", -1},
    {"copying r10 is allowed", "r0 = r10\n r0 = 1\n exit", -1},
};

TEST(Engine, SafetyRules) {
  const PlatformSpec p = platform();
  for (const Row &row : kRows) {
    SCOPED_TRACE(row.name);
    auto slots = isa::assemble(row.code, isa::Syntax::Bpftool);
    ASSERT_TRUE(slots.ok()) << slots.error().to_string();
    auto program = make_program(*slots);
    ASSERT_TRUE(program.ok()) << program.error().to_string();
    VerifyOptions options;
    options.termination = row.termination;
    auto result = verify(*program, p, options);
    ASSERT_TRUE(result.ok()) << result.error().to_string();
    std::string all;
    for (const Diagnostic &d : result->errors)
      all += d.to_string() + "\n";
    if (row.error_slot < 0) {
      EXPECT_TRUE(result->verified) << all;
      continue;
    }
    ASSERT_FALSE(result->errors.empty());
    EXPECT_EQ(result->errors.front().slot, row.error_slot) << all;
    EXPECT_NE(all.find(row.message), std::string::npos) << all;
  }
}

TEST(Engine, RecursionAndDepthAreRejectedCleanly) {
  const PlatformSpec p = platform();
  for (const char *code :
       {"<f>:\n call <f>\n exit",
        "call <g>\n exit\n <g>:\n call <h>\n exit\n <h>:\n call <g>\n exit"}) {
    auto slots = isa::assemble(code, isa::Syntax::Bpftool);
    ASSERT_TRUE(slots.ok());
    auto program = make_program(*slots);
    ASSERT_TRUE(program.ok());
    auto result = verify(*program, p, VerifyOptions{});
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::Unsafe);
    EXPECT_NE(result.error().message.find("recursion"), std::string::npos);
  }
}

TEST(Engine, WtoNestsLoops) {
  auto slots = isa::assemble("r0 = 0\n r1 = 0\n r1 += 1\n r2 = 0\n r2 += 1\n"
                             "if r2 < 3 goto -2\n if r1 < 3 goto -5\n exit",
                             isa::Syntax::Bpftool);
  ASSERT_TRUE(slots.ok());
  auto program = make_program(*slots);
  auto cfg = build_cfg(*program, VerifyOptions{});
  ASSERT_TRUE(cfg.ok());
  const Wto wto = build_wto(*cfg);
  EXPECT_EQ(wto_heads(wto).size(), 2u);
}

} // namespace
} // namespace bpfhost::verifier
