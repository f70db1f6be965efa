/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabIm"

#include "config.h"

#include "confab-im-xml-private.h"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>

#include <string.h>

void
_confab_im_xml_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized)) {
    xmlInitParser ();
    g_once_init_leave (&initialized, 1);
  }
}

xmlDoc *
_confab_im_xml_read (const char  *data,
                     gsize        length,
                     gsize        max_length,
                     char       **reason)
{
  xmlParserCtxt *context;
  xmlDoc *doc;

  if (length == 0) {
    *reason = g_strdup (_("it is empty"));
    return NULL;
  }
  if (length > max_length) {
    *reason = g_strdup_printf (_("it is larger than %u KiB"), (guint) (max_length / 1024));
    return NULL;
  }
  if (memchr (data, '\0', length)) {
    *reason = g_strdup (_("it contains a NUL byte"));
    return NULL;
  }
  if (g_strstr_len (data, length, "<!DOCTYPE") || g_strstr_len (data, length, "<!ENTITY")) {
    *reason = g_strdup (_("it has a document type declaration"));
    return NULL;
  }

  _confab_im_xml_init ();
  context = xmlNewParserCtxt ();
  if (!context)
    g_error ("Out of memory for an XML parser");
  doc = xmlCtxtReadMemory (context, data, (int) length, NULL, "UTF-8",
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) {
    const xmlError *xml_error = xmlCtxtGetLastError (context);

    *reason = g_strdup (xml_error && xml_error->message ? xml_error->message
                                                         : "not well-formed XML");
    g_strstrip (*reason);
  }
  xmlFreeParserCtxt (context);
  return doc;
}

gboolean
_confab_im_xml_is_element (xmlNode    *node,
                           const char *name,
                           const char *ns)
{
  const char *node_ns = node->ns ? (const char *) node->ns->href : NULL;

  return node->type == XML_ELEMENT_NODE && strcmp ((const char *) node->name, name) == 0 &&
         (!node_ns || strcmp (node_ns, ns) == 0);
}

char *
_confab_im_xml_element_text (xmlNode *node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *text = g_strstrip (g_strdup (content ? (const char *) content : ""));

  xmlFree (content);
  return text;
}
