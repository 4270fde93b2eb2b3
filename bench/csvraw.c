/* csvraw.c - libcsv's own raw rate: parse files with callbacks that do nothing. Usage: csvraw FILE... */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static void f1(void *s, size_t n, void *d) { (void)s; (void)n; ++*(long *)d; }
static void f2(int c, void *d) { (void)c; (void)d; }

int main(int argc, char **argv)
{
  static char buf[1 << 16];
  long fields = 0;
  for(int i = 1; i < argc; i++) {
    struct csv_parser p;
    FILE *fp = fopen(argv[i], "rb");
    size_t n;
    if(!fp || csv_init(&p, 0))
      return 1;
    while((n = fread(buf, 1, sizeof(buf), fp)) > 0)
      csv_parse(&p, buf, n, f1, f2, &fields);
    csv_fini(&p, f1, f2, &fields);
    csv_free(&p);
    fclose(fp);
  }
  printf("%ld\n", fields);
  return 0;
}
