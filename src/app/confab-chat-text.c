/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-chat-text.h"

#include <glib/gi18n.h>

#include <string.h>

/* Chat text comes from the other side: it is escaped before it becomes
 * markup, and HTML is never rendered, only reduced to its text. */

static const char *link_schemes[] = { "https://", "http://", "sips:", "sip:" };

static gboolean
is_link_end (guchar c)
{
  return c <= ' ' || c == '<' || c == '>' || c == '"' || c == 0x7f;
}

/* The length of a link starting at @p, 0 if none starts there. Trailing
 * punctuation belongs to the sentence, as does a ')' with no '(' inside. */
static gsize
link_length (const char *p)
{
  gsize scheme_len = 0;
  gsize len;
  int parens = 0;

  for (guint i = 0; i < G_N_ELEMENTS (link_schemes); i++) {
    if (g_ascii_strncasecmp (p, link_schemes[i], strlen (link_schemes[i])) == 0) {
      scheme_len = strlen (link_schemes[i]);
      break;
    }
  }
  if (!scheme_len)
    return 0;

  for (len = scheme_len; p[len] && !is_link_end ((guchar) p[len]); len++)
    ;
  for (gsize i = scheme_len; i < len; i++) {
    if (p[i] == '(')
      parens++;
    else if (p[i] == ')')
      parens--;
  }
  while (len > scheme_len) {
    char last = p[len - 1];

    if (last == ')' && parens < 0) {
      parens++;
      len--;
    } else if (strchr (".,;:!?'*]}", last)) {
      len--;
    } else {
      break;
    }
  }
  return len > scheme_len ? len : 0;
}

static void
append_escaped (GString    *out,
                const char *text,
                gssize      len)
{
  g_autofree char *escaped = g_markup_escape_text (text, len);

  g_string_append (out, escaped);
}

/**
 * confab_chat_text_to_markup:
 * @text: UTF-8 text as received
 *
 * Returns: Pango markup for a GtkLabel: @text escaped, with http:, https:,
 *   sip: and sips: addresses turned into links
 */
char *
confab_chat_text_to_markup (const char *text)
{
  GString *out;
  const char *start;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text) + 16);
  start = p = text;
  while (*p) {
    gboolean boundary = p == text || !g_ascii_isalnum (p[-1]);
    gsize len = boundary ? link_length (p) : 0;

    if (!len) {
      p++;
      continue;
    }
    append_escaped (out, start, p - start);
    g_string_append (out, "<a href=\"");
    append_escaped (out, p, len);
    g_string_append (out, "\">");
    append_escaped (out, p, len);
    g_string_append (out, "</a>");
    p += len;
    start = p;
  }
  append_escaped (out, start, p - start);
  return g_string_free (out, FALSE);
}

static const struct
{
  const char *name;
  const char *text;
} entities[] = {
  { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
  { "nbsp", " " }, { "copy", "©" }, { "reg", "®" }, { "hellip", "…" }, { "mdash", "—" },
  { "ndash", "–" }, { "laquo", "«" }, { "raquo", "»" }, { "euro", "€" },
};

/* Decodes the entity at @p ('&'); returns how much it took, 0 if none. */
static gsize
decode_entity (const char *p,
               GString    *out)
{
  const char *semi = p + 1;
  gsize len;

  while (*semi && *semi != ';' && semi - p < 12)
    semi++;
  if (*semi != ';')
    return 0;
  len = semi - p - 1;
  if (len >= 2 && p[1] == '#') {
    gboolean hex = p[2] == 'x' || p[2] == 'X';
    g_autofree char *digits = g_strndup (p + (hex ? 3 : 2), len - (hex ? 2 : 1));
    char *end = NULL;
    guint64 c = g_ascii_strtoull (digits, &end, hex ? 16 : 10);

    if (!*digits || *end)
      return 0;
    if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
      c = 0xfffd;
    g_string_append_unichar (out, (gunichar) c);
    return len + 2;
  }
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++) {
    if (strlen (entities[i].name) == len && strncmp (p + 1, entities[i].name, len) == 0) {
      g_string_append (out, entities[i].text);
      return len + 2;
    }
  }
  return 0;
}

static gboolean
is_block_tag (const char *name)
{
  static const char *blocks[] = { "p", "div", "br", "li", "ul", "ol", "tr", "table",
                                  "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                                  "pre", "hr", "body", "html" };

  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++) {
    if (g_ascii_strcasecmp (name, blocks[i]) == 0)
      return TRUE;
  }
  return FALSE;
}

/* Skips past the end of a <script> or <style> element. */
static const char *
skip_element (const char *p,
              const char *name)
{
  g_autofree char *close = g_strconcat ("</", name, NULL);
  gsize close_len = strlen (close);

  for (; *p; p++) {
    if (g_ascii_strncasecmp (p, close, close_len) == 0) {
      const char *gt = strchr (p, '>');

      return gt ? gt + 1 : p + strlen (p);
    }
  }
  return p;
}

/* Block elements start on a line of their own; only <br> makes empty
 * lines. */
static void
start_line (GString *out)
{
  while (out->len && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
}

/* Handles the tag at @p ('<'); returns where the text goes on. */
static const char *
handle_tag (const char *p,
            GString    *out)
{
  const char *gt;
  const char *name_start;
  const char *name_end;
  g_autofree char *name = NULL;
  gboolean closing;

  if (g_str_has_prefix (p, "<!--")) {
    const char *end = strstr (p + 4, "-->");

    return end ? end + 3 : p + strlen (p);
  }
  gt = strchr (p, '>');
  if (!gt)
    return p + strlen (p);
  closing = p[1] == '/';
  name_start = p + (closing ? 2 : 1);
  for (name_end = name_start; g_ascii_isalnum (*name_end); name_end++)
    ;
  name = g_ascii_strdown (name_start, name_end - name_start);

  if (!closing && (strcmp (name, "script") == 0 || strcmp (name, "style") == 0 ||
                   strcmp (name, "head") == 0 || strcmp (name, "title") == 0))
    return skip_element (gt + 1, name);
  if (strcmp (name, "br") == 0) {
    g_string_append_c (out, '\n');
  } else if (strcmp (name, "li") == 0 && !closing) {
    start_line (out);
    g_string_append (out, "• ");
  } else if (is_block_tag (name)) {
    start_line (out);
  }
  return gt + 1;
}

/* Collapses the source's white space as a browser would, keeping the
 * line breaks the tags made: at most one empty line in a row. */
static char *
tidy_lines (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (NULL);
  guint empty = 0;

  for (guint i = 0; lines[i]; i++) {
    char *line = g_strstrip (lines[i]);

    if (!*line) {
      empty++;
      continue;
    }
    if (out->len)
      g_string_append (out, empty ? "\n\n" : "\n");
    g_string_append (out, line);
    empty = 0;
  }
  return g_string_free (out, FALSE);
}

/**
 * confab_chat_text_from_html:
 * @html: a text/html body
 *
 * Never renders the HTML: tags go (scripts and styles with their
 * content), block elements become line breaks, entities are decoded.
 *
 * Returns: plain UTF-8 text
 */
char *
confab_chat_text_from_html (const char *html)
{
  g_autoptr (GString) out = NULL;
  g_autofree char *tidy = NULL;
  const char *p;
  gboolean space = FALSE;

  g_return_val_if_fail (html != NULL, NULL);

  out = g_string_sized_new (strlen (html));
  for (p = html; *p;) {
    if (*p == '<' && (g_ascii_isalpha (p[1]) || p[1] == '/' || p[1] == '!')) {
      p = handle_tag (p, out);
      space = FALSE;
    } else if (g_ascii_isspace (*p)) {
      if (!space)
        g_string_append_c (out, ' ');
      space = TRUE;
      p++;
    } else if (*p == '&') {
      gsize used = decode_entity (p, out);

      if (!used)
        g_string_append_c (out, '&');
      p += used ? used : 1;
      space = FALSE;
    } else {
      g_string_append_c (out, *p);
      p++;
      space = FALSE;
    }
  }
  tidy = tidy_lines (out->str);
  if (!g_utf8_validate (tidy, -1, NULL))
    return g_utf8_make_valid (tidy, -1);
  return g_steal_pointer (&tidy);
}

/**
 * confab_chat_text_same_day:
 *
 * Returns: whether @a and @b fall on the same day, local time
 */
gboolean
confab_chat_text_same_day (GDateTime *a,
                           GDateTime *b)
{
  g_autoptr (GDateTime) la = NULL;
  g_autoptr (GDateTime) lb = NULL;
  int ya, ma, da, yb, mb, db;

  g_return_val_if_fail (a && b, FALSE);

  la = g_date_time_to_local (a);
  lb = g_date_time_to_local (b);
  g_date_time_get_ymd (la, &ya, &ma, &da);
  g_date_time_get_ymd (lb, &yb, &mb, &db);
  return ya == yb && ma == mb && da == db;
}

/**
 * confab_chat_text_format_day:
 * @now: (nullable): the current time; %NULL for now
 *
 * Returns: the label above a day's first message: "Today", "Yesterday",
 *   a weekday within the last week, else the date
 */
char *
confab_chat_text_format_day (GDateTime *timestamp,
                             GDateTime *now)
{
  g_autoptr (GDateTime) current = now ? g_date_time_to_local (now) : g_date_time_new_now_local ();
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) yesterday = NULL;
  g_autoptr (GDateTime) week_ago = NULL;

  g_return_val_if_fail (timestamp != NULL, NULL);

  local = g_date_time_to_local (timestamp);
  yesterday = g_date_time_add_days (current, -1);
  week_ago = g_date_time_add_days (current, -6);
  if (confab_chat_text_same_day (local, current))
    return g_strdup (_("Today"));
  if (confab_chat_text_same_day (local, yesterday))
    return g_strdup (_("Yesterday"));
  if (g_date_time_compare (local, week_ago) > 0 && g_date_time_compare (local, current) < 0)
    return g_date_time_format (local, "%A");
  if (g_date_time_get_year (local) == g_date_time_get_year (current))
    /* Translators: a day in this year, above its chat messages; a strftime
     * format, see the GDateTime documentation */
    return g_date_time_format (local, _("%A, %B %-e"));
  /* Translators: a day in another year, above its chat messages; a
   * strftime format, see the GDateTime documentation */
  return g_date_time_format (local, _("%B %-e, %Y"));
}
