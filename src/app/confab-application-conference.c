/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-application-private.h"
#include "confab-join-dialog.h"
#include "confab-session-window.h"
#include "confab-uri.h"

#include <glib/gi18n.h>

/* The application's side of conference rooms: Join Conference… (the
 * app.join-conference action and its dialog), joining a room from the best
 * account for it with a nickname to ask for once its chat is up, and the
 * words for an invitation into a room that a focus sends on someone's
 * behalf. The room itself (participants, invitations, removals) is shown
 * by the session's window. */

static void
on_join_conference_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  confab_application_show_join_dialog (CONFAB_APPLICATION (user_data));
}

static const GActionEntry conference_actions[] = {
  { "join-conference", on_join_conference_activated, NULL, NULL, NULL, { 0 } },
};

void
_confab_application_startup_conference (ConfabApplication *self)
{
  static const char *join_accels[] = { "<Control><Shift>j", NULL };
  static const char *participants_accels[] = { "<Control><Shift>p", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), conference_actions,
                                   G_N_ELEMENTS (conference_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.join-conference",
                                         join_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "session.toggle-participants",
                                         participants_accels);
}

/**
 * confab_application_join_conference:
 * @room: the room's address
 * @media: audio, chat or both
 * @nickname: (nullable): the name to ask the room for, once its chat is
 *   connected
 *
 * Joins @room from confab_application_pick_account(); the session's
 * window opens and shows the room's participants once the focus answered.
 * A room already joined is shown instead of joining twice.
 *
 * Returns: (transfer none) (nullable): the session with the room's focus
 */
ConfabSession *
confab_application_join_conference (ConfabApplication     *self,
                                    const char            *room,
                                    ConfabConferenceMedia  media,
                                    const char            *nickname,
                                    GError               **error)
{
  g_autofree char *target = NULL;
  ConfabSessionWindow *window;
  ConfabAccount *account;
  ConfabSession *session;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (room != NULL, NULL);

  if (!self->sessions) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("Confab’s SIP engine is not running. Restart Confab to join rooms."));
    return NULL;
  }
  target = confab_uri_normalize (room, NULL);
  if (!target) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("“%s” is not a room address. Enter one like "
                   "sip:room@conference.example.org."),
                 room);
    return NULL;
  }
  session = _confab_application_find_live_session (self, target);
  if (!session) {
    account = confab_application_pick_account (self, target);
    if (!account) {
      g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                   _("No account is online. Enable the local account or add a provider "
                     "account in Preferences."));
      return NULL;
    }
    /* "session-added" opens the window. */
    session = confab_session_manager_join_conference (self->sessions, account, target, media,
                                                      error);
    if (!session)
      return NULL;
  }
  window = confab_application_present_session (self, session);
  if (nickname && *nickname)
    confab_session_window_set_nickname (window, nickname);
  return session;
}

/**
 * confab_application_new_room_uri:
 *
 * Returns: (transfer full) (nullable): the address of a new ad-hoc room
 *   at the conference server of the account rooms are joined from
 */
char *
confab_application_new_room_uri (ConfabApplication  *self,
                                 GError            **error)
{
  ConfabAccount *account;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);

  account = self->sessions ? confab_application_pick_account (self, "") : NULL;
  if (!account) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("No account is online. Enable the local account or add a provider "
                   "account in Preferences."));
    return NULL;
  }
  return confab_session_manager_new_room_uri (self->sessions, account);
}

/**
 * confab_application_show_join_dialog:
 *
 * Presents Join Conference…, with the main window's address as the room.
 *
 * Returns: (transfer none): the dialog
 */
GtkWindow *
confab_application_show_join_dialog (ConfabApplication *self)
{
  ConfabMainWindow *main_window;
  const char *address;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);

  if (!self->join_dialog) {
    main_window = confab_application_get_main_window (self);
    address = confab_main_window_get_dial_address (main_window);
    g_set_weak_pointer (&self->join_dialog,
                        GTK_WINDOW (confab_join_dialog_new (GTK_APPLICATION (self),
                                                            GTK_WINDOW (main_window))));
    /* The main window's buttons all act on the address typed there. */
    if (address && *address)
      confab_join_dialog_set_room_address (CONFAB_JOIN_DIALOG (self->join_dialog), address);
  }
  gtk_window_present (self->join_dialog);
  return self->join_dialog;
}

/**
 * confab_application_get_join_dialog:
 *
 * Returns: (transfer none) (nullable): the open Join Conference… dialog
 */
GtkWindow *
confab_application_get_join_dialog (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  return self->join_dialog;
}

/**
 * confab_application_dup_invitation_text:
 * @session: an incoming session from a conference focus
 *
 * Returns: (transfer full): "bob@example.org invites you to the room
 *   “team@conference.example.org”", or without the one who asked the focus
 *   to call when the INVITE does not say (Referred-By)
 */
char *
confab_application_dup_invitation_text (ConfabSession *session)
{
  const char *referred_by;
  const char *display;
  const char *uri;
  const char *room;

  g_return_val_if_fail (CONFAB_IS_SESSION (session), NULL);

  referred_by = confab_session_get_referred_by (session);
  display = confab_session_get_remote_display (session);
  uri = confab_session_get_remote_uri (session);
  room = display && *display ? display : uri ? confab_uri_skip_scheme (uri) : _("a conference room");
  if (referred_by && *referred_by)
    /* Translators: who asked a conference room to call us, then the room */
    return g_strdup_printf (_("%s invites you to the room “%s”"), confab_uri_skip_scheme (referred_by),
                            room);
  /* Translators: %s is a conference room */
  return g_strdup_printf (_("You are invited to the room “%s”"), room);
}
