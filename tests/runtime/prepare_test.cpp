#include "runtime/prepare.hpp"

#include <gtest/gtest.h>

#include "extensions/xdp/xdp.h"

namespace bpfhost::runtime {
namespace {

using isa::RawInsn;

constexpr uint8_t kLdxW = 0x61, kLdxDW = 0x79, kStxW = 0x63, kMov64 = 0xbf,
                  kCall = 0x85, kExit = 0x95, kMov64Imm = 0xb7;

RawInsn ldxw(uint8_t dst, uint8_t src, int16_t off) {
  return RawInsn::make(kLdxW, dst, src, off, 0);
}

TEST(RewriteCtx, RewritesLoadsThroughCopiesOfR1) {
  const auto &xdp = *bpfhost_xdp_program_type();
  std::vector<RawInsn> insns = {
      ldxw(2, 1, 0),                     // data
      RawInsn::make(kMov64, 6, 1, 0, 0), // r6 = r1
      RawInsn::make(kCall, 0, 0, 0, 5),  // clobbers r1..r5
      ldxw(3, 6, 4),                     // data_end through r6
      ldxw(4, 6, 12),                    // ingress_ifindex
      ldxw(5, 1, 0),                     // r1 is not ctx after call
      RawInsn::make(kMov64Imm, 0, 0, 0, 2),
      RawInsn::make(kExit, 0, 0, 0, 0)};
  auto rewritten = rewrite_ctx_access(insns, insns.size(), xdp, 24);
  ASSERT_TRUE(rewritten.ok()) << rewritten.error().to_string();
  EXPECT_EQ(insns[0], RawInsn::make(kLdxDW, 2, 1, 24 + 0, 0));
  EXPECT_EQ(insns[3], RawInsn::make(kLdxDW, 3, 6, 24 + 8, 0));
  EXPECT_EQ(insns[4].opcode, kLdxW); // a plain u32 value stays 32-bit
  EXPECT_EQ(insns[4].off, 24 + 24);
  EXPECT_EQ(insns[5], ldxw(5, 1, 0));
  EXPECT_EQ(*rewritten, (std::vector<bool>{true, false, false, true, true,
                                           false, false, false}));
}

TEST(RewriteCtx, RejectsBadContextAccesses) {
  const auto &xdp = *bpfhost_xdp_program_type();
  struct Row {
    const char *name;
    RawInsn insn;
    const char *message;
  };
  const Row rows[] = {
      {"unaligned", ldxw(2, 1, 2), "invalid bpf_context access off=2 size=4"},
      {"past end", ldxw(2, 1, 24), "invalid bpf_context access off=24 size=4"},
      {"narrow", RawInsn::make(0x69, 2, 1, 0, 0),
       "invalid bpf_context access off=0 size=2"},
      {"store", RawInsn::make(kStxW, 1, 2, 12, 0),
       "context field ingress_ifindex is read-only"},
  };
  for (const auto &row : rows) {
    SCOPED_TRACE(row.name);
    std::vector<RawInsn> insns = {row.insn, RawInsn::make(kExit, 0, 0, 0, 0)};
    auto rewritten = rewrite_ctx_access(insns, insns.size(), xdp, 24);
    ASSERT_FALSE(rewritten.ok());
    EXPECT_EQ(rewritten.error().to_string(),
              std::string("insn 0: ") + row.message);
  }
}

} // namespace
} // namespace bpfhost::runtime
