// Two's-complement machine words over intervals: a value is known by its
// signed and its unsigned view (two intervals), at 64 or 32 bits. This is
// where wrap-around, truncation and sign extension are decided; the domains
// below only know integers.
#pragma once

#include "isa/ir.hpp"
#include "verifier/domains/interval.hpp"

namespace bpfhost::verifier {

using domains::Int128;
using domains::Interval;

struct Word {
  Interval s; // signed view
  Interval u; // unsigned view
};

Interval signed_range(unsigned bits);
Interval unsigned_range(unsigned bits);

// Makes both views consistent with each other and within `bits`.
Word normalize(Word w, unsigned bits);
Word from_signed(const Interval &s, unsigned bits);
Word from_unsigned(const Interval &u, unsigned bits);
Word constant_word(Int128 v, unsigned bits);
// The low 32 bits of a 64-bit word, as a 32-bit word.
Word low32(const Word &w);
// The low `bytes` bytes, zero- or sign-extended to 64 bits.
Word truncate(const Word &w, unsigned bytes, bool sign_extend);

// dst OP src on numbers, at `bits` (32: result zero-extended by the caller).
// Mov and MovSx are handled by the caller. `div_by_zero_possible` is set when
// the divisor may be 0.
Word alu(isa::AluOp op, const Word &dst, const Word &src, unsigned bits);
Word negate(const Word &w, unsigned bits);
// Byte swap of the low `bits` bits (16, 32, 64), result zero-extended.
Word byte_swap(const Word &w, unsigned bits);

} // namespace bpfhost::verifier
