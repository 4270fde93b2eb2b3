/* errors.h - the one set of return codes: 0 success, a negative named code for each kind of failure (libgit2 style). */
#ifndef LB_ERRORS_H
#define LB_ERRORS_H

#define LB_OK 0
#define LB_EINPUT (-10)    /* bad input; the details are in a diag_list */
#define LB_ENOMEM (-11)    /* allocation failed */
#define LB_EIO (-12)       /* read, write, fsync or the ledger (SQLite) failed */
#define LB_EOVERFLOW (-13) /* money or a quantity out of range */
#define LB_EBUG (-14)      /* a defect of licbill itself (an internal check failed; reported) */
#define LB_ESYNTAX (-15)   /* text that is not what was asked for (a number, a date) */
#define LB_EPLACES (-16)   /* a decimal with more fraction digits than allowed */

#endif
