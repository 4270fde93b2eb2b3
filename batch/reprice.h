/* reprice.h - `licbill verify --reprice`: a sealed month priced again from its archive alone, compared with its documents. */
#ifndef LB_REPRICE_H
#define LB_REPRICE_H

#include <stdio.h>

/* Extract the archive at archive_path (YYYY-MM.tar.gz) into a temporary
 * folder, price its month again from the archived input/ and template/ with
 * the check code path (no ledger written, no number reserved), dated the
 * latest issue date of the month's invoices in the archived invoices.csv, with
 * the carried state of ledger_path_or_null (opened read-only, as `check
 * --ledger` does; NULL: none, said on out), and compare each live invoice of
 * the month (every line's amount, subtotal, discount, tax, total) with the
 * archived invoices.csv and charges.csv, which the ledger wrote. Each
 * difference is one line on out: "NUMBER line N: amount OLD -> NEW" or
 * "NUMBER: total OLD -> NEW". A version or rule book other than the
 * archive's is said on out, and is no difference by itself.
 * Returns 0 when every amount is equal, 1 when one differs, 2 usage, 4 when
 * the archive cannot be read or priced. The temporary folder is removed. */
int reprice_archive(const char *archive_path, const char *ledger_path_or_null, FILE *out);

#endif
