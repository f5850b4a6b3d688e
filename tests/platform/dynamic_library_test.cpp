#include "platform/dynamic_library.hpp"

#include "platform/test_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace bpfhost::platform {
namespace {

TEST(DynamicLibraryTest, LoadsAndCallsAnExportedFunction) {
  const auto path = test::test_dir() / BPFHOST_TEST_MODULE;
  auto library = DynamicLibrary::open(path);
  ASSERT_TRUE(library.ok()) << library.error().to_string();
  EXPECT_EQ(library->path(), path);
  auto address = library->symbol("bpfhost_test_answer");
  ASSERT_TRUE(address.ok()) << address.error().to_string();
  auto *answer = reinterpret_cast<int (*)()>(*address);
  EXPECT_EQ(answer(), 42);

  DynamicLibrary moved = std::move(library).value();
  EXPECT_TRUE(moved.symbol("bpfhost_test_answer").ok());
}

TEST(DynamicLibraryTest, MissingSymbolNamesLibraryAndSymbol) {
  const auto path = test::test_dir() / BPFHOST_TEST_MODULE;
  auto library = DynamicLibrary::open(path);
  ASSERT_TRUE(library.ok()) << library.error().to_string();
  auto address = library->symbol("no_such_symbol");
  ASSERT_FALSE(address.ok());
  EXPECT_EQ(address.error().code, ErrorCode::NotFound);
  EXPECT_EQ(address.error().message, "no symbol 'no_such_symbol'");
  EXPECT_NE(address.error().to_string().find(BPFHOST_TEST_MODULE),
            std::string::npos);
}

TEST(DynamicLibraryTest, OpenErrorsNameThePath) {
  const auto dir = test::test_dir();
  const auto garbage = dir / "platform_test_not_a_library.bin";
  std::ofstream(garbage, std::ios::binary) << "this is not a shared library\n";
  struct Case {
    const char *name;
    std::filesystem::path path;
    ErrorCode code;
  } cases[] = {
      {"missing file", dir / "no_such_module.lib", ErrorCode::NotFound},
      {"not a library", garbage, ErrorCode::InvalidInput},
  };
  for (const Case &row : cases) {
    SCOPED_TRACE(row.name);
    auto library = DynamicLibrary::open(row.path);
    ASSERT_FALSE(library.ok());
    EXPECT_EQ(library.error().code, row.code);
    EXPECT_NE(library.error().location.find(row.path.filename().string()),
              std::string::npos)
        << library.error().to_string();
    EXPECT_NE(library.error().message.find("cannot load library: "),
              std::string::npos)
        << library.error().to_string();
  }
  std::filesystem::remove(garbage);
}

TEST(DynamicLibraryTest, EmptyObjectHasNoSymbols) {
  DynamicLibrary empty;
  auto address = empty.symbol("bpfhost_test_answer");
  ASSERT_FALSE(address.ok());
  EXPECT_EQ(address.error().code, ErrorCode::InvalidInput);
}

} // namespace
} // namespace bpfhost::platform
