/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabIm"

#include "config.h"

#include "confab-is-composing.h"
#include "confab-error.h"
#include "confab-im-xml-private.h"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <string.h>

/* RFC 3994 documents come from peers: bounded in size, parsed as UTF-8
 * whatever they declare (so the DOCTYPE check below sees every byte), with
 * XML_PARSE_NONET and without XML_PARSE_NOENT or XML_PARSE_DTDLOAD, and
 * refused when they carry a DOCTYPE at all: no external entities, no
 * entity expansion. */

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
               _("Invalid is-composing indication: %s"), message);
  return FALSE;
}

ConfabIsComposing *
confab_is_composing_new (ConfabComposingState state)
{
  ConfabIsComposing *composing = g_new0 (ConfabIsComposing, 1);

  composing->state = state;
  return composing;
}

void
confab_is_composing_free (ConfabIsComposing *composing)
{
  if (!composing)
    return;
  g_free (composing->content_type);
  g_clear_pointer (&composing->last_active, g_date_time_unref);
  g_free (composing);
}

/* Seconds until an indication lapses: "active" lasts its refresh (120 s
 * when absent, as Blink sends none); "idle" does not lapse (0). */
guint
confab_is_composing_get_timeout (const ConfabIsComposing *composing)
{
  g_return_val_if_fail (composing != NULL, 0);

  if (composing->state != CONFAB_COMPOSING_STATE_ACTIVE)
    return 0;
  return composing->refresh ? composing->refresh : CONFAB_IS_COMPOSING_DEFAULT_REFRESH;
}

static gboolean
read_document (ConfabIsComposing *composing,
               xmlDoc            *doc,
               GError           **error)
{
  xmlNode *root = xmlDocGetRootElement (doc);
  gboolean have_state = FALSE;

  if (doc->intSubset || doc->extSubset)
    return fail (error, _("it has a document type declaration"));
  if (!root || !_confab_im_xml_is_element (root, "isComposing", CONFAB_IS_COMPOSING_NAMESPACE))
    return fail (error, _("the root element is not isComposing in namespace %s"),
                 CONFAB_IS_COMPOSING_NAMESPACE);

  for (xmlNode *child = root->children; child; child = child->next) {
    g_autofree char *text = NULL;

    if (child->type != XML_ELEMENT_NODE)
      continue;
    text = _confab_im_xml_element_text (child);
    if (_confab_im_xml_is_element (child, "state", CONFAB_IS_COMPOSING_NAMESPACE)) {
      if (have_state)
        return fail (error, _("two state elements"));
      if (g_ascii_strcasecmp (text, "active") == 0)
        composing->state = CONFAB_COMPOSING_STATE_ACTIVE;
      else if (g_ascii_strcasecmp (text, "idle") == 0)
        composing->state = CONFAB_COMPOSING_STATE_IDLE;
      else
        return fail (error, _("the state “%s” is neither active nor idle"), text);
      have_state = TRUE;
    } else if (_confab_im_xml_is_element (child, "refresh", CONFAB_IS_COMPOSING_NAMESPACE)) {
      guint64 refresh;

      if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &refresh, NULL))
        return fail (error, _("the refresh “%s” is not a positive number of seconds"), text);
      composing->refresh = (guint) refresh;
    } else if (_confab_im_xml_is_element (child, "lastactive", CONFAB_IS_COMPOSING_NAMESPACE)) {
      g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();

      g_clear_pointer (&composing->last_active, g_date_time_unref);
      composing->last_active = strlen (text) < 64 ? g_date_time_new_from_iso8601 (text, utc)
                                                  : NULL;
      if (!composing->last_active)
        return fail (error, _("the lastactive “%s” is not a date and time"), text);
    } else if (_confab_im_xml_is_element (child, "contenttype", CONFAB_IS_COMPOSING_NAMESPACE)) {
      g_free (composing->content_type);
      composing->content_type = *text ? g_steal_pointer (&text) : NULL;
    }
    /* other elements are extensions: ignored */
  }
  if (!have_state)
    return fail (error, _("the state element is missing"));
  return TRUE;
}

/**
 * confab_is_composing_parse:
 * @data: an application/im-iscomposing+xml document, not necessarily
 *   NUL-terminated
 *
 * Returns: (transfer full) (nullable): the indication
 */
ConfabIsComposing *
confab_is_composing_parse (const char *data,
                           gsize       length,
                           GError    **error)
{
  g_autoptr (ConfabIsComposing) composing = confab_is_composing_new (CONFAB_COMPOSING_STATE_IDLE);
  g_autofree char *reason = NULL;
  xmlDoc *doc;
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  doc = _confab_im_xml_read (data, length, CONFAB_IS_COMPOSING_MAX_LENGTH, &reason);
  if (!doc) {
    fail (error, "%s", reason);
    return NULL;
  }
  ok = read_document (composing, doc, error);
  xmlFreeDoc (doc);
  return ok ? g_steal_pointer (&composing) : NULL;
}

/* What XML 1.0 can carry as text. */
static gboolean
is_text (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *c = text; *c; c = g_utf8_next_char (c)) {
    gunichar u = g_utf8_get_char (c);

    if ((u < 0x20 && !strchr ("\t\r\n", (char) u)) || u == 0xfffe || u == 0xffff)
      return FALSE;
  }
  return TRUE;
}

/**
 * confab_is_composing_to_xml:
 *
 * Returns: (transfer full) (nullable): the UTF-8 XML document
 */
char *
confab_is_composing_to_xml (const ConfabIsComposing *composing,
                            GError                 **error)
{
  xmlDoc *doc;
  xmlNode *root;
  xmlNs *ns;
  xmlChar *buffer = NULL;
  int size = 0;
  char *xml;

  g_return_val_if_fail (composing != NULL, NULL);

  if (composing->content_type && !is_text (composing->content_type)) {
    fail (error, _("the content type is not printable text"));
    return NULL;
  }
  _confab_im_xml_init ();
  doc = xmlNewDoc ((const xmlChar *) "1.0");
  root = xmlNewNode (NULL, (const xmlChar *) "isComposing");
  ns = xmlNewNs (root, (const xmlChar *) CONFAB_IS_COMPOSING_NAMESPACE, NULL);
  xmlSetNs (root, ns);
  xmlDocSetRootElement (doc, root);
  xmlNewTextChild (root, ns, (const xmlChar *) "state",
                   (const xmlChar *) (composing->state == CONFAB_COMPOSING_STATE_ACTIVE ? "active"
                                                                                       : "idle"));
  if (composing->last_active) {
    g_autoptr (GDateTime) utc = g_date_time_to_utc (composing->last_active);
    /* by hand: %Y does not pad years before 1000 to four digits */
    g_autofree char *text = g_strdup_printf (
      "%04d-%02d-%02dT%02d:%02d:%02dZ", g_date_time_get_year (utc), g_date_time_get_month (utc),
      g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc),
      g_date_time_get_minute (utc), g_date_time_get_second (utc));

    xmlNewTextChild (root, ns, (const xmlChar *) "lastactive", (const xmlChar *) text);
  }
  if (composing->content_type)
    xmlNewTextChild (root, ns, (const xmlChar *) "contenttype",
                     (const xmlChar *) composing->content_type);
  if (composing->refresh) {
    g_autofree char *text = g_strdup_printf ("%u", composing->refresh);

    xmlNewTextChild (root, ns, (const xmlChar *) "refresh", (const xmlChar *) text);
  }
  xmlDocDumpFormatMemoryEnc (doc, &buffer, &size, "UTF-8", 1);
  xmlFreeDoc (doc);
  xml = g_strndup ((const char *) buffer, size);
  xmlFree (buffer);
  return xml;
}
