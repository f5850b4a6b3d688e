// CompiledProgram: refusals at compile time, lazy and concurrent code
// generation, and a rough compile-time figure (printed, never asserted:
// speed lives in bench/).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "engines.hpp"

namespace bpfhost::jit::test {
namespace {

using isa::RawInsn;

TEST(JitCompile, RefusesWhatTheLoaderMustResolve) {
  struct Row {
    const char *name;
    std::vector<RawInsn> slots;
    ErrorCode code;
    const char *text;
  };
  const Row rows[] = {
      {"lddw map fd",
       {RawInsn::make(0x18, 1, 1, 0, 3), RawInsn::make(0, 0, 0, 0, 0),
        RawInsn::make(0x95, 0, 0, 0, 0)},
       ErrorCode::InvalidInput,
       "insn 0: lddw with pseudo source 1 must be resolved"},
      {"kfunc",
       {RawInsn::make(0x85, 0, 2, 0, 7), RawInsn::make(0x95, 0, 0, 0, 0)},
       ErrorCode::NotSupported,
       "insn 0: kfunc calls"},
      {"falls off the end",
       {RawInsn::make(0xb7, 0, 0, 0, 1)},
       ErrorCode::InvalidInput,
       "fall off the end"},
      {"empty", {}, ErrorCode::InvalidInput, ""},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    auto program = CompiledProgram::compile(row.slots);
    ASSERT_FALSE(program.ok());
    EXPECT_EQ(program.error().code, row.code);
    EXPECT_NE(program.error().to_string().find(row.text), std::string::npos)
        << program.error().to_string();
  }
}

// A straight-line program of `n` slots mixing ALU, memory and jumps.
std::vector<RawInsn> mixed_program(size_t n) {
  std::vector<RawInsn> slots;
  for (size_t i = 0; slots.size() + 2 < n; ++i) {
    switch (i % 6) {
    case 0:
      slots.push_back(RawInsn::make(0x07, 0, 0, 0, 3)); // add r0, 3
      break;
    case 1:
      slots.push_back(RawInsn::make(0x7b, 10, 0, -8, 0)); // stxdw [r10-8], r0
      break;
    case 2:
      slots.push_back(RawInsn::make(0x79, 2, 10, -8, 0)); // ldxdw r2, [r10-8]
      break;
    case 3:
      slots.push_back(RawInsn::make(0x2f, 0, 2, 0, 0)); // mul r0, r2
      break;
    case 4:
      slots.push_back(RawInsn::make(0x15, 0, 0, 1, 7)); // jeq r0, 7, +1
      break;
    default:
      slots.push_back(RawInsn::make(0xac, 0, 2, 0, 0)); // xor32 r0, r2
      break;
    }
  }
  slots.push_back(RawInsn::make(0xb7, 0, 0, 0, 0));
  slots.push_back(RawInsn::make(0x95, 0, 0, 0, 0));
  return slots;
}

TEST(JitCompile, GeneratesEachVariantOnceAndLazily) {
  auto program = CompiledProgram::compile(mixed_program(100));
  ASSERT_TRUE(program.ok()) << program.error().to_string();
  for (CodeVariant v :
       {CodeVariant::Checked, CodeVariant::Unchecked, CodeVariant::Counting})
    EXPECT_EQ(program->code_size(v), 0u);
  ASSERT_TRUE(program->prepare(CodeVariant::Unchecked).ok());
  EXPECT_GT(program->code_size(CodeVariant::Unchecked), 0u);
  EXPECT_EQ(program->code_size(CodeVariant::Checked), 0u);
  // Checked code is larger: it carries the checks.
  ASSERT_TRUE(program->prepare(CodeVariant::Checked).ok());
  EXPECT_GT(program->code_size(CodeVariant::Checked),
            program->code_size(CodeVariant::Unchecked));
}

TEST(JitCompile, RunsConcurrentlyFromManyThreads) {
  auto program = CompiledProgram::compile(mixed_program(200));
  ASSERT_TRUE(program.ok());
  const CompiledProgram shared = *program;
  std::vector<std::thread> threads;
  std::vector<uint64_t> results(4, 1);
  for (size_t t = 0; t < results.size(); ++t)
    threads.emplace_back([&, t] {
      vm::RunEnv env;
      env.mode = t % 2 ? vm::MemoryMode::Checked : vm::MemoryMode::Unchecked;
      for (int i = 0; i < 100; ++i) {
        auto r = run(shared, env);
        results[t] = r ? *r : 99;
      }
    });
  for (auto &t : threads)
    t.join();
  for (uint64_t r : results)
    EXPECT_EQ(r, 0u);
}

// Prints the time to compile and generate a 1,000-instruction program
// (target: at most 100 µs). Not a timed test: it never fails on speed.
TEST(JitCompile, ReportsCompileTimeOf1000Instructions) {
  const auto slots = mixed_program(1000);
  constexpr int kRounds = 200;
  for (CodeVariant v : {CodeVariant::Unchecked, CodeVariant::Checked}) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kRounds; ++i) {
      auto program = CompiledProgram::compile(slots);
      ASSERT_TRUE(program.ok());
      ASSERT_TRUE(program->prepare(v).ok());
    }
    const auto us = std::chrono::duration<double, std::micro>(
                        std::chrono::steady_clock::now() - start)
                        .count() /
                    kRounds;
    std::printf("compile + generate 1000 insns (%s): %.1f us\n",
                v == CodeVariant::Checked ? "checked" : "unchecked", us);
  }
}

} // namespace
} // namespace bpfhost::jit::test
