// Test helper: the few instructions the loader tests need, and a loader call
// that keeps the bytes alive for the views the result may hold.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "isa/raw_insn.hpp"
#include "object/load_object.hpp"

namespace bpfhost::object::testing {

using isa::RawInsn;

inline RawInsn mov(uint8_t dst, int32_t imm) {
  return RawInsn::make(0xb7, dst, 0, 0, imm);
}
inline RawInsn exit_insn() { return RawInsn::make(0x95, 0, 0, 0, 0); }
inline RawInsn call_local(int32_t imm) {
  return RawInsn::make(0x85, 0, 1, 0, imm);
}
inline RawInsn call_helper(int32_t id) {
  return RawInsn::make(0x85, 0, 0, 0, id);
}
// The two slots of lddw dst, with src and imms.
inline std::vector<RawInsn> lddw(uint8_t dst, uint8_t src, int32_t imm,
                                 int32_t next_imm = 0) {
  return {RawInsn::make(0x18, dst, src, 0, imm),
          RawInsn::make(0, 0, 0, 0, next_imm)};
}
inline std::vector<RawInsn> cat(std::vector<std::vector<RawInsn>> parts) {
  std::vector<RawInsn> out;
  for (auto &p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

// The error text of loading `bytes` as "t.o", or "" when it loads.
inline std::string load_error(const std::vector<uint8_t> &bytes) {
  auto result = load_object(bytes, "t.o");
  return result ? std::string() : result.error().to_string();
}

inline ObjectSpec load_ok(const std::vector<uint8_t> &bytes) {
  auto result = load_object(bytes, "t.o");
  EXPECT_TRUE(result.ok()) << result.error().to_string();
  return result ? std::move(result).value() : ObjectSpec{};
}

} // namespace bpfhost::object::testing
