#include "isa/asm_lexer.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace bpfhost::isa::detail {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
unsigned hex_value(char c) {
  if (is_digit(c))
    return static_cast<unsigned>(c - '0');
  return static_cast<unsigned>(std::tolower(static_cast<unsigned char>(c)) -
                               'a' + 10);
}

// The magnitude of a literal, or nullopt when it does not fit in 64 bits.
std::optional<uint64_t> accumulate(std::string_view digits, unsigned base) {
  uint64_t value = 0;
  for (char c : digits) {
    unsigned d = base == 16 ? hex_value(c) : static_cast<unsigned>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - d) / base)
      return std::nullopt;
    value = value * base + d;
  }
  return value;
}

} // namespace

Error syntax_error(std::string message) {
  return make_error(ErrorCode::InvalidInput, std::move(message));
}

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
         c == '-';
}

bool is_label_name(std::string_view name) {
  if (name.empty() || is_digit(name[0]) || name[0] == '-')
    return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.')
      return false;
  }
  return true;
}

void Cursor::skip_space() {
  while (pos_ < text_.size() && is_space(text_[pos_]))
    ++pos_;
}

bool Cursor::at_end() {
  skip_space();
  return pos_ == text_.size();
}

std::string_view Cursor::rest() {
  skip_space();
  return text_.substr(pos_);
}

bool Cursor::eat(std::string_view lit) {
  skip_space();
  if (text_.substr(pos_, lit.size()) != lit)
    return false;
  pos_ += lit.size();
  return true;
}

bool Cursor::eat_word(std::string_view word) {
  skip_space();
  if (peek_word() != word)
    return false;
  pos_ += word.size();
  return true;
}

std::string_view Cursor::peek_word() {
  skip_space();
  size_t end = pos_;
  while (end < text_.size() && is_ident_char(text_[end]))
    ++end;
  return text_.substr(pos_, end - pos_);
}

std::string_view Cursor::take_word() {
  std::string_view word = peek_word();
  pos_ += word.size();
  return word;
}

std::string_view Cursor::peek_token() {
  skip_space();
  size_t end = pos_;
  while (end < text_.size() && !is_space(text_[end]) && text_[end] != ',')
    ++end;
  return text_.substr(pos_, end - pos_);
}

Result<Literal> Cursor::literal(std::string_view what) {
  skip_space();
  size_t start = pos_, p = pos_;
  Literal lit;
  if (p < text_.size() && (text_[p] == '+' || text_[p] == '-'))
    lit.negative = text_[p++] == '-';
  size_t digits_start = p;
  unsigned base = 10;
  if (text_.substr(p, 2) == "0x" || text_.substr(p, 2) == "0X") {
    base = 16;
    digits_start = p += 2;
    while (p < text_.size() && is_hex_digit(text_[p]))
      ++p;
  } else {
    while (p < text_.size() && is_digit(text_[p]))
      ++p;
  }
  if (p == digits_start) {
    std::string_view found = peek_token();
    return syntax_error("expected " + std::string(what) + ", found " +
                        (found.empty() ? std::string("nothing")
                                       : "'" + std::string(found) + "'"));
  }
  lit.hex = base == 16;
  lit.text = std::string(text_.substr(start, p - start));
  auto magnitude =
      accumulate(text_.substr(digits_start, p - digits_start), base);
  if (!magnitude) {
    std::string_view noun = what; // "an immediate" -> "immediate"
    noun.remove_prefix(std::min(noun.find(' ') + 1, noun.size()));
    return syntax_error(std::string(noun) + " " + lit.text +
                        " out of range for 64 bits");
  }
  lit.magnitude = *magnitude;
  pos_ = p;
  return lit;
}

Result<Literal> Cursor::signed_literal(std::string_view what) {
  bool negative = false;
  if (eat("-"))
    negative = true;
  else if (!eat("+"))
    return syntax_error("expected '+' or '-' and " + std::string(what) +
                        ", found '" + std::string(peek_token()) + "'");
  BPFHOST_TRY(lit, literal(what));
  if (negative) {
    lit.negative = !lit.negative;
    lit.text = "-" + lit.text;
  }
  return lit;
}

Result<int32_t> to_imm32(const Literal &lit, bool unsigned_decimal) {
  constexpr uint64_t kMaxPositive = 0x7fffffff;
  const bool pattern = lit.hex || unsigned_decimal;
  uint64_t limit = lit.negative ? kMaxPositive + 1
                                : (pattern ? 0xffffffffULL : kMaxPositive);
  if (lit.magnitude > limit)
    return syntax_error("immediate " + lit.text + " out of range for 32 bits");
  uint32_t bits = static_cast<uint32_t>(lit.magnitude);
  if (lit.negative)
    bits = 0u - bits;
  return static_cast<int32_t>(bits);
}

Result<int16_t> to_off16(const Literal &lit) {
  uint64_t limit = lit.negative ? 0x8000 : 0x7fff;
  if (lit.magnitude > limit)
    return syntax_error("offset " + lit.text + " out of range");
  int32_t value = static_cast<int32_t>(lit.magnitude);
  return static_cast<int16_t>(lit.negative ? -value : value);
}

Result<uint64_t> to_imm64(const Literal &lit) {
  if (lit.negative && lit.magnitude > (1ULL << 63))
    return syntax_error("immediate " + lit.text + " out of range for 64 bits");
  return lit.negative ? 0 - lit.magnitude : lit.magnitude;
}

Result<int32_t> target_to_imm32(int64_t offset, std::string_view text) {
  if (offset < std::numeric_limits<int32_t>::min() ||
      offset > std::numeric_limits<int32_t>::max())
    return syntax_error("offset " + std::string(text) + " out of range");
  return static_cast<int32_t>(offset);
}

Result<int16_t> target_to_off16(int64_t offset, std::string_view text) {
  if (offset < std::numeric_limits<int16_t>::min() ||
      offset > std::numeric_limits<int16_t>::max())
    return syntax_error("offset " + std::string(text) + " out of range");
  return static_cast<int16_t>(offset);
}

Result<int32_t> Cursor::imm32() {
  BPFHOST_TRY(lit, literal("an immediate"));
  return to_imm32(lit, unsigned_decimal_);
}

Result<uint64_t> Cursor::imm64() {
  BPFHOST_TRY(lit, literal("an immediate"));
  return to_imm64(lit);
}

Result<int16_t> Cursor::off16() {
  BPFHOST_TRY(lit, literal("an offset"));
  return to_off16(lit);
}

Result<Target> Cursor::target(bool pc_prefix) {
  skip_space();
  std::string_view next = text_.substr(pos_);
  if (pc_prefix && next.size() > 2 && next.substr(0, 2) == "pc" &&
      (next[2] == '+' || next[2] == '-'))
    pos_ += 2;
  if (eat("<")) {
    size_t close = text_.find('>', pos_);
    std::string_view name = text_.substr(pos_, close - pos_);
    if (close == std::string_view::npos || !is_label_name(name))
      return syntax_error("invalid label '<" + std::string(name) + "'");
    pos_ = close + 1;
    return Target{0, std::string(name)};
  }
  skip_space();
  if (pos_ < text_.size() &&
      (text_[pos_] == '+' || text_[pos_] == '-' || is_digit(text_[pos_]))) {
    BPFHOST_TRY(lit, literal("a jump offset"));
    if (lit.magnitude > (1ULL << 62))
      return syntax_error("offset " + lit.text + " out of range");
    int64_t value = static_cast<int64_t>(lit.magnitude);
    return Target{lit.negative ? -value : value, std::nullopt};
  }
  std::string_view word = peek_word();
  if (!is_label_name(word))
    return syntax_error("expected a jump target, found '" +
                        std::string(peek_token()) + "'");
  pos_ += word.size();
  return Target{0, std::string(word)};
}

Result<void> Cursor::end(std::string_view context) {
  if (at_end())
    return {};
  return syntax_error(std::string(context) + ": unexpected '" +
                      std::string(rest()) + "'");
}

Result<Reg> register_index(std::string_view digits, std::string_view full) {
  bool ok = !digits.empty() && digits.size() <= 2 &&
            (digits.size() == 1 || digits[0] != '0');
  for (char c : digits)
    ok = ok && is_digit(c);
  unsigned value = 0;
  for (char c : digits)
    value = value * 10 + static_cast<unsigned>(c - '0');
  if (!ok || value > 10)
    return syntax_error("invalid register '" + std::string(full) + "'");
  return Reg{static_cast<uint8_t>(value)};
}

} // namespace bpfhost::isa::detail
