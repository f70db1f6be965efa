/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabIm"

#include "config.h"

#include "confab-imdn.h"
#include "confab-error.h"
#include "confab-im-xml-private.h"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <string.h>

/* RFC 5438 documents come from peers, as is-composing documents do (see
 * confab-is-composing.c): bounded in size, read as UTF-8 whatever they
 * declare, with XML_PARSE_NONET and without entity expansion or DTD
 * loading, and refused when they carry a DOCTYPE at all. */

#define MAX_URI_LENGTH 2048

static const struct
{
  const char       *name;
  ConfabImdnStatus  status;
} status_names[] = {
  { "delivered", CONFAB_IMDN_STATUS_DELIVERED },
  { "failed", CONFAB_IMDN_STATUS_FAILED },
  { "displayed", CONFAB_IMDN_STATUS_DISPLAYED },
  { "processed", CONFAB_IMDN_STATUS_PROCESSED },
  { "stored", CONFAB_IMDN_STATUS_STORED },
  { "forbidden", CONFAB_IMDN_STATUS_FORBIDDEN },
  { "error", CONFAB_IMDN_STATUS_ERROR },
};

static const char *const kind_elements[] = {
  [CONFAB_IMDN_KIND_DELIVERY] = "delivery-notification",
  [CONFAB_IMDN_KIND_DISPLAY] = "display-notification",
  [CONFAB_IMDN_KIND_PROCESSING] = "processing-notification",
};

static const struct
{
  const char        *name;
  ConfabImdnRequest  request;
} request_names[] = {
  { "positive-delivery", CONFAB_IMDN_REQUEST_POSITIVE_DELIVERY },
  { "negative-delivery", CONFAB_IMDN_REQUEST_NEGATIVE_DELIVERY },
  { "display", CONFAB_IMDN_REQUEST_DISPLAY },
  { "processing", CONFAB_IMDN_REQUEST_PROCESSING },
};

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
  g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
               _("Invalid delivery notification: %s"), message);
  return FALSE;
}

ConfabImdn *
confab_imdn_new (const char       *message_id,
                 ConfabImdnKind    kind,
                 ConfabImdnStatus  status)
{
  ConfabImdn *imdn = g_new0 (ConfabImdn, 1);

  imdn->message_id = g_strdup (message_id);
  imdn->kind = kind;
  imdn->status = status;
  return imdn;
}

void
confab_imdn_free (ConfabImdn *imdn)
{
  if (!imdn)
    return;
  g_free (imdn->message_id);
  g_clear_pointer (&imdn->date_time, g_date_time_unref);
  g_free (imdn->recipient_uri);
  g_free (imdn->original_recipient_uri);
  g_free (imdn->subject);
  g_free (imdn);
}

/* RFC 5438 section 9 (the schema): which status each notification may
 * carry. */
gboolean
confab_imdn_status_is_valid (ConfabImdnKind   kind,
                             ConfabImdnStatus status)
{
  if (status == CONFAB_IMDN_STATUS_FORBIDDEN || status == CONFAB_IMDN_STATUS_ERROR)
    return kind <= CONFAB_IMDN_KIND_PROCESSING;
  switch (kind) {
  case CONFAB_IMDN_KIND_DELIVERY:
    return status == CONFAB_IMDN_STATUS_DELIVERED || status == CONFAB_IMDN_STATUS_FAILED;
  case CONFAB_IMDN_KIND_DISPLAY:
    return status == CONFAB_IMDN_STATUS_DISPLAYED;
  case CONFAB_IMDN_KIND_PROCESSING:
    return status == CONFAB_IMDN_STATUS_PROCESSED || status == CONFAB_IMDN_STATUS_STORED;
  default:
    return FALSE;
  }
}

const char *
confab_imdn_status_to_string (ConfabImdnStatus status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++) {
    if (status_names[i].status == status)
      return status_names[i].name;
  }
  return NULL;
}

const char *
confab_imdn_kind_to_string (ConfabImdnKind kind)
{
  return (guint) kind < G_N_ELEMENTS (kind_elements) ? kind_elements[kind] : NULL;
}

/**
 * confab_imdn_request_parse:
 * @value: (nullable): an imdn.Disposition-Notification header value
 *
 * Returns: what the sender asks for; tokens are case-insensitive
 */
ConfabImdnRequest
confab_imdn_request_parse (const char *value)
{
  g_auto (GStrv) tokens = NULL;
  ConfabImdnRequest request = CONFAB_IMDN_REQUEST_NONE;

  if (!value || strlen (value) > 1024)
    return CONFAB_IMDN_REQUEST_NONE;
  tokens = g_strsplit (value, ",", 16);
  for (guint i = 0; tokens[i]; i++) {
    const char *token = g_strstrip (tokens[i]);

    for (guint j = 0; j < G_N_ELEMENTS (request_names); j++) {
      if (g_ascii_strcasecmp (token, request_names[j].name) == 0)
        request |= request_names[j].request;
    }
  }
  return request;
}

/**
 * confab_imdn_request_to_string:
 *
 * Returns: (transfer full) (nullable): the header value, %NULL for none
 */
char *
confab_imdn_request_to_string (ConfabImdnRequest request)
{
  GString *value = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (request_names); i++) {
    if (!(request & request_names[i].request))
      continue;
    if (value->len)
      g_string_append (value, ", ");
    g_string_append (value, request_names[i].name);
  }
  if (value->len == 0) {
    g_string_free (value, TRUE);
    return NULL;
  }
  return g_string_free (value, FALSE);
}

/* What XML 1.0 can carry as text, and no line breaks in one-line values. */
static gboolean
is_text (const char *text,
         gboolean    single_line)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *c = text; *c; c = g_utf8_next_char (c)) {
    gunichar u = g_utf8_get_char (c);

    if (u < 0x20 && (single_line || !strchr ("\t\r\n", (char) u)))
      return FALSE;
    if (u == 0x7f || u == 0xfffe || u == 0xffff)
      return FALSE;
  }
  return TRUE;
}

static gboolean
read_single (xmlNode     *node,
             char       **field,
             gsize        max_length,
             GError     **error)
{
  g_autofree char *text = _confab_im_xml_element_text (node);

  if (*field)
    return fail (error, _("two %s elements"), (const char *) node->name);
  if (strlen (text) > max_length)
    return fail (error, _("the %s is longer than %lu bytes"), (const char *) node->name,
                 (unsigned long) max_length);
  if (!is_text (text, TRUE))
    return fail (error, _("the %s is not one line of text"), (const char *) node->name);
  *field = g_steal_pointer (&text);
  return TRUE;
}

static gboolean
read_status (ConfabImdn *imdn,
             xmlNode    *notification,
             GError    **error)
{
  gboolean have_status = FALSE;

  for (xmlNode *child = notification->children; child; child = child->next) {
    gboolean found = FALSE;

    if (child->type != XML_ELEMENT_NODE)
      continue;
    if (!_confab_im_xml_is_element (child, "status", CONFAB_IMDN_NAMESPACE))
      continue;   /* extensions */
    if (have_status)
      return fail (error, _("two status elements"));
    have_status = TRUE;
    for (xmlNode *value = child->children; value; value = value->next) {
      if (value->type != XML_ELEMENT_NODE)
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (status_names); i++) {
        if (!_confab_im_xml_is_element (value, status_names[i].name, CONFAB_IMDN_NAMESPACE))
          continue;
        if (found)
          return fail (error, _("the status names two values"));
        if (!confab_imdn_status_is_valid (imdn->kind, status_names[i].status))
          return fail (error, _("“%s” is not a status of a %s"), status_names[i].name,
                       kind_elements[imdn->kind]);
        imdn->status = status_names[i].status;
        found = TRUE;
      }
    }
    if (!found)
      return fail (error, _("the status has no known value"));
  }
  if (!have_status)
    return fail (error, _("the %s has no status"), kind_elements[imdn->kind]);
  return TRUE;
}

static gboolean
read_document (ConfabImdn *imdn,
               xmlDoc     *doc,
               GError    **error)
{
  xmlNode *root = xmlDocGetRootElement (doc);
  gboolean have_notification = FALSE;
  g_autofree char *date_time = NULL;

  if (doc->intSubset || doc->extSubset)
    return fail (error, _("it has a document type declaration"));
  if (!root || !_confab_im_xml_is_element (root, "imdn", CONFAB_IMDN_NAMESPACE))
    return fail (error, _("the root element is not imdn in namespace %s"), CONFAB_IMDN_NAMESPACE);

  for (xmlNode *child = root->children; child; child = child->next) {
    gboolean is_kind = FALSE;

    if (child->type != XML_ELEMENT_NODE)
      continue;
    if (_confab_im_xml_is_element (child, "message-id", CONFAB_IMDN_NAMESPACE)) {
      if (!read_single (child, &imdn->message_id, CONFAB_IMDN_MAX_ID_LENGTH, error))
        return FALSE;
    } else if (_confab_im_xml_is_element (child, "datetime", CONFAB_IMDN_NAMESPACE)) {
      if (!read_single (child, &date_time, 64, error))
        return FALSE;
    } else if (_confab_im_xml_is_element (child, "recipient-uri", CONFAB_IMDN_NAMESPACE)) {
      if (!read_single (child, &imdn->recipient_uri, MAX_URI_LENGTH, error))
        return FALSE;
    } else if (_confab_im_xml_is_element (child, "original-recipient-uri", CONFAB_IMDN_NAMESPACE)) {
      if (!read_single (child, &imdn->original_recipient_uri, MAX_URI_LENGTH, error))
        return FALSE;
    } else if (_confab_im_xml_is_element (child, "subject", CONFAB_IMDN_NAMESPACE)) {
      if (!read_single (child, &imdn->subject, MAX_URI_LENGTH, error))
        return FALSE;
    } else {
      for (guint kind = 0; kind < G_N_ELEMENTS (kind_elements); kind++) {
        if (!_confab_im_xml_is_element (child, kind_elements[kind], CONFAB_IMDN_NAMESPACE))
          continue;
        if (have_notification)
          return fail (error, _("it holds more than one notification"));
        have_notification = is_kind = TRUE;
        imdn->kind = kind;
      }
      if (is_kind && !read_status (imdn, child, error))
        return FALSE;
      /* anything else is an extension: ignored */
    }
  }
  if (!imdn->message_id || !*imdn->message_id)
    return fail (error, _("the message-id is missing"));
  if (!have_notification)
    return fail (error, _("it holds no delivery, display or processing notification"));
  if (date_time) {
    g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();

    g_autoptr (GDateTime) in_utc = NULL;

    imdn->date_time = g_date_time_new_from_iso8601 (date_time, utc);
    if (imdn->date_time)
      in_utc = g_date_time_to_utc (imdn->date_time);
    /* also refused: a time whose UTC falls outside years 1 to 9999 */
    if (!in_utc)
      return fail (error, _("the datetime “%s” is not a date and time"), date_time);
  }
  return TRUE;
}

/**
 * confab_imdn_parse:
 * @data: a message/imdn+xml document, not necessarily NUL-terminated
 *
 * Returns: (transfer full) (nullable): the notification
 */
ConfabImdn *
confab_imdn_parse (const char *data,
                   gsize       length,
                   GError    **error)
{
  g_autoptr (ConfabImdn) imdn = confab_imdn_new (NULL, CONFAB_IMDN_KIND_DELIVERY,
                                                 CONFAB_IMDN_STATUS_DELIVERED);
  g_autofree char *reason = NULL;
  xmlDoc *doc;
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  doc = _confab_im_xml_read (data, length, CONFAB_IMDN_MAX_LENGTH, &reason);
  if (!doc) {
    fail (error, "%s", reason);
    return NULL;
  }
  ok = read_document (imdn, doc, error);
  xmlFreeDoc (doc);
  return ok ? g_steal_pointer (&imdn) : NULL;
}

static char *
format_date_time (GDateTime *date_time)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (date_time);

  if (!utc)
    return NULL;
  /* by hand: %Y does not pad years before 1000 to four digits */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", g_date_time_get_year (utc),
                          g_date_time_get_month (utc), g_date_time_get_day_of_month (utc),
                          g_date_time_get_hour (utc), g_date_time_get_minute (utc),
                          g_date_time_get_second (utc));
}

static gboolean
check_optional (const char *value,
                const char *what,
                GError    **error)
{
  if (!value)
    return TRUE;
  if (strlen (value) > MAX_URI_LENGTH || !is_text (value, TRUE))
    return fail (error, _("the %s is not one line of text"), what);
  return TRUE;
}

/**
 * confab_imdn_to_xml:
 *
 * A missing date and time is written as now (the schema requires one).
 *
 * Returns: (transfer full) (nullable): the UTF-8 XML document
 */
char *
confab_imdn_to_xml (const ConfabImdn *imdn,
                    GError          **error)
{
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *date_time = NULL;
  xmlDoc *doc;
  xmlNode *root;
  xmlNode *notification;
  xmlNode *status;
  xmlNs *ns;
  xmlChar *buffer = NULL;
  int size = 0;
  char *xml;

  g_return_val_if_fail (imdn != NULL, NULL);

  if (!imdn->message_id || !*imdn->message_id ||
      strlen (imdn->message_id) > CONFAB_IMDN_MAX_ID_LENGTH || !is_text (imdn->message_id, TRUE)) {
    fail (error, _("the message-id is missing or not one line of text"));
    return NULL;
  }
  if (!confab_imdn_status_is_valid (imdn->kind, imdn->status)) {
    fail (error, _("the status does not fit the kind of notification"));
    return NULL;
  }
  if (!check_optional (imdn->recipient_uri, "recipient-uri", error) ||
      !check_optional (imdn->original_recipient_uri, "original-recipient-uri", error) ||
      !check_optional (imdn->subject, "subject", error))
    return NULL;

  if (!imdn->date_time)
    now = g_date_time_new_now_utc ();
  date_time = format_date_time (imdn->date_time ? imdn->date_time : now);
  if (!date_time) {
    fail (error, _("the date and time is out of range"));
    return NULL;
  }

  _confab_im_xml_init ();
  doc = xmlNewDoc ((const xmlChar *) "1.0");
  root = xmlNewNode (NULL, (const xmlChar *) "imdn");
  ns = xmlNewNs (root, (const xmlChar *) CONFAB_IMDN_NAMESPACE, NULL);
  xmlSetNs (root, ns);
  xmlDocSetRootElement (doc, root);
  /* in the schema's order */
  xmlNewTextChild (root, ns, (const xmlChar *) "message-id", (const xmlChar *) imdn->message_id);
  xmlNewTextChild (root, ns, (const xmlChar *) "datetime", (const xmlChar *) date_time);
  if (imdn->recipient_uri)
    xmlNewTextChild (root, ns, (const xmlChar *) "recipient-uri",
                     (const xmlChar *) imdn->recipient_uri);
  if (imdn->original_recipient_uri)
    xmlNewTextChild (root, ns, (const xmlChar *) "original-recipient-uri",
                     (const xmlChar *) imdn->original_recipient_uri);
  if (imdn->subject)
    xmlNewTextChild (root, ns, (const xmlChar *) "subject", (const xmlChar *) imdn->subject);
  notification = xmlNewChild (root, ns, (const xmlChar *) kind_elements[imdn->kind], NULL);
  status = xmlNewChild (notification, ns, (const xmlChar *) "status", NULL);
  xmlNewChild (status, ns, (const xmlChar *) confab_imdn_status_to_string (imdn->status), NULL);

  xmlDocDumpFormatMemoryEnc (doc, &buffer, &size, "UTF-8", 1);
  xmlFreeDoc (doc);
  xml = g_strndup ((const char *) buffer, size);
  xmlFree (buffer);
  return xml;
}
