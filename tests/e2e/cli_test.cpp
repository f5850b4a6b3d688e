// The bpfhost CLI's output shapes and exit codes (DESIGN.md §4).
#include <filesystem>
#include <regex>

#include <gtest/gtest.h>

#include "e2e/run_process.hpp"
#include "runtime/packets.hpp"

namespace bpfhost::test {
namespace {

std::string fixture(const std::string &name) {
  return std::string(BPFHOST_XDP_FIXTURE_DIR) + "/" + name + ".o";
}

std::string packet_file() {
  const std::string path = temp_dir() + "/udp80.bin";
  write_bytes(path, ipv4_packet(80));
  return path;
}

ProcessResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), BPFHOST_CLI);
  return run_process(args);
}

#define REQUIRE_FIXTURES()                                                     \
  if (!std::filesystem::exists(fixture("xdp_count")))                          \
  GTEST_SKIP() << "XDP fixtures not built (no clang for the BPF target?)"

TEST(Cli, RunPrintsWhatBpftoolPrints) {
  REQUIRE_FIXTURES();
  const std::string in = packet_file(), out = temp_dir() + "/out.bin";
  struct Row {
    const char *name;
    std::vector<std::string> args;
    const char *pattern;
  };
  const Row rows[] = {
      {"text",
       {"prog", "run", fixture("xdp_count"), "data_in", in},
       "Return value: 2, duration: [0-9]+ns\n"},
      {"repeat",
       {"prog", "run", fixture("xdp_count"), "data_in", in, "repeat", "3"},
       "Return value: 2, duration \\(average\\): [0-9]+ns\n"},
      {"json",
       {"-j", "prog", "run", fixture("xdp_firewall"), "data_in", in, "data_out",
        out},
       "\\{\"retval\":2,\"duration\":[0-9]+\\}\n"},
      {"dump_maps",
       {"-j", "prog", "run", fixture("xdp_count"), "data_in", in, "repeat", "2",
        "dump_maps"},
       "\\{\"retval\":2,\"duration\":[0-9]+,\"maps\":\\{\"proto_count\":\\[\\{"
       "\"key\":\"11000000\",\"value\":\"0200000000000000\"\\}\\],\"bytes\":"
       "\\[\\{\"key\":\"00000000\",\"value\":\"6c00000000000000\"\\}\\]\\}\\}"
       "\n"},
      {"pretty",
       {"-p", "prog", "run", fixture("xdp_count"), "data_in", in},
       "\\{\n    \"retval\": 2,\n    \"duration\": [0-9]+\n\\}\n"},
      {"program name",
       {"prog", "run", fixture("xdp_multi"), "program", "xdp_drop", "data_in",
        in},
       "Return value: 1, duration: [0-9]+ns\n"},
  };
  for (const auto &row : rows) {
    SCOPED_TRACE(row.name);
    auto r = cli(row.args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::regex_match(r.out, std::regex(row.pattern))) << r.out;
  }
  EXPECT_EQ(read_bytes(out).size(), ipv4_packet(80).size());
}

TEST(Cli, ExitCodesAndErrors) {
  REQUIRE_FIXTURES();
  const std::string in = packet_file();
  const std::string garbage = temp_dir() + "/garbage.o";
  write_bytes(garbage, {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
  struct Row {
    const char *name;
    std::vector<std::string> args;
    int exit_code;
    const char *err_contains;
  };
  const Row rows[] = {
      {"missing file",
       {"prog", "run", "/nonexistent.o", "data_in", in},
       2,
       "cannot read /nonexistent.o"},
      {"malformed ELF",
       {"prog", "run", garbage, "data_in", in},
       2,
       "garbage.o"},
      {"several programs",
       {"prog", "run", fixture("xdp_multi"), "data_in", in},
       2,
       "holds several programs (xdp_pass, xdp_drop): give `program NAME`"},
      {"unknown program",
       {"prog", "run", fixture("xdp_multi"), "program", "nope", "data_in", in},
       2,
       "no program nope"},
      {"unknown option",
       {"--frobnicate", "prog", "show", fixture("xdp_count")},
       2,
       "unknown option --frobnicate"},
      {"unknown keyword",
       {"prog", "run", fixture("xdp_count"), "data_in", in, "bogus", "1"},
       2,
       "unknown keyword bogus"},
      {"no data_in",
       {"prog", "run", fixture("xdp_count")},
       2,
       "prog run needs data_in FILE"},
      {"bad repeat",
       {"prog", "run", fixture("xdp_count"), "data_in", in, "repeat", "x"},
       2,
       "repeat needs a number"},
      {"run fails",
       {"prog", "run", fixture("xdp_oob"), "data_in", in},
       1,
       "test-run of xdp_oob: insn "},
      {"missing data_in file",
       {"prog", "run", fixture("xdp_count"), "data_in", "/nonexistent.bin"},
       2,
       "cannot read /nonexistent.bin"},
  };
  for (const auto &row : rows) {
    SCOPED_TRACE(row.name);
    auto r = cli(row.args);
    EXPECT_EQ(r.exit_code, row.exit_code) << r.out << r.err;
    EXPECT_NE(r.err.find(row.err_contains), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(Cli, ShowAndDumpXlated) {
  REQUIRE_FIXTURES();
  auto show = cli({"-j", "prog", "show", fixture("xdp_multi")});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_TRUE(std::regex_match(
      show.out,
      std::regex("\\[\\{\"name\":\"xdp_pass\",\"section\":\"xdp\",\"type\":"
                 "\"xdp\",\"insns\":[0-9]+\\},\\{\"name\":\"xdp_drop\","
                 "\"section\":\"xdp.frags\",\"type\":\"xdp\",\"insns\":2\\}\\]"
                 "\n")))
      << show.out;
  auto dump = cli(
      {"prog", "dump", "xlated", fixture("xdp_multi"), "program", "xdp_drop"});
  EXPECT_EQ(dump.exit_code, 0) << dump.err;
  EXPECT_EQ(dump.out, "   0: (b7) r0 = 1\n   1: (95) exit\n");
  // data = *(u32 *)(r1 +0) becomes a 64-bit load of the host context.
  auto count = cli({"prog", "dump", "xlated", fixture("xdp_count")});
  EXPECT_NE(count.out.find("= *(u64 *)(r1 +24)"), std::string::npos)
      << count.out;
}

} // namespace
} // namespace bpfhost::test
