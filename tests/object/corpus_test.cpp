// Every object of ../shared/corpus/samples: well-formed objects parse, the
// malformed ones (invalid/ and build/badrelo.o) are refused, and programs
// match the (section, function) rows of programs.tsv. Known differences are
// data below, each with its reason, and are checked to still differ, so a
// change of behaviour flips a test instead of passing unseen.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "object/fixture_files.hpp"

namespace bpfhost::object::testing {
namespace {

namespace fs = std::filesystem;

fs::path samples() { return corpus_dir() / "samples"; }

// Objects of the malformed set that are well-formed for a loader: the fuzz
// finding that put them in invalid/ was in a later stage.
const std::map<std::string, std::string> kMalformedButParses = {
    {"invalid/ef2e42c0bfcf4dab6b9c3926759365b6dfa73634",
     "only the name of its .debug_line section was mutated (to \"info\")"},
    {"invalid/timeout-29db93548c671165313b314d4f83a3eefa24df37",
     "a well-formed program array of 36 tail-called programs; the finding "
     "was a verifier timeout"},
};

// Rows of programs.tsv that the loader's rules list differently (PREVAIL
// lists every function of .text as a program; libbpf, and we, treat .text
// as subprograms when other code sections exist).
const std::map<std::string, std::string> kProgramListDiffers = {
    {"build/bpf2bpf.o", "+.text/add1 +.text/add2"},
    {"prototype-kernel/xdp_ddos01_blacklist_kern.o", "+.text/.text"},
};

bool expect_refused(const std::string &relative) {
  return relative.rfind("invalid/", 0) == 0 || relative == "build/badrelo.o";
}

// Every *.o under samples, and every file of invalid/ (fuzz findings
// without an extension), relative to samples.
std::vector<std::string> corpus_objects() {
  std::vector<std::string> out;
  for (const auto &entry : fs::recursive_directory_iterator(samples())) {
    if (!entry.is_regular_file())
      continue;
    const std::string rel =
        fs::relative(entry.path(), samples()).generic_string();
    if (entry.path().extension() == ".o" || rel.rfind("invalid/", 0) == 0)
      out.push_back(rel);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "section/function" of each program of programs.tsv, by file.
std::map<std::string, std::set<std::string>> tsv_programs() {
  std::map<std::string, std::set<std::string>> out;
  std::istringstream in(std::string([] {
    const auto bytes = read_bytes(samples() / "programs.tsv");
    return std::string(bytes.begin(), bytes.end());
  }()));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("file\t", 0) == 0)
      continue;
    std::istringstream fields(line);
    std::string file, section, function;
    std::getline(fields, file, '\t');
    std::getline(fields, section, '\t');
    std::getline(fields, function, '\t');
    out[file].insert(section + "/" + function);
  }
  return out;
}

struct Outcome {
  bool loaded = false;
  size_t programs_refused = 0; // programs that carry their own error
  std::string error;           // the object's, or the last program's
  std::set<std::string> programs;

  // Rejected as a whole, or no program of it can be loaded.
  bool refused() const {
    return !loaded ||
           (!programs.empty() && programs_refused == programs.size());
  }
};

Outcome load(const std::string &relative) {
  Outcome o;
  auto result = load_object(read_bytes(samples() / relative), relative);
  if (!result) {
    o.error = result.error().to_string();
    return o;
  }
  o.loaded = true;
  for (const ProgramSpec &p : result->programs) {
    o.programs.insert(p.section + "/" + p.name);
    if (p.error) {
      ++o.programs_refused;
      o.error = p.error->to_string();
    }
  }
  return o;
}

TEST(Corpus, EveryObjectParsesOrIsRefusedCleanly) {
  BPFHOST_REQUIRE_PATH(samples(), "the ebpf-samples corpus");
  struct Counts {
    int parsed = 0, with_refused_programs = 0, rejected = 0, wrong = 0;
  };
  std::map<std::string, Counts> by_folder;
  for (const std::string &rel : corpus_objects()) {
    SCOPED_TRACE(rel);
    const Outcome o = load(rel);
    Counts &c = by_folder[rel.substr(0, rel.find('/'))];
    ++(o.loaded ? c.parsed : c.rejected);
    c.with_refused_programs += o.loaded && o.programs_refused > 0;
    const bool want_refused =
        expect_refused(rel) && kMalformedButParses.count(rel) == 0;
    // A well-formed object must load (some of its programs may still be
    // refused, such as those needing CO-RE); a malformed one must not.
    const bool as_expected = want_refused ? o.refused() : o.loaded;
    if (!as_expected) {
      ++c.wrong;
      ADD_FAILURE() << (want_refused ? "parsed, expected a refusal"
                                     : "rejected: " + o.error);
    }
    if (!o.error.empty()) { // a clean error names the file first
      EXPECT_EQ(o.error.rfind(rel + ": ", 0), 0u) << o.error;
    }
  }
  for (const auto &[folder, c] : by_folder)
    std::cout << "corpus " << folder << ": " << c.parsed << " parsed ("
              << c.with_refused_programs << " with refused programs), "
              << c.rejected << " rejected, " << c.wrong << " not as expected\n";
}

TEST(Corpus, ProgramsMatchProgramsTsv) {
  BPFHOST_REQUIRE_PATH(samples() / "programs.tsv", "the ebpf-samples corpus");
  for (const auto &[file, expected] : tsv_programs()) {
    SCOPED_TRACE(file);
    const Outcome o = load(file);
    if (!o.loaded) {
      EXPECT_TRUE(expect_refused(file)) << o.error;
      continue;
    }
    std::string diff; // "+x" listed only by the table, "-x" only by us
    for (const std::string &p : expected)
      if (o.programs.count(p) == 0)
        diff += (diff.empty() ? "+" : " +") + p;
    for (const std::string &p : o.programs)
      if (expected.count(p) == 0)
        diff += (diff.empty() ? "-" : " -") + p;
    const auto known = kProgramListDiffers.find(file);
    EXPECT_EQ(diff, known == kProgramListDiffers.end() ? "" : known->second);
  }
}

} // namespace
} // namespace bpfhost::object::testing
