#include "platform/executable_memory.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#ifdef _WIN32
#include <windows.h>
#endif

namespace bpfhost::platform {
namespace {

// What the OS says the protection of the page at `address` is: "rw", "rx", ...
std::string protection_of(const void *address) {
#ifdef _WIN32
  MEMORY_BASIC_INFORMATION info{};
  VirtualQuery(address, &info, sizeof info);
  switch (info.Protect) {
  case PAGE_READWRITE:
    return "rw";
  case PAGE_EXECUTE_READ:
    return "rx";
  case PAGE_EXECUTE_READWRITE:
    return "rwx";
  }
  return "other";
#else
  std::ifstream maps("/proc/self/maps");
  const auto target = reinterpret_cast<std::uintptr_t>(address);
  for (std::string line; std::getline(maps, line);) {
    std::istringstream fields(line);
    std::uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::string perms;
    fields >> std::hex >> begin >> dash >> end >> perms;
    if (target >= begin && target < end) {
      std::string result;
      for (char c : perms.substr(0, 3))
        if (c != '-')
          result += c;
      return result;
    }
  }
  return "unmapped";
#endif
}

TEST(ExecutableMemoryTest, RoundsUpToWholePages) {
  const std::size_t page = ExecutableMemory::page_size();
  struct Case {
    std::size_t request, expected;
  } cases[] = {
      {1, page}, {page, page}, {page + 1, 2 * page}, {3 * page - 1, 3 * page}};
  for (const Case &row : cases) {
    SCOPED_TRACE(row.request);
    auto memory = ExecutableMemory::allocate(row.request);
    ASSERT_TRUE(memory.ok()) << memory.error().to_string();
    EXPECT_EQ(memory->size(), row.expected);
    EXPECT_EQ(memory->writable().size(), row.expected);
    EXPECT_FALSE(memory->executable());
    EXPECT_EQ(protection_of(memory->code()), "rw");
  }
}

TEST(ExecutableMemoryTest, RejectsImpossibleSizes) {
  struct Case {
    const char *name;
    std::size_t size;
    ErrorCode code;
  } cases[] = {
      {"zero", 0, ErrorCode::InvalidInput},
      {"overflows when rounded", SIZE_MAX, ErrorCode::OutOfRange},
  };
  for (const Case &row : cases) {
    SCOPED_TRACE(row.name);
    auto memory = ExecutableMemory::allocate(row.size);
    ASSERT_FALSE(memory.ok());
    EXPECT_EQ(memory.error().code, row.code);
  }
}

TEST(ExecutableMemoryTest, FlipsFromWritableToExecutableNeverBoth) {
  auto memory = ExecutableMemory::allocate(64);
  ASSERT_TRUE(memory.ok()) << memory.error().to_string();
  std::span<std::byte> bytes = memory->writable();
  std::fill(bytes.begin(), bytes.end(), std::byte{0xc3});
  ASSERT_TRUE(memory->make_executable().ok());
  EXPECT_TRUE(memory->executable());
  EXPECT_TRUE(memory->writable().empty());
  EXPECT_EQ(protection_of(memory->code()), "rx");
  EXPECT_TRUE(memory->make_executable().ok())
      << "a second call changes nothing";
  EXPECT_EQ(protection_of(memory->code()), "rx");
}

#if defined(__x86_64__) || defined(_M_X64)
TEST(ExecutableMemoryTest, RunsWrittenCode) {
  // mov eax, 42; ret
  const unsigned char code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};
  auto memory = ExecutableMemory::allocate(sizeof code);
  ASSERT_TRUE(memory.ok()) << memory.error().to_string();
  EXPECT_EQ(memory->function<int()>(), nullptr)
      << "not callable while writable";
  std::memcpy(memory->writable().data(), code, sizeof code);
  ASSERT_TRUE(memory->make_executable().ok());
  auto *answer = memory->function<int()>();
  ASSERT_NE(answer, nullptr);
  EXPECT_EQ(answer(), 42);
}
#endif

TEST(ExecutableMemoryTest, MovesOwnership) {
  auto allocated = ExecutableMemory::allocate(1);
  ASSERT_TRUE(allocated.ok());
  ExecutableMemory first = std::move(allocated).value();
  const void *code = first.code();
  ExecutableMemory second = std::move(first);
  EXPECT_EQ(first.code(), nullptr);
  EXPECT_EQ(first.size(), 0u);
  EXPECT_TRUE(first.writable().empty());
  EXPECT_FALSE(first.make_executable().ok());
  EXPECT_EQ(second.code(), code);
  ExecutableMemory third;
  third = std::move(second);
  EXPECT_EQ(third.code(), code);
  EXPECT_TRUE(third.make_executable().ok());
}

} // namespace
} // namespace bpfhost::platform
