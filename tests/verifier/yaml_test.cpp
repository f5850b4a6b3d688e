// Runs every case of the corpus's verifier-tests/*.yaml (PREVAIL's semantic
// tests). A case agrees when we reject exactly the programs for which it
// lists messages. Known disagreements are listed, with the reason, in
// yaml_expected_failures.txt: such a case must still disagree, so a fix
// flips the test and the line gets removed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "yaml_runner.hpp"

namespace bpfhost::verifier::test {
namespace {

namespace fs = std::filesystem;

std::string corpus_dir() {
  if (const char *env = std::getenv("BPFHOST_CORPUS"))
    return std::string(env) + "/verifier-tests";
  return std::string(BPFHOST_CORPUS_DIR) + "/verifier-tests";
}

std::string read_file(const fs::path &p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// "file.yaml: case name" lines; '#' starts a comment (the reason).
std::multiset<std::string> expected_failures() {
  std::multiset<std::string> out;
  std::ifstream f(BPFHOST_YAML_EXPECTED_FAILURES);
  std::string line;
  while (std::getline(f, line)) {
    const size_t hash = line.find("  #");
    if (hash != std::string::npos)
      line = line.substr(0, hash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
      line.pop_back();
    if (!line.empty() && line[0] != '#')
      out.insert(line);
  }
  return out;
}

bool corpus_missing(std::string &why) {
  if (fs::is_directory(corpus_dir()))
    return false;
  why = "verifier YAML corpus not found at " + corpus_dir() +
        " (set BPFHOST_CORPUS)";
  return true;
}

TEST(VerifierYaml, AllCases) {
  std::string why;
  if (corpus_missing(why)) {
    const char *ci = std::getenv("CI");
    if (ci && std::string(ci) == "true")
      FAIL() << why;
    GTEST_SKIP() << why;
  }
  std::vector<fs::path> files;
  for (const auto &e : fs::directory_iterator(corpus_dir()))
    if (e.path().extension() == ".yaml" &&
        e.path().filename() != "test-schema.yaml")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  const std::multiset<std::string> known = expected_failures();
  int cases = 0, agree = 0, facts = 0, held = 0;
  const bool verbose = std::getenv("BPFHOST_YAML_VERBOSE") != nullptr;
  for (const fs::path &file : files) {
    auto parsed = read_yaml_cases(read_file(file));
    ASSERT_TRUE(parsed.ok()) << file << ": " << parsed.error().to_string();
    for (const YamlCase &c : *parsed) {
      const std::string key = file.filename().string() + ": " + c.name;
      if (const char *only = std::getenv("BPFHOST_YAML_CASE"))
        if (key.find(only) == std::string::npos)
          continue;
      SCOPED_TRACE(key);
      const CaseOutcome o = run_yaml_case(c);
      if (std::getenv("BPFHOST_YAML_CASE")) {
        std::cout << key << "\n" << o.error << "\nmessages:\n";
        for (const auto &m : o.messages)
          std::cout << "  " << m << "\n";
        std::cout << "exit state:\n" << o.exit_state;
      }
      ++cases;
      agree += o.agrees();
      facts += o.facts;
      held += o.facts_held;
      if (known.count(key))
        EXPECT_FALSE(o.agrees())
            << "now agrees: remove it from the expected failures";
      else
        EXPECT_TRUE(o.agrees())
            << (o.error.empty() ? "" : o.error + "\n") << "expected "
            << (o.expected_reject ? "rejection" : "acceptance")
            << "; ours: " << [&] {
                 std::string m;
                 for (const auto &s : o.messages)
                   m += "\n  " + s;
                 return m;
               }();
      if (verbose && !o.facts_missed.empty()) {
        std::cout << key << ": facts missed:";
        for (const auto &f : o.facts_missed)
          std::cout << " [" << f << "]";
        std::cout << "\n";
      }
    }
  }
  std::cout << "verdict agreement: " << agree << "/" << cases
            << "; post-state facts held: " << held << "/" << facts << "\n";
  EXPECT_GE(held * 10, facts * 9) << "post-state facts below 90%";
}

} // namespace
} // namespace bpfhost::verifier::test
