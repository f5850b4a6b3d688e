// Drives bpfhost-conformance-plugin, as a separate process speaking the
// bpf_conformance protocol, with every file of the conformance corpus: the
// project's own .data parser and assembler turn each file into bytes, and the
// plugin's r0 must equal the file's expected result (compared as 64 bits).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "hex.hpp"
#include "isa/asm_parse.hpp"
#include "isa/data_file.hpp"
#include "platform/process.hpp"

namespace bpfhost {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

fs::path corpus_dir() {
  const char *env = std::getenv("BPFHOST_CORPUS");
  return fs::path(env ? env : BPFHOST_CORPUS_DIR) / "conformance";
}

bool under_ci() {
  const char *ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

std::vector<fs::path> data_files(const char *folder) {
  std::vector<fs::path> files;
  const fs::path dir = corpus_dir() / folder;
  if (!fs::is_directory(dir))
    return files;
  for (const auto &entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".data")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_file(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The program bytes of a file: its `-- raw` slots, else its assembled `-- asm`.
Result<std::vector<uint8_t>> program_bytes(const isa::DataFile &file) {
  if (file.raw)
    return isa::raw_insns_to_bytes(*file.raw);
  auto slots = isa::assemble(*file.asm_text, isa::Syntax::Conformance);
  if (!slots)
    return slots.error();
  return isa::raw_insns_to_bytes(*slots);
}

struct PluginRun {
  std::string output;
  platform::ExitStatus status;
};

PluginRun run_plugin(const std::vector<uint8_t> &code,
                     const std::vector<uint8_t> &memory,
                     const std::string &exec = "interpret") {
  std::vector<std::string> args;
  if (!memory.empty())
    args.push_back(conformance::format_hex_bytes(memory));
  args.insert(args.end(), {"--exec", exec});
  auto child = platform::spawn(BPFHOST_CONFORMANCE_PLUGIN, args);
  if (!child)
    return {"spawn failed: " + child.error().to_string(), {-1, 0, false}};
  auto out = child->communicate(conformance::format_hex_bytes(code), 20s);
  if (!out)
    return {"communicate failed: " + out.error().to_string(), {-1, 0, false}};
  return {out->stdout_data, out->status};
}

// r0 as the plugin printed it (hex, as bpf_conformance reads it), if it did.
std::optional<uint64_t> printed_r0(const PluginRun &run) {
  if (!run.status.success() || run.output.empty())
    return std::nullopt;
  try {
    size_t used = 0;
    const uint64_t value = std::stoull(run.output, &used, 16);
    return value;
  } catch (const std::exception &) {
    return std::nullopt;
  }
}

// Whether the plugin was built with the JIT (it refuses `--exec jit`, exit 2,
// on hosts without one).
bool plugin_has_jit() {
  static const bool has = [] {
    const PluginRun run = run_plugin({0x95, 0, 0, 0, 0, 0, 0, 0}, {}, "jit");
    return run.status.exit_code != 2;
  }();
  return has;
}

// Every corpus file in every execution mode.
class ConformanceSuite
    : public ::testing::TestWithParam<std::tuple<fs::path, std::string>> {};

TEST_P(ConformanceSuite, PluginReturnsExpectedR0) {
  const auto &[path, exec] = GetParam();
  if (exec == "jit" && !plugin_has_jit())
    GTEST_SKIP() << "the plugin has no JIT on this host";
  auto file = isa::parse_data_file(read_file(path));
  ASSERT_TRUE(file.ok()) << path << ": " << file.error().to_string();
  ASSERT_TRUE(file->result.has_value()) << path << ": no -- result section";
  auto code = program_bytes(*file);
  ASSERT_TRUE(code.ok()) << path << ": " << code.error().to_string();
  const PluginRun run = run_plugin(*code, file->memory, exec);
  const auto r0 = printed_r0(run);
  ASSERT_TRUE(r0.has_value()) << path << ": plugin said: " << run.output
                              << " (exit " << run.status.exit_code << ")";
  EXPECT_EQ(*r0, *file->result) << path;
}

std::string test_name(
    const ::testing::TestParamInfo<std::tuple<fs::path, std::string>> &info) {
  std::string name =
      std::get<1>(info.param) + "_" + std::get<0>(info.param).stem().string();
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, ConformanceSuite,
    ::testing::Combine(::testing::ValuesIn(data_files("tests")),
                       ::testing::Values(std::string("interpret"),
                                         std::string("jit"))),
    test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ConformanceSuite);

TEST(ConformanceCorpus, IsPresent) {
  const auto files = data_files("tests");
  if (files.empty()) {
    if (under_ci())
      FAIL() << "conformance corpus missing at " << corpus_dir();
    GTEST_SKIP() << "conformance corpus missing at " << corpus_dir();
  }
  EXPECT_EQ(files.size(), 313u);
}

// The negative folder tests the runner itself (bpf_conformance's own checks).
class NegativeCases : public ::testing::Test {
protected:
  void SetUp() override {
    if (data_files("negative").empty()) {
      if (under_ci())
        FAIL() << "negative corpus missing at " << corpus_dir();
      GTEST_SKIP() << "negative corpus missing at " << corpus_dir();
    }
  }
  static std::vector<fs::path> matching(const std::string &prefix) {
    std::vector<fs::path> out;
    for (const auto &path : data_files("negative"))
      if (path.filename().string().rfind(prefix, 0) == 0)
        out.push_back(path);
    return out;
  }
};

// invalid_*: malformed programs that the .data parser or the assembler must
// reject, with a message naming the line or field.
TEST_F(NegativeCases, InvalidProgramsAreRejectedWithALocatedMessage) {
  const auto files = matching("invalid_");
  EXPECT_EQ(files.size(), 11u);
  for (const auto &path : files) {
    SCOPED_TRACE(path.filename().string());
    auto file = isa::parse_data_file(read_file(path));
    if (!file) {
      EXPECT_NE(file.error().location.find("line "), std::string::npos)
          << file.error().to_string();
      continue;
    }
    ASSERT_TRUE(file->asm_text.has_value());
    auto code = program_bytes(*file);
    ASSERT_FALSE(code.ok()) << "assembled without error";
    EXPECT_NE(code.error().location.find("line "), std::string::npos)
        << code.error().to_string();
  }
}

// unused-*: encodings with a reserved field set; the plugin must refuse them
// with an error naming the instruction and the field's value.
TEST_F(NegativeCases, ReservedFieldsAreRejectedByThePlugin) {
  const auto files = matching("unused-");
  EXPECT_EQ(files.size(), 45u);
  for (const auto &path : files) {
    SCOPED_TRACE(path.filename().string());
    auto file = isa::parse_data_file(read_file(path));
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    auto code = program_bytes(*file);
    ASSERT_TRUE(code.ok()) << code.error().to_string();
    const PluginRun run = run_plugin(*code, file->memory);
    EXPECT_EQ(run.status.exit_code, 1) << run.output;
    EXPECT_NE(run.output.find("insn "), std::string::npos) << run.output;
    // A reserved field reads "must be 0"; a field that selects a variant
    // (MOV's offset selects MOVSX) names the values that select none.
    const bool names_field = run.output.find("must be 0") != std::string::npos ||
                             run.output.find("invalid encoding") != std::string::npos;
    EXPECT_TRUE(names_field) << run.output;
  }
}

// empty*: no program; a runner skips them with a message.
TEST_F(NegativeCases, EmptyFilesHoldNoProgram) {
  const auto files = matching("empty");
  EXPECT_EQ(files.size(), 2u);
  for (const auto &path : files) {
    SCOPED_TRACE(path.filename().string());
    auto file = isa::parse_data_file(read_file(path));
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    EXPECT_FALSE(file->asm_text.has_value() && !file->asm_text->empty() &&
                 file->asm_text->find_first_not_of(" \t\r\n") != std::string::npos);
    EXPECT_FALSE(file->raw.has_value());
  }
}

// Its expectation is wrong on purpose: the runner must report a mismatch.
TEST_F(NegativeCases, WrongExpectationIsReportedAsAMismatch) {
  const fs::path path =
      corpus_dir() / "negative" / "incorrect_return_value_high_bits.data";
  auto file = isa::parse_data_file(read_file(path));
  ASSERT_TRUE(file.ok()) << file.error().to_string();
  auto code = program_bytes(*file);
  ASSERT_TRUE(code.ok()) << code.error().to_string();
  const PluginRun run = run_plugin(*code, file->memory);
  const auto r0 = printed_r0(run);
  ASSERT_TRUE(r0.has_value()) << run.output;
  ASSERT_TRUE(file->result.has_value());
  EXPECT_NE(*r0, *file->result) << "the 64-bit comparison missed the high bits";
  EXPECT_EQ(static_cast<uint32_t>(*r0), static_cast<uint32_t>(*file->result));
}

// The protocol's error paths: bad hex, bad options, bad programs.
TEST(ConformancePlugin, ReportsBadInput) {
  struct Row {
    const char *name;
    std::vector<std::string> args;
    std::string stdin_text;
    int exit_code;
    const char *expected_text;
  };
  const Row rows[] = {
      {"bad hex", {"--exec", "interpret"}, "b7 0x", 2, ""},
      {"unknown option", {"--fast"}, "95 00 00 00 00 00 00 00", 2, ""},
      {"jit",
       {"--exec", "jit"},
       "95 00 00 00 00 00 00 00",
       plugin_has_jit() ? 0 : 2,
       plugin_has_jit() ? "0\n" : ""},
      {"unknown mode", {"--exec", "native"}, "95 00 00 00 00 00 00 00", 2, ""},
      {"jit out of bounds load",
       {"--exec", "jit"},
       "79 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00",
       plugin_has_jit() ? 1 : 2,
       plugin_has_jit() ? "insn 0" : ""},
      {"partial slot", {}, "95 00 00", 1, "not a multiple of 8"},
      {"falls off the end",
       {},
       "b7 00 00 00 01 00 00 00",
       1,
       "fall off the end"},
      {"out of bounds load",
       {},
       "79 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00",
       1,
       "insn 0"},
      {"exit only",
       {"--exec", "interpret"},
       "95 00 00 00 00 00 00 00",
       0,
       "0\n"},
  };
  for (const Row &row : rows) {
    SCOPED_TRACE(row.name);
    auto child = platform::spawn(BPFHOST_CONFORMANCE_PLUGIN, row.args,
                                 {.working_directory = {}, .inherit_stderr = false});
    ASSERT_TRUE(child.ok()) << child.error().to_string();
    auto out = child->communicate(row.stdin_text, 20s);
    ASSERT_TRUE(out.ok()) << out.error().to_string();
    EXPECT_EQ(out->status.exit_code, row.exit_code) << out->stdout_data;
    EXPECT_NE(out->stdout_data.find(row.expected_text), std::string::npos)
        << out->stdout_data;
  }
}

} // namespace
} // namespace bpfhost
