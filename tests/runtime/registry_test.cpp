#include "runtime/registry.hpp"

#include <gtest/gtest.h>

#include "extensions/xdp/xdp.h"

namespace bpfhost::runtime {
namespace {

TEST(Registry, FindsProgramTypeBySectionAsLibbpfMatches) {
  ProgramTypeRegistry registry;
  ASSERT_TRUE(registry.add(bpfhost_xdp_program_type()).ok());
  struct Row {
    const char *section;
    bool found;
  };
  // libbpf 1.x refuses "xdp/foo" ("failed to guess program type").
  const Row rows[] = {{"xdp", true},        {"xdp.frags", true},
                      {"xdp/devmap", true}, {"xdp.frags/cpumap", true},
                      {"xdp/drop", false},  {"xdpx", false},
                      {"xdp_", false},      {"tc", false},
                      {"", false}};
  for (const auto &row : rows) {
    SCOPED_TRACE(row.section);
    auto type = registry.find_by_section(row.section);
    EXPECT_EQ(type.ok(), row.found);
    if (type.ok())
      EXPECT_STREQ((*type)->name, "xdp");
    else
      EXPECT_EQ(type.error().code, ErrorCode::NotSupported);
  }
}

TEST(Registry, RefusesDuplicatesAndUnknownAbiVersions) {
  ProgramTypeRegistry registry;
  ASSERT_TRUE(registry.add(bpfhost_xdp_program_type()).ok());
  EXPECT_EQ(registry.add(bpfhost_xdp_program_type()).error().code,
            ErrorCode::AlreadyExists);
  bpfhost_program_type future = *bpfhost_xdp_program_type();
  future.abi_version = 99;
  future.name = "future";
  EXPECT_EQ(registry.add(&future).error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(registry.find_by_name("xdp").value(), bpfhost_xdp_program_type());
  EXPECT_FALSE(registry.find_by_name("future").ok());
}

TEST(Registry, XdpContextMatchesLinuxXdpMd) {
  // struct xdp_md: six __u32 fields in this order (uapi <linux/bpf.h>).
  const auto *xdp = bpfhost_xdp_program_type();
  EXPECT_EQ(xdp->linux_prog_type, 6u); // BPF_PROG_TYPE_XDP
  EXPECT_EQ(xdp->ctx_size, 24u);
  const char *names[] = {"data",           "data_end",
                         "data_meta",      "ingress_ifindex",
                         "rx_queue_index", "egress_ifindex"};
  for (uint32_t i = 0; i < 6; ++i) {
    SCOPED_TRACE(names[i]);
    ASSERT_LT(i, xdp->field_count);
    EXPECT_STREQ(xdp->fields[i].name, names[i]);
    EXPECT_EQ(xdp->fields[i].offset, 4 * i);
    EXPECT_EQ(xdp->fields[i].size, 4u);
    EXPECT_LE(xdp->fields[i].host_offset + xdp->fields[i].host_size,
              xdp->host_ctx_size);
  }
}

} // namespace
} // namespace bpfhost::runtime
