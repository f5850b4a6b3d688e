#include "yaml_runner.hpp"

#include <sstream>

#include "isa/asm_parse.hpp"
#include "verifier/analyzer.hpp"
#include "verifier/facts.hpp"
#include "yaml_platform.hpp"

namespace bpfhost::verifier::test {

namespace {

std::string trim(const std::string &s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos)
    return "";
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

// The code without comments, one instruction per line.
bool is_code_line(const std::string &line) {
  std::string t = trim(line);
  for (const char *c : {";", "//", "#"}) {
    const size_t at = t.find(c);
    if (at != std::string::npos && (std::string(c) != "#" || at == 0))
      t = trim(t.substr(0, at));
  }
  return !t.empty();
}

// Assembler text of the case; `assume COND` becomes `if COND goto +0` and
// its instruction index is recorded.
std::string assembler_text(const YamlCase &c, std::vector<bool> &assume) {
  std::string text;
  for (const auto &[label, block] : c.code) {
    text += label + ":\n";
    std::istringstream is(block);
    std::string line;
    while (std::getline(is, line)) {
      if (!is_code_line(line)) {
        text += line + "\n";
        continue;
      }
      std::string t = trim(line);
      const bool is_assume = t.rfind("assume ", 0) == 0;
      if (is_assume) {
        const size_t semi = t.find(';');
        t = "if " +
            trim(t.substr(7, semi == std::string::npos ? std::string::npos
                                                       : semi - 7)) +
            " goto +0";
      }
      assume.push_back(is_assume);
      text += t + "\n";
    }
  }
  return text;
}

VerifyOptions options_of(const YamlCase &c, std::string &error) {
  VerifyOptions o;
  o.assume_assertions = false;
  for (const std::string &name : c.options) {
    if (name == "!allow_division_by_zero")
      o.allow_division_by_zero = false;
    else if (name == "termination")
      o.termination = true;
    else if (name == "big_endian")
      o.big_endian = true;
    else if (name == "!big_endian")
      o.big_endian = false;
    else if (name == "assume_assertions")
      o.assume_assertions = true;
    else if (name == "strict" || name == "simplify")
      continue;
    else
      error = "unknown option '" + name + "'";
  }
  return o;
}

} // namespace

CaseOutcome run_yaml_case(const YamlCase &c) {
  CaseOutcome out;
  out.expected_reject = !c.messages.empty();
  VerifyOptions options = options_of(c, out.error);
  std::vector<bool> assume;
  const std::string text = assembler_text(c, assume);
  auto slots = isa::assemble(text, isa::Syntax::Bpftool);
  if (!slots) {
    out.error = "assembler: " + slots.error().to_string();
    return out;
  }
  auto program = make_program(*slots);
  if (!program) {
    out.error = "decoder: " + program.error().to_string();
    return out;
  }
  assume.resize(program->insns.size(), false);
  program->assume = assume;
  State pre = State::top();
  for (const std::string &f : c.pre) {
    auto fact = parse_fact(f);
    if (!fact) {
      out.error = fact.error().to_string();
      return out;
    }
    impose(pre, *fact);
  }
  auto result = analyze(*program, yaml_test_platform(), options, pre);
  State exit = State::bottom();
  if (!result) {
    out.rejected = true;
    out.messages.push_back(result.error().to_string());
  } else {
    for (const Diagnostic &d : result->errors)
      out.messages.push_back(d.to_string());
    for (const Diagnostic &d : result->dead_branches)
      out.messages.push_back(d.to_string());
    out.rejected = !out.messages.empty();
    exit = result->exit_state;
  }
  out.exit_state = exit.to_string() + exit.num.to_string(var_name);
  for (const std::string &f : c.post) {
    auto fact = parse_fact(f);
    ++out.facts;
    if (fact && holds(exit, *fact))
      ++out.facts_held;
    else
      out.facts_missed.push_back(f);
  }
  return out;
}

} // namespace bpfhost::verifier::test
