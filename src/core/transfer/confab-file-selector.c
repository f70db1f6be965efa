/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabFileTransfer"

#include "config.h"

#include "confab-file-selector.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* RFC 5547 attributes. The selector is a space-separated list of
 * key:value fields whose values may be quoted; what we print we read back
 * the same, and never longer than CONFAB_FILE_SELECTOR_MAX_LENGTH. */

static gboolean G_GNUC_PRINTF (2, 3)
fail (GError    **error,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* the SIP layer answers an offer it cannot use with 488 */
  g_set_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED,
               _("Invalid file selector: %s"), message);
  return FALSE;
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static gboolean
is_control (guchar c)
{
  return c < 0x20 || c == 0x7f;
}

/* One "key:value" of a space-separated list. A quoted value is given
 * without its quotes, escapes left in; an unquoted one ends at the first
 * blank outside quotes (a type's parameters may quote). */
typedef struct
{
  const char *key;
  gsize       key_length;
  const char *value;
  gsize       value_length;
  gboolean    has_colon;
  gboolean    quoted;
  gboolean    unterminated; /* a quote was not closed */
  gboolean    trailing;     /* text right after a quoted value's closing quote */
} Field;

static gboolean
next_field (const char **pos,
            const char  *end,
            Field       *field)
{
  const char *p = *pos;
  gboolean in_quote = FALSE;

  memset (field, 0, sizeof *field);
  while (p < end && is_blank (*p))
    p++;
  if (p == end)
    return FALSE;

  field->key = p;
  while (p < end && *p != ':' && !is_blank (*p))
    p++;
  field->key_length = p - field->key;
  if (p == end || *p != ':') {
    *pos = p;
    return TRUE;
  }
  field->has_colon = TRUE;
  p++;

  if (p < end && *p == '"') {
    field->quoted = TRUE;
    field->value = ++p;
    while (p < end && *p != '"')
      p += (*p == '\\' && p + 1 < end && p[1] == '"') ? 2 : 1;
    field->value_length = p - field->value;
    if (p == end) {
      field->unterminated = TRUE;
      *pos = p;
      return TRUE;
    }
    p++;
    field->trailing = p < end && !is_blank (*p);
    while (p < end && !is_blank (*p))
      p++;
    *pos = p;
    return TRUE;
  }

  field->value = p;
  while (p < end && (in_quote || !is_blank (*p))) {
    if (*p == '"')
      in_quote = !in_quote;
    p++;
  }
  field->value_length = p - field->value;
  field->unterminated = in_quote;
  *pos = p;
  return TRUE;
}

static gboolean
key_is (const Field *field,
        const char  *key)
{
  return field->key_length == strlen (key) &&
         g_ascii_strncasecmp (field->key, key, field->key_length) == 0;
}

/* %XX escapes, and \" inside quotes; a '%' without two hex digits is kept
 * as it is (peers write "100%.txt"). */
static char *
decode_name (const Field *field,
             GError     **error)
{
  const char *raw = field->value;
  gsize length = field->value_length;
  g_autoptr (GString) name = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++) {
    guchar c = raw[i];
    gboolean escaped = FALSE;

    if (c == '%' && i + 2 < length && g_ascii_isxdigit (raw[i + 1]) &&
        g_ascii_isxdigit (raw[i + 2])) {
      c = g_ascii_xdigit_value (raw[i + 1]) << 4 | g_ascii_xdigit_value (raw[i + 2]);
      i += 2;
      escaped = TRUE;
    } else if (c == '\\' && field->quoted && i + 1 < length && raw[i + 1] == '"') {
      c = '"';
      i++;
    }
    /* A name may hold a line break (Linux allows it), escaped: kept here,
     * and confab_file_safe_name() replaces it before it names a file. */
    if (c == '\0' || (is_control (c) && !escaped)) {
      fail (error, _("the name contains a NUL byte or control character"));
      return NULL;
    }
    g_string_append_c (name, c);
  }
  if (name->len == 0) {
    fail (error, _("the name is empty"));
    return NULL;
  }
  return g_utf8_make_valid (name->str, name->len);
}

static gboolean
parse_size (const Field *field,
            guint64     *size,
            GError     **error)
{
  guint64 value = 0;

  if (field->value_length == 0 || field->quoted)
    return fail (error, _("the size is not a whole number of bytes"));
  for (gsize i = 0; i < field->value_length; i++) {
    guint digit;

    if (!g_ascii_isdigit (field->value[i]))
      return fail (error, _("the size is not a whole number of bytes"));
    digit = field->value[i] - '0';
    if (value > (G_MAXUINT64 - digit) / 10)
      return fail (error, _("the size is larger than %llu bytes"),
                   (unsigned long long) G_MAXUINT64);
    value = value * 10 + digit;
  }
  *size = value;
  return TRUE;
}

/* "sha-1:XX:…:XX" (or legacy "sha1:"): TRUE with *hash NULL for another
 * algorithm, which we cannot check and so ignore. */
static gboolean
parse_hash (const Field *field,
            char       **hash,
            GError     **error)
{
  const char *colon = memchr (field->value, ':', field->value_length);
  const char *hex;
  gsize algorithm_length, hex_length;

  *hash = NULL;
  if (!colon || colon == field->value || field->quoted)
    return fail (error, _("the hash does not start with its algorithm"));
  algorithm_length = colon - field->value;
  if (!(algorithm_length == 5 && g_ascii_strncasecmp (field->value, "sha-1", 5) == 0) &&
      !(algorithm_length == 4 && g_ascii_strncasecmp (field->value, "sha1", 4) == 0))
    return TRUE;

  hex = colon + 1;
  hex_length = field->value + field->value_length - hex;
  if (hex_length != CONFAB_FILE_SHA1_TEXT_LENGTH)
    return fail (error, _("the SHA-1 hash is not 20 bytes written as XX:XX:…"));
  for (gsize i = 0; i < hex_length; i++) {
    if (i % 3 == 2 ? hex[i] != ':' : !g_ascii_isxdigit (hex[i]))
      return fail (error, _("the SHA-1 hash is not 20 bytes written as XX:XX:…"));
  }
  *hash = g_ascii_strup (hex, hex_length);
  return TRUE;
}

/* type/subtype[;params]; parameters may quote, but not a whole value
 * (we print it unquoted). */
static gboolean
parse_type (const Field *field,
            char       **type,
            GError     **error)
{
  gsize main_length = 0;

  while (main_length < field->value_length && field->value[main_length] != ';')
    main_length++;
  if (field->quoted || field->value_length == 0 || field->value[0] == '/' ||
      !memchr (field->value, '/', main_length))
    return fail (error, _("the type is not of the form type/subtype"));
  for (gsize i = 0; i < field->value_length; i++) {
    if (is_control (field->value[i]))
      return fail (error, _("the type contains a control character"));
  }
  if (!g_utf8_validate (field->value, field->value_length, NULL))
    return fail (error, _("the type is not valid UTF-8"));
  *type = g_strndup (field->value, field->value_length);
  return TRUE;
}

static gboolean
set_once (char      **target,
          char       *value,
          const char *name,
          GError    **error)
{
  if (*target) {
    g_free (value);
    return fail (error, _("two %s fields"), name);
  }
  *target = value;
  return TRUE;
}

/**
 * confab_file_selector_parse:
 * @selector: (out caller-allocates): filled on success; clear it with
 *   confab_file_selector_clear()
 * @text: the a=file-selector value, not necessarily NUL-terminated
 *
 * Returns: %TRUE, or %FALSE with a %CONFAB_SDP_ERROR @error
 */
gboolean
confab_file_selector_parse (ConfabFileSelector *selector,
                            const char         *text,
                            gsize               length,
                            GError            **error)
{
  g_auto (ConfabFileSelector) parsed = { 0 };
  g_autofree char *printed = NULL;
  const char *p = text;
  const char *end;
  Field field;

  g_return_val_if_fail (selector != NULL, FALSE);
  g_return_val_if_fail (text != NULL || length == 0, FALSE);

  memset (selector, 0, sizeof *selector);
  if (length == 0)
    return fail (error, _("the value is empty"));
  if (length > CONFAB_FILE_SELECTOR_MAX_LENGTH)
    return fail (error, _("the value is longer than %u bytes"), CONFAB_FILE_SELECTOR_MAX_LENGTH);
  if (memchr (text, '\0', length))
    return fail (error, _("the value contains a NUL byte"));
  end = text + length;
  while (p < end && is_blank (*p))
    p++;
  if (p == end)
    return fail (error, _("the value is empty"));

  while (next_field (&p, end, &field)) {
    if (field.unterminated)
      return fail (error, _("a quote is not closed"));
    if (!field.has_colon)
      continue; /* a stray word: nothing we could use */

    if (key_is (&field, "name")) {
      char *name;

      if (field.trailing)
        return fail (error, _("the name is not followed by a space"));
      name = decode_name (&field, error);
      if (!name || !set_once (&parsed.name, name, "name", error))
        return FALSE;
    } else if (key_is (&field, "type")) {
      char *type = NULL;

      if (!parse_type (&field, &type, error) || !set_once (&parsed.type, type, "type", error))
        return FALSE;
    } else if (key_is (&field, "size")) {
      if (parsed.has_size)
        return fail (error, _("two %s fields"), "size");
      if (!parse_size (&field, &parsed.size, error))
        return FALSE;
      parsed.has_size = TRUE;
    } else if (key_is (&field, "hash")) {
      char *hash = NULL;

      if (!parse_hash (&field, &hash, error))
        return FALSE;
      if (hash && !set_once (&parsed.hash, hash, "hash", error))
        return FALSE;
    }
  }

  if (!parsed.name && !parsed.type && !parsed.has_size && !parsed.hash)
    return fail (error, _("it names no file: no name, type, size or SHA-1 hash"));
  /* escaping can lengthen a name: what we print must parse again */
  printed = confab_file_selector_to_string (&parsed);
  if (strlen (printed) > CONFAB_FILE_SELECTOR_MAX_LENGTH)
    return fail (error, _("the value is longer than %u bytes"), CONFAB_FILE_SELECTOR_MAX_LENGTH);

  *selector = parsed;
  memset (&parsed, 0, sizeof parsed);
  return TRUE;
}

char *
confab_file_selector_to_string (const ConfabFileSelector *selector)
{
  GString *out;

  g_return_val_if_fail (selector != NULL, NULL);

  out = g_string_new (NULL);
  if (selector->name && selector->name[0]) {
    g_string_append (out, "name:\"");
    for (const char *p = selector->name; *p; p++) {
      guchar c = *p;

      if (c == '"' || c == '%' || c == '\\' || is_control (c))
        g_string_append_printf (out, "%%%02X", c);
      else
        g_string_append_c (out, c);
    }
    g_string_append_c (out, '"');
  }
  if (selector->type && selector->type[0])
    g_string_append_printf (out, "%stype:%s", out->len ? " " : "", selector->type);
  if (selector->has_size)
    g_string_append_printf (out, "%ssize:%" G_GUINT64_FORMAT, out->len ? " " : "",
                            selector->size);
  if (selector->hash && selector->hash[0])
    g_string_append_printf (out, "%shash:sha-1:%s", out->len ? " " : "", selector->hash);
  return g_string_free (out, FALSE);
}

void
confab_file_selector_clear (ConfabFileSelector *selector)
{
  g_clear_pointer (&selector->name, g_free);
  g_clear_pointer (&selector->type, g_free);
  g_clear_pointer (&selector->hash, g_free);
  selector->has_size = FALSE;
  selector->size = 0;
}

/* @dest is overwritten, not cleared. */
void
confab_file_selector_copy (ConfabFileSelector       *dest,
                           const ConfabFileSelector *src)
{
  g_return_if_fail (dest != NULL && src != NULL);

  dest->name = g_strdup (src->name);
  dest->type = g_strdup (src->type);
  dest->has_size = src->has_size;
  dest->size = src->size;
  dest->hash = g_strdup (src->hash);
}

gboolean
confab_file_selector_matches (const ConfabFileSelector *offered,
                              const ConfabFileSelector *file)
{
  g_return_val_if_fail (offered != NULL && file != NULL, FALSE);

  if (offered->hash)
    return file->hash && g_ascii_strcasecmp (offered->hash, file->hash) == 0;
  if (!offered->name || g_strcmp0 (offered->name, file->name) != 0)
    return FALSE;
  return !offered->has_size || (file->has_size && offered->size == file->size);
}

static const char * const day_names[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char * const month_names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static void
skip_blanks (const char **p)
{
  while (is_blank (**p))
    (*p)++;
}

/* Up to @max_digits decimal digits; returns how many were read. */
static guint
read_number (const char **p,
             guint        max_digits,
             int         *value)
{
  guint n = 0;

  *value = 0;
  while (n < max_digits && g_ascii_isdigit ((*p)[n])) {
    *value = *value * 10 + ((*p)[n] - '0');
    n++;
  }
  *p += n;
  return n;
}

/* RFC 822 / RFC 5322 zone: ±hhmm, UT, GMT, the US zones; military letters
 * carry no information (RFC 5322 §4.3) and read as UTC, as does no zone. */
static gboolean
read_zone (const char **p,
           int         *offset)
{
  static const struct
  {
    const char *name;
    int         hours;
  } zones[] = {
    { "UT", 0 }, { "UTC", 0 }, { "GMT", 0 },
    { "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
    { "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
  };
  const char *start = *p;
  gsize n = 0;
  int hhmm;

  *offset = 0;
  if (*start == '+' || *start == '-') {
    const char *digits = start + 1;

    if (read_number (&digits, 4, &hhmm) != 4 || hhmm / 100 > 23 || hhmm % 100 > 59)
      return FALSE;
    *offset = (*start == '-' ? -1 : 1) * ((hhmm / 100) * 3600 + (hhmm % 100) * 60);
    *p = digits;
    return TRUE;
  }
  while (g_ascii_isalpha (start[n]))
    n++;
  *p += n;
  if (n <= 1)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (zones); i++) {
    if (strlen (zones[i].name) == n && g_ascii_strncasecmp (start, zones[i].name, n) == 0) {
      *offset = zones[i].hours * 3600;
      return TRUE;
    }
  }
  return FALSE;
}

/* "[Sat, ]21 Nov 2026 10:00[:00] [+0000]" in unix seconds, or -1. */
static gint64
parse_rfc822_date (const char *text)
{
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) date = NULL;
  g_autoptr (GDateTime) utc = NULL;
  const char *p = text;
  int day, month = 0, year, hour, minute, second = 0, offset;
  guint year_digits;

  skip_blanks (&p);
  if (g_ascii_isalpha (*p)) {
    while (g_ascii_isalpha (*p))
      p++;
    skip_blanks (&p);
    if (*p++ != ',')
      return -1;
    skip_blanks (&p);
  }
  if (read_number (&p, 2, &day) == 0)
    return -1;
  skip_blanks (&p);
  for (guint i = 0; i < G_N_ELEMENTS (month_names) && month == 0; i++) {
    if (g_ascii_strncasecmp (p, month_names[i], 3) == 0)
      month = i + 1;
  }
  if (month == 0)
    return -1;
  p += 3;
  skip_blanks (&p);
  /* two- and three-digit years as RFC 5322 §4.3 reads them */
  year_digits = read_number (&p, 4, &year);
  if (year_digits < 2)
    return -1;
  if (year_digits == 3 || (year_digits == 2 && year >= 50))
    year += 1900;
  else if (year_digits == 2)
    year += 2000;
  skip_blanks (&p);
  if (read_number (&p, 2, &hour) != 2 || *p++ != ':' || read_number (&p, 2, &minute) != 2)
    return -1;
  if (*p == ':') {
    p++;
    if (read_number (&p, 2, &second) != 2)
      return -1;
  }
  if (second == 60)
    second = 59; /* a leap second */
  skip_blanks (&p);
  if (!read_zone (&p, &offset))
    return -1;
  skip_blanks (&p);
  if (*p != '\0' && *p != '(') /* a trailing comment is allowed */
    return -1;

  zone = g_time_zone_new_offset (offset);
  date = g_date_time_new (zone, year, month, day, hour, minute, second);
  if (!date)
    return -1;
  utc = g_date_time_to_utc (date);
  /* a time we could not write back (past 9999 in UTC) is as good as none */
  return utc ? g_date_time_to_unix (utc) : -1;
}

/* modification:"<date>" among the parameters of a=file-date. */
static gint64
parse_file_date (const char *value)
{
  const char *p = value;
  const char *end = value + strlen (value);
  Field field;

  while (next_field (&p, end, &field)) {
    g_autofree char *date = NULL;

    if (field.unterminated)
      return -1;
    if (!field.has_colon || !key_is (&field, "modification"))
      continue;
    date = g_strndup (field.value, field.value_length);
    return parse_rfc822_date (date);
  }
  return -1;
}

/* "START-STOP" or "START-*", 1-based and inclusive. */
static gboolean
parse_range (const char *value,
             guint64    *start,
             guint64    *stop)
{
  const char *dash = strchr (value, '-');
  g_autofree char *first = NULL;

  if (!dash || dash == value)
    return FALSE;
  first = g_strndup (value, dash - value);
  if (!g_ascii_string_to_unsigned (first, 10, 1, G_MAXUINT64, start, NULL))
    return FALSE;
  if (strcmp (dash + 1, "*") == 0) {
    *stop = G_MAXUINT64;
    return TRUE;
  }
  return g_ascii_string_to_unsigned (dash + 1, 10, *start, G_MAXUINT64, stop, NULL);
}

/* Text we keep from the SDP: a flag or empty value counts as absent. */
static char *
dup_attribute (const ConfabSdpMedia *media,
               const char           *name)
{
  const char *value = confab_sdp_media_get_attribute (media, name);

  return value && value[0] ? g_strdup (value) : NULL;
}

gboolean
confab_file_offer_read (ConfabFileOffer       *offer,
                        const ConfabSdpMedia  *media,
                        GError               **error)
{
  const char *value;

  g_return_val_if_fail (offer != NULL && media != NULL, FALSE);

  memset (offer, 0, sizeof *offer);
  offer->modification = -1;
  value = confab_sdp_media_get_attribute (media, "file-selector");
  if (!value) {
    g_set_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED,
                 _("The file transfer offer has no a=file-selector"));
    return FALSE;
  }
  if (!confab_file_selector_parse (&offer->selector, value, strlen (value), error))
    return FALSE;

  offer->transfer_id = dup_attribute (media, "file-transfer-id");
  offer->disposition = dup_attribute (media, "file-disposition");
  value = confab_sdp_media_get_attribute (media, "file-date");
  if (value)
    offer->modification = parse_file_date (value);
  value = confab_sdp_media_get_attribute (media, "file-range");
  if (value)
    offer->has_range = parse_range (value, &offer->range_start, &offer->range_stop);
  if (!offer->has_range)
    offer->range_start = offer->range_stop = 0;
  offer->x_file_offset = confab_sdp_media_has_attribute (media, "x-file-offset");
  return TRUE;
}

void
confab_file_offer_clear (ConfabFileOffer *offer)
{
  confab_file_selector_clear (&offer->selector);
  g_clear_pointer (&offer->transfer_id, g_free);
  g_clear_pointer (&offer->disposition, g_free);
  offer->modification = -1;
  offer->has_range = FALSE;
  offer->range_start = offer->range_stop = 0;
  offer->x_file_offset = FALSE;
}

/* "modification:\"Sat, 21 Nov 2026 10:00:00 +0000\"", in English whatever
 * the locale; NULL when the time does not fit a GDateTime. */
static char *
format_file_date (gint64 modification)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (modification);

  if (!t)
    return NULL;
  return g_strdup_printf ("modification:\"%s, %02d %s %04d %02d:%02d:%02d +0000\"",
                          day_names[g_date_time_get_day_of_week (t) - 1],
                          g_date_time_get_day_of_month (t),
                          month_names[g_date_time_get_month (t) - 1], g_date_time_get_year (t),
                          g_date_time_get_hour (t), g_date_time_get_minute (t),
                          g_date_time_get_second (t));
}

void
confab_file_offer_write (const ConfabFileOffer *offer,
                         ConfabSdpMedia        *media)
{
  g_autofree char *selector = NULL;

  g_return_if_fail (offer != NULL && media != NULL);

  selector = confab_file_selector_to_string (&offer->selector);
  confab_sdp_media_add_attribute (media, "file-selector", selector);
  if (offer->transfer_id)
    confab_sdp_media_add_attribute (media, "file-transfer-id", offer->transfer_id);
  if (offer->disposition)
    confab_sdp_media_add_attribute (media, "file-disposition", offer->disposition);
  if (offer->modification != -1) {
    g_autofree char *date = format_file_date (offer->modification);

    if (date)
      confab_sdp_media_add_attribute (media, "file-date", date);
  }
  if (offer->has_range) {
    g_autofree char *range = NULL;

    if (offer->range_stop == G_MAXUINT64)
      range = g_strdup_printf ("%" G_GUINT64_FORMAT "-*", offer->range_start);
    else
      range = g_strdup_printf ("%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT, offer->range_start,
                               offer->range_stop);
    confab_sdp_media_add_attribute (media, "file-range", range);
  }
  if (offer->x_file_offset)
    confab_sdp_media_add_attribute (media, "x-file-offset", NULL);
}
