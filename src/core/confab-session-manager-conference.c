/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSessionManager"

#include "config.h"

#include "confab-session-manager-private.h"
#include "conference/confab-conference-sip-private.h"
#include "confab-account-private.h"
#include "confab-error.h"
#include "confab-random.h"
#include "confab-uri.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

/* Conferences (RFC 4579): joining a room is a session with its focus; the
 * room's participants come from a subscription to its conference event
 * package, made once the session is up and the peer says ";isfocus". */

static char *
room_uri_for (const char  *text,
              GError     **error)
{
  g_autofree char *uri = confab_uri_normalize (text, NULL);

  if (!uri)
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("“%s” is not a room address"),
                 text);
  return g_steal_pointer (&uri);
}

/**
 * confab_session_manager_join_conference:
 * @media: what to bring: audio, chat or both (none means chat)
 *
 * Returns: (transfer none): the session with the room's focus
 */
ConfabSession *
confab_session_manager_join_conference (ConfabSessionManager  *self,
                                        ConfabAccount         *account,
                                        const char            *room_uri,
                                        ConfabConferenceMedia  media,
                                        GError               **error)
{
  g_autoptr (GPtrArray) streams = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *target = NULL;

  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), NULL);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (room_uri != NULL, NULL);

  target = room_uri_for (room_uri, error);
  if (!target)
    return NULL;
  if (!(media & (CONFAB_CONFERENCE_MEDIA_AUDIO | CONFAB_CONFERENCE_MEDIA_CHAT)))
    media = CONFAB_CONFERENCE_MEDIA_CHAT;

  if (media & CONFAB_CONFERENCE_MEDIA_AUDIO)
    g_ptr_array_add (streams, _confab_session_manager_create_audio_stream (self));
  if (media & CONFAB_CONFERENCE_MEDIA_CHAT)
    g_ptr_array_add (streams, _confab_session_manager_create_chat_stream (self, NULL));
  return _confab_session_manager_invite (self, account, target, streams, error);
}

/**
 * confab_session_manager_watch_conference:
 *
 * Returns: (transfer full): the room, subscribing
 */
ConfabConference *
confab_session_manager_watch_conference (ConfabSessionManager  *self,
                                         ConfabAccount         *account,
                                         const char            *room_uri,
                                         GError               **error)
{
  g_autoptr (ConfabConference) conference = NULL;
  g_autofree char *target = NULL;

  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), NULL);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (room_uri != NULL, NULL);

  target = room_uri_for (room_uri, error);
  if (!target)
    return NULL;
  if (!_confab_account_get_nua (account)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("The account %s is not online: bring it online first"),
                 confab_account_get_address (account));
    return NULL;
  }
  conference = confab_conference_new (target);
  _confab_conference_attach (conference, account);
  _confab_conference_subscribe (conference, FALSE);
  return g_steal_pointer (&conference);
}

/**
 * confab_session_manager_new_room_uri:
 *
 * Returns: (transfer full): "sip:RANDOM@SERVER", a room nobody uses yet
 */
char *
confab_session_manager_new_room_uri (ConfabSessionManager *self,
                                     ConfabAccount        *account)
{
  static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  g_autoptr (ConfabUri) aor = NULL;
  g_autofree char *server = NULL;
  JsonObject *extra;
  guint8 bytes[10];
  char name[sizeof bytes + 1];

  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), NULL);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), NULL);

  extra = _confab_account_get_extra (account);
  if (extra && json_object_has_member (extra, "conference-server") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (extra, "conference-server")))
    server = g_strdup (json_object_get_string_member (extra, "conference-server"));
  if (!server || !*server) {
    g_free (server);
    aor = confab_uri_parse (confab_account_get_address (account), NULL);
    server = g_strdup_printf ("conference.%s", aor && aor->host ? aor->host : "localhost");
  }
  if (!_confab_random_fill (bytes, sizeof bytes))
    g_error ("No random bytes for a room name");
  for (gsize i = 0; i < sizeof bytes; i++)
    name[i] = letters[bytes[i] % (sizeof letters - 1)];
  name[sizeof bytes] = '\0';
  return g_strdup_printf ("sip:%s@%s", name, server);
}

void
_confab_session_manager_conference_state (ConfabSessionManager *self,
                                          ConfabSession        *session)
{
  ConfabConference *conference = confab_session_get_conference (session);
  ConfabSessionState state = confab_session_get_state (session);

  /* SylkServer answers file transfers to a room with ;isfocus too: an upload
   * or a download is not joining, so it subscribes to nothing. */
  if (state == CONFAB_SESSION_STATE_ESTABLISHED && !conference &&
      confab_session_is_focus (session) && !confab_session_is_file_transfer (session)) {
    g_autoptr (ConfabConference) room = NULL;
    g_autofree char *uri = confab_uri_normalize (confab_session_get_remote_uri (session), NULL);

    room = confab_conference_new (uri ? uri : confab_session_get_remote_uri (session));
    _confab_conference_attach (room, confab_session_get_account (session));
    _confab_session_set_conference (session, room);
    /* Our INVITE may be what makes the room: a 480 is tried again. */
    _confab_conference_subscribe (room, TRUE);
  } else if (state >= CONFAB_SESSION_STATE_TERMINATING && conference) {
    confab_conference_leave (conference);
  }
}
