// Internal to the assemblers: a cursor over one statement, and the parsing of
// the tokens both syntaxes share (integers, registers, jump targets). Errors
// carry no location; the line-level driver in asm_parse.cpp adds "line N".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "isa/ir.hpp"
#include "support/result.hpp"

namespace bpfhost::isa::detail {

// An error in the text being assembled (ErrorCode::InvalidInput).
Error syntax_error(std::string message);

// An integer literal as written: optional sign, then decimal or 0x-hex digits.
struct Literal {
  bool negative = false;
  bool hex = false;
  uint64_t magnitude = 0;
  std::string text; // as written, for messages
};

// A jump or call target: a slot offset relative to the next slot, or a label.
struct Target {
  int64_t offset = 0;
  std::optional<std::string> label;
};

class Cursor {
public:
  explicit Cursor(std::string_view text) : text_(text) {}

  // Let imm32() read decimals up to 4294967295 as the 32-bit pattern, as
  // PREVAIL does ("w0 = 4194435072"); the conformance corpus rejects them.
  void allow_unsigned_decimal() { unsigned_decimal_ = true; }

  void skip_space();
  bool at_end();                  // only spaces left
  std::string_view rest();        // after skipping spaces
  bool eat(std::string_view lit); // skips spaces, then consumes `lit` if next
  // Consumes `word` if it is next and not followed by an identifier character.
  bool eat_word(std::string_view word);
  // The identifier-like word next ([A-Za-z0-9_.-]), without consuming it.
  std::string_view peek_word();
  std::string_view take_word();
  // The next whitespace-delimited token, for messages.
  std::string_view peek_token();
  size_t position() const { return pos_; }
  void set_position(size_t pos) { pos_ = pos; }

  Result<Literal> literal(std::string_view what);
  // "+N", "-N", "+ N", "- N", and the kernel's "+ -N" (skb[r2 + -4]).
  Result<Literal> signed_literal(std::string_view what);
  // imm fields: decimal in [-2^31, 2^31 - 1]; hex up to 0xffffffff is taken
  // as the 32-bit pattern (so "0xfffffffe" is -2), as the corpus writes it.
  Result<int32_t> imm32();
  // lddw values: anything from -2^63 to 2^64 - 1, as a 64-bit pattern.
  Result<uint64_t> imm64();
  // off fields: [-32768, 32767] however written.
  Result<int16_t> off16();
  // "+N", "-N", "N" or a label ("name" or "<name>"); `pc_prefix` also
  // accepts bpftool's "pc+N".
  Result<Target> target(bool pc_prefix);
  // Requires the end of the statement.
  Result<void> end(std::string_view context);

private:
  std::string_view text_;
  size_t pos_ = 0;
  bool unsigned_decimal_ = false;
};

Result<int32_t> to_imm32(const Literal &lit, bool unsigned_decimal = false);
Result<int16_t> to_off16(const Literal &lit);
Result<uint64_t> to_imm64(const Literal &lit);
Result<int32_t> target_to_imm32(int64_t offset, std::string_view text);
Result<int16_t> target_to_off16(int64_t offset, std::string_view text);

// Register index from "rN"/"wN" (bpftool) or "%rN" (conformance) text, with
// the prefix already removed; an error names `full` when N is not 0..10.
Result<Reg> register_index(std::string_view digits, std::string_view full);

bool is_ident_char(char c);
bool is_label_name(std::string_view name);

} // namespace bpfhost::isa::detail
