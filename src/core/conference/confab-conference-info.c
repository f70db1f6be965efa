/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabConference"

#include "config.h"

#include "confab-conference-info.h"
#include "confab-error.h"
#include "im/confab-im-xml-private.h"

#include <glib/gi18n-lib.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include <string.h>

/* conference-info documents come from the focus, which relays what its
 * participants say about themselves (display names, Contact URIs): hostile
 * input. The safe reader refuses any DOCTYPE, so there is no entity to
 * expand or fetch; libxml2's own limits (depth 256, 10 MB per text node)
 * stay on; and the walk below visits a fixed set of levels, each bounded
 * by a MAX_* count, in one pass over the tree. */

#define CONFERENCE_INFO_NS     "urn:ietf:params:xml:ns:conference-info"
#define AGP_CONFERENCE_INFO_NS "urn:ag-projects:xml:ns:conference-info"

/* Without XML_PARSE_HUGE (which would lift every other limit too) libxml2
 * stops reading past XML_MAX_LOOKUP_LIMIT bytes with an "internal error";
 * refuse such a document up front, saying why. */
#define MAX_SIZE MIN (CONFAB_CONFERENCE_INFO_MAX_SIZE, XML_MAX_LOOKUP_LIMIT)

/* Peer-supplied values quoted in an error message are cut to this many
 * characters. */
#define QUOTE_MAX_CHARS 64

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
               _("Invalid conference information: %s"), message);
  return FALSE;
}

/* A peer's value for an error message: short enough to read. The tree
 * libxml2 builds holds UTF-8 only. */
static char *
quote (const char *value)
{
  const char *end = value;

  for (guint i = 0; i < QUOTE_MAX_CHARS && *end; i++)
    end = g_utf8_next_char (end);
  if (!*end)
    return g_strdup (value);
  return g_strdup_printf ("%.*s…", (int) (end - value), value);
}

/* An attribute without a namespace prefix, as RFC 4575 writes them all. */
static char *
get_attribute (xmlNode    *node,
               const char *name)
{
  xmlChar *value = xmlGetNoNsProp (node, (const xmlChar *) name);
  char *copy;

  if (!value)
    return NULL;
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

/* A repeated element replaces what an earlier one said. */
static void
set_text (char   **field,
          xmlNode *node)
{
  g_free (*field);
  *field = _confab_im_xml_element_text (node);
}

static gboolean
is_element (xmlNode    *node,
            const char *name)
{
  return _confab_im_xml_is_element (node, name, CONFERENCE_INFO_NS);
}

static gboolean
is_agp_element (xmlNode    *node,
                const char *name)
{
  return _confab_im_xml_is_element (node, name, AGP_CONFERENCE_INFO_NS);
}

static gboolean
read_state (xmlNode                   *node,
            ConfabConferenceInfoState *state,
            GError                   **error)
{
  g_autofree char *value = get_attribute (node, "state");

  if (!value) {
    *state = CONFAB_CONFERENCE_INFO_FULL;
    return TRUE;
  }
  g_strstrip (value);
  if (strcmp (value, "full") == 0) {
    *state = CONFAB_CONFERENCE_INFO_FULL;
  } else if (strcmp (value, "partial") == 0) {
    *state = CONFAB_CONFERENCE_INFO_PARTIAL;
  } else if (strcmp (value, "deleted") == 0) {
    *state = CONFAB_CONFERENCE_INFO_DELETED;
  } else {
    g_autofree char *quoted = quote (value);

    /* Translators: the first %s is an element name (users, user, …); full,
     * partial and deleted are the values RFC 4575 allows, not translated */
    return fail (error, _("the %s state “%s” is not full, partial or deleted"),
                 (const char *) node->name, quoted);
  }
  return TRUE;
}

/* xs:boolean */
static gboolean
read_boolean (xmlNode *node,
              int     *value,
              GError **error)
{
  g_autofree char *text = _confab_im_xml_element_text (node);

  if (strcmp (text, "true") == 0 || strcmp (text, "1") == 0) {
    *value = 1;
  } else if (strcmp (text, "false") == 0 || strcmp (text, "0") == 0) {
    *value = 0;
  } else {
    g_autofree char *quoted = quote (text);

    return fail (error, _("the %s value “%s” is neither true nor false"),
                 (const char *) node->name, quoted);
  }
  return TRUE;
}

static ConfabConferenceInfoMedia *
read_media (xmlNode *node)
{
  ConfabConferenceInfoMedia *media = g_new0 (ConfabConferenceInfoMedia, 1);

  media->id = get_attribute (node, "id");
  if (!media->id)
    media->id = g_strdup ("");
  for (xmlNode *child = node->children; child; child = child->next) {
    if (child->type != XML_ELEMENT_NODE)
      continue;
    if (is_element (child, "type"))
      set_text (&media->type, child);
    else if (is_element (child, "display-text"))
      set_text (&media->display_text, child);
    else if (is_element (child, "label"))
      set_text (&media->label, child);
    else if (is_element (child, "status"))
      set_text (&media->status, child);
  }
  return media;
}

static void
read_joining_info (ConfabConferenceInfoEndpoint *endpoint,
                   xmlNode                      *node,
                   GTimeZone                    *utc)
{
  for (xmlNode *child = node->children; child; child = child->next) {
    g_autofree char *when = NULL;

    if (!is_element (child, "when"))
      continue;
    when = _confab_im_xml_element_text (child);
    g_clear_pointer (&endpoint->joined_at, g_date_time_unref);
    /* any ISO 8601 time worth reading is far shorter than 64 bytes */
    if (strlen (when) < 64)
      endpoint->joined_at = g_date_time_new_from_iso8601 (when, utc);
  }
}

static gboolean
read_endpoint (ConfabConferenceInfoEndpoint *endpoint,
               xmlNode                      *node,
               GTimeZone                    *utc,
               GError                      **error)
{
  /* required by RFC 4575, yet an endpoint without one still tells who is there */
  endpoint->entity = get_attribute (node, "entity");
  if (!endpoint->entity)
    endpoint->entity = g_strdup ("");
  if (!read_state (node, &endpoint->state, error))
    return FALSE;

  for (xmlNode *child = node->children; child; child = child->next) {
    if (child->type != XML_ELEMENT_NODE)
      continue;
    if (is_element (child, "display-text")) {
      set_text (&endpoint->display_text, child);
    } else if (is_element (child, "status")) {
      set_text (&endpoint->status, child);
    } else if (is_element (child, "joining-method")) {
      set_text (&endpoint->joining_method, child);
    } else if (is_element (child, "joining-info")) {
      read_joining_info (endpoint, child, utc);
    } else if (is_element (child, "referred")) {
      for (xmlNode *referred = child->children; referred; referred = referred->next) {
        if (is_element (referred, "by"))
          set_text (&endpoint->referred_by, referred);
      }
    } else if (is_element (child, "media")) {
      if (endpoint->media->len >= CONFAB_CONFERENCE_INFO_MAX_MEDIA)
        return fail (error, _("an endpoint has more than %u media streams"),
                     (guint) CONFAB_CONFERENCE_INFO_MAX_MEDIA);
      g_ptr_array_add (endpoint->media, read_media (child));
    }
  }
  return TRUE;
}

static gboolean
read_roles (ConfabConferenceInfoUser *user,
            xmlNode                  *node,
            GError                  **error)
{
  /* a second <roles> adds to the first */
  guint n_roles = user->roles ? g_strv_length (user->roles) : 0;
  guint n_entries = 0;
  guint i;

  for (xmlNode *child = node->children; child; child = child->next) {
    if (is_element (child, "entry"))
      n_entries++;
  }
  if (n_roles + n_entries > CONFAB_CONFERENCE_INFO_MAX_ROLES)
    return fail (error, _("a user has more than %u roles"), (guint) CONFAB_CONFERENCE_INFO_MAX_ROLES);

  user->roles = g_renew (char *, user->roles, n_roles + n_entries + 1);
  i = n_roles;
  for (xmlNode *child = node->children; child; child = child->next) {
    if (is_element (child, "entry"))
      user->roles[i++] = _confab_im_xml_element_text (child);
  }
  user->roles[i] = NULL;
  return TRUE;
}

static gboolean
read_user (ConfabConferenceInfoUser *user,
           xmlNode                  *node,
           GTimeZone                *utc,
           GError                  **error)
{
  user->entity = get_attribute (node, "entity");
  if (!user->entity)
    return fail (error, _("a user element has no entity attribute"));
  if (!read_state (node, &user->state, error))
    return FALSE;

  for (xmlNode *child = node->children; child; child = child->next) {
    if (child->type != XML_ELEMENT_NODE)
      continue;
    if (is_element (child, "display-text")) {
      set_text (&user->display_text, child);
    } else if (is_element (child, "roles")) {
      if (!read_roles (user, child, error))
        return FALSE;
    } else if (is_agp_element (child, "screen_image_url")) {
      set_text (&user->screen_image_url, child);
    } else if (is_element (child, "endpoint")) {
      ConfabConferenceInfoEndpoint *endpoint;

      if (user->endpoints->len >= CONFAB_CONFERENCE_INFO_MAX_ENDPOINTS)
        return fail (error, _("a user has more than %u endpoints"),
                     (guint) CONFAB_CONFERENCE_INFO_MAX_ENDPOINTS);
      endpoint = g_new0 (ConfabConferenceInfoEndpoint, 1);
      endpoint->media = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_conference_info_media_free);
      /* added first, so that the user frees it on failure */
      g_ptr_array_add (user->endpoints, endpoint);
      if (!read_endpoint (endpoint, child, utc, error))
        return FALSE;
    }
  }
  return TRUE;
}

static gboolean
read_users (ConfabConferenceInfo *info,
            xmlNode              *node,
            GTimeZone            *utc,
            GError              **error)
{
  info->has_users = TRUE;
  if (!read_state (node, &info->users_state, error))
    return FALSE;
  for (xmlNode *child = node->children; child; child = child->next) {
    ConfabConferenceInfoUser *user;

    if (!is_element (child, "user"))
      continue;
    if (info->users->len >= CONFAB_CONFERENCE_INFO_MAX_USERS)
      return fail (error, _("it lists more than %u users"), (guint) CONFAB_CONFERENCE_INFO_MAX_USERS);
    user = g_new0 (ConfabConferenceInfoUser, 1);
    user->endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_conference_info_endpoint_free);
    /* added first, so that the document frees it on failure */
    g_ptr_array_add (info->users, user);
    if (!read_user (user, child, utc, error))
      return FALSE;
  }
  return TRUE;
}

static ConfabConferenceInfoFile *
read_file (xmlNode *node)
{
  ConfabConferenceInfoFile *file = g_new0 (ConfabConferenceInfoFile, 1);
  g_autofree char *size = get_attribute (node, "size");

  file->name = get_attribute (node, "name");
  file->hash = get_attribute (node, "hash");
  file->sender = get_attribute (node, "sender");
  file->status = get_attribute (node, "status");
  /* an extension's size that does not read as a number is unknown: 0 */
  if (size && !g_ascii_string_to_unsigned (g_strstrip (size), 10, 0, G_MAXUINT64, &file->size, NULL))
    file->size = 0;
  return file;
}

/* AG Projects: conference-description/resources/files/file */
static gboolean
read_resources (ConfabConferenceInfo *info,
                xmlNode              *node,
                GError              **error)
{
  for (xmlNode *files = node->children; files; files = files->next) {
    if (!is_agp_element (files, "files"))
      continue;
    if (!info->files)
      info->files = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_conference_info_file_free);
    for (xmlNode *file = files->children; file; file = file->next) {
      if (!is_agp_element (file, "file"))
        continue;
      if (info->files->len >= CONFAB_CONFERENCE_INFO_MAX_FILES)
        return fail (error, _("it lists more than %u files"), (guint) CONFAB_CONFERENCE_INFO_MAX_FILES);
      g_ptr_array_add (info->files, read_file (file));
    }
  }
  return TRUE;
}

static gboolean
read_description (ConfabConferenceInfo *info,
                  xmlNode              *node,
                  GError              **error)
{
  info->has_description = TRUE;
  for (xmlNode *child = node->children; child; child = child->next) {
    if (child->type != XML_ELEMENT_NODE)
      continue;
    if (is_element (child, "display-text")) {
      set_text (&info->display_text, child);
    } else if (is_element (child, "subject")) {
      set_text (&info->subject, child);
    } else if (is_element (child, "free-text")) {
      set_text (&info->free_text, child);
    } else if (is_agp_element (child, "resources")) {
      if (!read_resources (info, child, error))
        return FALSE;
    }
  }
  return TRUE;
}

static gboolean
read_conference_state (ConfabConferenceInfo *info,
                       xmlNode              *node,
                       GError              **error)
{
  for (xmlNode *child = node->children; child; child = child->next) {
    if (child->type != XML_ELEMENT_NODE)
      continue;
    if (is_element (child, "user-count")) {
      g_autofree char *text = _confab_im_xml_element_text (child);
      guint64 count;

      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &count, NULL)) {
        g_autofree char *quoted = quote (text);

        return fail (error, _("the user-count “%s” is not a number"), quoted);
      }
      info->user_count = (gint64) count;
    } else if (is_element (child, "active")) {
      if (!read_boolean (child, &info->active, error))
        return FALSE;
    } else if (is_element (child, "locked")) {
      if (!read_boolean (child, &info->locked, error))
        return FALSE;
    }
  }
  return TRUE;
}

static gboolean
read_document (ConfabConferenceInfo *info,
               xmlDoc               *doc,
               GError              **error)
{
  xmlNode *root = xmlDocGetRootElement (doc);
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *version = NULL;
  guint64 number;

  /* _confab_im_xml_read refuses these already; a second look costs nothing */
  if (doc->intSubset || doc->extSubset)
    return fail (error, _("it has a document type declaration"));
  if (!root || !is_element (root, "conference-info"))
    return fail (error, _("the root element is not conference-info in namespace %s"),
                 CONFERENCE_INFO_NS);

  info->entity = get_attribute (root, "entity");
  if (!info->entity)
    return fail (error, _("the conference-info element has no entity attribute"));
  version = get_attribute (root, "version");
  if (!version)
    return fail (error, _("the conference-info element has no version attribute"));
  if (!g_ascii_string_to_unsigned (g_strstrip (version), 10, 0, G_MAXUINT32, &number, NULL)) {
    g_autofree char *quoted = quote (version);

    return fail (error, _("the version “%s” is not a number from 0 to %u"), quoted, G_MAXUINT32);
  }
  info->version = (guint32) number;
  if (!read_state (root, &info->state, error))
    return FALSE;

  for (xmlNode *child = root->children; child; child = child->next) {
    if (child->type != XML_ELEMENT_NODE)
      continue;
    if (is_element (child, "conference-description")) {
      if (!read_description (info, child, error))
        return FALSE;
    } else if (is_element (child, "conference-state")) {
      if (!read_conference_state (info, child, error))
        return FALSE;
    } else if (is_element (child, "users")) {
      if (!read_users (info, child, utc, error))
        return FALSE;
    }
    /* host-info, sidebars-by-ref, extensions: not used */
  }
  return TRUE;
}

/**
 * confab_conference_info_parse:
 * @data: an application/conference-info+xml document, not necessarily
 *   NUL-terminated
 *
 * Returns: (transfer full) (nullable): the document's contents
 */
ConfabConferenceInfo *
confab_conference_info_parse (const char *data,
                              gsize       length,
                              GError    **error)
{
  g_autoptr (ConfabConferenceInfo) info = g_new0 (ConfabConferenceInfo, 1);
  g_autofree char *reason = NULL;
  xmlDoc *doc;
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info->user_count = -1;
  info->active = -1;
  info->locked = -1;
  info->users = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_conference_info_user_free);

  doc = _confab_im_xml_read (data, length, MAX_SIZE, &reason);
  if (!doc) {
    fail (error, "%s", reason);
    return NULL;
  }
  ok = read_document (info, doc, error);
  xmlFreeDoc (doc);
  return ok ? g_steal_pointer (&info) : NULL;
}

void
confab_conference_info_free (ConfabConferenceInfo *info)
{
  if (!info)
    return;
  g_free (info->entity);
  g_free (info->display_text);
  g_free (info->subject);
  g_free (info->free_text);
  g_clear_pointer (&info->files, g_ptr_array_unref);
  g_clear_pointer (&info->users, g_ptr_array_unref);
  g_free (info);
}

ConfabConferenceInfoMedia *
confab_conference_info_media_copy (const ConfabConferenceInfoMedia *media)
{
  ConfabConferenceInfoMedia *copy;

  g_return_val_if_fail (media != NULL, NULL);

  copy = g_new0 (ConfabConferenceInfoMedia, 1);
  copy->id = g_strdup (media->id);
  copy->type = g_strdup (media->type);
  copy->display_text = g_strdup (media->display_text);
  copy->label = g_strdup (media->label);
  copy->status = g_strdup (media->status);
  return copy;
}

void
confab_conference_info_media_free (ConfabConferenceInfoMedia *media)
{
  if (!media)
    return;
  g_free (media->id);
  g_free (media->type);
  g_free (media->display_text);
  g_free (media->label);
  g_free (media->status);
  g_free (media);
}

ConfabConferenceInfoEndpoint *
confab_conference_info_endpoint_copy (const ConfabConferenceInfoEndpoint *endpoint)
{
  ConfabConferenceInfoEndpoint *copy;

  g_return_val_if_fail (endpoint != NULL, NULL);

  copy = g_new0 (ConfabConferenceInfoEndpoint, 1);
  copy->entity = g_strdup (endpoint->entity);
  copy->state = endpoint->state;
  copy->display_text = g_strdup (endpoint->display_text);
  copy->status = g_strdup (endpoint->status);
  copy->joining_method = g_strdup (endpoint->joining_method);
  copy->joined_at = endpoint->joined_at ? g_date_time_ref (endpoint->joined_at) : NULL;
  copy->referred_by = g_strdup (endpoint->referred_by);
  copy->media = g_ptr_array_new_full (endpoint->media ? endpoint->media->len : 0,
                                      (GDestroyNotify) confab_conference_info_media_free);
  for (guint i = 0; endpoint->media && i < endpoint->media->len; i++)
    g_ptr_array_add (copy->media,
                     confab_conference_info_media_copy (g_ptr_array_index (endpoint->media, i)));
  return copy;
}

void
confab_conference_info_endpoint_free (ConfabConferenceInfoEndpoint *endpoint)
{
  if (!endpoint)
    return;
  g_free (endpoint->entity);
  g_free (endpoint->display_text);
  g_free (endpoint->status);
  g_free (endpoint->joining_method);
  g_clear_pointer (&endpoint->joined_at, g_date_time_unref);
  g_free (endpoint->referred_by);
  g_clear_pointer (&endpoint->media, g_ptr_array_unref);
  g_free (endpoint);
}

ConfabConferenceInfoUser *
confab_conference_info_user_copy (const ConfabConferenceInfoUser *user)
{
  ConfabConferenceInfoUser *copy;

  g_return_val_if_fail (user != NULL, NULL);

  copy = g_new0 (ConfabConferenceInfoUser, 1);
  copy->entity = g_strdup (user->entity);
  copy->state = user->state;
  copy->display_text = g_strdup (user->display_text);
  copy->roles = g_strdupv (user->roles);
  copy->screen_image_url = g_strdup (user->screen_image_url);
  copy->endpoints = g_ptr_array_new_full (user->endpoints ? user->endpoints->len : 0,
                                          (GDestroyNotify) confab_conference_info_endpoint_free);
  for (guint i = 0; user->endpoints && i < user->endpoints->len; i++)
    g_ptr_array_add (copy->endpoints,
                     confab_conference_info_endpoint_copy (g_ptr_array_index (user->endpoints, i)));
  return copy;
}

void
confab_conference_info_user_free (ConfabConferenceInfoUser *user)
{
  if (!user)
    return;
  g_free (user->entity);
  g_free (user->display_text);
  g_strfreev (user->roles);
  g_free (user->screen_image_url);
  g_clear_pointer (&user->endpoints, g_ptr_array_unref);
  g_free (user);
}

void
confab_conference_info_file_free (ConfabConferenceInfoFile *file)
{
  if (!file)
    return;
  g_free (file->name);
  g_free (file->hash);
  g_free (file->sender);
  g_free (file->status);
  g_free (file);
}

const char *
confab_conference_info_state_to_string (ConfabConferenceInfoState state)
{
  switch (state) {
  case CONFAB_CONFERENCE_INFO_FULL:
    return "full";
  case CONFAB_CONFERENCE_INFO_PARTIAL:
    return "partial";
  case CONFAB_CONFERENCE_INFO_DELETED:
    return "deleted";
  default:
    g_return_val_if_reached (NULL);
  }
}
