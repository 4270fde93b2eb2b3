/* snapshot.h - what a month folder keeps of how it was computed: the input set, the template, the rule book, the version. */
#ifndef LB_SNAPSHOT_H
#define LB_SNAPSHOT_H

#include "core/diag.h"
#include "core/date.h"

#define SNAPSHOT_INPUT "input"         /* MONTH/input/: the input set as the month's run read it */
#define SNAPSHOT_TEMPLATE "template"   /* MONTH/template/: the invoice template it drew with */
#define SNAPSHOT_RULEBOOK "rulebook/rules.md" /* docs/rules.md as embedded in the binary */
#define SNAPSHOT_ABOUT "ABOUT"         /* version, rule-book and input-set digests */

/* Make dst a copy of the tree src: every regular file below src whose name
 * does not start with '.' (symlinks followed, as digest_sha256_tree reads
 * them), each written atomically; files and folders of dst that are not in
 * src any more are removed first. The copy's digest_sha256_tree must equal
 * want_sha (the digest the run took when it started, NULL: not checked), else
 * the tree changed while the month ran: LB_EINPUT with the reason in d.
 * LB_OK, LB_EINPUT, LB_EIO (path and errno text in d), LB_ENOMEM. */
int snapshot_tree(const char *src, const char *dst, const char *want_sha, diag_list *d);

/* Write MONTH/rulebook/rules.md (the embedded rule book) and MONTH/ABOUT:
 *
 *   licbill <version>
 *   rulebook <sha256> rulebook/rules.md
 *   month YYYY-MM
 *   input <digest_sha256_tree of input/> input/
 *   template <digest_sha256_tree of template/> template/
 *
 * The same binary, month and trees always give the same bytes.
 * LB_OK, LB_EIO (in d), LB_ENOMEM. */
int snapshot_about(const char *monthdir, lb_month m, const char *inputs_sha, const char *template_sha, diag_list *d);

#endif
