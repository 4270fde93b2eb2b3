/* harumem.c - libharu's memory helpers at libc's speed.
 *
 * libharu 2.3.0 fills and copies memory one byte at a time in its own
 * HPDF_MemSet and HPDF_MemCpy, and clears a 512-byte scratch buffer with
 * HPDF_MemSet before every path and text operator it writes: 6 to 8 % of a
 * run (perf, bench/results.md). Both are exported functions the library
 * calls through its PLT, so the definitions below, in the executable, take
 * their place (ELF symbol interposition). They keep the library's contract
 * exactly: the same bytes, and the same return value (the end of what was
 * written). */
#include <hpdf.h>
#include <hpdf_utils.h>
#include <string.h>

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
  return (HPDF_BYTE *)memset(s, c, n) + n;
}

HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
  /* the library's loop copies forward; memmove gives the same bytes for every copy that does not overlap
   * forwards, and libharu copies only between distinct buffers */
  return (HPDF_BYTE *)memmove(out, in, n) + n;
}
