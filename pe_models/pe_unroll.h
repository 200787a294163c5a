/* pe_unroll.h - PE_UNROLL(n): `#pragma GCC unroll n` for the hot loops of
 * the bit-true models, where the compiler optimises. GCC ignores the
 * pragma at -O0 with a warning no flag turns off ("ignoring loop
 * annotation"), which a -Dwerror=true debug build turns into an error. */
#ifndef PE_UNROLL_H
#define PE_UNROLL_H

#define PE_PRAGMA_(x) _Pragma(#x)
#if defined(__OPTIMIZE__)
#define PE_UNROLL(n) PE_PRAGMA_(GCC unroll n)
#else
#define PE_UNROLL(n)
#endif

#endif
