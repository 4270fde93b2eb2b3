/* verify.h - `licbill verify` (files, archives, MANIFEST chain, ledger) and `licbill archive --prune-older-than N`. */
#ifndef LB_VERIFY_H
#define LB_VERIFY_H

#include <stdio.h>

#include "core/date.h"

/* Exit codes, as in run.h (README, "Exit codes"). */
#define VERIFY_OK 0        /* everything matches (prune: every old month pruned or nothing to prune) */
#define VERIFY_MISMATCH 1  /* at least one mismatch (prune: at least one old month kept) */
#define VERIFY_USAGE 2     /* bad argument: month not YYYY-MM, output not a folder, negative N */
#define VERIFY_IO 4        /* a folder, archive or the ledger could not be read, or a folder not removed */

/* `licbill verify --output DIR [--month M]`: check every month of DIR (or
 * only month_or_null, "YYYY-MM") and print each mismatch to `out` as one
 * line "PATH: what, expected X, actual Y" with the file and both hashes:
 *  - each file of a month folder against its MANIFEST (sha256 and size),
 *    files missing from the folder and files the MANIFEST does not list;
 *  - each archive DIR/archive/YYYY-MM.tar.gz: its sha256 against the
 *    .sha256 file beside it, each gzip member's CRC32 and length (zlib),
 *    each tar member against the MANIFEST, the archived MANIFEST against the
 *    folder's, members missing or extra;
 *  - each MANIFEST's link: the sha256 of the previous sealed month's
 *    MANIFEST, a link to a month that is gone, a month left out of the chain,
 *    a month folder or ledger month without MANIFEST;
 *  - each issued document of DIR/ledger.db (read-only): the sha256 of
 *    YYYY-MM/invoices/NUMBER.pdf (in the folder, else in the archive) against
 *    the ledger's pdf_sha256.
 * A summary line follows when there was a mismatch or `out` is a terminal
 * (quiet for cron otherwise). Usage and I/O errors go to stderr.
 * Returns VERIFY_OK, VERIFY_MISMATCH, VERIFY_USAGE or VERIFY_IO. */
int verify_run(const char *output, const char *month_or_null, FILE *out);

/* `licbill archive --output DIR --prune-older-than N`: remove each loose
 * month folder DIR/YYYY-MM that is more than N months before
 * today_or_latest (MONTH_NONE: the latest month present in DIR), but only
 * when its archive verifies: the .sha256, every gzip CRC and length, every
 * member against the archived MANIFEST, every file of the folder equal to its
 * member (nothing in the folder that the archive lacks), and every issued
 * document of that month in the ledger. Prints "pruned PATH" or "kept PATH:
 * why" per old month (and each mismatch) to `out`.
 * Returns VERIFY_OK, VERIFY_MISMATCH (some old month kept), VERIFY_USAGE
 * (months < 0, output not a folder) or VERIFY_IO. */
int verify_prune(const char *output, int months, lb_month today_or_latest, FILE *out);

#endif
