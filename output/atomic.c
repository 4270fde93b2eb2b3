/* atomic.c - temp + fsync + rename + directory fsync, so a crash never leaves half a file under a final name. */
#include "output/atomic.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diag.h"

int atomic_mkdirs(const char *path)
{
  char *p = strdup(path);
  if(!p)
    return LB_ENOMEM;
  for(char *s = p + 1; *s; s++) {
    if(*s != '/')
      continue;
    *s = '\0';
    if(mkdir(p, 0777) < 0 && errno != EEXIST) {
      free(p);
      return LB_EIO;
    }
    *s = '/';
  }
  int rc = (mkdir(p, 0777) < 0 && errno != EEXIST) ? LB_EIO : LB_OK;
  free(p);
  return rc;
}

int atomic_open(atomic_file *af, const char *path)
{
  const char *slash = strrchr(path, '/');
  int fd, n;
  memset(af, 0, sizeof(*af));
  af->path = strdup(path);
  if(!af->path)
    return LB_ENOMEM;
  if(slash)
    n = asprintf(&af->tmp, "%.*s/.%s.tmp", (int)(slash - path), path, slash + 1);
  else
    n = asprintf(&af->tmp, ".%s.tmp", path);
  if(n < 0) {
    free(af->path);
    memset(af, 0, sizeof(*af));
    return LB_ENOMEM;
  }
  fd = open(af->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if(fd < 0 || !(af->fp = fdopen(fd, "w"))) {
    int e = errno;
    if(fd >= 0) {
      close(fd);
      unlink(af->tmp);
    }
    free(af->tmp);
    free(af->path);
    memset(af, 0, sizeof(*af));
    errno = e;
    return LB_EIO;
  }
  return LB_OK;
}

static int fsync_dir(const char *path)
{
  char *copy = strdup(path);
  if(!copy)
    return LB_ENOMEM;
  char *slash = strrchr(copy, '/');
  const char *dir = ".";
  if(slash) {
    *slash = '\0';
    dir = *copy ? copy : "/";
  }
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int rc = LB_OK;
  if(fd < 0 || fsync(fd) < 0)
    rc = LB_EIO;
  if(fd >= 0)
    close(fd);
  free(copy);
  return rc;
}

/* Close, rename into place and, with sync, fsync the file before and its folder after the rename. */
static int commit(atomic_file *af, int sync)
{
  int rc = LB_EIO, e = 0;
  if(fflush(af->fp) != 0 || ferror(af->fp) || (sync && fsync(fileno(af->fp)) < 0)) {
    e = errno;
    fclose(af->fp);
    goto fail;
  }
  if(fclose(af->fp) != 0) {
    e = errno;
    goto fail;
  }
  af->fp = NULL;
  if(rename(af->tmp, af->path) < 0) {
    e = errno;
    goto fail;
  }
  rc = sync ? fsync_dir(af->path) : LB_OK;
  e = errno;
  free(af->tmp);
  free(af->path);
  memset(af, 0, sizeof(*af));
  errno = e;
  return rc;
fail:
  af->fp = NULL;
  unlink(af->tmp);
  free(af->tmp);
  free(af->path);
  memset(af, 0, sizeof(*af));
  errno = e;
  return rc;
}

int atomic_commit(atomic_file *af) { return commit(af, 1); }

int atomic_rename(const char *from, const char *to)
{
  if(rename(from, to) < 0)
    return LB_EIO;
  return fsync_dir(to);
}

int atomic_commit_unsynced(atomic_file *af) { return commit(af, 0); }

int atomic_sync(const char *path)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fd < 0)
    return LB_EIO;
  int rc = fsync(fd) < 0 ? LB_EIO : LB_OK, e = errno;
  close(fd);
  errno = e;
  return rc;
}

int atomic_each_entry(DIR *dp, const char *path, int (*fn)(const char *sub, void *ctx), void *ctx)
{
  struct dirent *de;
  int rc = LB_OK;
  while(!rc && (de = readdir(dp))) {
    char *sub = NULL;
    if(!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    if(asprintf(&sub, "%s/%s", path, de->d_name) < 0)
      return LB_ENOMEM;
    rc = fn(sub, ctx);
    free(sub);
  }
  return rc;
}

static int sync_entry(const char *sub, void *ctx)
{
  (void)ctx;
  return atomic_sync_tree(sub);
}

int atomic_sync_tree(const char *path)
{
  struct stat st;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if(fd < 0 || fstat(fd, &st) < 0) {
    int e = errno;
    if(fd >= 0)
      close(fd);
    errno = e;
    return LB_EIO;
  }
  int rc = LB_OK;
  if(S_ISDIR(st.st_mode)) {
    DIR *dp = fdopendir(dup(fd));
    rc = dp ? atomic_each_entry(dp, path, sync_entry, NULL) : LB_EIO;
    if(dp)
      closedir(dp);
  }
  /* the files first, then each folder: their names are durable after their contents */
  if(!rc && fsync(fd) < 0)
    rc = LB_EIO;
  int e = errno;
  close(fd);
  errno = e;
  return rc;
}

void atomic_abort(atomic_file *af)
{
  if(af->fp)
    fclose(af->fp);
  if(af->tmp)
    unlink(af->tmp);
  free(af->tmp);
  free(af->path);
  memset(af, 0, sizeof(*af));
}

static int write_whole(const char *path, const void *data, size_t len, int sync)
{
  atomic_file af;
  int rc = atomic_open(&af, path);
  if(rc)
    return rc;
  if(len && fwrite(data, 1, len, af.fp) != len) {
    int e = errno;
    atomic_abort(&af);
    errno = e;
    return LB_EIO;
  }
  return commit(&af, sync);
}

int atomic_write(const char *path, const void *data, size_t len) { return write_whole(path, data, len, 1); }

int atomic_write_unsynced(const char *path, const void *data, size_t len) { return write_whole(path, data, len, 0); }
