/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-preferences-window.h"
#include "confab-account-row.h"
#include "confab-device-row.h"
#include "media/confab-ice.h"

#include <glib/gi18n.h>

#include <string.h>

/* Preferences: the local account (bound to GSettings; the application
 * applies the changes) and the provider accounts, with Edit, Remove and
 * Add Account…, which open the account editor; and on the Calls page the
 * sound devices, echo cancellation, the ringtone, ICE and STUN (all in
 * GSettings, which the application applies to new calls); on the Files page
 * the folder received files go to. */

struct _ConfabPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  ConfabAccountManager *manager;
  GSettings            *settings;
  ConfabAccount        *local_account;

  AdwActionRow         *local_enabled_row;
  GtkSwitch            *local_enabled_switch;
  AdwEntryRow          *local_username_row;
  GtkSpinButton        *local_port_spin;
  GtkListBox           *account_list;

  AdwPreferencesPage   *calls_page;
  ConfabDeviceRow      *microphone_row;
  ConfabDeviceRow      *speaker_row;
  GtkSwitch            *echo_switch;
  GtkSwitch            *ringtone_switch;
  GtkSwitch            *ice_switch;
  AdwEntryRow          *stun_row;

  AdwPreferencesPage   *files_page;
  AdwActionRow         *download_folder_row;
  GtkWidget            *download_folder_reset;
  GtkFileChooserNative *folder_chooser;
};

G_DEFINE_FINAL_TYPE (ConfabPreferencesWindow, confab_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_ACCOUNT_MANAGER,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
add_toast (ConfabPreferencesWindow *self,
           const char              *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 0);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

static GtkWidget *
create_account_row (gpointer item,
                    gpointer user_data)
{
  GtkWidget *row = confab_account_row_new (CONFAB_ACCOUNT (item));

  confab_account_row_set_editable (CONFAB_ACCOUNT_ROW (row), TRUE);
  return row;
}

static void
update_local_subtitle (ConfabPreferencesWindow *self)
{
  const char *contact = NULL;
  g_autofree char *subtitle = NULL;

  if (self->local_account)
    contact = confab_account_get_contact (self->local_account);
  if (contact)
    /* Translators: %s is a SIP address like sip:alice@192.168.1.5:5060 */
    subtitle = g_strdup_printf (_("Others call you at %s"), contact);
  else if (self->local_account && confab_account_get_state (self->local_account) ==
                                  CONFAB_ACCOUNT_STATE_FAILED)
    subtitle = g_strdup (confab_account_get_state_reason (self->local_account));
  else
    subtitle = g_strdup (_("Not reachable from other computers"));
  adw_action_row_set_subtitle (self->local_enabled_row, subtitle ? subtitle : "");
}

static void
on_local_account_notify (ConfabAccount           *account,
                         GParamSpec              *pspec,
                         ConfabPreferencesWindow *self)
{
  update_local_subtitle (self);
}

static void
update_local_username (ConfabPreferencesWindow *self)
{
  g_autofree char *username = NULL;

  if (!self->settings)
    return;
  username = g_settings_get_string (self->settings, "local-username");
  /* Setting the same text again would offer to apply it again. */
  if (g_strcmp0 (username, gtk_editable_get_text (GTK_EDITABLE (self->local_username_row))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->local_username_row), username);
}

static void
on_local_username_changed (GSettings               *settings,
                           const char              *key,
                           ConfabPreferencesWindow *self)
{
  update_local_username (self);
}

static void
on_local_username_apply (ConfabPreferencesWindow *self)
{
  g_autofree char *username = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->local_username_row)));
  g_autoptr (ConfabAccount) probe = NULL;
  g_autoptr (GError) error = NULL;

  g_strstrip (username);
  probe = confab_account_new_local (username, 0);
  if (strpbrk (username, " \t@:;<>\"") || !confab_account_validate (probe, &error)) {
    g_autofree char *message =
      g_strdup_printf (_("“%s” cannot be the user part of a SIP address. "
                         "Use letters, digits, dots or dashes."), username);

    gtk_widget_add_css_class (GTK_WIDGET (self->local_username_row), "error");
    add_toast (self, message);
    return;
  }
  gtk_widget_remove_css_class (GTK_WIDGET (self->local_username_row), "error");
  g_settings_set_string (self->settings, "local-username", username);
}

static void
update_stun_text (ConfabPreferencesWindow *self)
{
  g_autofree char *server = g_settings_get_string (self->settings, "stun-server");

  if (g_strcmp0 (server, gtk_editable_get_text (GTK_EDITABLE (self->stun_row))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->stun_row), server);
}

static void
on_stun_server_changed (GSettings               *settings,
                        const char              *key,
                        ConfabPreferencesWindow *self)
{
  update_stun_text (self);
}

static void
on_stun_apply (ConfabPreferencesWindow *self)
{
  g_autofree char *server = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->stun_row)));
  g_autoptr (ConfabIceServers) servers = confab_ice_servers_new ();
  g_autoptr (GError) error = NULL;

  g_strstrip (server);
  if (*server && !confab_ice_servers_set_stun (servers, server, &error)) {
    gtk_widget_add_css_class (GTK_WIDGET (self->stun_row), "error");
    add_toast (self, error->message);
    return;
  }
  gtk_widget_remove_css_class (GTK_WIDGET (self->stun_row), "error");
  g_settings_set_string (self->settings, "stun-server", server);
}

static void
setup_calls_page (ConfabPreferencesWindow *self)
{
  if (!self->settings) {
    gtk_widget_set_sensitive (GTK_WIDGET (self->calls_page), FALSE);
    return;
  }
  confab_device_row_bind (self->microphone_row, CONFAB_AUDIO_DEVICE_SOURCE, self->settings,
                          "audio-input-device");
  confab_device_row_bind (self->speaker_row, CONFAB_AUDIO_DEVICE_SINK, self->settings,
                          "audio-output-device");
  g_settings_bind (self->settings, "echo-cancellation", self->echo_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "ringtone-enabled", self->ringtone_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "ice-enabled", self->ice_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  /* Without ICE there is nothing to ask a STUN server about. */
  g_settings_bind (self->settings, "ice-enabled", self->stun_row, "sensitive",
                   G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->settings, "changed::stun-server",
                           G_CALLBACK (on_stun_server_changed), self, 0);
  update_stun_text (self);
}

/* Files */

/* "~/Downloads", as people know the folder. */
static char *
dup_display_path (GFile *folder)
{
  g_autofree char *path = g_file_get_path (folder);
  const char *home = g_get_home_dir ();
  gsize home_len = strlen (home);

  if (!path)
    return g_file_get_parse_name (folder);
  if (home_len > 1 && g_str_has_prefix (path, home) &&
      (path[home_len] == G_DIR_SEPARATOR || path[home_len] == '\0'))
    return g_strconcat ("~", path + home_len, NULL);
  return g_steal_pointer (&path);
}

static void
update_download_folder (ConfabPreferencesWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "download-folder");
  const char *fallback = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  g_autoptr (GFile) folder = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *subtitle = NULL;

  if (path && *path)
    folder = g_file_new_for_commandline_arg (path);
  else
    folder = g_file_new_for_path (fallback ? fallback : g_get_home_dir ());
  shown = dup_display_path (folder);
  if (path && *path)
    subtitle = g_strdup (shown);
  else
    /* Translators: %s is the XDG download folder, like ~/Downloads */
    subtitle = g_strdup_printf (_("%s (the default)"), shown);
  adw_action_row_set_subtitle (self->download_folder_row, subtitle);
  gtk_widget_set_visible (self->download_folder_reset, path && *path);
}

static void
on_download_folder_changed (GSettings               *settings,
                            const char              *key,
                            ConfabPreferencesWindow *self)
{
  update_download_folder (self);
}

static void
on_folder_chosen (GtkNativeDialog         *chooser,
                  int                      response,
                  ConfabPreferencesWindow *self)
{
  g_autoptr (GFile) folder = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->folder_chooser);
  if (!folder)
    return;
  if (!g_file_peek_path (folder)) {
    add_toast (self, _("Choose a folder on this computer"));
    return;
  }
  g_settings_set_string (self->settings, "download-folder", g_file_peek_path (folder));
}

static void
on_download_folder_choose (ConfabPreferencesWindow *self)
{
  g_autofree char *path = NULL;

  if (self->folder_chooser) {
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->folder_chooser));
    return;
  }
  self->folder_chooser = gtk_file_chooser_native_new (_("Downloads Folder"), GTK_WINDOW (self),
                                                      GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                      _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->folder_chooser), TRUE);
  path = g_settings_get_string (self->settings, "download-folder");
  if (path && *path) {
    g_autoptr (GFile) current = g_file_new_for_commandline_arg (path);

    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->folder_chooser), current, NULL);
  }
  g_signal_connect_object (self->folder_chooser, "response", G_CALLBACK (on_folder_chosen), self,
                           0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->folder_chooser));
}

static void
on_download_folder_reset (ConfabPreferencesWindow *self)
{
  g_settings_reset (self->settings, "download-folder");
}

static void
setup_files_page (ConfabPreferencesWindow *self)
{
  if (!self->settings) {
    gtk_widget_set_sensitive (GTK_WIDGET (self->files_page), FALSE);
    return;
  }
  g_signal_connect_object (self->settings, "changed::download-folder",
                           G_CALLBACK (on_download_folder_changed), self, 0);
  update_download_folder (self);
}

static void
on_remove_response (AdwMessageDialog        *dialog,
                    const char              *response,
                    ConfabPreferencesWindow *self)
{
  ConfabAccount *account = g_object_get_data (G_OBJECT (dialog), "account");
  g_autoptr (GError) error = NULL;

  if (!g_str_equal (response, "remove"))
    return;
  if (!confab_account_manager_remove (self->manager, account, &error)) {
    g_autofree char *message = g_strdup_printf (_("Could not remove %s: %s"),
                                                confab_account_get_address (account),
                                                error->message);

    add_toast (self, message);
  }
}

static ConfabAccount *
find_account (ConfabPreferencesWindow *self,
              GVariant                *parameter)
{
  const char *id = g_variant_get_string (parameter, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->manager));

  /* By id only: confab_account_manager_find() also matches names. */
  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabAccount) account = g_list_model_get_item (G_LIST_MODEL (self->manager), i);

    if (g_strcmp0 (confab_account_get_id (account), id) == 0)
      return account;
  }
  return NULL;
}

static void
on_edit_account (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ConfabPreferencesWindow *self = CONFAB_PREFERENCES_WINDOW (widget);
  ConfabAccount *account = find_account (self, parameter);

  if (account)
    confab_preferences_window_edit_account (self, account);
}

static void
on_remove_account (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ConfabPreferencesWindow *self = CONFAB_PREFERENCES_WINDOW (widget);
  ConfabAccount *account = find_account (self, parameter);

  if (account)
    confab_preferences_window_remove_account (self, account);
}

static void
confab_preferences_window_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  ConfabPreferencesWindow *self = CONFAB_PREFERENCES_WINDOW (object);

  switch (prop_id) {
  case PROP_ACCOUNT_MANAGER:
    g_value_set_object (value, self->manager);
    break;
  case PROP_SETTINGS:
    g_value_set_object (value, self->settings);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_preferences_window_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  ConfabPreferencesWindow *self = CONFAB_PREFERENCES_WINDOW (object);

  switch (prop_id) {
  case PROP_ACCOUNT_MANAGER:
    self->manager = g_value_dup_object (value);
    break;
  case PROP_SETTINGS:
    self->settings = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_preferences_window_constructed (GObject *object)
{
  ConfabPreferencesWindow *self = CONFAB_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (confab_preferences_window_parent_class)->constructed (object);

  g_assert (CONFAB_IS_ACCOUNT_MANAGER (self->manager));

  if (self->settings) {
    g_settings_bind (self->settings, "local-account-enabled", self->local_enabled_switch,
                     "active", G_SETTINGS_BIND_DEFAULT);
    g_settings_bind (self->settings, "local-port",
                     gtk_spin_button_get_adjustment (self->local_port_spin), "value",
                     G_SETTINGS_BIND_DEFAULT);
    g_signal_connect_object (self->settings, "changed::local-username",
                             G_CALLBACK (on_local_username_changed), self, 0);
    update_local_username (self);
  } else {
    gtk_widget_set_sensitive (GTK_WIDGET (self->local_enabled_row), FALSE);
  }

  self->local_account = confab_account_manager_get_local_account (self->manager);
  if (self->local_account) {
    g_object_ref (self->local_account);
    g_signal_connect_object (self->local_account, "notify::contact",
                             G_CALLBACK (on_local_account_notify), self, 0);
    g_signal_connect_object (self->local_account, "notify::state",
                             G_CALLBACK (on_local_account_notify), self, 0);
  }
  update_local_subtitle (self);
  setup_calls_page (self);
  setup_files_page (self);

  gtk_list_box_bind_model (self->account_list, G_LIST_MODEL (self->manager), create_account_row,
                           self, NULL);
}

static void
confab_preferences_window_dispose (GObject *object)
{
  ConfabPreferencesWindow *self = CONFAB_PREFERENCES_WINDOW (object);

  if (self->folder_chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->folder_chooser));
  g_clear_object (&self->folder_chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->local_account);
  g_clear_object (&self->manager);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (confab_preferences_window_parent_class)->dispose (object);
}

static void
confab_preferences_window_class_init (ConfabPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = confab_preferences_window_get_property;
  object_class->set_property = confab_preferences_window_set_property;
  object_class->constructed = confab_preferences_window_constructed;
  object_class->dispose = confab_preferences_window_dispose;

  props[PROP_ACCOUNT_MANAGER] =
    g_param_spec_object ("account-manager", NULL, NULL, CONFAB_TYPE_ACCOUNT_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_install_action (widget_class, "account.edit", "s", on_edit_account);
  gtk_widget_class_install_action (widget_class, "account.remove", "s", on_remove_account);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/confab/Confab/confab-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, local_enabled_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, local_enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, local_username_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, local_port_spin);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, account_list);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, calls_page);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, microphone_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, speaker_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, echo_switch);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, ringtone_switch);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, ice_switch);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, stun_row);
  gtk_widget_class_bind_template_callback (widget_class, on_local_username_apply);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, files_page);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow, download_folder_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferencesWindow,
                                        download_folder_reset);
  gtk_widget_class_bind_template_callback (widget_class, on_stun_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_download_folder_choose);
  gtk_widget_class_bind_template_callback (widget_class, on_download_folder_reset);

  g_type_ensure (CONFAB_TYPE_DEVICE_ROW);
}

static void
confab_preferences_window_init (ConfabPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * confab_preferences_window_new:
 * @manager: the accounts
 * @settings: (nullable): org.confab.Confab, for the local account
 */
ConfabPreferencesWindow *
confab_preferences_window_new (ConfabAccountManager *manager,
                               GSettings            *settings)
{
  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (manager), NULL);
  g_return_val_if_fail (!settings || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CONFAB_TYPE_PREFERENCES_WINDOW,
                       "account-manager", manager,
                       "settings", settings,
                       NULL);
}

/**
 * confab_preferences_window_edit_account:
 * @account: (nullable): the account to edit, or %NULL to add one
 *
 * Opens the account editor over the preferences.
 *
 * Returns: (transfer none): the editor
 */
ConfabAccountEditor *
confab_preferences_window_edit_account (ConfabPreferencesWindow *self,
                                        ConfabAccount           *account)
{
  ConfabAccountEditor *editor;

  g_return_val_if_fail (CONFAB_IS_PREFERENCES_WINDOW (self), NULL);
  g_return_val_if_fail (!account || CONFAB_IS_ACCOUNT (account), NULL);

  editor = confab_account_editor_new (GTK_WINDOW (self), self->manager, account);
  /* For the application's shortcuts (Ctrl+Q) to work in it too. */
  gtk_window_set_application (GTK_WINDOW (editor), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (editor));
  return editor;
}

/**
 * confab_preferences_window_remove_account:
 *
 * Asks whether to remove @account; the "remove" response removes it.
 *
 * Returns: (transfer none): the question
 */
AdwMessageDialog *
confab_preferences_window_remove_account (ConfabPreferencesWindow *self,
                                          ConfabAccount           *account)
{
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (CONFAB_IS_PREFERENCES_WINDOW (self), NULL);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), NULL);

  /* Translators: %s is a SIP address */
  heading = g_strdup_printf (_("Remove %s?"), confab_account_get_address (account));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_WINDOW (self), heading,
    _("Confab forgets the account and deletes its password from the keyring. "
      "The account at your provider stays as it is.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "account", g_object_ref (account), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/**
 * confab_preferences_window_get_account_list:
 *
 * Returns: (transfer none): the list of provider accounts, one editable
 *   #ConfabAccountRow each
 */
GtkListBox *
confab_preferences_window_get_account_list (ConfabPreferencesWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_PREFERENCES_WINDOW (self), NULL);
  return self->account_list;
}

/**
 * confab_preferences_window_show_page:
 * @name: "accounts", "calls" or "files"
 */
void
confab_preferences_window_show_page (ConfabPreferencesWindow *self,
                                     const char              *name)
{
  g_return_if_fail (CONFAB_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (name != NULL);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (self), name);
}

/**
 * confab_preferences_window_get_device_row:
 * @kind: the microphone's row or the speaker's
 *
 * Returns: (transfer none): the row choosing the device of @kind
 */
ConfabDeviceRow *
confab_preferences_window_get_device_row (ConfabPreferencesWindow *self,
                                          ConfabAudioDeviceKind    kind)
{
  g_return_val_if_fail (CONFAB_IS_PREFERENCES_WINDOW (self), NULL);
  return kind == CONFAB_AUDIO_DEVICE_SINK ? self->speaker_row : self->microphone_row;
}

/**
 * confab_preferences_window_get_stun_row:
 *
 * Returns: (transfer none): the STUN server entry; its "apply" checks and
 *   stores what it holds
 */
AdwEntryRow *
confab_preferences_window_get_stun_row (ConfabPreferencesWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_PREFERENCES_WINDOW (self), NULL);
  return self->stun_row;
}
