/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "conference/confab-conference-info.h"
#include "conference/confab-participant.h"

G_BEGIN_DECLS

/* A conference room as its focus describes it (RFC 4575 conference event
 * package): properties for the room, a GListModel of ConfabParticipant
 * updated in place, and the room's files. confab-conference.c holds the
 * model and the merge of full and partial documents; the SIP side (the
 * SUBSCRIBE dialog, REFERs to invite and remove) is in
 * confab-conference-sip.c and exists only when the session manager made
 * the conference for an account. */
#define CONFAB_TYPE_CONFERENCE (confab_conference_get_type ())
G_DECLARE_FINAL_TYPE (ConfabConference, confab_conference, CONFAB, CONFERENCE, GObject)

typedef enum
{
  CONFAB_CONFERENCE_APPLIED,        /* merged into the model */
  CONFAB_CONFERENCE_STALE,          /* version not newer than the last applied: ignored */
  CONFAB_CONFERENCE_NEEDS_FULL,     /* partial document before any full one: ignored */
  CONFAB_CONFERENCE_WRONG_ROOM,     /* entity is another conference: ignored */
} ConfabConferenceApplyResult;

typedef enum
{
  CONFAB_CONFERENCE_SUBSCRIPTION_IDLE,        /* not subscribed (model only, or left) */
  CONFAB_CONFERENCE_SUBSCRIPTION_SUBSCRIBING, /* SUBSCRIBE sent, no NOTIFY yet */
  CONFAB_CONFERENCE_SUBSCRIPTION_PENDING,     /* Subscription-State: pending */
  CONFAB_CONFERENCE_SUBSCRIPTION_ACTIVE,
  CONFAB_CONFERENCE_SUBSCRIPTION_FAILED,      /* refused or terminated by the focus; see subscription-error */
} ConfabConferenceSubscriptionState;

typedef enum
{
  CONFAB_CONFERENCE_REFER_INVITE,   /* Refer-To: <uri>;method=INVITE: add a participant */
  CONFAB_CONFERENCE_REFER_BYE,      /* Refer-To: <uri>;method=BYE: remove one */
} ConfabConferenceReferMethod;

/* Properties (read-only unless said, notify on change):
 *   "uri"                 char*     the room (construct-only)
 *   "self-uri"            char*     our address: the participant with it gets is-self (read-write)
 *   "display-text"        char*     conference-description/display-text
 *   "subject"             char*
 *   "free-text"           char*
 *   "user-count"          guint     conference-state/user-count, else the number of participants
 *   "active"              gboolean
 *   "locked"              gboolean
 *   "version"             guint     the last applied document's version
 *   "subscription-state"  ConfabConferenceSubscriptionState (guint)
 *   "subscription-error"  char*     why it failed, a sentence; NULL otherwise
 *
 * Signals:
 *   "participant-joined"  (ConfabParticipant *)  a user appeared (already in the model)
 *   "participant-left"    (ConfabParticipant *)  a user went (already out of the model)
 *   "participant-changed" (ConfabParticipant *)  something visible about a user changed
 *   "updated"             ()                     after each applied document
 *   "refer-progress"      (const char *uri, ConfabConferenceReferMethod method,
 *                          guint status, const char *phrase)
 *                         the focus's answer to a REFER (202…), then the sipfrag
 *                         NOTIFYs (100, 180, 200, 486, …)
 */
ConfabConference  *confab_conference_new                (const char        *uri);
const char        *confab_conference_get_uri            (ConfabConference  *self);
const char        *confab_conference_get_self_uri       (ConfabConference  *self);
void               confab_conference_set_self_uri       (ConfabConference  *self,
                                                         const char        *self_uri);
const char        *confab_conference_get_display_text   (ConfabConference  *self);
const char        *confab_conference_get_subject        (ConfabConference  *self);
const char        *confab_conference_get_free_text      (ConfabConference  *self);
guint              confab_conference_get_user_count     (ConfabConference  *self);
gboolean           confab_conference_get_active         (ConfabConference  *self);
gboolean           confab_conference_get_locked         (ConfabConference  *self);
guint              confab_conference_get_version        (ConfabConference  *self);
/* GListModel of ConfabParticipant, in order of arrival. */
GListModel        *confab_conference_get_participants   (ConfabConference  *self);
ConfabParticipant *confab_conference_find_participant   (ConfabConference  *self,
                                                         const char        *entity);
/* GListModel of ConfabRoomFile, in document order. */
GListModel        *confab_conference_get_files          (ConfabConference  *self);

/* Merges one document (full: replaces; partial: changes what it names,
 * user/endpoint state="deleted" removes). Users that stay keep their
 * ConfabParticipant object. */
ConfabConferenceApplyResult confab_conference_apply     (ConfabConference           *self,
                                                         const ConfabConferenceInfo *info);
/* Parses and applies; FALSE with @error for a document that does not parse. */
gboolean           confab_conference_apply_xml          (ConfabConference           *self,
                                                         const char                 *data,
                                                         gsize                       length,
                                                         ConfabConferenceApplyResult *result,
                                                         GError                    **error);
/* A new subscription dialog starts its own version count (SylkServer):
 * the next document is applied whatever its version. */
void               confab_conference_reset_version      (ConfabConference  *self);
/* Empties the room (everyone "left"), e.g. when the subscription ends. */
void               confab_conference_clear              (ConfabConference  *self);

ConfabConferenceSubscriptionState confab_conference_get_subscription_state (ConfabConference *self);
const char        *confab_conference_get_subscription_error (ConfabConference *self);

/* SIP (confab-conference-sip.c); only for conferences made by the session
 * manager (FALSE with CONFAB_ERROR_INVALID otherwise). An out-of-dialog
 * REFER to the room with the method as a header parameter of Refer-To;
 * progress comes as "refer-progress". The task returns once the focus
 * gave its final sipfrag (or refused the REFER): TRUE for 2xx. */
void               confab_conference_refer_async        (ConfabConference           *self,
                                                         const char                 *uri,
                                                         ConfabConferenceReferMethod method,
                                                         GCancellable               *cancellable,
                                                         GAsyncReadyCallback         callback,
                                                         gpointer                    user_data);
gboolean           confab_conference_refer_finish       (ConfabConference           *self,
                                                         GAsyncResult               *result,
                                                         GError                    **error);
/* Un-SUBSCRIBEs (Expires: 0); the model stays as it was. */
void               confab_conference_leave              (ConfabConference  *self);

const char        *confab_conference_subscription_state_to_string (ConfabConferenceSubscriptionState state);
const char        *confab_conference_refer_method_to_string       (ConfabConferenceReferMethod       method);

G_END_DECLS
