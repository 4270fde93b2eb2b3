/* pdfcs.h - rewrites a page's content stream, as libharu writes it, shorter and drawing the same. */
#ifndef LB_PDFCS_H
#define LB_PDFCS_H

#include <stddef.h>

/* Rewrite the content stream in[0..n) into out (room for at least
 * pdfcs_bound(n) bytes) and return the new length:
 * - path coordinates, line widths and grays to two decimals (a hundredth
 *   of a point is a 3,600th of an inch), written without needless zeros
 *   ("809.89001" becomes "809.89", "0.35" ".35");
 * - a g, G, w, d or Tf that sets what is already in effect is dropped (the
 *   state is followed through BT/ET and q/Q);
 * - ET, then nothing but such state operators, then BT: one text object
 *   goes on, and its next line is placed from the origin by
 *   "1 0 0 1 x y Tm", as the BT would have;
 * Strings, arrays, names and the operands of Td, Tf, Tm and cm are copied
 * as they are: text stays exactly where it was, since pdftotext -layout
 * turns a shift of a hundredth of a point into another column, and even
 * the float noise of libharu's five decimals ("813.89001") changes a
 * column now and then. A stream with anything else (an operator libharu does not
 * write such as T*, BI or BDC, a dictionary, an unterminated string,
 * unbalanced BT/ET or q/Q) is copied whole as it is. Never fails. */
size_t pdfcs_compact(const unsigned char *in, size_t n, unsigned char *out);

/* Room pdfcs_compact may need for an input of n bytes. */
#define pdfcs_bound(n) (2 * (size_t)(n) + 64)

#endif
