/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-private.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* MSRP headers (RFC 4975 §9, RFC 4976 §5): reading each into its field of
 * ConfabMsrpMessage, and printing them all, in one place so that what we
 * print we read back the same. */

#define MAX_MESSAGE_ID 256 /* RFC 4975 says 4-32; peers' UUIDs are longer */

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError        **error,
      ConfabMsrpError code,
      const char     *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CONFAB_MSRP_ERROR, code, _("Invalid MSRP data: %s"), message);
  return FALSE;
}

static gboolean
parse_range_value (const char *text,
                   gsize       length,
                   guint64    *out)
{
  if (length == 1 && text[0] == '*') {
    *out = CONFAB_MSRP_UNKNOWN;
    return TRUE;
  }
  return _confab_msrp_parse_uint (text, length, G_MAXINT64, out);
}

/* start "-" (end / "*") "/" (total / "*"); only the syntax is checked. */
gboolean
_confab_msrp_parse_byte_range (const char          *text,
                               gsize                length,
                               ConfabMsrpByteRange *range)
{
  const char *end = text + length;
  const char *dash = memchr (text, '-', length);
  const char *slash = dash ? memchr (dash, '/', end - dash) : NULL;

  return dash && slash && _confab_msrp_parse_uint (text, dash - text, G_MAXINT64, &range->start) &&
         parse_range_value (dash + 1, slash - dash - 1, &range->end) &&
         parse_range_value (slash + 1, end - slash - 1, &range->total);
}

static void
append_range_value (GString *out,
                    guint64  value)
{
  if (value == CONFAB_MSRP_UNKNOWN)
    g_string_append_c (out, '*');
  else
    g_string_append_printf (out, "%" G_GUINT64_FORMAT, value);
}

void
_confab_msrp_append_byte_range (GString                   *out,
                                const ConfabMsrpByteRange *range)
{
  g_string_append_printf (out, "%" G_GUINT64_FORMAT "-", range->start);
  append_range_value (out, range->end);
  g_string_append_c (out, '/');
  append_range_value (out, range->total);
}

static gboolean
parse_byte_range (ConfabMsrpMessage *m,
                  const char        *value,
                  GError           **error)
{
  ConfabMsrpByteRange *r = &m->byte_range;

  if (!_confab_msrp_parse_byte_range (value, strlen (value), r))
    return fail (error, CONFAB_MSRP_ERROR_BYTE_RANGE,
                 _("the Byte-Range “%s” is not of the form start-end/total"), value);
  if (r->start == 0)
    return fail (error, CONFAB_MSRP_ERROR_BYTE_RANGE,
                 _("the Byte-Range “%s” starts at 0; ranges start at 1"), value);
  if (r->end != CONFAB_MSRP_UNKNOWN && r->end + 1 < r->start)
    return fail (error, CONFAB_MSRP_ERROR_BYTE_RANGE,
                 _("the Byte-Range “%s” ends before it starts"), value);
  if (r->total != CONFAB_MSRP_UNKNOWN && r->start > r->total + 1)
    return fail (error, CONFAB_MSRP_ERROR_BYTE_RANGE,
                 _("the Byte-Range “%s” starts after the end of the message"), value);
  /* The SIP SIMPLE SDK reports non-ASCII messages with an end beyond the
   * total (it counts characters in one place, bytes in another). */
  if (r->total != CONFAB_MSRP_UNKNOWN && r->end != CONFAB_MSRP_UNKNOWN && r->end > r->total &&
      m->method != CONFAB_MSRP_METHOD_REPORT)
    return fail (error, CONFAB_MSRP_ERROR_BYTE_RANGE,
                 _("the Byte-Range “%s” ends after the end of the message"), value);
  m->has_byte_range = TRUE;
  return TRUE;
}

static gboolean
parse_report (ConfabMsrpReport *report,
              const char       *name,
              const char       *value,
              gboolean          allow_partial,
              GError          **error)
{
  if (g_ascii_strcasecmp (value, "yes") == 0)
    *report = CONFAB_MSRP_REPORT_YES;
  else if (g_ascii_strcasecmp (value, "no") == 0)
    *report = CONFAB_MSRP_REPORT_NO;
  else if (allow_partial && g_ascii_strcasecmp (value, "partial") == 0)
    *report = CONFAB_MSRP_REPORT_PARTIAL;
  else
    return fail (error, CONFAB_MSRP_ERROR_MALFORMED, _("%s: “%s” is not a valid value"), name,
                 value);
  return TRUE;
}

/* namespace SP status-code [SP text], as "000 200 OK" */
static gboolean
parse_status (ConfabMsrpMessage *m,
              const char        *value,
              GError           **error)
{
  gsize length = strlen (value);
  guint64 ns, code;

  if (length < 7 || value[3] != ' ' || (length > 7 && value[7] != ' ') ||
      !_confab_msrp_parse_uint (value, 3, 999, &ns) ||
      !_confab_msrp_parse_uint (value + 4, 3, 999, &code) || code < 100)
    return fail (error, CONFAB_MSRP_ERROR_STATUS,
                 _("the Status “%s” is not of the form “000 200 OK”"), value);
  m->has_report_status = TRUE;
  m->report_namespace = (guint) ns;
  m->report_status = (guint) code;
  if (length > 8)
    m->report_comment = g_strdup (value + 8);
  return TRUE;
}

static gboolean
parse_expires (gint64     *field,
               const char *name,
               const char *value,
               GError    **error)
{
  guint64 number;

  if (!_confab_msrp_parse_uint (value, strlen (value), G_MAXINT32, &number))
    return fail (error, CONFAB_MSRP_ERROR_MALFORMED, _("%s: “%s” is not a number of seconds"),
                 name, value);
  *field = (gint64) number;
  return TRUE;
}

static gboolean
parse_path (GPtrArray **field,
            const char *value,
            GError    **error)
{
  GPtrArray *path = confab_msrp_path_parse (value, strlen (value), error);

  if (!path)
    return FALSE;
  g_clear_pointer (field, g_ptr_array_unref);
  *field = path;
  return TRUE;
}

static gboolean
set_string (char      **field,
            const char *name,
            char       *value,
            GError    **error)
{
  if (*field) {
    g_free (value);
    return fail (error, CONFAB_MSRP_ERROR_MALFORMED, _("two %s headers"), name);
  }
  *field = value;
  return TRUE;
}

static gboolean
is_header (const char *name,
           const char *wanted)
{
  return g_ascii_strcasecmp (name, wanted) == 0;
}

/* One header line, without its line end; NUL and control characters were
 * refused already. */
gboolean
_confab_msrp_parse_header (ConfabMsrpMessage *m,
                           const char        *line,
                           gsize              length,
                           GError           **error)
{
  const char *colon = memchr (line, ':', length);
  const char *value_start, *value_end;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (!colon)
    return fail (error, CONFAB_MSRP_ERROR_MALFORMED, _("a header line without “:”"));
  if (!_confab_msrp_is_token (line, colon - line))
    return fail (error, CONFAB_MSRP_ERROR_MALFORMED,
                 _("a header name that is empty or has characters it cannot have"));
  value_start = colon + 1;
  value_end = line + length;
  while (value_start < value_end && (*value_start == ' ' || *value_start == '\t'))
    value_start++;
  while (value_end > value_start && (value_end[-1] == ' ' || value_end[-1] == '\t'))
    value_end--;
  name = g_strndup (line, colon - line);
  value = g_strndup (value_start, value_end - value_start);

  if (is_header (name, "To-Path") || is_header (name, "From-Path")) {
    GPtrArray **path = is_header (name, "To-Path") ? &m->to_path : &m->from_path;

    if ((*path)->len > 0)
      return fail (error, CONFAB_MSRP_ERROR_MALFORMED, _("two %s headers"), name);
    return parse_path (path, value, error);
  }
  if (is_header (name, "Use-Path")) {
    if (m->use_path)
      return fail (error, CONFAB_MSRP_ERROR_MALFORMED, _("two %s headers"), name);
    return parse_path (&m->use_path, value, error);
  }
  if (is_header (name, "Message-ID")) {
    if (!_confab_msrp_is_ident (value, strlen (value), 1, MAX_MESSAGE_ID))
      return fail (error, CONFAB_MSRP_ERROR_MALFORMED,
                   _("the Message-ID is not 1 to %u letters, digits or “.-+%%=”"),
                   MAX_MESSAGE_ID);
    return set_string (&m->message_id, name, g_steal_pointer (&value), error);
  }
  if (is_header (name, "Byte-Range")) {
    if (m->has_byte_range)
      return fail (error, CONFAB_MSRP_ERROR_MALFORMED, _("two %s headers"), name);
    return parse_byte_range (m, value, error);
  }
  if (is_header (name, "Success-Report") || is_header (name, "Failure-Report")) {
    gboolean failure = is_header (name, "Failure-Report");
    ConfabMsrpReport *report = failure ? &m->failure_report : &m->success_report;

    if (*report != CONFAB_MSRP_REPORT_UNSET)
      return fail (error, CONFAB_MSRP_ERROR_MALFORMED, _("two %s headers"), name);
    return parse_report (report, name, value, failure, error);
  }
  if (is_header (name, "Status")) {
    if (m->has_report_status)
      return fail (error, CONFAB_MSRP_ERROR_MALFORMED, _("two %s headers"), name);
    return parse_status (m, value, error);
  }
  if (is_header (name, "WWW-Authenticate")) {
    if (!m->www_authenticate)
      m->www_authenticate = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (m->www_authenticate, g_steal_pointer (&value));
    return TRUE;
  }
  if (is_header (name, "Authorization"))
    return set_string (&m->authorization, name, g_steal_pointer (&value), error);
  if (is_header (name, "Authentication-Info"))
    return set_string (&m->authentication_info, name, g_steal_pointer (&value), error);
  if (is_header (name, "Expires") || is_header (name, "Min-Expires") ||
      is_header (name, "Max-Expires")) {
    gint64 *field = is_header (name, "Expires")       ? &m->expires
                    : is_header (name, "Min-Expires") ? &m->min_expires
                                                      : &m->max_expires;

    if (*field >= 0)
      return fail (error, CONFAB_MSRP_ERROR_MALFORMED, _("two %s headers"), name);
    return parse_expires (field, name, value, error);
  }
  if (is_header (name, "Content-Type")) {
    if (!*value || !strchr (value, '/'))
      return fail (error, CONFAB_MSRP_ERROR_MALFORMED,
                   _("the Content-Type “%s” is not of the form type/subtype"), value);
    return set_string (&m->content_type, name, g_steal_pointer (&value), error);
  }
  if (is_header (name, "Content-ID"))
    return set_string (&m->content_id, name, g_steal_pointer (&value), error);
  if (is_header (name, "Content-Description"))
    return set_string (&m->content_description, name, g_steal_pointer (&value), error);
  if (is_header (name, "Content-Disposition"))
    return set_string (&m->content_disposition, name, g_steal_pointer (&value), error);

  confab_msrp_message_add_header (m, name, value);
  return TRUE;
}

static gboolean
append_header (GString    *out,
               const char *name,
               const char *value,
               GError    **error)
{
  if (!value)
    return TRUE;
  if (!_confab_msrp_is_header_safe (value))
    return fail (error, CONFAB_MSRP_ERROR_INVALID, _("the %s header contains a line break"),
                 name);
  g_string_append_printf (out, "%s: %s\r\n", name, value);
  return TRUE;
}

static gboolean
append_path (GString    *out,
             const char *name,
             GPtrArray  *path,
             GError    **error)
{
  g_autofree char *text = NULL;

  if (!path || path->len == 0)
    return TRUE;
  /* URIs built by hand may hold anything: print only what reads back. */
  for (guint i = 0; i < path->len; i++) {
    g_autofree char *uri_text = confab_msrp_uri_to_string (g_ptr_array_index (path, i));
    g_autoptr (ConfabMsrpUri) again = confab_msrp_uri_parse (uri_text, strlen (uri_text), NULL);

    if (!again)
      return fail (error, CONFAB_MSRP_ERROR_INVALID, _("the %s header has a malformed URI"),
                   name);
  }
  text = confab_msrp_path_to_string (path);
  return append_header (out, name, text, error);
}

static gboolean
is_modelled_header (const char *name)
{
  static const char *const names[] = {
    "To-Path", "From-Path", "Use-Path", "Message-ID", "Byte-Range", "Success-Report",
    "Failure-Report", "Status", "WWW-Authenticate", "Authorization", "Authentication-Info",
    "Expires", "Min-Expires", "Max-Expires", "Content-Type", "Content-ID",
    "Content-Description", "Content-Disposition",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    if (is_header (name, names[i]))
      return TRUE;
  }
  return FALSE;
}

static const char *
report_to_string (ConfabMsrpReport report)
{
  switch (report) {
  case CONFAB_MSRP_REPORT_YES:
    return "yes";
  case CONFAB_MSRP_REPORT_NO:
    return "no";
  case CONFAB_MSRP_REPORT_PARTIAL:
    return "partial";
  case CONFAB_MSRP_REPORT_UNSET:
  default:
    return NULL;
  }
}

static void
append_expires (GString    *out,
                const char *name,
                gint64      value)
{
  if (value >= 0)
    g_string_append_printf (out, "%s: %" G_GINT64_FORMAT "\r\n", name, value);
}

/* Every header, in the order of RFC 4975's examples: paths first, the MIME
 * headers last with Content-Type closing them (only with a body). */
gboolean
_confab_msrp_append_headers (const ConfabMsrpMessage *m,
                             GString                 *out,
                             GError                 **error)
{
  gboolean has_body = m->body && g_bytes_get_size (m->body) > 0;

  if (!append_path (out, "To-Path", m->to_path, error) ||
      !append_path (out, "From-Path", m->from_path, error) ||
      !append_header (out, "Message-ID", m->message_id, error))
    return FALSE;
  if (m->has_byte_range) {
    g_string_append (out, "Byte-Range: ");
    _confab_msrp_append_byte_range (out, &m->byte_range);
    g_string_append (out, "\r\n");
  }
  if (!append_header (out, "Success-Report", report_to_string (m->success_report), error) ||
      !append_header (out, "Failure-Report", report_to_string (m->failure_report), error))
    return FALSE;
  if (m->has_report_status) {
    if (m->report_comment && !_confab_msrp_is_header_safe (m->report_comment))
      return fail (error, CONFAB_MSRP_ERROR_INVALID, _("the Status header contains a line break"));
    g_string_append_printf (out, "Status: %03u %03u%s%s\r\n", m->report_namespace % 1000,
                            m->report_status % 1000, m->report_comment ? " " : "",
                            m->report_comment ? m->report_comment : "");
  }
  if (!append_path (out, "Use-Path", m->use_path, error))
    return FALSE;
  for (guint i = 0; m->www_authenticate && i < m->www_authenticate->len; i++) {
    if (!append_header (out, "WWW-Authenticate", g_ptr_array_index (m->www_authenticate, i),
                        error))
      return FALSE;
  }
  if (!append_header (out, "Authorization", m->authorization, error) ||
      !append_header (out, "Authentication-Info", m->authentication_info, error))
    return FALSE;
  append_expires (out, "Expires", m->expires);
  append_expires (out, "Min-Expires", m->min_expires);
  append_expires (out, "Max-Expires", m->max_expires);
  for (guint i = 0; i < m->headers->len; i++) {
    const ConfabMsrpHeader *header = g_ptr_array_index (m->headers, i);

    if (!_confab_msrp_is_token (header->name, strlen (header->name)) ||
        is_modelled_header (header->name))
      return fail (error, CONFAB_MSRP_ERROR_INVALID,
                   _("“%s” is not a name for an extra header"), header->name);
    if (!append_header (out, header->name, header->value, error))
      return FALSE;
  }
  if (!has_body)
    return TRUE;
  if (!m->content_type || !strchr (m->content_type, '/'))
    return fail (error, CONFAB_MSRP_ERROR_INVALID,
                 _("a body needs a Content-Type of the form type/subtype"));
  return append_header (out, "Content-ID", m->content_id, error) &&
         append_header (out, "Content-Description", m->content_description, error) &&
         append_header (out, "Content-Disposition", m->content_disposition, error) &&
         append_header (out, "Content-Type", m->content_type, error);
}
