#include "platform/process.hpp"

#include "platform/test_dir.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <vector>

namespace bpfhost::platform {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Generous for a loaded machine (or Wine); the tests never wait this long when
// things work.
constexpr milliseconds kPatience = seconds(60);

std::filesystem::path child_path() {
  return test::test_dir() / BPFHOST_TEST_CHILD;
}

Result<ChildOutput> run_child(const std::vector<std::string> &args,
                              std::string_view input = {},
                              SpawnOptions options = {}) {
  BPFHOST_TRY(child, spawn(child_path(), args, options));
  return child.communicate(input, kPatience);
}

TEST(ProcessTest, PipesStdinToStdoutStepByStep) {
  auto child = spawn(child_path(), {"cat"});
  ASSERT_TRUE(child.ok()) << child.error().to_string();
  EXPECT_GT(child->id(), 0);
  ASSERT_TRUE(child->write_stdin("hello, ").ok());
  ASSERT_TRUE(child->write_stdin("child").ok());
  child->close_stdin();
  child->close_stdin();
  EXPECT_FALSE(child->write_stdin("late").ok());
  auto output = child->read_stdout();
  ASSERT_TRUE(output.ok()) << output.error().to_string();
  EXPECT_EQ(*output, "hello, child");
  auto status = child->wait(kPatience);
  ASSERT_TRUE(status.ok()) << status.error().to_string();
  EXPECT_TRUE(status->success());
  auto again = child->wait(kPatience);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *status);
}

TEST(ProcessTest, CommunicateMovesMoreThanAPipeHolds) {
  std::string input(3 << 20, '\0');
  for (std::size_t i = 0; i < input.size(); ++i)
    input[i] = static_cast<char>(i * 7 + i / 4096);
  auto result = run_child({"cat"}, input);
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_TRUE(result->status.success());
  EXPECT_EQ(result->stdout_data.size(), input.size());
  EXPECT_TRUE(result->stdout_data == input);
}

TEST(ProcessTest, ChildThatIgnoresItsInputStillCompletes) {
  auto result = run_child({"big", "1000000"}, std::string(1 << 20, 'i'));
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_TRUE(result->status.success());
  EXPECT_EQ(result->stdout_data, std::string(1000000, 'x'));
}

TEST(ProcessTest, PassesArgumentsVerbatim) {
  struct Case {
    const char *name;
    std::vector<std::string> args;
  } cases[] = {
      {"plain", {"a", "b"}},
      {"spaces", {"a b", " c ", "\td"}},
      {"empty", {"", "x", ""}},
      {"quotes", {"say \"hi\"", "\"", "\"\""}},
      {"backslashes", {"C:\\dir\\", "a\\\\\"b", "\\\\server\\share", "end\\"}},
      {"punctuation", {"*", "?", "$HOME", "a;b", "a|b", "%PATH%"}},
  };
  for (const Case &row : cases) {
    SCOPED_TRACE(row.name);
    std::vector<std::string> args{"args"};
    std::string expected;
    for (const std::string &arg : row.args) {
      args.push_back(arg);
      expected += "[" + arg + "]\n";
    }
    auto result = run_child(args);
    ASSERT_TRUE(result.ok()) << result.error().to_string();
    EXPECT_TRUE(result->status.success());
    EXPECT_EQ(result->stdout_data, expected);
  }
}

TEST(ProcessTest, ReportsExitCodes) {
  for (int code : {0, 1, 3, 42, 255}) {
    SCOPED_TRACE(code);
    auto result = run_child({"exit", std::to_string(code)});
    ASSERT_TRUE(result.ok()) << result.error().to_string();
    EXPECT_EQ(result->status, (ExitStatus{code, 0, false}));
    EXPECT_EQ(result->status.success(), code == 0);
  }
}

TEST(ProcessTest, ReportsDeathBySignal) {
  auto result = run_child({"signal"});
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_FALSE(result->status.success());
#ifdef _WIN32
  EXPECT_EQ(result->status,
            (ExitStatus{3, 0, false})); // the C runtime's SIGTERM default
#else
  EXPECT_EQ(result->status, (ExitStatus{0, SIGTERM, false}));
#endif
}

TEST(ProcessTest, KillsAChildThatOutlivesItsTimeout) {
  auto child = spawn(child_path(), {"sleep", "120000"});
  ASSERT_TRUE(child.ok()) << child.error().to_string();
  const auto start = std::chrono::steady_clock::now();
  auto status = child->wait(milliseconds(200));
  ASSERT_TRUE(status.ok()) << status.error().to_string();
  EXPECT_TRUE(status->timed_out);
  EXPECT_FALSE(status->success());
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(30));
  auto output = child->read_stdout();
  ASSERT_TRUE(output.ok()) << output.error().to_string();
  EXPECT_EQ(*output, "");
}

TEST(ProcessTest, CommunicateKillsAChildThatOutlivesItsTimeout) {
  auto child = spawn(child_path(), {"sleep", "120000"});
  ASSERT_TRUE(child.ok()) << child.error().to_string();
  auto result = child->communicate("ignored", milliseconds(200));
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_TRUE(result->status.timed_out);
}

TEST(ProcessTest, DestructorKillsAnUnwaitedChild) {
  auto child = spawn(child_path(), {"sleep", "120000"});
  ASSERT_TRUE(child.ok()) << child.error().to_string();
  ChildProcess moved = std::move(child).value();
  EXPECT_EQ(child->id(), -1); // NOLINT: moved-from is empty
  // Leaving the scope must not wait two minutes.
}

TEST(ProcessTest, StartsInTheRequestedDirectory) {
  const auto dir = test::test_dir().parent_path();
  auto result = run_child({"cwd"}, {}, SpawnOptions{dir, true});
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_TRUE(result->status.success());
  std::error_code ec;
  EXPECT_TRUE(std::filesystem::equivalent(result->stdout_data, dir, ec))
      << result->stdout_data << " vs " << dir;
}

TEST(ProcessTest, CanDiscardStderr) {
  auto result = run_child({"stderr", "this line must not appear"}, {},
                          SpawnOptions{{}, false});
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_TRUE(result->status.success());
  EXPECT_EQ(result->stdout_data, "");
}

TEST(ProcessTest, SpawnErrorsNameWhatIsMissing) {
  const auto dir = test::test_dir();
  struct Case {
    const char *name;
    std::filesystem::path program;
    SpawnOptions options;
    std::string named; // must appear in the error
  } cases[] = {
      {"missing executable", dir / "no_such_program", {}, "no_such_program"},
      {"missing directory",
       child_path(),
       {dir / "no_such_dir", true},
       "no_such_dir"},
  };
  for (const Case &row : cases) {
    SCOPED_TRACE(row.name);
    auto child = spawn(row.program, {"exit", "0"}, row.options);
    ASSERT_FALSE(child.ok());
    EXPECT_EQ(child.error().code, ErrorCode::NotFound)
        << child.error().to_string();
    EXPECT_NE(child.error().to_string().find(row.named), std::string::npos)
        << child.error().to_string();
  }
}

TEST(ProcessTest, FindsTheRunningExecutable) {
  auto self = current_executable();
  ASSERT_TRUE(self.ok()) << self.error().to_string();
  EXPECT_TRUE(self->is_absolute());
  EXPECT_EQ(self->stem(), "platform_test");
}

} // namespace
} // namespace bpfhost::platform
