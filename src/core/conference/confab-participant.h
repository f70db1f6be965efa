/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "conference/confab-conference-info.h"

G_BEGIN_DECLS

/* One user of a conference (RFC 4575 <user>), with its endpoints and their
 * media. A ConfabConference keeps one object per user for as long as the
 * user is in the room and updates it in place: every property notifies
 * only when its value really changed, so a list row bound to it redraws
 * only what changed. */
#define CONFAB_TYPE_PARTICIPANT (confab_participant_get_type ())
G_DECLARE_FINAL_TYPE (ConfabParticipant, confab_participant, CONFAB, PARTICIPANT, GObject)

/* Properties (all read-only, notify on change):
 *   "entity"            char*      the user's address (AOR)
 *   "display-name"      char*      display-text, else the user part of the entity
 *   "roles"             GStrv      roles/entry (may be empty)
 *   "is-self"           gboolean   this is us (entity matches the conference's self URI)
 *   "status"            char*      the best endpoint status ("connected" wins over others)
 *   "media"             GStrv      media types of its endpoints that are not
 *                                  disconnected, unique, sorted ("audio", "message", …)
 *   "on-hold"           gboolean   every connected endpoint is on-hold, or its audio
 *                                  is sendonly/inactive
 *   "muted"             gboolean   an endpoint is muted-via-focus, or its audio is recvonly
 *   "screen-image-url"  char*      AG Projects extension
 *   "joined-at"         GDateTime* the earliest joining-info/when (NULL if unknown)
 */
const char          *confab_participant_get_entity           (ConfabParticipant *self);
const char          *confab_participant_get_display_name     (ConfabParticipant *self);
const char * const  *confab_participant_get_roles            (ConfabParticipant *self);
gboolean             confab_participant_is_self              (ConfabParticipant *self);
const char          *confab_participant_get_status           (ConfabParticipant *self);
const char * const  *confab_participant_get_media            (ConfabParticipant *self);
gboolean             confab_participant_has_media            (ConfabParticipant *self,
                                                              const char        *type);
gboolean             confab_participant_get_on_hold          (ConfabParticipant *self);
gboolean             confab_participant_get_muted            (ConfabParticipant *self);
const char          *confab_participant_get_screen_image_url (ConfabParticipant *self);
GDateTime           *confab_participant_get_joined_at        (ConfabParticipant *self);
/* ConfabConferenceInfoEndpoint*, owned by the participant (read only). */
GPtrArray           *confab_participant_get_endpoints        (ConfabParticipant *self);
/* One or two letters for an avatar ("Carol Smith" -> "CS", "dave" -> "D"). */
char                *confab_participant_dup_initials         (ConfabParticipant *self);

/* For ConfabConference (and tests): a participant from a <user> and the
 * merge of later <user> elements about it. Return whether anything
 * visible changed. */
ConfabParticipant   *_confab_participant_new                 (const ConfabConferenceInfoUser *user);
gboolean             _confab_participant_replace             (ConfabParticipant              *self,
                                                              const ConfabConferenceInfoUser *user);
gboolean             _confab_participant_merge               (ConfabParticipant              *self,
                                                              const ConfabConferenceInfoUser *user);
gboolean             _confab_participant_set_is_self         (ConfabParticipant              *self,
                                                              gboolean                        is_self);

/* A file the room keeps (AG Projects extension), an item of
 * confab_conference_get_files(). */
#define CONFAB_TYPE_ROOM_FILE (confab_room_file_get_type ())
G_DECLARE_FINAL_TYPE (ConfabRoomFile, confab_room_file, CONFAB, ROOM_FILE, GObject)

/* Properties "name", "hash", "size" (guint64), "sender", "status"; read-only. */
const char          *confab_room_file_get_name   (ConfabRoomFile *self);
const char          *confab_room_file_get_hash   (ConfabRoomFile *self);
guint64              confab_room_file_get_size   (ConfabRoomFile *self);
const char          *confab_room_file_get_sender (ConfabRoomFile *self);
const char          *confab_room_file_get_status (ConfabRoomFile *self);
ConfabRoomFile      *_confab_room_file_new       (const ConfabConferenceInfoFile *file);
/* Updates sender/status/size/name in place; TRUE if something changed. */
gboolean             _confab_room_file_update    (ConfabRoomFile                 *self,
                                                  const ConfabConferenceInfoFile *file);

G_END_DECLS
