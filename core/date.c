/* date.c - calendar arithmetic on day numbers (Howard Hinnant's civil algorithms). */
#include "core/date.h"

#include <stdio.h>

lb_date date_from_ymd(int y, int m, int d)
{
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (lb_date)(era * 146097 + (int)doe - 719468);
}

void date_to_ymd(lb_date dt, int *y, int *m, int *d)
{
  int z = dt + 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int yy = (int)yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned dd = doy - (153 * mp + 2) / 5 + 1;
  unsigned mm = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (mm <= 2);
  *m = (int)mm;
  *d = (int)dd;
}

int date_days_in_month(int y, int m)
{
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 ? 28 + leap : days[m - 1];
}

int date_valid(int y, int m, int d)
{
  return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m);
}

static int read_digits(const char *s, size_t len, size_t at, int n, int *v, size_t *errpos)
{
  int x = 0;
  for(int i = 0; i < n; i++) {
    if(at + i >= len || s[at + i] < '0' || s[at + i] > '9') {
      *errpos = at + i;
      return -1;
    }
    x = x * 10 + (s[at + i] - '0');
  }
  *v = x;
  return 0;
}

int date_parse(lb_date *out, const char *s, size_t len, size_t *errpos)
{
  int y, m, d;
  size_t ep = 0;
  int rc = DATE_ESYNTAX;
  if(read_digits(s, len, 0, 4, &y, &ep))
    goto out;
  if(len <= 4 || s[4] != '-') {
    ep = 4;
    goto out;
  }
  if(read_digits(s, len, 5, 2, &m, &ep))
    goto out;
  if(len <= 7 || s[7] != '-') {
    ep = 7;
    goto out;
  }
  if(read_digits(s, len, 8, 2, &d, &ep))
    goto out;
  if(len != 10) {
    ep = 10;
    goto out;
  }
  if(!date_valid(y, m, d)) {
    rc = DATE_ERANGE;
    ep = (m < 1 || m > 12) ? 5 : 8;
    if(y < 1900)
      ep = 0;
    goto out;
  }
  *out = date_from_ymd(y, m, d);
  return DATE_OK;
out:
  if(errpos)
    *errpos = ep;
  return rc;
}

int month_parse(lb_month *out, const char *s, size_t len, size_t *errpos)
{
  int y, m;
  size_t ep = 0;
  int rc = DATE_ESYNTAX;
  if(read_digits(s, len, 0, 4, &y, &ep))
    goto out;
  if(len <= 4 || s[4] != '-') {
    ep = 4;
    goto out;
  }
  if(read_digits(s, len, 5, 2, &m, &ep))
    goto out;
  if(len != 7) {
    ep = 7;
    goto out;
  }
  if(y < 1900 || m < 1 || m > 12) {
    rc = DATE_ERANGE;
    ep = y < 1900 ? 0 : 5;
    goto out;
  }
  *out = month_from_ym(y, m);
  return DATE_OK;
out:
  if(errpos)
    *errpos = ep;
  return rc;
}

lb_month month_from_ym(int y, int m) { return (lb_month)(y * 12 + (m - 1)); }
int month_year(lb_month m) { return m / 12; }
int month_number(lb_month m) { return m % 12 + 1; }

lb_month month_of(lb_date dt)
{
  int y, m, d;
  date_to_ymd(dt, &y, &m, &d);
  return month_from_ym(y, m);
}

lb_date month_first_day(lb_month m) { return date_from_ymd(month_year(m), month_number(m), 1); }

lb_date month_last_day(lb_month m)
{
  int y = month_year(m), mo = month_number(m);
  return date_from_ymd(y, mo, date_days_in_month(y, mo));
}

/* */
lb_date date_add_months(lb_date dt, int n)
{
  int y, m, d;
  date_to_ymd(dt, &y, &m, &d);
  lb_month target = month_from_ym(y, m) + n;
  int ty = month_year(target), tm = month_number(target);
  int dim = date_days_in_month(ty, tm);
  return date_from_ymd(ty, tm, d > dim ? dim : d);
}

char *date_format(char *buf, lb_date dt)
{
  int y, m, d;
  if(dt == DATE_NONE) {
    buf[0] = '\0';
    return buf;
  }
  date_to_ymd(dt, &y, &m, &d);
  snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
  return buf;
}

char *month_format(char *buf, lb_month m)
{
  snprintf(buf, 8, "%04u-%02u", (unsigned)month_year(m) % 10000u, (unsigned)month_number(m) % 100u);
  return buf;
}

char *date_format_long(char *buf, lb_date dt)
{
  static const char *names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int y, m, d;
  date_to_ymd(dt, &y, &m, &d);
  snprintf(buf, 16, "%u %s %04u", (unsigned)d % 100u, names[(m - 1) % 12], (unsigned)y % 10000u);
  return buf;
}
