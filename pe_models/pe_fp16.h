/* pe_fp16.h - IEEE binary16 arithmetic for the bit-true PE models: each
 * operation rounds once to nearest, ties to even, with subnormals, infinities
 * and NaN (the result of an invalid operation is the default quiet NaN
 * 0x7e00). Operands and results are bit patterns. The exact intermediate is
 * formed in double, which holds the exact sum or product of two halves (at
 * most 22 significant bits of product, and an exponent span that fits 53
 * bits for a sum), so there is one rounding only. */
#ifndef PE_FP16_H
#define PE_FP16_H

#include <stdint.h>

uint16_t pe_f16_add(uint16_t a, uint16_t b);
uint16_t pe_f16_mul(uint16_t a, uint16_t b);
/* x * 2^e, rounded once (LUT-TC's bit position added to the exponent). */
uint16_t pe_f16_ldexp(uint16_t x, int e);
uint16_t pe_f16_neg(uint16_t a);

#endif
