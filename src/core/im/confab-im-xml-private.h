/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* Reading the small XML documents peers send inside messages
 * (is-composing, IMDN): bounded, no NUL bytes, no DOCTYPE at all (so no
 * external entities and no entity expansion), no network. On failure
 * @reason says why, for the caller's own error message. */
void      _confab_im_xml_init         (void);
xmlDoc   *_confab_im_xml_read         (const char  *data,
                                       gsize        length,
                                       gsize        max_length,
                                       char       **reason);
/* An element named @name in namespace @ns (or in none). */
gboolean  _confab_im_xml_is_element   (xmlNode     *node,
                                       const char  *name,
                                       const char  *ns);
/* The element's text, stripped. */
char     *_confab_im_xml_element_text (xmlNode     *node);

G_END_DECLS
