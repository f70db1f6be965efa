/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-main-window.h"
#include "confab-account-row.h"
#include "confab-application.h"

#include <glib/gi18n.h>

/* The main window: a dial entry, the addresses the user can be reached at
 * (the local account first, then the provider accounts), and a hint to add
 * a provider account while there is none. */

struct _ConfabMainWindow
{
  AdwApplicationWindow  parent_instance;

  ConfabAccountManager *manager;
  GSettings            *settings;
  GListStore           *local_store;     /* holds the local account, if any */

  AdwToastOverlay      *toast_overlay;
  GtkScrolledWindow    *scrolled_window;
  GtkEntry             *dial_entry;
  GtkListBox           *account_list;
  AdwStatusPage        *empty_state;

  GtkFileChooserNative *file_chooser;    /* Send File… */
  char                 *send_to;         /* whom the chosen file goes to */
};

G_DEFINE_FINAL_TYPE (ConfabMainWindow, confab_main_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ACCOUNT_MANAGER,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static GtkWidget *
create_account_row (gpointer item,
                    gpointer user_data)
{
  return confab_account_row_new (CONFAB_ACCOUNT (item));
}

static void
update_empty_state (ConfabMainWindow *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->manager)) == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->empty_state), empty);
  /* The status page takes the room below the list while it shows. */
  gtk_widget_set_vexpand (GTK_WIDGET (self->scrolled_window), !empty);
}

static void
on_accounts_changed (GListModel       *model,
                     guint             position,
                     guint             removed,
                     guint             added,
                     ConfabMainWindow *self)
{
  update_empty_state (self);
}

static void
update_local_account (ConfabMainWindow *self)
{
  ConfabAccount *local = confab_account_manager_get_local_account (self->manager);

  if (local)
    g_list_store_splice (self->local_store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->local_store)),
                         (gpointer *) &local, 1);
  else
    g_list_store_remove_all (self->local_store);
}

static void
on_local_account_changed (ConfabAccountManager *manager,
                          GParamSpec           *pspec,
                          ConfabMainWindow     *self)
{
  update_local_account (self);
}

static void
on_dial_entry_activate (ConfabMainWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.call", NULL);
}

static void
on_dial_entry_changed (ConfabMainWindow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->dial_entry)));
  GAction *call = g_action_map_lookup_action (G_ACTION_MAP (self), "call");
  GAction *chat = g_action_map_lookup_action (G_ACTION_MAP (self), "chat");
  GAction *send_file = g_action_map_lookup_action (G_ACTION_MAP (self), "send-file");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (call), *g_strstrip (text) != '\0');
  g_simple_action_set_enabled (G_SIMPLE_ACTION (chat), *text != '\0');
  g_simple_action_set_enabled (G_SIMPLE_ACTION (send_file), *text != '\0');
  gtk_widget_remove_css_class (GTK_WIDGET (self->dial_entry), "error");
}

static void
on_call_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ConfabMainWindow *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->dial_entry));
  g_autofree char *address = confab_uri_normalize (text, NULL);
  g_autoptr (GError) error = NULL;

  if (!address) {
    g_autofree char *message = g_strdup_printf (_("“%s” is not a SIP address or phone number"),
                                                text);

    gtk_widget_add_css_class (GTK_WIDGET (self->dial_entry), "error");
    confab_main_window_add_toast (self, message);
    return;
  }
  confab_main_window_set_dial_address (self, address);
  /* The call's own window opens; only a call that cannot start stays here. */
  if (!confab_application_call (CONFAB_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))),
                                address, &error))
    confab_main_window_add_toast (self, error->message);
}

static void
on_chat_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ConfabMainWindow *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->dial_entry));
  g_autofree char *address = confab_uri_normalize (text, NULL);
  g_autoptr (GError) error = NULL;

  if (!address) {
    g_autofree char *message = g_strdup_printf (_("“%s” is not a SIP address"), text);

    gtk_widget_add_css_class (GTK_WIDGET (self->dial_entry), "error");
    confab_main_window_add_toast (self, message);
    return;
  }
  confab_main_window_set_dial_address (self, address);
  /* The chat's own window opens; only a chat that cannot start stays here. */
  if (!confab_application_chat (CONFAB_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))),
                                address, &error))
    confab_main_window_add_toast (self, error->message);
}

static void
on_file_chosen (GtkNativeDialog  *chooser,
                int               response,
                ConfabMainWindow *self)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->file_chooser);
  /* The file's own window opens; only a file that cannot go stays here. */
  if (file && self->send_to && CONFAB_IS_APPLICATION (app) &&
      !confab_application_send_file (CONFAB_APPLICATION (app), self->send_to, file, &error))
    confab_main_window_add_toast (self, error->message);
  g_clear_pointer (&self->send_to, g_free);
}

static void
on_send_file_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  ConfabMainWindow *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->dial_entry));
  g_autofree char *address = confab_uri_normalize (text, NULL);
  g_autofree char *title = NULL;

  if (!address) {
    g_autofree char *message = g_strdup_printf (_("“%s” is not a SIP address"), text);

    gtk_widget_add_css_class (GTK_WIDGET (self->dial_entry), "error");
    confab_main_window_add_toast (self, message);
    return;
  }
  confab_main_window_set_dial_address (self, address);
  g_free (self->send_to);
  self->send_to = g_steal_pointer (&address);
  if (self->file_chooser) {
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
    return;
  }
  /* Translators: the title of the file chooser; %s is a SIP address */
  title = g_strdup_printf (_("Send a File to %s"), self->send_to);
  self->file_chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                                    GTK_FILE_CHOOSER_ACTION_OPEN, _("_Send"),
                                                    _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->file_chooser), TRUE);
  g_signal_connect_object (self->file_chooser, "response", G_CALLBACK (on_file_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
}

static void
on_focus_dial_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  ConfabMainWindow *self = user_data;

  gtk_widget_grab_focus (GTK_WIDGET (self->dial_entry));
}

static const GActionEntry win_actions[] = {
  { "call", on_call_activated, NULL, NULL, NULL, { 0 } },
  { "chat", on_chat_activated, NULL, NULL, NULL, { 0 } },
  { "send-file", on_send_file_activated, NULL, NULL, NULL, { 0 } },
  { "focus-dial", on_focus_dial_activated, NULL, NULL, NULL, { 0 } },
};

static void
save_window_state (ConfabMainWindow *self)
{
  int width, height;

  if (!self->settings)
    return;
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (gtk_window_is_maximized (GTK_WINDOW (self)))
    return;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0) {
    g_settings_set_int (self->settings, "window-width", width);
    g_settings_set_int (self->settings, "window-height", height);
  }
}

static gboolean
confab_main_window_close_request (GtkWindow *window)
{
  save_window_state (CONFAB_MAIN_WINDOW (window));
  return GTK_WINDOW_CLASS (confab_main_window_parent_class)->close_request (window);
}

static void
confab_main_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ConfabMainWindow *self = CONFAB_MAIN_WINDOW (object);

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
confab_main_window_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ConfabMainWindow *self = CONFAB_MAIN_WINDOW (object);

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
confab_main_window_constructed (GObject *object)
{
  ConfabMainWindow *self = CONFAB_MAIN_WINDOW (object);
  g_autoptr (GListStore) models = g_list_store_new (G_TYPE_LIST_MODEL);
  g_autoptr (GtkFlattenListModel) accounts = NULL;

  G_OBJECT_CLASS (confab_main_window_parent_class)->constructed (object);

  g_assert (CONFAB_IS_ACCOUNT_MANAGER (self->manager));

  if (self->settings) {
    gtk_window_set_default_size (GTK_WINDOW (self),
                                 g_settings_get_int (self->settings, "window-width"),
                                 g_settings_get_int (self->settings, "window-height"));
    if (g_settings_get_boolean (self->settings, "window-maximized"))
      gtk_window_maximize (GTK_WINDOW (self));
  }

  /* One list: the local account, then the provider accounts. */
  g_list_store_append (models, self->local_store);
  g_list_store_append (models, self->manager);
  accounts = gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&models)));
  gtk_list_box_bind_model (self->account_list, G_LIST_MODEL (accounts), create_account_row,
                           self, NULL);

  g_signal_connect_object (self->manager, "notify::local-account",
                           G_CALLBACK (on_local_account_changed), self, 0);
  g_signal_connect_object (self->manager, "items-changed",
                           G_CALLBACK (on_accounts_changed), self, 0);
  update_local_account (self);
  update_empty_state (self);
  on_dial_entry_changed (self);
}

static void
confab_main_window_dispose (GObject *object)
{
  ConfabMainWindow *self = CONFAB_MAIN_WINDOW (object);

  if (self->file_chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);
  g_clear_pointer (&self->send_to, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_MAIN_WINDOW);
  g_clear_object (&self->local_store);
  g_clear_object (&self->manager);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (confab_main_window_parent_class)->dispose (object);
}

static void
confab_main_window_class_init (ConfabMainWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = confab_main_window_get_property;
  object_class->set_property = confab_main_window_set_property;
  object_class->constructed = confab_main_window_constructed;
  object_class->dispose = confab_main_window_dispose;
  window_class->close_request = confab_main_window_close_request;

  props[PROP_ACCOUNT_MANAGER] =
    g_param_spec_object ("account-manager", NULL, NULL, CONFAB_TYPE_ACCOUNT_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/confab/Confab/confab-main-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabMainWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ConfabMainWindow, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, ConfabMainWindow, dial_entry);
  gtk_widget_class_bind_template_child (widget_class, ConfabMainWindow, account_list);
  gtk_widget_class_bind_template_child (widget_class, ConfabMainWindow, empty_state);
  gtk_widget_class_bind_template_callback (widget_class, on_dial_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_dial_entry_changed);
}

static void
confab_main_window_init (ConfabMainWindow *self)
{
  self->local_store = g_list_store_new (CONFAB_TYPE_ACCOUNT);

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);
  gtk_widget_init_template (GTK_WIDGET (self));
}

ConfabMainWindow *
confab_main_window_new (GtkApplication       *application,
                        ConfabAccountManager *manager,
                        GSettings            *settings)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT_MANAGER (manager), NULL);
  g_return_val_if_fail (!settings || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CONFAB_TYPE_MAIN_WINDOW,
                       "application", application,
                       "account-manager", manager,
                       "settings", settings,
                       NULL);
}

/**
 * confab_main_window_set_dial_address:
 * @address: (nullable): what to put in the dial entry
 */
void
confab_main_window_set_dial_address (ConfabMainWindow *self,
                                     const char       *address)
{
  g_return_if_fail (CONFAB_IS_MAIN_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->dial_entry), address ? address : "");
  gtk_editable_set_position (GTK_EDITABLE (self->dial_entry), -1);
}

const char *
confab_main_window_get_dial_address (ConfabMainWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_MAIN_WINDOW (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->dial_entry));
}

void
confab_main_window_add_toast (ConfabMainWindow *self,
                              const char       *message)
{
  AdwToast *toast;

  g_return_if_fail (CONFAB_IS_MAIN_WINDOW (self));
  g_return_if_fail (message != NULL);

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * confab_main_window_get_account_list:
 *
 * Returns: (transfer none): the "Your addresses" list: the local account's
 *   row first, then one #ConfabAccountRow per provider account
 */
GtkListBox *
confab_main_window_get_account_list (ConfabMainWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_MAIN_WINDOW (self), NULL);
  return self->account_list;
}

/**
 * confab_main_window_get_empty_state:
 *
 * Returns: (transfer none): the status page shown while there is no
 *   provider account
 */
GtkWidget *
confab_main_window_get_empty_state (ConfabMainWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_MAIN_WINDOW (self), NULL);
  return GTK_WIDGET (self->empty_state);
}
