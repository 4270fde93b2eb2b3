/* e2e.c - end-to-end test helpers: temp folders, tree copies, file patches, a child process with its output. */
#include "tests/support/e2e.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *e2e_licbill(void)
{
  const char *p = getenv("LICBILL");
  return p && *p ? p : "./build/licbill-san";
}

const char *e2e_licbill_rel(void)
{
  const char *p = getenv("LICBILL_REL");
  return p && *p ? p : e2e_licbill();
}

char *e2e_path(const char *dir, const char *rel)
{
  char *p = NULL;
  if(asprintf(&p, "%s/%s", dir, rel) < 0)
    return NULL;
  return p;
}

const char *e2e_tmpdir(void)
{
  const char *tmp = getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

char *e2e_mkdtemp(const char *tag)
{
  char *p = NULL;
  if(asprintf(&p, "%s/lb-%s-XXXXXX", e2e_tmpdir(), tag) < 0)
    return NULL;
  if(!mkdtemp(p)) {
    free(p);
    return NULL;
  }
  return p;
}

static int copy_file(const char *src, const char *dst, mode_t mode)
{
  char buf[65536];
  int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
  ssize_t n;
  if(in < 0)
    return -1;
  out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777);
  if(out < 0)
    goto done;
  while((n = read(in, buf, sizeof(buf))) != 0) {
    if(n < 0) {
      if(errno == EINTR)
        continue;
      goto done;
    }
    for(ssize_t w = 0; w < n;) {
      ssize_t k = write(out, buf + w, (size_t)(n - w));
      if(k < 0) {
        if(errno == EINTR)
          continue;
        goto done;
      }
      w += k;
    }
  }
  rc = 0;
done:
  if(out >= 0 && close(out) && !rc)
    rc = -1;
  close(in);
  return rc;
}

int e2e_copy_tree(const char *src, const char *dst)
{
  struct stat st;
  if(stat(src, &st) < 0)
    return -1;
  if(S_ISREG(st.st_mode))
    return copy_file(src, dst, st.st_mode);
  if(!S_ISDIR(st.st_mode)) {
    errno = EINVAL;
    return -1;
  }
  if(mkdir(dst, 0755) < 0)
    return -1;
  DIR *dp = opendir(src);
  struct dirent *de;
  int rc = 0;
  if(!dp)
    return -1;
  while(!rc && (de = readdir(dp))) {
    if(!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    char *s = e2e_path(src, de->d_name), *d = e2e_path(dst, de->d_name);
    rc = s && d ? e2e_copy_tree(s, d) : -1;
    free(s);
    free(d);
  }
  closedir(dp);
  return rc;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

int e2e_rm_tree(const char *dir)
{
  if(!dir)
    return 0;
  return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *e2e_read_file(const char *path, size_t *len)
{
  FILE *fp = fopen(path, "rb");
  char *b = NULL;
  size_t n = 0, cap = 0, got;
  if(!fp)
    return NULL;
  do {
    if(cap - n < 4096) {
      size_t ncap = cap ? cap * 2 : 8192;
      char *nb = realloc(b, ncap);
      if(!nb) {
        free(b);
        fclose(fp);
        return NULL;
      }
      b = nb;
      cap = ncap;
    }
    got = fread(b + n, 1, cap - n - 1, fp);
    n += got;
  } while(got > 0);
  if(ferror(fp)) {
    free(b);
    fclose(fp);
    return NULL;
  }
  fclose(fp);
  b[n] = '\0';
  if(len)
    *len = n;
  return b;
}

static int put_file(const char *path, const char *how, const void *data, size_t len)
{
  FILE *fp = fopen(path, how);
  if(!fp)
    return -1;
  int rc = len && fwrite(data, 1, len, fp) != len ? -1 : 0;
  if(fclose(fp))
    rc = -1;
  return rc;
}

int e2e_write_file(const char *path, const void *data, size_t len) { return put_file(path, "wb", data, len); }

int e2e_append_file(const char *path, const void *data, size_t len) { return put_file(path, "ab", data, len); }

int e2e_patch_file(const char *path, const char *from, const char *to)
{
  size_t len, nf = strlen(from), nt = strlen(to);
  char *s = e2e_read_file(path, &len), *hit, *out;
  int rc = -1;
  if(!s || !nf)
    goto done;
  hit = memmem(s, len, from, nf);
  if(!hit || memmem(hit + 1, len - (size_t)(hit - s) - 1, from, nf))
    goto done;
  out = malloc(len - nf + nt + 1);
  if(!out)
    goto done;
  size_t at = (size_t)(hit - s);
  memcpy(out, s, at);
  memcpy(out + at, to, nt);
  memcpy(out + at + nt, hit + nf, len - at - nf);
  rc = e2e_write_file(path, out, len - nf + nt);
  free(out);
done:
  free(s);
  return rc;
}

int e2e_delete_lines(const char *path, const char *prefix)
{
  size_t len, np = strlen(prefix), k = 0;
  char *s = e2e_read_file(path, &len), *out;
  int removed = 0;
  if(!s)
    return -1;
  out = malloc(len + 1);
  if(!out) {
    free(s);
    return -1;
  }
  for(size_t i = 0; i < len;) {
    char *nl = memchr(s + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - s) + 1 : len;
    if(end - i >= np && memcmp(s + i, prefix, np) == 0)
      removed++;
    else {
      memcpy(out + k, s + i, end - i);
      k += end - i;
    }
    i = end;
  }
  int rc = e2e_write_file(path, out, k);
  free(out);
  free(s);
  return rc ? -1 : removed;
}

int e2e_exists(const char *path)
{
  struct stat st;
  return lstat(path, &st) == 0;
}

/* Append what is readable on fd to *b; 0 at EOF, 1 when more may come, -1 on error. */
static int drain(int fd, char **b, size_t *n, size_t *cap)
{
  if(*cap - *n < 4096) {
    size_t ncap = *cap ? *cap * 2 : 8192;
    char *nb = realloc(*b, ncap);
    if(!nb)
      return -1;
    *b = nb;
    *cap = ncap;
  }
  ssize_t k = read(fd, *b + *n, *cap - *n - 1);
  if(k < 0)
    return errno == EINTR || errno == EAGAIN ? 1 : -1;
  *n += (size_t)k;
  (*b)[*n] = '\0';
  return k > 0;
}

int e2e_run(e2e_result *r, const char *cwd, const char *const argv[])
{
  int po[2] = {-1, -1}, pe[2] = {-1, -1};
  char prog[PATH_MAX];
  size_t on = 0, ocap = 0, en = 0, ecap = 0;
  pid_t pid;
  memset(r, 0, sizeof(*r));
  r->code = -1;
  /* the child changes folder first: give it a program path that still works */
  if(strchr(argv[0], '/') && argv[0][0] != '/') {
    if(!realpath(argv[0], prog))
      goto fail;
  } else if(snprintf(prog, sizeof(prog), "%s", argv[0]) >= (int)sizeof(prog))
    goto fail;
  if(pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0)
    goto fail;
  fflush(NULL);
  pid = fork();
  if(pid < 0)
    goto fail;
  if(pid == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    if(devnull < 0 || dup2(devnull, 0) < 0 || dup2(po[1], 1) < 0 || dup2(pe[1], 2) < 0)
      _exit(127);
    if(cwd && chdir(cwd) < 0) {
      dprintf(2, "e2e_run: cannot change to %s: %s\n", cwd, strerror(errno));
      _exit(127);
    }
    execv(prog, (char *const *)argv);
    dprintf(2, "e2e_run: cannot run %s: %s\n", prog, strerror(errno));
    _exit(127);
  }
  close(po[1]);
  close(pe[1]);
  po[1] = pe[1] = -1;
  {
    struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    int open_fds = 2;
    while(open_fds) {
      if(poll(fds, 2, -1) < 0) {
        if(errno == EINTR)
          continue;
        break;
      }
      for(int i = 0; i < 2; i++) {
        if(fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
          continue;
        int k = i == 0 ? drain(fds[i].fd, &r->out, &on, &ocap) : drain(fds[i].fd, &r->err, &en, &ecap);
        if(k <= 0) {
          close(fds[i].fd);
          if(i == 0)
            po[0] = -1;
          else
            pe[0] = -1;
          fds[i].fd = -1;
          open_fds--;
        }
      }
    }
  }
  int st;
  while(waitpid(pid, &st, 0) < 0)
    if(errno != EINTR)
      goto fail;
  r->code = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
  if(!r->out)
    r->out = calloc(1, 1);
  if(!r->err)
    r->err = calloc(1, 1);
  if(po[0] >= 0)
    close(po[0]);
  if(pe[0] >= 0)
    close(pe[0]);
  return r->out && r->err ? 0 : -1;
fail:
  for(int i = 0; i < 2; i++) {
    if(po[i] >= 0)
      close(po[i]);
    if(pe[i] >= 0)
      close(pe[i]);
  }
  if(!r->out)
    r->out = calloc(1, 1);
  if(!r->err)
    r->err = calloc(1, 1);
  r->code = -1;
  return -1;
}

void e2e_result_clear(e2e_result *r)
{
  if(!r)
    return;
  free(r->out);
  free(r->err);
  memset(r, 0, sizeof(*r));
}

int e2e_sh(char **out, const char *fmt, ...)
{
  char *cmd = NULL, *full = NULL, *buf;
  size_t n = 0, cap = 4096, r;
  va_list ap;
  FILE *fp;
  int st;
  va_start(ap, fmt);
  if(vasprintf(&cmd, fmt, ap) < 0)
    cmd = NULL;
  va_end(ap);
  if(!cmd || asprintf(&full, "(%s) 2>&1", cmd) < 0 || !(fp = popen(full, "r"))) {
    free(cmd);
    return -1;
  }
  buf = malloc(cap);
  while(buf && (r = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
    n += r;
    if(cap - n < 2) {
      char *nb = realloc(buf, cap *= 2);
      if(!nb) {
        free(buf);
        buf = NULL;
      } else
        buf = nb;
    }
  }
  if(buf)
    buf[n] = '\0';
  st = pclose(fp);
  free(cmd);
  free(full);
  if(out)
    *out = buf;
  else
    free(buf);
  return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}
