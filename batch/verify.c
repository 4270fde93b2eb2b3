/* verify.c - re-hashes a billing output folder against its MANIFESTs, archives and ledger; prunes verified months. */
#include "batch/verify.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <nettle/sha2.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diag.h"
#include "output/archive.h"
#include "output/manifest.h"

#define NONE "(none)"

/* An issued document of the ledger. */
typedef struct ldoc {
  char number[64];
  lb_month month;
  char sha[65];
} ldoc;

typedef struct vctx {
  const char *dir;   /* the --output folder */
  FILE *out;
  long problems;     /* mismatches reported */
  long files;        /* files and members checked */
  int io;            /* an I/O failure happened */
  ldoc *docs;
  size_t ndocs;
  int have_ledger;
} vctx;

static void mismatch(vctx *v, const char *path, const char *what, const char *expected, const char *actual)
{
  v->problems++;
  if(expected || actual)
    fprintf(v->out, "%s: %s, expected %s, actual %s\n", path, what, expected ? expected : NONE,
            actual ? actual : NONE);
  else
    fprintf(v->out, "%s: %s\n", path, what);
}

static void sha_text(const char *text, size_t len, char out[65])
{
  static const char d[] = "0123456789abcdef";
  struct sha256_ctx c;
  uint8_t h[SHA256_DIGEST_SIZE];
  sha256_init(&c);
  sha256_update(&c, len, (const uint8_t *)text);
  sha256_digest(&c, sizeof(h), h);
  for(size_t i = 0; i < sizeof(h); i++) {
    out[2 * i] = d[h[i] >> 4];
    out[2 * i + 1] = d[h[i] & 15];
  }
  out[64] = '\0';
}

static int is_dir(const char *p)
{
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int exists(const char *p)
{
  struct stat st;
  return lstat(p, &st) == 0;
}

/* ---- the ledger, read-only --------------------------------------------- */

static int load_ledger(vctx *v)
{
  char *path = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  size_t cap = 0;
  int rc = 0;
  if(asprintf(&path, "%s/ledger.db", v->dir) < 0)
    return -1;
  if(!exists(path)) {
    free(path);
    return 0;
  }
  /* a document is in the folder of the month it is filed in (a correction of a closed month is filed in an
   * open one); a ledger from before filing has its documents in their month's folder */
  if(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
     (sqlite3_prepare_v2(db, "SELECT number, coalesce(filed_in, month), pdf_sha256 FROM documents WHERE status = "
                         "'issued' ORDER BY 2, number", -1, &st, NULL) != SQLITE_OK &&
      sqlite3_prepare_v2(db, "SELECT number, month, pdf_sha256 FROM issued ORDER BY month, number", -1, &st,
                         NULL) != SQLITE_OK)) {
    fprintf(stderr, "licbill: %s: cannot read the ledger: %s\n", path, db ? sqlite3_errmsg(db) : "out of memory");
    rc = -1;
    goto out;
  }
  int step;
  while((step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *num = (const char *)sqlite3_column_text(st, 0), *mon = (const char *)sqlite3_column_text(st, 1);
    const char *sha = (const char *)sqlite3_column_text(st, 2);
    size_t ep;
    lb_month m;
    if(!num || !mon || month_parse(&m, mon, strlen(mon), &ep))
      continue;
    if(v->ndocs == cap) {
      size_t nc = cap ? cap * 2 : 64;
      ldoc *nd = realloc(v->docs, nc * sizeof(*nd));
      if(!nd) {
        rc = -1;
        goto out;
      }
      v->docs = nd;
      cap = nc;
    }
    ldoc *d = &v->docs[v->ndocs++];
    snprintf(d->number, sizeof(d->number), "%s", num);
    d->month = m;
    snprintf(d->sha, sizeof(d->sha), "%s", sha ? sha : "");
  }
  if(step != SQLITE_DONE) {
    fprintf(stderr, "licbill: %s: cannot read the ledger: %s\n", path, sqlite3_errmsg(db));
    rc = -1;
    goto out;
  }
  v->have_ledger = 1;
out:
  sqlite3_finalize(st);
  sqlite3_close(db);
  free(path);
  return rc;
}

/* ---- one month ---------------------------------------------------------- */

/* What an archive holds, by path relative to the month folder. */
typedef struct seen {
  char *rel;
  char sha[65];
  uint64_t size;
} seen;

typedef struct walkctx {
  vctx *v;
  const char *apath;   /* archive path, for messages */
  const char *mon;     /* "2026-11" */
  const manifest *mf;  /* what the members should be (NULL: unknown) */
  const char *manifest_sha; /* sha256 of the MANIFEST text in use */
  seen *s;
  size_t ns, cap;
  const char *cur;     /* member name being read */
  int cur_dir;
  int oom;
} walkctx;

static int w_begin(void *ctx, const char *name, int is_dir, uint64_t size)
{
  walkctx *w = ctx;
  (void)size;
  w->cur = NULL;
  size_t ml = strlen(w->mon);
  if(strncmp(name, w->mon, ml) || (name[ml] && name[ml] != '/')) {
    mismatch(w->v, w->apath, "a member outside the month's folder", w->mon, name);
    return 0;
  }
  w->cur = name;
  w->cur_dir = is_dir;
  return 0;
}

static int w_end(void *ctx, const char sha[65], uint64_t size)
{
  walkctx *w = ctx;
  if(!w->cur || w->cur_dir)
    return 0;
  const char *rel = w->cur + strlen(w->mon) + 1;
  char what[600], exp[96], act[96];
  w->v->files++;
  if(w->ns == w->cap) {
    size_t nc = w->cap ? w->cap * 2 : 64;
    seen *ns = realloc(w->s, nc * sizeof(*ns));
    if(!ns)
      return LB_ENOMEM;
    w->s = ns;
    w->cap = nc;
  }
  seen *x = &w->s[w->ns];
  if(!(x->rel = strdup(rel)))
    return LB_ENOMEM;
  memcpy(x->sha, sha, 65);
  x->size = size;
  w->ns++;
  if(!w->mf)
    return 0;
  if(!strcmp(rel, MANIFEST_NAME)) {
    if(w->manifest_sha && strcmp(sha, w->manifest_sha)) {
      snprintf(what, sizeof(what), "member %s differs from the month's MANIFEST", w->cur);
      mismatch(w->v, w->apath, what, w->manifest_sha, sha);
    }
    return 0;
  }
  const manifest_entry *e = manifest_find(w->mf, rel);
  if(!e) {
    snprintf(what, sizeof(what), "member %s is not in the MANIFEST", w->cur);
    mismatch(w->v, w->apath, what, NULL, sha);
  } else if(strcmp(e->sha256, sha) || e->size != size) {
    snprintf(what, sizeof(what), "member %s differs from the MANIFEST", w->cur);
    snprintf(exp, sizeof(exp), "sha256 %s (%" PRIu64 " bytes)", e->sha256, e->size);
    snprintf(act, sizeof(act), "sha256 %s (%" PRIu64 " bytes)", sha, size);
    mismatch(w->v, w->apath, what, exp, act);
  }
  return 0;
}

static void w_problem(void *ctx, const char *what, const char *exp, const char *act)
{
  walkctx *w = ctx;
  mismatch(w->v, w->apath, what, exp, act);
}

static const seen *seen_find(const walkctx *w, const char *rel)
{
  for(size_t i = 0; i < w->ns; i++)
    if(!strcmp(w->s[i].rel, rel))
      return &w->s[i];
  return NULL;
}

/* Files below dir/rel that the MANIFEST does not list (names only; hashed when reported). */
static void extra_files(vctx *v, const char *dir, const char *rel, const manifest *mf, int depth)
{
  char *full = NULL;
  if(depth > 16 || asprintf(&full, "%s%s%s", dir, *rel ? "/" : "", rel) < 0)
    return;
  DIR *dh = opendir(full);
  if(!dh) {
    fprintf(stderr, "licbill: %s: cannot read the folder: %s\n", full, strerror(errno));
    v->io = 1;
    free(full);
    return;
  }
  struct dirent *de;
  while((de = readdir(dh)) != NULL) {
    char *sub = NULL, *path = NULL;
    if(de->d_name[0] == '.' || (!*rel && !strcmp(de->d_name, MANIFEST_NAME)))
      continue;
    if(asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0)
      break;
    if(asprintf(&path, "%s/%s", dir, sub) < 0) {
      free(sub);
      break;
    }
    struct stat st;
    if(lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
      extra_files(v, dir, sub, mf, depth + 1);
    else if(!manifest_find(mf, sub)) {
      char sha[65];
      int ok = S_ISREG(st.st_mode) && manifest_hash_file(path, sha, NULL) == LB_OK;
      mismatch(v, path, "a file the MANIFEST does not list", NULL, ok ? sha : "not a readable regular file");
    }
    free(sub);
    free(path);
  }
  closedir(dh);
  free(full);
}

/* The MANIFEST text of the latest month before m that has one. 1 when none. */
static int previous_manifest(vctx *v, const lb_month *months, size_t n, lb_month m, lb_month *pm, char sha[65])
{
  for(size_t i = n; i-- > 0;) {
    if(months[i] >= m)
      continue;
    char *text = NULL;
    size_t len;
    int where;
    int rc = archive_month_manifest(v->dir, months[i], &text, &len, &where);
    if(rc < 0)
      return rc;
    if(rc == 1)
      continue;
    sha_text(text, len, sha);
    free(text);
    *pm = months[i];
    return 0;
  }
  return 1;
}

/* Check month m. Returns the number of mismatches found for it (v->problems
 * counts them too); v->io is set on I/O failures. */
static long check_month(vctx *v, lb_month m, const lb_month *months, size_t nmonths, int check_chain)
{
  char mon[8], *mdir = NULL, *apath = NULL, *spath = NULL, *text = NULL, msha[65], what[512];
  size_t len = 0;
  int where = 0;
  long before = v->problems;
  manifest mf;
  diag_list d;
  walkctx w;
  manifest_init(&mf);
  diag_init(&d);
  memset(&w, 0, sizeof(w));
  month_format(mon, m);
  if(asprintf(&mdir, "%s/%s", v->dir, mon) < 0 || !(apath = archive_month_path(v->dir, m)) ||
     asprintf(&spath, "%s" ARCHIVE_SUM_EXT, apath) < 0) {
    v->io = 1;
    goto out;
  }
  int have_dir = is_dir(mdir), have_archive = exists(apath), have_mf = 0;

  int rc = archive_month_manifest(v->dir, m, &text, &len, &where);
  if(rc < 0) {
    fprintf(stderr, "licbill: cannot read the MANIFEST of %s: %s\n", mon, strerror(errno));
    v->io = 1;
  } else if(rc == 1) {
    if(!have_dir && !have_archive)
      mismatch(v, mdir, "the month is gone: no folder and no archive, but the ledger has documents for it", NULL,
               NULL);
    else
      mismatch(v, mdir, "the month is not sealed: no MANIFEST in the folder or the archive", MANIFEST_NAME, NULL);
  } else {
    char mp[600];
    snprintf(mp, sizeof(mp), "%s/%s", where == 1 ? mdir : apath, MANIFEST_NAME);
    if(manifest_parse(&mf, text, len, mp, &d)) {
      for(size_t i = 0; i < d.n; i++)
        mismatch(v, mp, d.v[i].message, NULL, NULL);
    } else {
      have_mf = 1;
      sha_text(text, len, msha);
      if(mf.month != m) {
        char got[8];
        mismatch(v, mp, "the MANIFEST is of another month", mon, month_format(got, mf.month));
      }
    }
  }

  /* the loose folder against the MANIFEST */
  if(have_dir && have_mf) {
    for(size_t i = 0; i < mf.n; i++) {
      char *path = NULL, sha[65], exp[96], act[96];
      uint64_t size;
      if(asprintf(&path, "%s/%s", mdir, mf.v[i].path) < 0) {
        v->io = 1;
        break;
      }
      v->files++;
      if(manifest_hash_file(path, sha, &size)) {
        snprintf(exp, sizeof(exp), "sha256 %s", mf.v[i].sha256);
        mismatch(v, path, errno == ENOENT ? "missing from the month folder" : "cannot be read", exp, NULL);
      } else if(strcmp(sha, mf.v[i].sha256) || size != mf.v[i].size) {
        snprintf(exp, sizeof(exp), "sha256 %s (%" PRIu64 " bytes)", mf.v[i].sha256, mf.v[i].size);
        snprintf(act, sizeof(act), "sha256 %s (%" PRIu64 " bytes)", sha, size);
        mismatch(v, path, "differs from the MANIFEST", exp, act);
      }
      free(path);
    }
    extra_files(v, mdir, "", &mf, 0);
  }

  /* the archive */
  if(have_archive) {
    char file_sha[65];
    w.v = v;
    w.apath = apath;
    w.mon = mon;
    w.mf = have_mf ? &mf : NULL;
    w.manifest_sha = have_mf ? msha : NULL;
    archive_visitor vis = {&w, w_begin, NULL, w_end, w_problem};
    rc = archive_walk(apath, &vis, file_sha);
    if(rc == LB_EIO || rc == LB_ENOMEM) {
      fprintf(stderr, "licbill: %s: cannot read: %s\n", apath, strerror(errno));
      v->io = 1;
    }
    /* the walk stops at damaged deflate data: hash the bytes as stored */
    if(!file_sha[0] && manifest_hash_file(apath, file_sha, NULL))
      file_sha[0] = '\0';
    /* the file as a whole, against the hash written beside it */
    FILE *fp = fopen(spath, "r");
    char line[160] = "";
    if(!fp)
      mismatch(v, spath, "missing: the archive's sha256 was not written", "a sha256 line", NULL);
    else {
      if(!fgets(line, sizeof(line), fp))
        line[0] = '\0';
      fclose(fp);
      line[strcspn(line, " \n")] = '\0';
      if(strlen(line) != 64)
        mismatch(v, spath, "not a sha256 line", "64 hex digits", line);
      else if(!file_sha[0] || strcmp(line, file_sha))
        mismatch(v, apath, "sha256 of the archive differs from its .sha256 file", line,
                 file_sha[0] ? file_sha : "(not readable to its end)");
    }
    if(have_mf) {
      for(size_t i = 0; i < mf.n; i++)
        if(!seen_find(&w, mf.v[i].path)) {
          char exp[96];
          snprintf(what, sizeof(what), "member %s/%s is missing from the archive", mon, mf.v[i].path);
          snprintf(exp, sizeof(exp), "sha256 %s", mf.v[i].sha256);
          mismatch(v, apath, what, exp, NULL);
        }
      if(!seen_find(&w, MANIFEST_NAME)) {
        snprintf(what, sizeof(what), "member %s/%s is missing from the archive", mon, MANIFEST_NAME);
        mismatch(v, apath, what, msha, NULL);
      }
    }
  } else if(have_mf) {
    mismatch(v, apath, "missing: the month has a MANIFEST but no archive", "the sealed archive", NULL);
  }

  /* the link to the previous month */
  if(check_chain && have_mf) {
    lb_month pm = MONTH_NONE;
    char psha[65], exp[96], act[96], pmon[8], lmon[8];
    rc = previous_manifest(v, months, nmonths, m, &pm, psha);
    char mp[600];
    snprintf(mp, sizeof(mp), "%s/%s", where == 1 ? mdir : apath, MANIFEST_NAME);
    if(rc < 0)
      v->io = 1;
    else if(mf.prev_month == MONTH_NONE) {
      if(rc == 0) {
        snprintf(exp, sizeof(exp), "previous %s %s", month_format(pmon, pm), psha);
        mismatch(v, mp, "chain: the MANIFEST says it is the first month, but an earlier month is sealed", exp,
                 "previous none");
      }
    } else {
      char *ptext = NULL;
      size_t plen;
      int pwhere;
      month_format(lmon, mf.prev_month);
      int r = archive_month_manifest(v->dir, mf.prev_month, &ptext, &plen, &pwhere);
      if(r < 0)
        v->io = 1;
      else if(r == 1) {
        snprintf(what, sizeof(what), "chain: the previous month %s is gone (no MANIFEST in its folder or archive)",
                 lmon);
        snprintf(exp, sizeof(exp), "%s/MANIFEST sha256 %s", lmon, mf.prev_sha256);
        mismatch(v, mp, what, exp, NULL);
      } else {
        char got[65];
        sha_text(ptext, plen, got);
        if(strcmp(got, mf.prev_sha256)) {
          snprintf(what, sizeof(what), "chain: the MANIFEST of %s differs from the one this month links to", lmon);
          mismatch(v, mp, what, mf.prev_sha256, got);
        }
        if(rc == 0 && pm > mf.prev_month) {
          snprintf(what, sizeof(what), "chain: the link skips %s, sealed between %s and %s", month_format(pmon, pm),
                   lmon, mon);
          snprintf(exp, sizeof(exp), "previous %s %s", pmon, psha);
          snprintf(act, sizeof(act), "previous %s %s", lmon, mf.prev_sha256);
          mismatch(v, mp, what, exp, act);
        }
      }
      free(ptext);
    }
  }

  /* the ledger's documents of the month */
  for(size_t i = 0; i < v->ndocs; i++) {
    const ldoc *doc = &v->docs[i];
    char rel[160], *path = NULL, sha[65], exp[96];
    if(doc->month != m)
      continue;
    snprintf(rel, sizeof(rel), "invoices/%s.pdf", doc->number);
    if(asprintf(&path, "%s/%s", mdir, rel) < 0) {
      v->io = 1;
      break;
    }
    snprintf(exp, sizeof(exp), "pdf_sha256 %s (ledger)", doc->sha);
    const seen *s = seen_find(&w, rel);
    if(have_dir && manifest_hash_file(path, sha, NULL) == LB_OK) {
      if(strcmp(sha, doc->sha))
        mismatch(v, path, "differs from what the ledger issued", exp, sha);
    } else if(!have_dir && s) {
      if(strcmp(s->sha, doc->sha)) {
        snprintf(what, sizeof(what), "member %s/%s differs from what the ledger issued", mon, rel);
        mismatch(v, apath, what, exp, s->sha);
      }
    } else
      mismatch(v, path, "an issued document is missing", exp, NULL);
    free(path);
  }
out:
  for(size_t i = 0; i < w.ns; i++)
    free(w.s[i].rel);
  free(w.s);
  manifest_clear(&mf);
  diag_clear(&d);
  free(text);
  free(mdir);
  free(apath);
  free(spath);
  return v->problems - before;
}

/* Months to look at: those on disk and those the ledger has documents for. */
static int all_months(vctx *v, lb_month **months, size_t *n)
{
  int rc = archive_months(v->dir, months, n);
  if(rc)
    return rc;
  for(size_t i = 0; i < v->ndocs; i++) {
    int have = 0;
    for(size_t k = 0; k < *n && !have; k++)
      have = (*months)[k] == v->docs[i].month;
    if(have)
      continue;
    lb_month *nm = realloc(*months, (*n + 1) * sizeof(*nm));
    if(!nm)
      return LB_ENOMEM;
    *months = nm;
    size_t k = *n;
    while(k > 0 && nm[k - 1] > v->docs[i].month) {
      nm[k] = nm[k - 1];
      k--;
    }
    nm[k] = v->docs[i].month;
    (*n)++;
  }
  return LB_OK;
}

static int prepare(vctx *v, const char *output, FILE *out)
{
  memset(v, 0, sizeof(*v));
  v->dir = output;
  v->out = out;
  if(!output || !is_dir(output)) {
    fprintf(stderr, "licbill: %s: not a folder, expected the --output folder of the runs\n", output ? output : "");
    return VERIFY_USAGE;
  }
  if(load_ledger(v))
    return VERIFY_IO;
  return VERIFY_OK;
}

int verify_run(const char *output, const char *month_or_null, FILE *out)
{
  vctx v;
  lb_month *months = NULL, only = MONTH_NONE;
  size_t n = 0, checked = 0;
  int code;
  if(month_or_null) {
    size_t ep;
    if(month_parse(&only, month_or_null, strlen(month_or_null), &ep)) {
      fprintf(stderr, "licbill: --month '%s': expected YYYY-MM\n", month_or_null);
      return VERIFY_USAGE;
    }
  }
  code = prepare(&v, output, out);
  if(code)
    goto out;
  if(all_months(&v, &months, &n)) {
    fprintf(stderr, "licbill: %s: cannot list the months: %s\n", output, strerror(errno));
    code = VERIFY_IO;
    goto out;
  }
  for(size_t i = 0; i < n; i++) {
    if(only != MONTH_NONE && months[i] != only)
      continue;
    check_month(&v, months[i], months, n, 1);
    checked++;
  }
  if(only != MONTH_NONE && !checked) {
    char mon[8];
    mismatch(&v, output, "no such month: no folder, archive or ledger document", month_format(mon, only), NULL);
  }
  if(v.problems || isatty(fileno(out)))
    fprintf(out, "licbill verify: %zu month%s, %ld files checked, %ld mismatch%s\n", checked, checked == 1 ? "" : "s",
            v.files, v.problems, v.problems == 1 ? "" : "es");
  code = v.io ? VERIFY_IO : v.problems ? VERIFY_MISMATCH : VERIFY_OK;
out:
  free(months);
  free(v.docs);
  return code;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st;
  (void)ftw;
  return (flag == FTW_DP ? rmdir(path) : unlink(path)) ? -1 : 0;
}

int verify_prune(const char *output, int nmonths, lb_month ref, FILE *out)
{
  vctx v;
  lb_month *months = NULL;
  size_t n = 0;
  int code, kept = 0;
  if(nmonths < 0) {
    fprintf(stderr, "licbill: --prune-older-than %d: expected a number of months, 0 or more\n", nmonths);
    return VERIFY_USAGE;
  }
  code = prepare(&v, output, out);
  if(code)
    goto out;
  if(archive_months(output, &months, &n)) {
    fprintf(stderr, "licbill: %s: cannot list the months: %s\n", output, strerror(errno));
    code = VERIFY_IO;
    goto out;
  }
  if(ref == MONTH_NONE && n)
    ref = months[n - 1];
  for(size_t i = 0; i < n; i++) {
    char mon[8], *mdir = NULL, *apath = NULL;
    lb_month m = months[i];
    if(ref - m <= nmonths)
      continue;
    month_format(mon, m);
    if(asprintf(&mdir, "%s/%s", output, mon) < 0 || !(apath = archive_month_path(output, m))) {
      free(mdir);
      code = VERIFY_IO;
      break;
    }
    if(!is_dir(mdir)) {
      free(mdir);
      free(apath);
      continue; /* already pruned */
    }
    long bad = 0;
    int io_before = v.io;
    if(!exists(apath)) {
      mismatch(&v, apath, "missing: the month was never archived", "the sealed archive", NULL);
      bad = 1;
    } else
      bad = check_month(&v, m, months, n, 0);
    if(bad || v.io != io_before) {
      fprintf(out, "kept %s: its archive does not verify (%ld mismatch%s above)\n", mdir, bad, bad == 1 ? "" : "es");
      kept++;
    } else if(nftw(mdir, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0) {
      fprintf(stderr, "licbill: %s: cannot remove: %s\n", mdir, strerror(errno));
      v.io = 1;
    } else
      fprintf(out, "pruned %s (kept in %s)\n", mdir, apath);
    free(mdir);
    free(apath);
  }
  if(code == VERIFY_OK)
    code = v.io ? VERIFY_IO : kept ? VERIFY_MISMATCH : VERIFY_OK;
out:
  free(months);
  free(v.docs);
  return code;
}
