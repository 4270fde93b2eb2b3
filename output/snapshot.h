/* snapshot.h - what a month folder keeps of how it was computed: the input set, the template, the rule book, the version. */
#ifndef LB_SNAPSHOT_H
#define LB_SNAPSHOT_H

#include "core/diag.h"
#include "core/date.h"

#define SNAPSHOT_INPUT "input"         /* MONTH/input/: the input set as the month's run read it */
#define SNAPSHOT_TEMPLATE "template"   /* MONTH/template/: the invoice template it drew with */
#define SNAPSHOT_RULEBOOK "rulebook/rules.md" /* docs/rules.md as embedded in the binary */
#define SNAPSHOT_ABOUT "ABOUT"         /* version, rule-book and input-set digests */

/* Make tmp (a name beginning with '.', which no MANIFEST lists: snapshot_temp_name) a durable copy of the tree
 * src: every regular file below src whose name does not start with '.' (symlinks followed, as
 * digest_sha256_tree reads them); whatever was at tmp is removed first. The copy's digest_sha256_tree must equal
 * want_sha (the digest the run took when it started; NULL: not checked), else the tree changed while the month
 * ran: LB_EINPUT with the reason in d. LB_OK, LB_EINPUT, LB_EIO (path and errno text in d), LB_ENOMEM. The run
 * makes this copy while it draws (batch/run.c), so it touches nothing but tmp. */
int snapshot_copy(const char *src, const char *tmp, const char *want_sha, diag_list *d);

/* The tree src still digests to want_sha (a copy made early is only the month's inputs if nothing changed
 * after it): LB_OK, or LB_EINPUT "the input set changed while the month ran", LB_EIO, LB_ENOMEM (in d). */
int snapshot_unchanged(const char *src, const char *want_sha, diag_list *d);

/* Put the finished copy tmp in place of dst (what was at dst removed first), the name durable. LB_OK, LB_EIO,
 * LB_ENOMEM (in d). */
int snapshot_install(const char *tmp, const char *dst, diag_list *d);

/* Remove a copy that will not be installed (a failed run); a missing tmp is fine. LB_OK or LB_EIO (in d). */
int snapshot_discard(const char *tmp, diag_list *d);

/* "DIR/.NAME.copy" for dst "DIR/NAME": where dst's copy is made (malloc'd; NULL when out of memory). */
char *snapshot_temp_name(const char *dst);

/* snapshot_copy to snapshot_temp_name(dst), then snapshot_install: dst never holds half a copy. */
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
