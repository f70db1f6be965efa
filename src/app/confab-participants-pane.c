/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-participants-pane-private.h"
#include "confab-participant-row.h"
#include "confab-uri.h"

#include <glib/gi18n.h>

/* The participants of a session's conference room, beside its chat: one
 * ConfabParticipantRow per person (the list is bound to the room's model,
 * which updates people in place), an entry to invite someone by REFER,
 * with the room's answers shown under it as they come, and the files the
 * room keeps, which can be fetched. Removing someone asks first. A row's
 * private message button asks whoever shows the chat to write to that
 * person alone ("message-privately"). The room's files are in
 * confab-participants-pane-files.c, what is dropped on the pane in
 * confab-participants-pane-drop.c. */

G_DEFINE_FINAL_TYPE (ConfabParticipantsPane, confab_participants_pane, GTK_TYPE_WIDGET)

enum {
  SIGNAL_MESSAGE_PRIVATELY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One REFER on its way: whom it is about, in the words shown. */
typedef struct
{
  ConfabParticipantsPane     *pane;
  ConfabConference           *conference;
  ConfabConferenceReferMethod method;
  char                       *uri;     /* normalized, as the room's answers name it */
  char                       *name;
  guint                       status;  /* the room's last answer */
  char                       *phrase;
} ReferOp;

static void
refer_op_free (ReferOp *op)
{
  g_object_unref (op->pane);
  g_object_unref (op->conference);
  g_free (op->uri);
  g_free (op->name);
  g_free (op->phrase);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReferOp, refer_op_free)

/* Whether the room can be changed from here: we are in it. */
gboolean
_confab_participants_pane_in_room (ConfabParticipantsPane *self)
{
  return self->conference && self->session &&
         confab_session_get_state (self->session) < CONFAB_SESSION_STATE_TERMINATING;
}

/* A person as the pane names them: the room's display name when they
 * are in it, else the address. */
static char *
dup_name (ConfabParticipantsPane *self,
          const char             *uri)
{
  g_autofree char *normalized = confab_uri_normalize (uri, NULL);
  ConfabParticipant *participant = NULL;

  if (self->conference)
    participant = confab_conference_find_participant (self->conference,
                                                      normalized ? normalized : uri);
  if (participant && confab_participant_get_display_name (participant) &&
      *confab_participant_get_display_name (participant))
    return g_strdup (confab_participant_get_display_name (participant));
  return g_strdup (confab_uri_skip_scheme (normalized ? normalized : uri));
}

void
_confab_participants_pane_add_toast (ConfabParticipantsPane *self,
                                     const char             *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (!overlay) {
    g_message ("%s", message);
    return;
  }
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* The line under the Invite box: how the last REFER goes. */
void
_confab_participants_pane_show_refer_text (ConfabParticipantsPane *self,
                                           const char             *text,
                                           const char             *style)
{
  gtk_label_set_label (self->refer_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->refer_label), text && *text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->refer_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->refer_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->refer_label), "dim-label");
  if (style)
    gtk_widget_add_css_class (GTK_WIDGET (self->refer_label), style);
}

static char *
dup_progress_text (ConfabConferenceReferMethod method,
                   const char                 *name,
                   guint                       status,
                   const char                 *phrase)
{
  if (method == CONFAB_CONFERENCE_REFER_BYE)
    /* Translators: the room's answer while removing someone: their name,
     * then a SIP status, like "Removing carol… 100 Trying" */
    return g_strdup_printf (_("Removing %s… %u %s"), name, status, phrase ? phrase : "");
  /* Translators: the room's answer while inviting someone: their name,
   * then a SIP status, like "Inviting bob… 180 Ringing" */
  return g_strdup_printf (_("Inviting %s… %u %s"), name, status, phrase ? phrase : "");
}

static void
on_refer_progress (ConfabConference           *conference,
                   const char                 *uri,
                   ConfabConferenceReferMethod method,
                   guint                       status,
                   const char                 *phrase,
                   ConfabParticipantsPane     *self)
{
  g_autofree char *name = dup_name (self, uri);
  g_autofree char *text = NULL;

  /* Refusals are said in full once the REFER is over. */
  if (status >= 300)
    return;
  text = dup_progress_text (method, name, status, phrase);
  _confab_participants_pane_show_refer_text (self, text, status >= 200 ? NULL : "dim-label");
}

static void
on_refer_progress_for_op (ConfabConference           *conference,
                          const char                 *uri,
                          ConfabConferenceReferMethod method,
                          guint                       status,
                          const char                 *phrase,
                          ReferOp                    *op)
{
  if (method != op->method || g_strcmp0 (uri, op->uri) != 0)
    return;
  op->status = status;
  g_free (op->phrase);
  op->phrase = g_strdup (phrase);
}

static void
on_refer_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (ReferOp) op = user_data;
  ConfabParticipantsPane *self = op->pane;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  g_signal_handlers_disconnect_by_func (op->conference, on_refer_progress_for_op, op);
  if (confab_conference_refer_finish (CONFAB_CONFERENCE (source), result, &error)) {
    if (self->conference != op->conference)
      return;
    text = dup_progress_text (op->method, op->name, op->status ? op->status : 200,
                              op->status ? op->phrase : "OK");
    _confab_participants_pane_show_refer_text (self, text, "success");
    return;
  }
  if (op->status >= 300 && op->method == CONFAB_CONFERENCE_REFER_BYE)
    /* Translators: a participant, then the SIP status the room answered */
    text = g_strdup_printf (_("Could not remove %s: %u %s"), op->name, op->status,
                            op->phrase ? op->phrase : "");
  else if (op->status >= 300)
    /* Translators: a participant, then the SIP status the room answered */
    text = g_strdup_printf (_("Could not add %s: %u %s"), op->name, op->status,
                            op->phrase ? op->phrase : "");
  else
    text = g_strdup (error->message);
  if (self->conference == op->conference)
    _confab_participants_pane_show_refer_text (self, text, "error");
  else
    _confab_participants_pane_add_toast (self, text);
}

static void
refer (ConfabParticipantsPane     *self,
       const char                 *uri,
       ConfabConferenceReferMethod method)
{
  ReferOp *op = g_new0 (ReferOp, 1);
  g_autofree char *text = NULL;

  op->pane = g_object_ref (self);
  op->conference = g_object_ref (self->conference);
  op->method = method;
  op->uri = confab_uri_normalize (uri, NULL);
  op->name = dup_name (self, uri);
  g_signal_connect_data (self->conference, "refer-progress",
                         G_CALLBACK (on_refer_progress_for_op), op, NULL, 0);
  text = method == CONFAB_CONFERENCE_REFER_BYE
           /* Translators: %s is a participant */
           ? g_strdup_printf (_("Removing %s…"), op->name)
           /* Translators: %s is whom we invite */
           : g_strdup_printf (_("Inviting %s…"), op->name);
  _confab_participants_pane_show_refer_text (self, text, "dim-label");
  confab_conference_refer_async (self->conference, uri, method, NULL, on_refer_done, op);
}

/**
 * confab_participants_pane_invite:
 * @address: whom to bring into the room
 *
 * Asks the room's focus to call @address in (REFER with method INVITE);
 * the line under the Invite box follows the room's answers.
 */
void
confab_participants_pane_invite (ConfabParticipantsPane *self,
                                 const char             *address)
{
  g_autofree char *text = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (CONFAB_IS_PARTICIPANTS_PANE (self));
  g_return_if_fail (address != NULL);

  text = g_strstrip (g_strdup (address));
  if (!_confab_participants_pane_in_room (self) || !*text)
    return;
  uri = confab_uri_normalize (text, NULL);
  if (!uri) {
    g_autofree char *message = g_strdup_printf (_("“%s” is not a SIP address"), text);

    _confab_participants_pane_show_refer_text (self, message, "error");
    return;
  }
  refer (self, uri, CONFAB_CONFERENCE_REFER_INVITE);
}

static void
on_invite_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ConfabParticipantsPane *self = CONFAB_PARTICIPANTS_PANE (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->invite_entry));
  g_autofree char *address = g_strstrip (g_strdup (text));
  g_autofree char *uri = confab_uri_normalize (address, NULL);

  if (!*address) {
    gtk_widget_grab_focus (GTK_WIDGET (self->invite_entry));
    return;
  }
  if (!uri) {
    gtk_widget_add_css_class (GTK_WIDGET (self->invite_entry), "error");
    confab_participants_pane_invite (self, address);
    return;
  }
  confab_participants_pane_invite (self, uri);
  gtk_editable_set_text (GTK_EDITABLE (self->invite_entry), "");
}

static void
on_invite_entry_activate (ConfabParticipantsPane *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "participants.invite", NULL);
}

static void
on_invite_entry_changed (ConfabParticipantsPane *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->invite_entry), "error");
}

/* Removing someone */

static void
on_remove_response (AdwMessageDialog       *dialog,
                    const char             *response,
                    ConfabParticipantsPane *self)
{
  const char *entity = g_object_get_data (G_OBJECT (dialog), "entity");

  /* The dialog closes itself after a response. */
  if (self->remove_dialog == GTK_WINDOW (dialog))
    g_clear_weak_pointer (&self->remove_dialog);
  if (g_str_equal (response, "remove") && entity && self->conference)
    refer (self, entity, CONFAB_CONFERENCE_REFER_BYE);
}

/**
 * confab_participants_pane_confirm_remove:
 * @entity: the participant's address
 *
 * Asks whether to remove the participant, and if so asks the room's focus
 * to (REFER with method BYE).
 */
void
confab_participants_pane_confirm_remove (ConfabParticipantsPane *self,
                                         const char             *entity)
{
  GtkRoot *root;
  g_autofree char *name = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  g_return_if_fail (CONFAB_IS_PARTICIPANTS_PANE (self));
  g_return_if_fail (entity != NULL);

  if (!self->conference)
    return;
  if (self->remove_dialog)
    gtk_window_destroy (self->remove_dialog);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  name = dup_name (self, entity);
  /* Translators: the heading of the dialog before removing someone from a
   * conference room; %s is their name */
  heading = g_strdup_printf (_("Remove %s?"), name);
  /* Translators: %s is the participant's name */
  body = g_strdup_printf (_("%s will be disconnected from the room’s call and chat. You can "
                            "invite them again later."),
                          name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                             : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "entity", g_strdup (entity), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  g_set_weak_pointer (&self->remove_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_remove_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  confab_participants_pane_confirm_remove (CONFAB_PARTICIPANTS_PANE (widget),
                                          g_variant_get_string (parameter, NULL));
}

/* Private messages */

static void
on_message_privately_activated (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  ConfabParticipantsPane *self = CONFAB_PARTICIPANTS_PANE (widget);
  const char *entity = g_variant_get_string (parameter, NULL);
  g_autofree char *name = NULL;

  if (!*entity || !self->private_messages || !_confab_participants_pane_in_room (self))
    return;
  name = dup_name (self, entity);
  g_signal_emit (self, signals[SIGNAL_MESSAGE_PRIVATELY], 0, entity, name);
}

/* The room */

static GtkWidget *
create_participant_row (gpointer item,
                        gpointer user_data)
{
  ConfabParticipantsPane *self = user_data;
  GtkWidget *row = confab_participant_row_new (CONFAB_PARTICIPANT (item));

  confab_participant_row_set_private_messages (
    CONFAB_PARTICIPANT_ROW (row),
    self->private_messages && _confab_participants_pane_in_room (self));
  return row;
}

/* The rows offer private messages while the room takes them from us. */
static void
update_private_messages (ConfabParticipantsPane *self)
{
  gboolean allowed = self->private_messages && _confab_participants_pane_in_room (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "participants.message-privately", allowed);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->participant_list)); row;
       row = gtk_widget_get_next_sibling (row)) {
    if (CONFAB_IS_PARTICIPANT_ROW (row))
      confab_participant_row_set_private_messages (CONFAB_PARTICIPANT_ROW (row), allowed);
  }
}

static void
update_state (ConfabParticipantsPane *self)
{
  g_autofree char *text = NULL;
  gboolean in_room;

  if (self->conference) {
    switch (confab_conference_get_subscription_state (self->conference)) {
    case CONFAB_CONFERENCE_SUBSCRIPTION_SUBSCRIBING:
    case CONFAB_CONFERENCE_SUBSCRIPTION_PENDING:
      text = g_strdup (_("Asking the room who is in it…"));
      break;
    case CONFAB_CONFERENCE_SUBSCRIPTION_FAILED:
      if (confab_conference_get_subscription_error (self->conference))
        /* Translators: %s says why, as a sentence */
        text = g_strdup_printf (_("The room does not say who is in it: %s"),
                                confab_conference_get_subscription_error (self->conference));
      else
        text = g_strdup (_("The room does not say who is in it."));
      break;
    case CONFAB_CONFERENCE_SUBSCRIPTION_IDLE:
    case CONFAB_CONFERENCE_SUBSCRIPTION_ACTIVE:
    default:
      break;
    }
    if (!text &&
        g_list_model_get_n_items (confab_conference_get_participants (self->conference)) == 0)
      text = g_strdup (_("Nobody is in the room."));
  }
  gtk_label_set_label (self->state_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), text != NULL);
  /* Once we left, the list stays to be read; the room is no longer ours
   * to change. */
  in_room = _confab_participants_pane_in_room (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "participants.invite", in_room);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "participants.remove", in_room);
  gtk_widget_set_sensitive (GTK_WIDGET (self->invite_entry), in_room);
  update_private_messages (self);
}

static void
on_session_state (ConfabSession          *session,
                  GParamSpec             *pspec,
                  ConfabParticipantsPane *self)
{
  update_state (self);
}

static void
on_subscription_state (ConfabConference       *conference,
                       GParamSpec             *pspec,
                       ConfabParticipantsPane *self)
{
  update_state (self);
}

static void
on_participants_changed (GListModel             *participants,
                         guint                   position,
                         guint                   removed,
                         guint                   added,
                         ConfabParticipantsPane *self)
{
  update_state (self);
}

static void
set_conference (ConfabParticipantsPane *self,
                ConfabConference       *conference)
{
  if (self->conference == conference)
    return;
  if (self->conference) {
    g_signal_handlers_disconnect_by_data (self->conference, self);
    g_signal_handlers_disconnect_by_data (confab_conference_get_participants (self->conference),
                                          self);
    g_signal_handlers_disconnect_by_data (confab_conference_get_files (self->conference), self);
  }
  if (self->remove_dialog)
    gtk_window_destroy (self->remove_dialog);
  g_set_object (&self->conference, conference);
  _confab_participants_pane_show_refer_text (self, NULL, NULL);
  gtk_list_box_bind_model (self->participant_list,
                           conference ? confab_conference_get_participants (conference) : NULL,
                           create_participant_row, self, NULL);
  gtk_list_box_bind_model (self->file_list,
                           conference ? confab_conference_get_files (conference) : NULL,
                           _confab_participants_pane_create_file_row, self, NULL);
  gtk_widget_set_visible (self->files_box,
                          conference &&
                          g_list_model_get_n_items (confab_conference_get_files (conference)) > 0);
  if (conference) {
    g_signal_connect_object (conference, "refer-progress", G_CALLBACK (on_refer_progress), self,
                             0);
    g_signal_connect_object (conference, "notify::subscription-state",
                             G_CALLBACK (on_subscription_state), self, 0);
    g_signal_connect_object (conference, "notify::subscription-error",
                             G_CALLBACK (on_subscription_state), self, 0);
    g_signal_connect_object (confab_conference_get_participants (conference), "items-changed",
                             G_CALLBACK (on_participants_changed), self, 0);
    g_signal_connect_object (confab_conference_get_files (conference), "items-changed",
                             G_CALLBACK (_confab_participants_pane_on_files_changed), self, 0);
  }
  update_state (self);
}

static void
on_session_conference (ConfabSession          *session,
                       GParamSpec             *pspec,
                       ConfabParticipantsPane *self)
{
  set_conference (self, confab_session_get_conference (session));
}

/* GObject */

static void
confab_participants_pane_dispose (GObject *object)
{
  ConfabParticipantsPane *self = CONFAB_PARTICIPANTS_PANE (object);

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  if (self->conference)
    set_conference (self, NULL);
  if (self->remove_dialog)
    gtk_window_destroy (self->remove_dialog);
  g_clear_weak_pointer (&self->remove_dialog);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_PARTICIPANTS_PANE);

  G_OBJECT_CLASS (confab_participants_pane_parent_class)->dispose (object);
}

static void
confab_participants_pane_class_init (ConfabParticipantsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_participants_pane_dispose;

  g_type_ensure (CONFAB_TYPE_PARTICIPANT_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/confab/Confab/confab-participants-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantsPane, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantsPane, invite_entry);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantsPane, invite_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantsPane, refer_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantsPane, state_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantsPane, participant_list);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantsPane, files_box);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantsPane, file_list);
  gtk_widget_class_bind_template_callback (widget_class, on_invite_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_invite_entry_changed);
  gtk_widget_class_install_action (widget_class, "participants.invite", NULL, on_invite_activated);
  gtk_widget_class_install_action (widget_class, "participants.remove", "s", on_remove_activated);
  gtk_widget_class_install_action (widget_class, "participants.message-privately", "s",
                                   on_message_privately_activated);

  /**
   * ConfabParticipantsPane::message-privately:
   * @entity: the participant's address
   * @name: how the pane names them
   *
   * A row's private message button was activated: whoever shows the
   * room's chat writes the next messages to @entity alone.
   */
  signals[SIGNAL_MESSAGE_PRIVATELY] =
    g_signal_new ("message-privately", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  gtk_widget_class_set_css_name (widget_class, "participantspane");
}

static void
confab_participants_pane_init (ConfabParticipantsPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _confab_participants_pane_add_drop_target (self);
  update_state (self);
}

GtkWidget *
confab_participants_pane_new (void)
{
  return g_object_new (CONFAB_TYPE_PARTICIPANTS_PANE, NULL);
}

/**
 * confab_participants_pane_set_session:
 * @session: (nullable): whose room to show, once it has one
 */
void
confab_participants_pane_set_session (ConfabParticipantsPane *self,
                                      ConfabSession          *session)
{
  g_return_if_fail (CONFAB_IS_PARTICIPANTS_PANE (self));
  g_return_if_fail (!session || CONFAB_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session) {
    g_signal_connect_object (session, "notify::conference", G_CALLBACK (on_session_conference),
                             self, 0);
    g_signal_connect_object (session, "notify::state", G_CALLBACK (on_session_state), self, 0);
  }
  set_conference (self, session ? confab_session_get_conference (session) : NULL);
}

/**
 * confab_participants_pane_set_private_messages:
 * @allowed: whether the room's chat takes private messages from us now
 *
 * Whether the rows offer to write to someone privately (never on our
 * own row).
 */
void
confab_participants_pane_set_private_messages (ConfabParticipantsPane *self,
                                               gboolean                allowed)
{
  g_return_if_fail (CONFAB_IS_PARTICIPANTS_PANE (self));

  if (self->private_messages == allowed)
    return;
  self->private_messages = allowed;
  update_private_messages (self);
}

/**
 * confab_participants_pane_get_conference:
 *
 * Returns: (transfer none) (nullable): the room shown
 */
ConfabConference *
confab_participants_pane_get_conference (ConfabParticipantsPane *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANTS_PANE (self), NULL);
  return self->conference;
}

/**
 * confab_participants_pane_get_participant_list:
 *
 * Returns: (transfer none): the list, one #ConfabParticipantRow per person
 */
GtkListBox *
confab_participants_pane_get_participant_list (ConfabParticipantsPane *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANTS_PANE (self), NULL);
  return self->participant_list;
}

/**
 * confab_participants_pane_get_file_list:
 *
 * Returns: (transfer none): the room's files, one #AdwActionRow each
 */
GtkListBox *
confab_participants_pane_get_file_list (ConfabParticipantsPane *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANTS_PANE (self), NULL);
  return self->file_list;
}

GtkEditable *
confab_participants_pane_get_invite_entry (ConfabParticipantsPane *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANTS_PANE (self), NULL);
  return GTK_EDITABLE (self->invite_entry);
}

/**
 * confab_participants_pane_get_refer_text:
 *
 * Returns: (nullable): the line under the Invite box ("Inviting bob… 100
 *   Trying", "Could not add bob: 486 Busy Here"), %NULL when hidden
 */
const char *
confab_participants_pane_get_refer_text (ConfabParticipantsPane *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANTS_PANE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->refer_label)))
    return NULL;
  return gtk_label_get_label (self->refer_label);
}

/**
 * confab_participants_pane_get_remove_dialog:
 *
 * Returns: (transfer none) (nullable): the open "Remove …?" dialog
 */
GtkWindow *
confab_participants_pane_get_remove_dialog (ConfabParticipantsPane *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANTS_PANE (self), NULL);
  return self->remove_dialog;
}
