/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One conference-info document (RFC 4575, application/conference-info+xml)
 * as plain data: what a NOTIFY of the conference event package says, before
 * it is merged into a ConfabConference. Parsed with libxml2 through the
 * project's safe reader: no DTD, no external entities, no entity expansion,
 * no network, bounded in size and in element counts.
 *
 * Absent elements stay NULL / -1 / FALSE, so a partial document only
 * changes what it names. Unknown elements and namespaces are skipped. */

typedef enum
{
  CONFAB_CONFERENCE_INFO_FULL,
  CONFAB_CONFERENCE_INFO_PARTIAL,
  CONFAB_CONFERENCE_INFO_DELETED,
} ConfabConferenceInfoState;

/* Bounds: a bigger document or more items is refused as a whole. */
#define CONFAB_CONFERENCE_INFO_MAX_SIZE      10000000 /* bytes: libxml2 refuses more without XML_PARSE_HUGE */
#define CONFAB_CONFERENCE_INFO_MAX_USERS     100000
#define CONFAB_CONFERENCE_INFO_MAX_ENDPOINTS 32   /* per user */
#define CONFAB_CONFERENCE_INFO_MAX_MEDIA     16   /* per endpoint */
#define CONFAB_CONFERENCE_INFO_MAX_FILES     10000
#define CONFAB_CONFERENCE_INFO_MAX_ROLES     16   /* per user */

typedef struct
{
  char *id;               /* media id="…" (required by RFC 4575; "" if missing) */
  char *type;             /* "audio", "video", "message", "application", …; NULL if absent */
  char *display_text;
  char *label;
  char *status;           /* "sendrecv", "sendonly", "recvonly", "inactive"; NULL if absent */
} ConfabConferenceInfoMedia;

typedef struct
{
  char                      *entity;        /* the endpoint's Contact URI */
  ConfabConferenceInfoState  state;         /* state="…" (default full) */
  char                      *display_text;
  char                      *status;        /* connected, disconnected, on-hold,
                                               muted-via-focus, pending, alerting,
                                               dialing-in, dialing-out, disconnecting */
  char                      *joining_method; /* dialed-in, dialed-out, focus-owner */
  GDateTime                 *joined_at;     /* joining-info/when; NULL if absent or unparsable */
  char                      *referred_by;   /* referred/by */
  GPtrArray                 *media;         /* ConfabConferenceInfoMedia*, owned; never NULL */
} ConfabConferenceInfoEndpoint;

typedef struct
{
  char                      *entity;         /* the participant's AOR (required) */
  ConfabConferenceInfoState  state;          /* default full */
  char                      *display_text;
  char                     **roles;          /* roles/entry; NULL if no <roles> */
  char                      *screen_image_url; /* AG Projects extension (user/screen_image_url) */
  GPtrArray                 *endpoints;      /* ConfabConferenceInfoEndpoint*, owned; never NULL */
} ConfabConferenceInfoUser;

/* AG Projects extension (urn:ag-projects:xml:ns:conference-info):
 * conference-description/resources/files/file name= hash= size= sender= status= */
typedef struct
{
  char    *name;
  char    *hash;              /* as written, e.g. "sha-1:14:F9:…" */
  guint64  size;
  char    *sender;            /* "carol <sip:carol@example.org>" */
  char    *status;            /* "OK", … */
} ConfabConferenceInfoFile;

typedef struct
{
  char                      *entity;          /* the conference URI (required) */
  ConfabConferenceInfoState  state;           /* full, partial or deleted (default full) */
  guint32                    version;         /* required by RFC 4575 */

  gboolean                   has_description; /* <conference-description> present */
  char                      *display_text;
  char                      *subject;
  char                      *free_text;
  GPtrArray                 *files;           /* ConfabConferenceInfoFile*; NULL if no agp files element */

  gint64                     user_count;      /* conference-state/user-count; -1 if absent */
  int                        active;          /* conference-state/active: 1, 0, or -1 if absent */
  int                        locked;          /* conference-state/locked: 1, 0, or -1 if absent */

  gboolean                   has_users;       /* <users> present */
  ConfabConferenceInfoState  users_state;     /* users state="…" (default full) */
  GPtrArray                 *users;           /* ConfabConferenceInfoUser*, owned; never NULL */
} ConfabConferenceInfo;

/* Parses one document. Errors (CONFAB_ERROR, CONFAB_ERROR_INVALID) say
 * why in a sentence: not well-formed, a DOCTYPE, too big, wrong root
 * element or namespace, missing entity/version, too many users… */
ConfabConferenceInfo *confab_conference_info_parse (const char            *data,
                                                    gsize                  length,
                                                    GError               **error);
void                  confab_conference_info_free  (ConfabConferenceInfo  *info);

ConfabConferenceInfoUser     *confab_conference_info_user_copy     (const ConfabConferenceInfoUser     *user);
void                          confab_conference_info_user_free     (ConfabConferenceInfoUser           *user);
ConfabConferenceInfoEndpoint *confab_conference_info_endpoint_copy (const ConfabConferenceInfoEndpoint *endpoint);
void                          confab_conference_info_endpoint_free (ConfabConferenceInfoEndpoint       *endpoint);
ConfabConferenceInfoMedia    *confab_conference_info_media_copy    (const ConfabConferenceInfoMedia    *media);
void                          confab_conference_info_media_free    (ConfabConferenceInfoMedia          *media);
void                          confab_conference_info_file_free     (ConfabConferenceInfoFile           *file);

const char *confab_conference_info_state_to_string (ConfabConferenceInfoState state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabConferenceInfo, confab_conference_info_free)

G_END_DECLS
