// Differential test against the Linux kernel: the same object loaded with
// bpftool (a separate process) and run with BPF_PROG_TEST_RUN, against
// bpfhost's `prog run`; retval, data_out and map contents must match. Needs
// root and bpftool; skips otherwise, and fails under CI=true (CI runs as root).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <unistd.h>

#include <gtest/gtest.h>

#include "e2e/run_process.hpp"
#include "runtime/packets.hpp"

namespace bpfhost::test {
namespace {

std::string why_no_kernel() {
  if (geteuid() != 0)
    return "not root: BPF_PROG_TEST_RUN needs CAP_BPF";
  if (run_process({"bpftool", "version"}).exit_code != 0)
    return "bpftool is not installed";
  if (!std::filesystem::exists("/sys/fs/bpf") ||
      run_process({"sh", "-c",
                   "mount | grep -q ' /sys/fs/bpf type bpf' || "
                   "mount -t bpf bpf /sys/fs/bpf"})
              .exit_code != 0)
    return "no bpf file system at /sys/fs/bpf";
  return "";
}

struct Outcome {
  int exit_code = -1;
  uint32_t retval = 0;
  std::vector<uint8_t> data_out;
  std::string log;
};

Outcome parse(const ProcessResult &r, const std::string &out_file) {
  Outcome o{r.exit_code, 0, read_bytes(out_file), r.out + r.err};
  std::smatch m;
  if (std::regex_search(r.out, m, std::regex("\"retval\":([0-9]+)")))
    o.retval = static_cast<uint32_t>(std::stoul(m[1]));
  return o;
}

using Entries = std::vector<std::string>; // "KEYHEX=VALUEHEX", sorted

// The maps of bpfhost's `-j ... dump_maps` output, by name.
std::map<std::string, Entries> our_maps(const std::string &json) {
  std::map<std::string, Entries> maps;
  const std::regex map_re("\"([^\"]+)\":\\[((\\{[^}]*\\},?)*)\\]");
  const std::regex entry_re(
      "\\{\"key\":\"([0-9a-f]*)\",\"value\":\"([0-9a-f]*)\"\\}");
  for (std::sregex_iterator m(json.begin(), json.end(), map_re), end; m != end;
       ++m) {
    Entries &entries = maps[(*m)[1]];
    const std::string body = (*m)[2];
    for (std::sregex_iterator e(body.begin(), body.end(), entry_re); e != end;
         ++e)
      entries.push_back((*e)[1].str() + "=" + (*e)[2].str());
    std::sort(entries.begin(), entries.end());
  }
  return maps;
}

// A map pinned by bpftool, dumped with `bpftool -j map dump`.
Entries kernel_map(const std::string &pin) {
  auto dump = run_process({"bpftool", "-j", "map", "dump", "pinned", pin});
  Entries entries;
  const std::regex entry_re(
      "\"key\":\\[([^\\]]*)\\],\"value\":\\[([^\\]]*)\\]");
  auto bytes = [](std::string list) {
    std::string hex;
    for (size_t i = 0; (i = list.find("0x", i)) != std::string::npos; i += 2)
      hex += list.substr(i + 2, 2);
    return hex;
  };
  for (std::sregex_iterator e(dump.out.begin(), dump.out.end(), entry_re), end;
       e != end; ++e)
    entries.push_back(bytes((*e)[1]) + "=" + bytes((*e)[2]));
  std::sort(entries.begin(), entries.end());
  return entries;
}

// Where `bpftool prog loadall ... pinmaps DIR` pins a map: global data maps
// get libbpf's internal name (8 characters of the object name, then the
// section without its dot), with '.' made '_' in the path.
std::string pin_name(const std::string &object_stem, const std::string &map) {
  if (map.empty() || map[0] != '.')
    return map;
  std::string name = object_stem.substr(0, 8) + "_" + map.substr(1);
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

TEST(KernelDiff, XdpProgramsMatchBpfProgTestRun) {
  const std::string reason = why_no_kernel();
  if (!reason.empty()) {
    if (const char *ci = std::getenv("CI"); ci && std::string(ci) == "true")
      FAIL() << "CI=true but " << reason;
    GTEST_SKIP() << reason;
  }
  struct Prog {
    const char *object;
    const char *name;
  };
  const Prog progs[] = {{"xdp_count", "xdp_count"},
                        {"xdp_firewall", "xdp_firewall"},
                        {"xdp_adjust", "xdp_adjust"},
                        {"xdp_rewrite", "xdp_rewrite"},
                        {"xdp_multi", "xdp_pass"},
                        {"xdp_multi", "xdp_drop"}};
  const std::string dir = temp_dir();
  const std::string pins =
      "/sys/fs/bpf/bpfhost-e2e-" + std::to_string(getpid());
  size_t compared = 0, maps_compared = 0;
  for (const auto &prog : progs) {
    const std::string object =
        std::string(BPFHOST_XDP_FIXTURE_DIR) + "/" + prog.object + ".o";
    if (!std::filesystem::exists(object)) {
      ADD_FAILURE() << object << " was not built";
      continue;
    }
    for (const auto &packet : test_packets()) {
      for (const char *repeat : {"1", "3"}) {
        SCOPED_TRACE(std::string(prog.name) + " " + packet.name + " repeat " +
                     repeat);
        const std::string in = dir + "/" + packet.name + ".bin";
        write_bytes(in, packet.bytes);
        std::filesystem::remove_all(pins);
        auto load = run_process({"bpftool", "prog", "loadall", object, pins,
                                 "pinmaps", pins + "/maps"});
        ASSERT_EQ(load.exit_code, 0) << load.err;
        const std::string kernel_out = dir + "/kernel.bin";
        const std::string ours_out = dir + "/ours.bin";
        std::filesystem::remove(kernel_out);
        std::filesystem::remove(ours_out);
        auto kernel =
            parse(run_process({"bpftool", "-j", "prog", "run", "pinned",
                               pins + "/" + prog.name, "data_in", in,
                               "data_out", kernel_out, "repeat", repeat}),
                  kernel_out);
        auto ours_run =
            run_process({BPFHOST_CLI, "-j", "prog", "run", object, "program",
                         prog.name, "data_in", in, "data_out", ours_out,
                         "repeat", repeat, "dump_maps"});
        auto ours = parse(ours_run, ours_out);
        for (const auto &[name, entries] : our_maps(ours_run.out)) {
          SCOPED_TRACE("map " + name);
          EXPECT_EQ(entries,
                    kernel_map(pins + "/maps/" + pin_name(prog.object, name)));
          ++maps_compared;
        }
        std::filesystem::remove_all(pins);
        ASSERT_EQ(kernel.exit_code, 0) << kernel.log;
        ASSERT_EQ(ours.exit_code, 0) << ours.log;
        EXPECT_EQ(ours.retval, kernel.retval);
        EXPECT_EQ(ours.data_out, kernel.data_out);
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, std::size(progs) * test_packets().size() * 2);
  EXPECT_GT(maps_compared, 0u);
}

} // namespace
} // namespace bpfhost::test
