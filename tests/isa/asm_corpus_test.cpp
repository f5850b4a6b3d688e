// Corpus-driven assembler and disassembler tests: every conformance program
// round-trips in both syntaxes, every malformed one is rejected with a
// message naming its line, and every PREVAIL verifier test's code assembles.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "isa/asm_corpus_support.hpp"
#include "isa/asm_parse.hpp"
#include "isa/data_file.hpp"
#include "isa/decode.hpp"
#include "isa/disasm.hpp"

namespace bpfhost::isa {
namespace {

using testing::corpus_dir;
using testing::files_in;
using testing::read_text;

const Syntax kSyntaxes[] = {Syntax::Conformance, Syntax::Bpftool};

const char *name_of(Syntax s) {
  return s == Syntax::Conformance ? "conformance" : "bpftool";
}

// assemble(disassemble(b)) == b, disassembly is a fixed point, and so is
// the numbered listing.
void expect_round_trip(const std::vector<RawInsn> &slots, Syntax syntax) {
  SCOPED_TRACE(name_of(syntax));
  const std::string text = disassemble(slots, syntax);
  auto again = assemble(text, syntax);
  ASSERT_TRUE(again.ok()) << again.error().to_string() << "\n" << text;
  EXPECT_EQ(*again, slots) << text;
  EXPECT_EQ(disassemble(*again, syntax), text);
  const std::string listing =
      disassemble_listing(slots, syntax, {syntax == Syntax::Bpftool});
  auto from_listing = assemble(listing, syntax);
  ASSERT_TRUE(from_listing.ok()) << from_listing.error().to_string();
  EXPECT_EQ(*from_listing, slots) << listing;
}

TEST(ConformanceCorpus, EveryProgramRoundTripsInBothSyntaxes) {
  const auto dir = corpus_dir() / "conformance" / "tests";
  BPFHOST_REQUIRE_CORPUS(dir);
  size_t programs = 0;
  for (const auto &path : files_in(dir, ".data")) {
    SCOPED_TRACE(path.filename().string());
    auto file = parse_data_file(read_text(path));
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    ASSERT_TRUE(file->asm_text.has_value());
    auto slots = assemble(*file->asm_text, Syntax::Conformance);
    ASSERT_TRUE(slots.ok()) << slots.error().to_string();
    if (file->raw) {
      EXPECT_EQ(*slots, *file->raw) << "-- asm and -- raw disagree";
    }
    auto decoded = decode(*slots);
    EXPECT_TRUE(decoded.ok()) << decoded.error().to_string();
    for (Syntax syntax : kSyntaxes)
      expect_round_trip(*slots, syntax);
    ++programs;
  }
  EXPECT_GE(programs, 300u);
}

struct NegativeCase {
  const char *file;
  const char *expected; // Error::to_string() from the data file or assembler
};

// Each invalid_*.data file and what the user sees. invalid_unknown_directive
// is a malformed .data file (an unknown section), not an assembler error.
const NegativeCase kNegativeCases[] = {
    {"invalid_imm32_dec_range.data",
     "line 2: immediate 2147483648 out of range for 32 bits"},
    {"invalid_imm32_hex_range.data",
     "line 2: immediate 0x100000000 out of range for 32 bits"},
    {"invalid_label.data", "line 1: undefined label 'NOT_A_LABEL'"},
    {"invalid_lock.data",
     "line 1: lock or: invalid number of operands (expected 2, found 1)"},
    {"invalid_lock2.data", "line 1: lock: invalid number of operands"},
    {"invalid_mnemonic.data", "line 2: unknown mnemonic 'ldxq'"},
    {"invalid_offset.data",
     "line 1: ldxb: expected a memory operand like [%r1+0], found '%r1'"},
    {"invalid_offset_range.data", "line 2: offset 0x10000 out of range"},
    {"invalid_operand_count.data",
     "line 1: lddw: invalid number of operands (expected 2, found 1)"},
    {"invalid_register.data", "line 1: invalid register '%r50'"},
    {"invalid_unknown_directive.data",
     "line 4: unknown section '-- Unknown directive'"},
};

std::string rejection(const std::string &text) {
  auto file = parse_data_file(text);
  if (!file)
    return file.error().to_string();
  if (!file->asm_text)
    return "no -- asm section";
  auto slots = assemble(*file->asm_text, Syntax::Conformance);
  return slots ? std::string() : slots.error().to_string();
}

TEST(ConformanceCorpus, InvalidProgramsAreRejectedNamingTheLine) {
  const auto dir = corpus_dir() / "conformance" / "negative";
  BPFHOST_REQUIRE_CORPUS(dir);
  size_t checked = 0;
  for (const auto &path : files_in(dir, ".data")) {
    const std::string name = path.filename().string();
    if (name.rfind("invalid_", 0) != 0)
      continue;
    SCOPED_TRACE(name);
    const std::string error = rejection(read_text(path));
    EXPECT_EQ(error.rfind("line ", 0), 0u) << "not rejected: " << error;
    for (const NegativeCase &c : kNegativeCases) {
      if (name == c.file) {
        EXPECT_EQ(error, c.expected);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, std::size(kNegativeCases));
}

// The raw negative cases hold encodings the decoder rejects: the disassembler
// marks them, and the marked text does not assemble.
TEST(ConformanceCorpus, UndecodableRawProgramsDisassembleAsInvalid) {
  const auto dir = corpus_dir() / "conformance" / "negative";
  BPFHOST_REQUIRE_CORPUS(dir);
  for (const auto &path : files_in(dir, ".data")) {
    auto file = parse_data_file(read_text(path));
    if (!file) // invalid_unknown_directive, checked above
      continue;
    if (!file->raw || decode(*file->raw).ok())
      continue;
    SCOPED_TRACE(path.filename().string());
    for (Syntax syntax : kSyntaxes) {
      const std::string text = disassemble(*file->raw, syntax);
      EXPECT_NE(text.find("<invalid: "), std::string::npos) << text;
      EXPECT_FALSE(assemble(text, syntax).ok()) << text;
    }
  }
}

// The code of one PREVAIL YAML test case, as assembler text: each "<label>:"
// key becomes a label line, block lines are copied.
struct YamlCase {
  std::string name;
  std::string code;
};

std::vector<YamlCase> yaml_cases(const std::string &yaml) {
  std::vector<YamlCase> cases;
  bool in_code = false;
  std::istringstream in(yaml);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("test-case:", 0) == 0) {
      cases.push_back({line.substr(10), ""});
      in_code = false;
    } else if (line.rfind("code:", 0) == 0) {
      in_code = true;
    } else if (in_code && !line.empty() && line[0] != ' ' && line[0] != '#') {
      in_code = false;
    } else if (in_code && !cases.empty()) {
      const size_t first = line.find_first_not_of(' ');
      std::string text = first == std::string::npos ? "" : line.substr(first);
      const size_t key = text.find(">:");
      if (!text.empty() && text[0] == '<' && key != std::string::npos) {
        std::string rest = text.substr(key + 2);
        text = text.substr(0, key + 2) + (rest == " |" ? "" : rest);
      }
      cases.back().code += text + "\n";
    }
  }
  return cases;
}

bool is_verifier_only(const std::string &error) {
  return error.find("'assume' is a PREVAIL verifier statement") !=
             std::string::npos ||
         error.find("'&!=' (jump if no bit is set) has no eBPF encoding") !=
             std::string::npos;
}

TEST(VerifierCorpus, EveryTestCaseAssemblesUnlessVerifierOnly) {
  const auto dir = corpus_dir() / "verifier-tests";
  BPFHOST_REQUIRE_CORPUS(dir);
  size_t assembled = 0, verifier_only = 0;
  for (const auto &path : files_in(dir, ".yaml")) {
    for (const YamlCase &c : yaml_cases(read_text(path))) {
      SCOPED_TRACE(path.filename().string() + ":" + c.name);
      auto slots = assemble(c.code, Syntax::Bpftool);
      if (!slots) {
        const std::string error = slots.error().to_string();
        EXPECT_TRUE(is_verifier_only(error)) << error << "\n" << c.code;
        ++verifier_only;
        continue;
      }
      expect_round_trip(*slots, Syntax::Bpftool);
      ++assembled;
    }
  }
  EXPECT_GE(assembled, 500u);
  std::cout << "[          ] verifier tests: " << assembled << " assembled, "
            << verifier_only << " use verifier-only statements\n";
}

} // namespace
} // namespace bpfhost::isa
