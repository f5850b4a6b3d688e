#include "isa/asm_parse.hpp"

#include <limits>
#include <map>
#include <string>

#include "isa/asm_lexer.hpp"
#include "isa/asm_statement.hpp"
#include "isa/encode.hpp"

namespace bpfhost::isa {
namespace {

using detail::Cursor;
using detail::syntax_error;

struct Placed {
  detail::Statement statement;
  size_t line;
  size_t slot;
};

struct LabelDef {
  size_t slot;
  size_t line;
};

struct Program {
  std::vector<Placed> statements;
  std::map<std::string, LabelDef, std::less<>> labels;
  size_t slots = 0;
};

Error at_line(const Error &error, size_t line) {
  return error.within("line " + std::to_string(line));
}

std::string_view strip_comment(std::string_view line, Syntax syntax) {
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    const bool starts_comment =
        c == ';' || (c == '/' && i + 1 < line.size() && line[i + 1] == '/') ||
        (c == '#' && (syntax == Syntax::Conformance || i == 0 ||
                      line[i - 1] == ' ' || line[i - 1] == '\t'));
    if (starts_comment)
      return line.substr(0, i);
  }
  return line;
}

// "  12: " and "(b7) " as disassemble_listing() prints them.
Result<void> skip_listing_prefix(Cursor &c, size_t slot) {
  std::string_view rest = c.rest();
  size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9')
    ++digits;
  if (digits == 0 || digits >= rest.size() || rest[digits] != ':')
    return {};
  const std::string index(rest.substr(0, digits));
  if (index != std::to_string(slot))
    return syntax_error("listing index " + index + " does not match slot " +
                        std::to_string(slot));
  c.set_position(c.position() + digits + 1);
  rest = c.rest();
  if (rest.size() >= 4 && rest[0] == '(' && rest[3] == ')')
    c.set_position(c.position() + 4);
  return {};
}

// "name:" or "<name>:"; the cursor moves past it when one is there.
std::optional<std::string> take_label(Cursor &c) {
  const size_t start = c.position();
  const bool bracketed = c.eat("<");
  std::string name(c.take_word());
  if (detail::is_label_name(name) && (!bracketed || c.eat(">")) && c.eat(":"))
    return name;
  c.set_position(start);
  return std::nullopt;
}

Result<void> parse_line(Program &program, std::string_view line, size_t number,
                        Syntax syntax) {
  Cursor c(strip_comment(line, syntax));
  if (auto r = skip_listing_prefix(c, program.slots); !r)
    return r.error();
  while (auto label = take_label(c)) {
    auto [it, added] =
        program.labels.emplace(*label, LabelDef{program.slots, number});
    if (!added)
      return syntax_error("duplicate label '" + *label +
                          "' (first defined on line " +
                          std::to_string(it->second.line) + ")");
  }
  if (c.at_end())
    return {};
  auto statement = syntax == Syntax::Conformance
                       ? detail::parse_conformance_statement(c.rest())
                       : detail::parse_bpftool_statement(c.rest());
  if (!statement)
    return statement.error();
  const size_t slot = program.slots;
  program.slots += slot_count(statement->insn);
  program.statements.push_back({std::move(statement).value(), number, slot});
  return {};
}

// bpf_conformance's rule: "exit" names the first exit unless defined.
std::optional<size_t> implicit_label(const Program &program,
                                     std::string_view name, Syntax syntax) {
  if (syntax != Syntax::Conformance || name != "exit")
    return std::nullopt;
  for (const Placed &p : program.statements) {
    if (std::holds_alternative<Exit>(p.statement.insn))
      return p.slot;
  }
  return std::nullopt;
}

// Only jumps, local calls and subprog[] lddws take a label (the statement
// parsers set target_label on nothing else).
Result<void> patch_target(Insn &insn, int64_t offset,
                          const std::string &label) {
  using Limits16 = std::numeric_limits<int16_t>;
  using Limits32 = std::numeric_limits<int32_t>;
  const bool fits16 = offset >= Limits16::min() && offset <= Limits16::max();
  const bool fits32 = offset >= Limits32::min() && offset <= Limits32::max();
  int32_t *field = nullptr;
  bool wide = true;
  if (auto *j = std::get_if<Jump>(&insn)) {
    field = &j->offset;
    wide = j->is32 && j->cond == JumpCond::Always;
  } else if (auto *c = std::get_if<CallLocal>(&insn)) {
    field = &c->offset;
  } else if (auto *l = std::get_if<LoadImm64>(&insn)) {
    field = &l->imm;
  }
  if (field == nullptr)
    return make_error(ErrorCode::Internal,
                      "label '" + label +
                          "' on an instruction without a target");
  if (!(wide ? fits32 : fits16))
    return syntax_error("jump to label '" + label + "' out of range (offset " +
                        std::to_string(offset) + ")");
  *field = static_cast<int32_t>(offset);
  return {};
}

Result<void> resolve_labels(Program &program, Syntax syntax) {
  for (Placed &p : program.statements) {
    if (!p.statement.target_label)
      continue;
    const std::string &name = *p.statement.target_label;
    std::optional<size_t> target;
    if (auto it = program.labels.find(name); it != program.labels.end())
      target = it->second.slot;
    else
      target = implicit_label(program, name, syntax);
    if (!target)
      return at_line(syntax_error("undefined label '" + name + "'"), p.line);
    const int64_t offset =
        static_cast<int64_t>(*target) - static_cast<int64_t>(p.slot) - 1;
    if (auto r = patch_target(p.statement.insn, offset, name); !r)
      return at_line(r.error(), p.line);
  }
  return {};
}

} // namespace

Result<std::vector<RawInsn>> assemble(std::string_view text, Syntax syntax) {
  Program program;
  size_t number = 1;
  for (size_t start = 0; start <= text.size(); ++number) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    if (auto r = parse_line(program, text.substr(start, end - start), number,
                            syntax);
        !r)
      return at_line(r.error(), number);
    start = end + 1;
  }
  if (auto r = resolve_labels(program, syntax); !r)
    return r.error();
  std::vector<RawInsn> out;
  out.reserve(program.slots);
  for (const Placed &p : program.statements)
    encode(p.statement.insn, out);
  return out;
}

} // namespace bpfhost::isa
