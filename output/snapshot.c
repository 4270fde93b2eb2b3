/* snapshot.c - copies the input set and template into the month folder, writes the rule book and ABOUT. */
#include "output/snapshot.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/about.h"
#include "core/errors.h"
#include "output/atomic.h"
#include "output/digest.h"

#define COPY_BUF 65536

static int remove_tree(const char *path, diag_list *d);

static int remove_entry(const char *sub, void *d) { return remove_tree(sub, d); }

/* rm -r of path (regular files, links and folders); a missing path is fine. */
static int remove_tree(const char *path, diag_list *d)
{
  struct stat st;
  if(lstat(path, &st) != 0)
    return errno == ENOENT ? LB_OK : (diag_add(d, path, 0, 0, NULL, "cannot read: %s", strerror(errno)), LB_EIO);
  if(S_ISDIR(st.st_mode)) {
    DIR *dp = opendir(path);
    if(!dp) {
      diag_add(d, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
      return LB_EIO;
    }
    int rc = atomic_each_entry(dp, path, remove_entry, d);
    closedir(dp);
    if(!rc && rmdir(path) != 0) {
      diag_add(d, path, 0, 0, NULL, "cannot remove: %s", strerror(errno));
      rc = LB_EIO;
    }
    return rc;
  }
  if(unlink(path) != 0) {
    diag_add(d, path, 0, 0, NULL, "cannot remove: %s", strerror(errno));
    return LB_EIO;
  }
  return LB_OK;
}

/* Inside a tree that is still under its temporary name, a file is written straight to its name: the tree is made
 * durable and named as a whole (snapshot_install). */
static int copy_file(const char *from, const char *to, unsigned char *buf, diag_list *d)
{
  FILE *in = fopen(from, "rb"), *out;
  size_t n;
  if(!in) {
    diag_add(d, from, 0, 0, NULL, "cannot read for the month's copy of its inputs: %s", strerror(errno));
    return LB_EIO;
  }
  if(!(out = fopen(to, "wb"))) {
    diag_add(d, to, 0, 0, NULL, "cannot create: %s", strerror(errno));
    fclose(in);
    return LB_EIO;
  }
  while((n = fread(buf, 1, COPY_BUF, in)) > 0)
    if(fwrite(buf, 1, n, out) != n)
      break;
  int bad_in = ferror(in), bad_out = ferror(out);
  fclose(in);
  bad_out |= fclose(out) != 0;
  if(bad_in || bad_out) {
    diag_add(d, bad_in ? from : to, 0, 0, NULL, "cannot %s: %s", bad_in ? "read" : "write", strerror(errno));
    return LB_EIO;
  }
  return LB_OK;
}

static int copy_tree(const char *src, const char *dst, unsigned char *buf, diag_list *d)
{
  DIR *dp = opendir(src);
  struct dirent *de;
  int rc = LB_OK;
  if(!dp) {
    diag_add(d, src, 0, 0, NULL, "cannot read: %s", strerror(errno));
    return LB_EIO;
  }
  if(atomic_mkdirs(dst)) {
    closedir(dp);
    diag_add(d, dst, 0, 0, NULL, "cannot create: %s", strerror(errno));
    return LB_EIO;
  }
  while(!rc && (de = readdir(dp))) {
    char *from = NULL, *to = NULL;
    struct stat st;
    if(de->d_name[0] == '.')
      continue;
    if(asprintf(&from, "%s/%s", src, de->d_name) < 0 || asprintf(&to, "%s/%s", dst, de->d_name) < 0) {
      free(from);
      rc = LB_ENOMEM;
      break;
    }
    if(stat(from, &st) == 0 && S_ISDIR(st.st_mode))
      rc = copy_tree(from, to, buf, d);
    else if(stat(from, &st) == 0 && S_ISREG(st.st_mode))
      rc = copy_file(from, to, buf, d);
    free(from);
    free(to);
  }
  closedir(dp);
  return rc;
}

static int changed(const char *src, const char *want_sha, const char *got, diag_list *d)
{
  return diag_add(d, src, 0, 0, NULL, "the input set changed while the month ran (sha256 %s when the run began, %s "
                  "now); expected the files to stay as read until the month is sealed: run again", want_sha, got);
}

int snapshot_copy(const char *src, const char *tmp, const char *want_sha, diag_list *d)
{
  unsigned char *buf = NULL;
  char got[65];
  int rc = remove_tree(tmp, d);
  if(rc)
    return rc;
  if(!(buf = malloc(COPY_BUF)))
    return LB_ENOMEM;
  rc = copy_tree(src, tmp, buf, d);
  free(buf);
  if(!rc && (rc = atomic_sync_tree(tmp)))
    diag_add(d, tmp, 0, 0, NULL, "cannot make the month's copy durable: %s",
             rc == LB_EIO ? strerror(errno) : "out of memory");
  if(rc || !want_sha)
    return rc;
  rc = digest_sha256_tree(tmp, got);
  if(rc) {
    diag_add(d, tmp, 0, 0, NULL, "cannot read back: %s", rc == LB_EIO ? strerror(errno) : "out of memory");
    return rc;
  }
  return strcmp(got, want_sha) ? changed(src, want_sha, got, d) : LB_OK;
}

int snapshot_unchanged(const char *src, const char *want_sha, diag_list *d)
{
  char got[65];
  int rc = digest_sha256_tree(src, got);
  if(rc) {
    diag_add(d, src, 0, 0, NULL, "cannot read: %s", rc == LB_EIO ? strerror(errno) : "out of memory");
    return rc;
  }
  return strcmp(got, want_sha) ? changed(src, want_sha, got, d) : LB_OK;
}

int snapshot_install(const char *tmp, const char *dst, diag_list *d)
{
  int rc = remove_tree(dst, d);
  if(rc)
    return rc;
  if((rc = atomic_rename(tmp, dst)))
    diag_add(d, dst, 0, 0, NULL, "cannot name the month's copy (from %s): %s", tmp,
             rc == LB_EIO ? strerror(errno) : "out of memory");
  return rc;
}

int snapshot_discard(const char *tmp, diag_list *d) { return remove_tree(tmp, d); }

char *snapshot_temp_name(const char *dst)
{
  const char *slash = strrchr(dst, '/');
  char *t = NULL;
  int n = slash ? asprintf(&t, "%.*s/.%s.copy", (int)(slash - dst), dst, slash + 1) : asprintf(&t, ".%s.copy", dst);
  return n < 0 ? NULL : t;
}

int snapshot_tree(const char *src, const char *dst, const char *want_sha, diag_list *d)
{
  char *tmp = snapshot_temp_name(dst);
  int rc = tmp ? snapshot_copy(src, tmp, want_sha, d) : LB_ENOMEM;
  if(!rc)
    rc = snapshot_install(tmp, dst, d);
  else if(tmp)
    remove_tree(tmp, d);
  free(tmp);
  return rc;
}

int snapshot_about(const char *monthdir, lb_month m, const char *inputs_sha, const char *template_sha, diag_list *d)
{
  char *rb = NULL, *rbdir = NULL, *ab = NULL, *text = NULL, mon[8];
  int rc = LB_ENOMEM;
  if(asprintf(&rb, "%s/" SNAPSHOT_RULEBOOK, monthdir) < 0) {
    rb = NULL;
    goto out;
  }
  if(!(rbdir = strdup(rb)) || asprintf(&ab, "%s/" SNAPSHOT_ABOUT, monthdir) < 0) {
    ab = NULL;
    goto out;
  }
  *strrchr(rbdir, '/') = '\0';
  int len = asprintf(&text, "licbill %s\nrulebook %s " SNAPSHOT_RULEBOOK "\nmonth %s\ninput %s " SNAPSHOT_INPUT
                     "/\ntemplate %s " SNAPSHOT_TEMPLATE "/\n", licbill_version, rulebook_sha256,
                     month_format(mon, m), inputs_sha, template_sha);
  if(len < 0) {
    text = NULL;
    goto out;
  }
  rc = LB_EIO;
  if(atomic_mkdirs(rbdir) || atomic_write(rb, rulebook, rulebook_len)) {
    diag_add(d, rb, 0, 0, NULL, "cannot write: %s", strerror(errno));
    goto out;
  }
  if(atomic_write(ab, text, (size_t)len)) {
    diag_add(d, ab, 0, 0, NULL, "cannot write: %s", strerror(errno));
    goto out;
  }
  rc = LB_OK;
out:
  free(rb);
  free(rbdir);
  free(ab);
  free(text);
  return rc;
}
