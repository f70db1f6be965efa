/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabIm"

#include "config.h"

#include "confab-cpim-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* CPIM (RFC 3862). The body is a slice of the input GBytes, never copied;
 * header sections are bounded in lines and bytes. What we print we read
 * back the same: printing refuses line breaks and characters an address
 * cannot hold, and quotes display names that are not plain words. */

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
  g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("Invalid CPIM message: %s"), message);
  return FALSE;
}

/* A header name or namespace prefix: a token without '.' */
static gboolean
is_name (const char *text)
{
  return _confab_cpim_is_token (text, strlen (text)) && !strchr (text, '.');
}

void
confab_cpim_header_free (ConfabCpimHeader *header)
{
  if (!header)
    return;
  g_free (header->prefix);
  g_free (header->name);
  g_free (header->params);
  g_free (header->value);
  g_free (header->ns_uri);
  g_free (header);
}

void
confab_cpim_namespace_free (ConfabCpimNamespace *ns)
{
  if (!ns)
    return;
  g_free (ns->prefix);
  g_free (ns->uri);
  g_free (ns);
}

ConfabCpimMessage *
confab_cpim_message_new (void)
{
  ConfabCpimMessage *m = g_new0 (ConfabCpimMessage, 1);

  m->to = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_cpim_address_free);
  m->cc = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_cpim_address_free);
  m->subjects = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_cpim_header_free);
  m->namespaces = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_cpim_namespace_free);
  m->require = g_ptr_array_new_with_free_func (g_free);
  m->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_cpim_header_free);
  m->content_headers = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_cpim_header_free);
  return m;
}

void
confab_cpim_message_free (ConfabCpimMessage *m)
{
  if (!m)
    return;
  g_clear_pointer (&m->from, confab_cpim_address_free);
  g_ptr_array_unref (m->to);
  g_ptr_array_unref (m->cc);
  g_clear_pointer (&m->date_time, g_date_time_unref);
  g_ptr_array_unref (m->subjects);
  g_ptr_array_unref (m->namespaces);
  g_ptr_array_unref (m->require);
  g_ptr_array_unref (m->headers);
  g_free (m->content_type);
  g_free (m->content_id);
  g_free (m->content_disposition);
  g_ptr_array_unref (m->content_headers);
  g_clear_pointer (&m->body, g_bytes_unref);
  g_free (m);
}

static const char *
lookup_namespace (GPtrArray  *namespaces,
                  const char *prefix)
{
  /* the latest declaration of a prefix wins */
  for (guint i = namespaces->len; i > 0; i--) {
    const ConfabCpimNamespace *ns = g_ptr_array_index (namespaces, i - 1);

    if (g_strcmp0 (ns->prefix, prefix) == 0)
      return ns->uri;
  }
  return NULL;
}

static ConfabCpimHeader *
header_new (const char *prefix,
            const char *name,
            const char *params,
            const char *value,
            const char *ns_uri)
{
  ConfabCpimHeader *header = g_new0 (ConfabCpimHeader, 1);

  header->prefix = g_strdup (prefix);
  header->name = g_strdup (name);
  header->params = g_strdup (params);
  header->value = g_strdup (value);
  header->ns_uri = g_strdup (ns_uri);
  return header;
}

void
confab_cpim_message_set_body (ConfabCpimMessage *m,
                              const char        *content_type,
                              GBytes            *body)
{
  g_return_if_fail (m != NULL);

  g_free (m->content_type);
  m->content_type = g_strdup (content_type);
  g_clear_pointer (&m->body, g_bytes_unref);
  m->body = body ? g_bytes_ref (body) : NULL;
}

/* NS: [prefix] <uri>; a NULL @prefix declares the default namespace. */
void
confab_cpim_message_add_namespace (ConfabCpimMessage *m,
                                   const char        *prefix,
                                   const char        *uri)
{
  ConfabCpimNamespace *ns;

  g_return_if_fail (m != NULL && uri != NULL);

  ns = g_new0 (ConfabCpimNamespace, 1);
  ns->prefix = g_strdup (prefix);
  ns->uri = g_strdup (uri);
  g_ptr_array_add (m->namespaces, ns);
}

/* Adds "prefix.name: value" (or "name: value"); declare the prefix with
 * confab_cpim_message_add_namespace() first. */
void
confab_cpim_message_add_header (ConfabCpimMessage *m,
                                const char        *prefix,
                                const char        *name,
                                const char        *value)
{
  g_return_if_fail (m != NULL && name != NULL && value != NULL);

  g_ptr_array_add (m->headers, header_new (prefix, name, NULL, value,
                                           lookup_namespace (m->namespaces, prefix)));
}

/**
 * confab_cpim_message_get_header:
 * @ns_uri: (nullable): the namespace (whatever prefix the sender chose),
 *   or %NULL for a header without a prefix
 *
 * Returns: (nullable): the first value of the extension header @name
 */
const char *
confab_cpim_message_get_header (const ConfabCpimMessage *m,
                                const char              *ns_uri,
                                const char              *name)
{
  g_return_val_if_fail (m != NULL && name != NULL, NULL);

  for (guint i = 0; i < m->headers->len; i++) {
    const ConfabCpimHeader *header = g_ptr_array_index (m->headers, i);

    if (g_ascii_strcasecmp (header->name, name) != 0)
      continue;
    if (ns_uri ? g_strcmp0 (header->ns_uri, ns_uri) == 0 : header->prefix == NULL)
      return header->value;
  }
  return NULL;
}

/* Returns: (nullable): a MIME header other than Content-Type, -ID and
 * -Disposition ("MIME-Version", "Content-Transfer-Encoding") */
const char *
confab_cpim_message_get_content_header (const ConfabCpimMessage *m,
                                        const char              *name)
{
  g_return_val_if_fail (m != NULL && name != NULL, NULL);

  for (guint i = 0; i < m->content_headers->len; i++) {
    const ConfabCpimHeader *header = g_ptr_array_index (m->content_headers, i);

    if (g_ascii_strcasecmp (header->name, name) == 0)
      return header->value;
  }
  return NULL;
}

/* NS: [prefix SP] <uri> */
static gboolean
parse_namespace (ConfabCpimMessage *m,
                 const char        *value,
                 GError           **error)
{
  const char *open = strchr (value, '<');
  const char *close = open ? strchr (open, '>') : NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *uri = NULL;
  const char *end;

  if (!open || !close || close[1] != '\0')
    return fail (error, _("the NS header “%s” is not of the form “prefix <URI>”"), value);
  end = open;
  while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  if (end > value) {
    if (!_confab_cpim_is_token (value, end - value) || memchr (value, '.', end - value))
      return fail (error, _("the NS prefix in “%s” is not a word"), value);
    prefix = g_strndup (value, end - value);
  }
  uri = g_strndup (open + 1, close - open - 1);
  if (!_confab_cpim_is_uri_text (uri))
    return fail (error, _("the NS header “%s” has an empty or malformed URI"), value);
  confab_cpim_message_add_namespace (m, prefix, uri);
  return TRUE;
}

static gboolean
parse_require (ConfabCpimMessage *m,
               const char        *value,
               GError           **error)
{
  g_auto (GStrv) names = g_strsplit (value, ",", 0);

  for (guint i = 0; names[i]; i++) {
    char *name = g_strstrip (names[i]);

    if (!_confab_cpim_is_token (name, strlen (name)))
      return fail (error, _("the Require header “%s” is not a list of header names"), value);
    g_ptr_array_add (m->require, g_strdup (name));
  }
  return TRUE;
}

static gboolean
add_address (ConfabCpimMessage  *m,
             ConfabCpimAddress **single,
             GPtrArray          *list,
             const char         *name,
             const char         *value,
             GError            **error)
{
  g_autoptr (GError) local_error = NULL;
  ConfabCpimAddress *address = confab_cpim_address_parse (value, &local_error);

  if (!address)
    return fail (error, _("%s: %s"), name, local_error->message);
  if (single) {
    if (*single) {
      confab_cpim_address_free (address);
      return fail (error, _("two From headers"));
    }
    *single = address;
  } else {
    g_ptr_array_add (list, address);
  }
  return TRUE;
}

static gboolean
has_plain_header (const ConfabCpimMessage *m,
                  const char              *name)
{
  for (guint i = 0; i < m->headers->len; i++) {
    const ConfabCpimHeader *header = g_ptr_array_index (m->headers, i);

    if (!header->prefix && !header->params && g_ascii_strcasecmp (header->name, name) == 0)
      return TRUE;
  }
  return FALSE;
}

/* One message header: Name [";" params] ":" SP value */
static gboolean
parse_message_header (ConfabCpimMessage *m,
                      const char        *line,
                      gsize              length,
                      GError           **error)
{
  const char *colon = memchr (line, ':', length);
  const char *end = line + length;
  const char *p, *params_end, *dot;
  g_autofree char *prefix = NULL;
  g_autofree char *name = NULL;
  g_autofree char *params = NULL;
  g_autofree char *value = NULL;

  if (!colon || !_confab_cpim_is_token (line, colon - line))
    return fail (error, _("a message header line is not of the form “Name: value”"));
  dot = memchr (line, '.', colon - line);
  if (dot) {
    if (dot == line || dot + 1 == colon || memchr (dot + 1, '.', colon - dot - 1))
      return fail (error, _("the header name “%.*s” is not of the form prefix.Name"),
                   (int) (colon - line), line);
    prefix = g_strndup (line, dot - line);
    name = g_strndup (dot + 1, colon - dot - 1);
  } else {
    name = g_strndup (line, colon - line);
  }
  p = colon + 1;
  params_end = p;
  if (p < end && *p == ';') {
    while (params_end < end && *params_end != ' ' && *params_end != '\t')
      params_end++;
    params = g_strndup (p, params_end - p);
  }
  p = params_end;
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  value = g_strndup (p, end - p);

  if (!prefix && !params) {
    if (g_ascii_strcasecmp (name, "From") == 0)
      return add_address (m, &m->from, NULL, name, value, error);
    if (g_ascii_strcasecmp (name, "To") == 0)
      return add_address (m, NULL, m->to, name, value, error);
    if (g_ascii_strcasecmp (name, "cc") == 0)
      return add_address (m, NULL, m->cc, name, value, error);
    if (g_ascii_strcasecmp (name, "NS") == 0)
      return parse_namespace (m, value, error);
    if (g_ascii_strcasecmp (name, "Require") == 0)
      return parse_require (m, value, error);
    if (g_ascii_strcasecmp (name, "DateTime") == 0) {
      /* RFC 3339; a missing offset is read as UTC, an unreadable date is
       * kept as text in headers. */
      g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
      GDateTime *parsed = strlen (value) < 64 ? g_date_time_new_from_iso8601 (value, utc) : NULL;

      if (m->date_time || has_plain_header (m, "DateTime")) {
        g_clear_pointer (&parsed, g_date_time_unref);
        return fail (error, _("two DateTime headers"));
      }
      if (parsed) {
        m->date_time = parsed;
        return TRUE;
      }
    }
  }
  if (!prefix && g_ascii_strcasecmp (name, "Subject") == 0) {
    g_ptr_array_add (m->subjects, header_new (NULL, name, params, value, NULL));
    return TRUE;
  }
  g_ptr_array_add (m->headers, header_new (prefix, name, params, value,
                                           lookup_namespace (m->namespaces, prefix)));
  return TRUE;
}

static gboolean
set_once (char      **field,
          const char *name,
          const char *value,
          GError    **error)
{
  if (*field)
    return fail (error, _("two %s headers"), name);
  *field = g_strdup (value);
  return TRUE;
}

/* One MIME header, folded lines joined. */
static gboolean
parse_content_header (ConfabCpimMessage *m,
                      const char        *line,
                      GError           **error)
{
  const char *colon = strchr (line, ':');
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (!colon || !_confab_cpim_is_token (line, colon - line))
    return fail (error, _("a content header line is not of the form “Name: value”"));
  name = g_strndup (line, colon - line);
  value = g_strstrip (g_strdup (colon + 1));
  if (g_ascii_strcasecmp (name, "Content-Type") == 0)
    return set_once (&m->content_type, name, value, error);
  if (g_ascii_strcasecmp (name, "Content-ID") == 0)
    return set_once (&m->content_id, name, value, error);
  if (g_ascii_strcasecmp (name, "Content-Disposition") == 0)
    return set_once (&m->content_disposition, name, value, error);
  g_ptr_array_add (m->content_headers, header_new (NULL, name, NULL, value, NULL));
  return TRUE;
}

typedef struct
{
  const char *data;
  gsize       length;
  gsize       pos;
  gsize       header_bytes;
} Reader;

/* The next line without its CR LF or LF; FALSE at the end of the data. */
static gboolean
next_line (Reader      *r,
           const char **line,
           gsize       *length,
           gboolean    *terminated,
           GError     **error)
{
  const char *start = r->data + r->pos;
  const char *newline;
  gsize n;

  if (r->pos >= r->length)
    return FALSE;
  newline = memchr (start, '\n', r->length - r->pos);
  n = newline ? (gsize) (newline - start) : r->length - r->pos;
  r->pos += n + (newline ? 1 : 0);
  r->header_bytes += n + 1;
  *terminated = newline != NULL;
  if (n > CONFAB_CPIM_MAX_LINE)
    return fail (error, _("a header line is longer than %u bytes"), CONFAB_CPIM_MAX_LINE);
  if (r->header_bytes > CONFAB_CPIM_MAX_HEADER_BLOCK)
    return fail (error, _("the headers are larger than %u KiB"),
                 CONFAB_CPIM_MAX_HEADER_BLOCK / 1024);
  if (n > 0 && start[n - 1] == '\r')
    n--;
  for (gsize i = 0; i < n; i++) {
    if (start[i] == '\0')
      return fail (error, _("a NUL byte in the headers"));
    if (((guchar) start[i] < 0x20 && start[i] != '\t') || start[i] == 0x7f)
      return fail (error, _("a control character in the headers"));
  }
  *line = start;
  *length = n;
  return TRUE;
}

/**
 * confab_cpim_message_parse:
 * @data: a Message/CPIM body
 *
 * Returns: (transfer full) (nullable): the message; its body is a slice of
 *   @data
 */
ConfabCpimMessage *
confab_cpim_message_parse (GBytes  *data,
                           GError **error)
{
  g_autoptr (ConfabCpimMessage) m = confab_cpim_message_new ();
  g_autoptr (GString) content_line = NULL;
  g_autoptr (GError) local_error = NULL;
  Reader r = { 0 };
  const char *line;
  gsize length;
  gboolean terminated = FALSE, blank = FALSE;
  guint n_lines = 0;

  g_return_val_if_fail (data != NULL, NULL);

  r.data = g_bytes_get_data (data, &r.length);
  if (r.length == 0) {
    fail (error, _("it is empty"));
    return NULL;
  }

  /* message headers, up to a blank line */
  while (next_line (&r, &line, &length, &terminated, &local_error)) {
    if (length == 0 && terminated) {
      blank = TRUE;
      break;
    }
    if (++n_lines > CONFAB_CPIM_MAX_HEADERS) {
      fail (error, _("more than %u message headers"), CONFAB_CPIM_MAX_HEADERS);
      return NULL;
    }
    if (!parse_message_header (m, line, length, error))
      return NULL;
  }
  if (local_error) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return NULL;
  }
  if (!blank) {
    fail (error, _("the message headers are not followed by a blank line"));
    return NULL;
  }

  /* MIME headers, up to a blank line or the end; folded lines continue */
  n_lines = 0;
  blank = FALSE;
  content_line = g_string_new (NULL);
  while (next_line (&r, &line, &length, &terminated, &local_error)) {
    if (length > 0 && (line[0] == ' ' || line[0] == '\t')) {
      if (content_line->len == 0) {
        fail (error, _("a content header starts with a space"));
        return NULL;
      }
      g_string_append_c (content_line, ' ');
      while (length > 0 && (line[0] == ' ' || line[0] == '\t')) {
        line++;
        length--;
      }
      g_string_append_len (content_line, line, length);
      if (content_line->len > CONFAB_CPIM_MAX_LINE) {
        fail (error, _("a header line is longer than %u bytes"), CONFAB_CPIM_MAX_LINE);
        return NULL;
      }
      continue;
    }
    if (content_line->len > 0 && !parse_content_header (m, content_line->str, error))
      return NULL;
    g_string_truncate (content_line, 0);
    if (length == 0 && terminated) {
      blank = TRUE;
      break;
    }
    if (++n_lines > CONFAB_CPIM_MAX_HEADERS) {
      fail (error, _("more than %u content headers"), CONFAB_CPIM_MAX_HEADERS);
      return NULL;
    }
    g_string_append_len (content_line, line, length);
  }
  if (local_error) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return NULL;
  }
  if (content_line->len > 0 && !parse_content_header (m, content_line->str, error))
    return NULL;

  m->body = g_bytes_new_from_bytes (data, blank ? r.pos : r.length, blank ? r.length - r.pos : 0);
  return g_steal_pointer (&m);
}

static gboolean
append_header (GString                *out,
               const ConfabCpimHeader *header,
               GError                **error)
{
  if (!is_name (header->name) || (header->prefix && !is_name (header->prefix)))
    return fail (error, _("“%s” is not a header name"), header->name);
  if (header->params && (header->params[0] != ';' || strpbrk (header->params, " \t") ||
                         !_confab_cpim_is_printable (header->params)))
    return fail (error, _("the parameters of the %s header are malformed"), header->name);
  if (!_confab_cpim_is_printable (header->value))
    return fail (error, _("the %s header contains a line break or control character"),
                 header->name);
  g_string_append_printf (out, "%s%s%s:%s %s\r\n", header->prefix ? header->prefix : "",
                          header->prefix ? "." : "", header->name,
                          header->params ? header->params : "", header->value);
  return TRUE;
}

static gboolean
append_address_header (GString                 *out,
                       const char              *name,
                       const ConfabCpimAddress *address,
                       GError                 **error)
{
  g_string_append_printf (out, "%s: ", name);
  if (!_confab_cpim_append_address (out, address, error))
    return FALSE;
  g_string_append (out, "\r\n");
  return TRUE;
}

static gboolean
is_message_header_name (const char *name)
{
  static const char *const names[] = { "From", "To", "cc", "NS", "Require", "Subject" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return TRUE;
  }
  return FALSE;
}

static gboolean
append_content_header (GString    *out,
                       const char *name,
                       const char *value,
                       GError    **error)
{
  if (!value)
    return TRUE;
  if (!_confab_cpim_is_token (name, strlen (name)))
    return fail (error, _("“%s” is not a header name"), name);
  if (!_confab_cpim_is_printable (value))
    return fail (error, _("the %s header contains a line break or control character"), name);
  g_string_append_printf (out, "%s: %s\r\n", name, value);
  return TRUE;
}

/**
 * confab_cpim_message_to_bytes:
 *
 * Returns: (transfer full) (nullable): the Message/CPIM body, CRLF line
 *   ends, or %NULL with a %CONFAB_ERROR_INVALID @error
 */
GBytes *
confab_cpim_message_to_bytes (const ConfabCpimMessage *m,
                              GError                 **error)
{
  g_autoptr (GString) out = g_string_sized_new (512);
  gsize body_length = m->body ? g_bytes_get_size (m->body) : 0;

  g_return_val_if_fail (m != NULL, NULL);

  if (m->from && !append_address_header (out, "From", m->from, error))
    return NULL;
  for (guint i = 0; i < m->to->len; i++) {
    if (!append_address_header (out, "To", g_ptr_array_index (m->to, i), error))
      return NULL;
  }
  for (guint i = 0; i < m->cc->len; i++) {
    if (!append_address_header (out, "cc", g_ptr_array_index (m->cc, i), error))
      return NULL;
  }
  if (m->date_time) {
    GDateTime *t = m->date_time;
    g_autofree char *zone = g_date_time_format (t, "%:z");
    int usec = g_date_time_get_microsecond (t);

    /* by hand: %Y does not pad years before 1000 to four digits */
    g_string_append_printf (out, "DateTime: %04d-%02d-%02dT%02d:%02d:%02d",
                            g_date_time_get_year (t), g_date_time_get_month (t),
                            g_date_time_get_day_of_month (t), g_date_time_get_hour (t),
                            g_date_time_get_minute (t), g_date_time_get_second (t));
    if (usec)
      g_string_append_printf (out, ".%06d", usec);
    g_string_append_printf (out, "%s\r\n", zone);
  }
  for (guint i = 0; i < m->subjects->len; i++) {
    ConfabCpimHeader subject = *(ConfabCpimHeader *) g_ptr_array_index (m->subjects, i);

    subject.prefix = NULL;
    subject.name = (char *) "Subject";
    if (!append_header (out, &subject, error))
      return NULL;
  }
  for (guint i = 0; i < m->namespaces->len; i++) {
    const ConfabCpimNamespace *ns = g_ptr_array_index (m->namespaces, i);

    if ((ns->prefix && !is_name (ns->prefix)) || !_confab_cpim_is_uri_text (ns->uri)) {
      fail (error, _("a namespace declaration is malformed"));
      return NULL;
    }
    g_string_append_printf (out, "NS: %s%s<%s>\r\n", ns->prefix ? ns->prefix : "",
                            ns->prefix ? " " : "", ns->uri);
  }
  if (m->require->len > 0) {
    g_string_append (out, "Require: ");
    for (guint i = 0; i < m->require->len; i++) {
      const char *name = g_ptr_array_index (m->require, i);

      if (!_confab_cpim_is_token (name, strlen (name))) {
        fail (error, _("“%s” is not a header name"), name);
        return NULL;
      }
      g_string_append_printf (out, "%s%s", i ? "," : "", name);
    }
    g_string_append (out, "\r\n");
  }
  for (guint i = 0; i < m->headers->len; i++) {
    const ConfabCpimHeader *header = g_ptr_array_index (m->headers, i);

    /* those have fields; an unreadable DateTime is kept here as text */
    if (!header->prefix && !header->params && is_message_header_name (header->name)) {
      fail (error, _("the %s header belongs in its field"), header->name);
      return NULL;
    }
    if (!header->prefix && !header->params && m->date_time &&
        g_ascii_strcasecmp (header->name, "DateTime") == 0) {
      fail (error, _("two DateTime headers"));
      return NULL;
    }
    if (!append_header (out, header, error))
      return NULL;
  }
  g_string_append (out, "\r\n");

  if (!append_content_header (out, "Content-Type", m->content_type, error) ||
      !append_content_header (out, "Content-ID", m->content_id, error) ||
      !append_content_header (out, "Content-Disposition", m->content_disposition, error))
    return NULL;
  for (guint i = 0; i < m->content_headers->len; i++) {
    const ConfabCpimHeader *header = g_ptr_array_index (m->content_headers, i);

    if (g_ascii_strcasecmp (header->name, "Content-Type") == 0 ||
        g_ascii_strcasecmp (header->name, "Content-ID") == 0 ||
        g_ascii_strcasecmp (header->name, "Content-Disposition") == 0) {
      fail (error, _("the %s header belongs in its field"), header->name);
      return NULL;
    }
    if (!append_content_header (out, header->name, header->value, error))
      return NULL;
  }
  g_string_append (out, "\r\n");
  if (body_length)
    g_string_append_len (out, g_bytes_get_data (m->body, NULL), body_length);
  if (out->len - body_length > CONFAB_CPIM_MAX_HEADER_BLOCK) {
    fail (error, _("the headers are larger than %u KiB"), CONFAB_CPIM_MAX_HEADER_BLOCK / 1024);
    return NULL;
  }
  return g_string_free_to_bytes (g_steal_pointer (&out));
}
