/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabVcard"

#include "config.h"

#include "confab-vcard.h"
#include "confab-uri.h"

#include <string.h>

/* Contact cards (vCard 2.1, 3.0 and 4.0; RFC 2426, RFC 6350) as contacts
 * apps and file managers hand them over: what is wanted is the person's
 * SIP address, to invite them, and their name. Cards are hostile input:
 * the text is bounded, read once line by line, and nothing in it is
 * followed anywhere (no URL is fetched, no photo decoded). */

#define MAX_NAME_CHARS 200

/* Where a card keeps a SIP address, from the least to the most explicit;
 * the most explicit one found wins, the first of a kind among equals. */
typedef enum
{
  RANK_NONE,
  RANK_URL,    /* URL:sip:… */
  RANK_TEL,    /* TEL;VALUE=uri:sip:… (vCard 4) */
  RANK_X_SIP,  /* X-SIP:alice@example.org (Android, Outlook) */
  RANK_IMPP,   /* IMPP;X-SERVICE-TYPE=SIP:sip:… (vCard 3 and 4, Apple) */
} Rank;

static gsize
text_length (const char *text,
             gssize      length)
{
  return length >= 0 ? (gsize) length : strnlen (text, CONFAB_VCARD_MAX_LENGTH + 1);
}

/* Past a UTF-8 byte order mark and white space. */
static const char *
skip_blank (const char *p,
            const char *end)
{
  if (end - p >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (p < end && g_ascii_isspace (*p))
    p++;
  return p;
}

/**
 * confab_vcard_looks_like:
 * @text: dropped or pasted text
 * @length: its length in bytes, or -1 when it ends with a NUL
 *
 * Returns: whether @text starts like a contact card (BEGIN:VCARD)
 */
gboolean
confab_vcard_looks_like (const char *text,
                         gssize      length)
{
  const char *end, *p;

  if (text == NULL)
    return FALSE;
  end = text + MIN (text_length (text, length), (gsize) 64);
  p = skip_blank (text, end);
  return end - p >= 11 && g_ascii_strncasecmp (p, "BEGIN:VCARD", 11) == 0;
}

/* The next logical line at *p into @line: physical lines (LF or CRLF)
 * joined where the next one starts with a space or a tab (folding). */
static void
read_line (const char **p,
           const char  *end,
           GString     *line)
{
  g_string_truncate (line, 0);
  for (;;) {
    const char *eol = memchr (*p, '\n', end - *p);
    const char *stop = eol ? eol : end;

    if (stop > *p && stop[-1] == '\r')
      stop--;
    g_string_append_len (line, *p, stop - *p);
    *p = eol ? eol + 1 : end;
    if (*p < end && (**p == ' ' || **p == '\t')) {
      (*p)++;
      continue;
    }
    return;
  }
}

/* Whether @haystack has @needle, ignoring ASCII case. */
static gboolean
has_ascii_nocase (const char *haystack,
                  const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = haystack; *p; p++) {
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return TRUE;
  }
  return FALSE;
}

static gboolean
is_sip_uri (const char *value)
{
  return g_ascii_strncasecmp (value, "sip:", 4) == 0 ||
         g_ascii_strncasecmp (value, "sips:", 5) == 0;
}

/* vCard 2.1's quoted-printable, in place: =XX is a byte; a soft line
 * break (a final '=') is dropped. */
static void
decode_quoted_printable (char *text)
{
  char *out = text;

  for (const char *p = text; *p; p++) {
    if (*p == '=' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])) {
      *out++ = (char) (g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]));
      p += 2;
    } else if (*p == '=' && p[1] == '\0') {
      break;
    } else {
      *out++ = *p;
    }
  }
  *out = '\0';
}

/* A text value as it shows (vCard 3 and 4 escape \, \; \\ and \n), on
 * one line, valid UTF-8, of reasonable length; NULL when empty. */
static char *
dup_display_text (const char *value,
                  gboolean    quoted_printable)
{
  g_autofree char *raw = g_strdup (value);
  g_autofree char *valid = NULL;
  GString *text = g_string_new (NULL);
  char *result;

  if (quoted_printable)
    decode_quoted_printable (raw);
  for (const char *p = raw; *p; p++) {
    if (*p == '\\' && p[1]) {
      p++;
      g_string_append_c (text, (*p == 'n' || *p == 'N') ? ' ' : *p);
    } else {
      /* Control characters (line breaks, escapes) become spaces. */
      g_string_append_c (text, ((guchar) *p < 0x20 || *p == 0x7f) ? ' ' : *p);
    }
  }
  valid = g_utf8_make_valid (text->str, text->len);
  g_string_free (text, TRUE);
  g_strstrip (valid);
  if (*valid == '\0')
    return NULL;
  result = g_utf8_substring (valid, 0, MIN (g_utf8_strlen (valid, -1), MAX_NAME_CHARS));
  return result;
}

/* Splits "group.NAME;params:value" in place: the first ':' outside
 * double quotes ends the name and its parameters. */
static gboolean
split_property (char        *line,
                const char **name,
                const char **params,
                char       **value)
{
  gboolean quoted = FALSE;
  char *colon = NULL;
  char *semicolon, *dot;

  for (char *p = line; *p; p++) {
    if (*p == '"') {
      quoted = !quoted;
    } else if (*p == ':' && !quoted) {
      colon = p;
      break;
    }
  }
  if (colon == NULL)
    return FALSE;
  *colon = '\0';
  *value = g_strstrip (colon + 1);

  semicolon = strchr (line, ';');
  if (semicolon) {
    *semicolon = '\0';
    *params = semicolon + 1;
  } else {
    *params = "";
  }
  dot = strrchr (line, '.');
  *name = dot ? dot + 1 : line;
  return TRUE;
}

/* Where @name keeps a SIP address, if @value is one. */
static Rank
rank_of (const char *name,
         const char *value)
{
  if (g_ascii_strcasecmp (name, "IMPP") == 0)
    return is_sip_uri (value) ? RANK_IMPP : RANK_NONE;
  if (g_ascii_strcasecmp (name, "X-SIP") == 0)
    return RANK_X_SIP;
  if (g_ascii_strcasecmp (name, "TEL") == 0)
    return is_sip_uri (value) ? RANK_TEL : RANK_NONE;
  if (g_ascii_strcasecmp (name, "URL") == 0)
    return is_sip_uri (value) ? RANK_URL : RANK_NONE;
  return RANK_NONE;
}

/**
 * confab_vcard_find_sip_address:
 * @text: a contact card (the first of several counts)
 * @length: its length in bytes, or -1 when it ends with a NUL
 * @display_name: (out) (optional) (nullable): its formatted name (FN)
 *
 * Finds the SIP address a contact card gives: IMPP with a sip: URI
 * first, then X-SIP, then a sip: TEL or URL. Text that is no card, a card
 * larger than %CONFAB_VCARD_MAX_LENGTH or one without a SIP address give
 * %NULL.
 *
 * Returns: (transfer full) (nullable): the address, normalized
 */
char *
confab_vcard_find_sip_address (const char *text,
                               gssize      length,
                               char      **display_name)
{
  g_autoptr (GString) line = NULL;
  g_autofree char *best = NULL;
  g_autofree char *name_text = NULL;
  Rank best_rank = RANK_NONE;
  const char *p, *end;
  gsize len;

  if (display_name)
    *display_name = NULL;
  if (text == NULL)
    return NULL;
  len = text_length (text, length);
  if (len > CONFAB_VCARD_MAX_LENGTH || !confab_vcard_looks_like (text, len))
    return NULL;

  end = text + len;
  p = skip_blank (text, end);
  line = g_string_new (NULL);
  read_line (&p, end, line); /* BEGIN:VCARD */
  while (p < end) {
    const char *name, *params;
    char *value;
    Rank rank;

    read_line (&p, end, line);
    if (!split_property (line->str, &name, &params, &value))
      continue;
    if (g_ascii_strcasecmp (name, "END") == 0)
      break;
    if (g_ascii_strcasecmp (name, "FN") == 0 && name_text == NULL) {
      name_text = dup_display_text (value, has_ascii_nocase (params, "QUOTED-PRINTABLE"));
      continue;
    }
    rank = rank_of (name, value);
    if (rank > best_rank) {
      char *uri = confab_uri_normalize (value, NULL);

      if (uri) {
        g_free (best);
        best = uri;
        best_rank = rank;
      }
    }
  }

  if (best && display_name)
    *display_name = g_steal_pointer (&name_text);
  return g_steal_pointer (&best);
}
