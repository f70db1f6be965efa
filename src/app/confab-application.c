/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-application-private.h"
#include "confab-account-restart.h"
#include "confab-preferences-window.h"
#include "confab-resources.h"

#include <glib/gi18n.h>

#include <stdlib.h>

/* The application: one instance per session (D-Bus activatable). It owns the
 * SIP engine, the accounts and the sessions (confab-application-calls.c),
 * keeps the local account in step with GSettings, and opens sip:, sips: and
 * tel: links in the main window. */

#define SHUTDOWN_BOUND_MS     5000
#define LOCAL_SETTINGS_DELAY  500

G_DEFINE_FINAL_TYPE (ConfabApplication, confab_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SECRET_STORE,
  PROP_CONFIG_PATH,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
show_startup_errors (ConfabApplication *self,
                     GtkWindow         *parent)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (self->errors_shown || (!self->load_error && !self->engine_error))
    return;
  self->errors_shown = TRUE;

  if (self->engine_error) {
    body = g_strdup_printf (_("Confab could not start its SIP engine: %s\n\n"
                              "You cannot call or be called until this is solved. "
                              "Check that the network is available and restart Confab."),
                            self->engine_error->message);
    dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("SIP is not available"),
                                                         body));
  } else {
    body = g_strdup_printf (_("%s\n\nConfab leaves the file as it is and starts without your "
                              "provider accounts. Correct the file or move it away, then "
                              "start Confab again."),
                            self->load_error->message);
    dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent,
                                                         _("Your accounts could not be read"),
                                                         body));
  }
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
show_startup_errors_idle (gpointer user_data)
{
  ConfabApplication *self = user_data;
  ConfabMainWindow *window = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next) {
    if (CONFAB_IS_MAIN_WINDOW (l->data))
      window = l->data;
  }
  if (window)
    show_startup_errors (self, GTK_WINDOW (window));
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Once the main window is on screen, so that the dialog stacks above it
 * even without a window manager (as under Xvfb). */
static void
on_main_window_mapped (GtkWidget         *window,
                       ConfabApplication *self)
{
  g_signal_handlers_disconnect_by_func (window, on_main_window_mapped, self);
  g_idle_add_full (G_PRIORITY_LOW, show_startup_errors_idle, g_object_ref (self), NULL);
}

static void
apply_local_settings (ConfabApplication *self)
{
  g_autofree char *username = g_settings_get_string (self->settings, "local-username");
  int port = g_settings_get_int (self->settings, "local-port");
  g_autoptr (ConfabAccount) wanted = confab_account_new_local (username, (guint) CLAMP (port, 0, 65535));
  gboolean changed = FALSE;

  if (g_strcmp0 (confab_account_get_address (wanted),
                 confab_account_get_address (self->local_account)) != 0) {
    confab_account_set_address (self->local_account, confab_account_get_address (wanted));
    changed = TRUE;
  }
  if (confab_account_get_local_port (wanted) != confab_account_get_local_port (self->local_account)) {
    confab_account_set_local_port (self->local_account, confab_account_get_local_port (wanted));
    changed = TRUE;
  }
  if (changed)
    confab_account_restart (self->manager, self->local_account);
}

static gboolean
on_local_settings_timeout (gpointer user_data)
{
  ConfabApplication *self = user_data;

  self->local_settings_id = 0;
  apply_local_settings (self);
  return G_SOURCE_REMOVE;
}

/* A port typed digit by digit or a name being edited would restart the
 * account on every change; wait until it settles. */
static void
on_local_settings_changed (GSettings         *settings,
                           const char        *key,
                           ConfabApplication *self)
{
  g_clear_handle_id (&self->local_settings_id, g_source_remove);
  self->local_settings_id = g_timeout_add (LOCAL_SETTINGS_DELAY, on_local_settings_timeout, self);
}

static void
setup_local_account (ConfabApplication *self)
{
  g_autofree char *username = g_settings_get_string (self->settings, "local-username");
  int port = g_settings_get_int (self->settings, "local-port");

  self->local_account = confab_account_new_local (username, (guint) CLAMP (port, 0, 65535));
  g_settings_bind (self->settings, "local-account-enabled", self->local_account, "enabled",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::local-username",
                           G_CALLBACK (on_local_settings_changed), self, 0);
  g_signal_connect_object (self->settings, "changed::local-port",
                           G_CALLBACK (on_local_settings_changed), self, 0);
  confab_account_manager_set_local_account (self->manager, self->local_account);
}

static void
on_preferences_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  confab_application_show_preferences (CONFAB_APPLICATION (user_data));
}

static void
on_add_account_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  GtkWindow *preferences = confab_application_show_preferences (CONFAB_APPLICATION (user_data));

  confab_preferences_window_edit_account (CONFAB_PREFERENCES_WINDOW (preferences), NULL);
}

static void
on_about_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  ConfabApplication *self = user_data;
  const char *developers[] = { "The Confab developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", confab_application_get_main_window (self),
                        "application", self,
                        "modal", TRUE,
                        "application-name", _("Confab"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", "The Confab developers",
                        "developers", developers,
                        "website", "https://confab.example.org",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Confab developers",
                        /* Translators: your name and address, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_quit_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows;
  GtkWindow *main_window = NULL;

  /* Dialogs first, then the main window, which saves its size on closing.
   * A dialog still referenced (say, by the key press that quits) would
   * otherwise outlive its parent and, when finalized, unhook itself from a
   * freed window: GTK 4.8 drops the transient parent only then. */
  windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (app)),
                              (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  for (GList *l = windows; l; l = l->next) {
    if (CONFAB_IS_MAIN_WINDOW (l->data)) {
      main_window = l->data;
    } else if (!gtk_widget_in_destruction (l->data)) {
      gtk_window_set_transient_for (l->data, NULL);
      gtk_window_destroy (l->data);
    }
  }
  if (main_window)
    gtk_window_close (main_window);
  g_list_free_full (windows, g_object_unref);
  g_application_quit (app);
}

static const GActionEntry app_actions[] = {
  { "preferences", on_preferences_activated, NULL, NULL, NULL, { 0 } },
  { "add-account", on_add_account_activated, NULL, NULL, NULL, { 0 } },
  { "about", on_about_activated, NULL, NULL, NULL, { 0 } },
  { "quit", on_quit_activated, NULL, NULL, NULL, { 0 } },
};

static void
confab_application_startup (GApplication *app)
{
  ConfabApplication *self = CONFAB_APPLICATION (app);
  const char *bind_address = g_getenv ("CONFAB_BIND_ADDRESS");
  g_autoptr (GError) schema_error = NULL;
  g_autoptr (ConfabSecretStore) secrets = NULL;
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *focus_dial_accels[] = { "<Control>l", NULL };

  G_APPLICATION_CLASS (confab_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.focus-dial",
                                         focus_dial_accels);

  /* main() checks this before it gets here; tests and embedders may not. */
  if (!confab_application_check_settings_schema (&schema_error)) {
    g_printerr ("confab: %s\n", schema_error->message);
    exit (EXIT_FAILURE);
  }
  self->settings = g_settings_new (APPLICATION_ID);

  self->engine = confab_engine_new (&self->engine_error);
  if (self->engine && bind_address && *bind_address)
    confab_engine_set_bind_address (self->engine, bind_address);
  if (!self->engine)
    g_warning ("Could not start the SIP engine: %s", self->engine_error->message);

  secrets = self->secrets ? g_object_ref (self->secrets) : confab_libsecret_store_new ();
  self->manager = confab_account_manager_new (self->engine, secrets, self->config_path);

  if (!confab_account_manager_load (self->manager, &self->load_error)) {
    /* Adding an account would save over the file the user may still want. */
    g_warning ("%s", self->load_error->message);
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                              "add-account")),
                                 FALSE);
  }

  setup_local_account (self);
  _confab_application_startup_calls (self);
  _confab_application_startup_files (self);
  _confab_application_startup_conference (self);
  confab_account_manager_set_online (self->manager, TRUE);
}

static void
confab_application_shutdown (GApplication *app)
{
  ConfabApplication *self = CONFAB_APPLICATION (app);

  g_clear_handle_id (&self->local_settings_id, g_source_remove);
  _confab_application_shutdown_files (self);
  _confab_application_shutdown_calls (self);
  if (self->manager)
    confab_account_manager_set_online (self->manager, FALSE);
  /* Un-REGISTERs every account, bounded so that a dead registrar cannot
   * keep Confab from quitting. */
  if (self->engine && !confab_engine_shutdown (self->engine, SHUTDOWN_BOUND_MS))
    g_message ("Some accounts did not sign off within %u ms", SHUTDOWN_BOUND_MS);

  G_APPLICATION_CLASS (confab_application_parent_class)->shutdown (app);
}

static void
confab_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (confab_application_get_main_window (CONFAB_APPLICATION (app))));
}

static void
confab_application_open (GApplication  *app,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  ConfabApplication *self = CONFAB_APPLICATION (app);
  ConfabMainWindow *window = confab_application_get_main_window (self);

  for (int i = 0; i < n_files; i++) {
    g_autofree char *uri = g_file_get_uri (files[i]);
    g_autofree char *address = NULL;

    if (g_file_has_uri_scheme (files[i], "sip") || g_file_has_uri_scheme (files[i], "sips") ||
        g_file_has_uri_scheme (files[i], "tel"))
      address = confab_uri_normalize (uri, NULL);

    if (address) {
      confab_main_window_set_dial_address (window, address);
    } else {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a SIP address or phone number"),
                                                  uri);

      confab_main_window_add_toast (window, message);
    }
  }
  gtk_window_present (GTK_WINDOW (window));
}

static void
confab_application_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ConfabApplication *self = CONFAB_APPLICATION (object);

  switch (prop_id) {
  case PROP_SECRET_STORE:
    g_value_set_object (value, self->secrets);
    break;
  case PROP_CONFIG_PATH:
    g_value_set_string (value, self->config_path);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_application_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ConfabApplication *self = CONFAB_APPLICATION (object);

  switch (prop_id) {
  case PROP_SECRET_STORE:
    self->secrets = g_value_dup_object (value);
    break;
  case PROP_CONFIG_PATH:
    self->config_path = g_value_dup_string (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_application_dispose (GObject *object)
{
  ConfabApplication *self = CONFAB_APPLICATION (object);

  g_clear_handle_id (&self->local_settings_id, g_source_remove);
  g_clear_weak_pointer (&self->preferences);
  g_clear_weak_pointer (&self->transfers_window);
  g_clear_weak_pointer (&self->join_dialog);
  g_clear_object (&self->transfers);
  g_clear_object (&self->ringtone);
  g_clear_object (&self->history);
  g_clear_object (&self->sessions);
  g_clear_object (&self->local_account);
  g_clear_object (&self->manager);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (confab_application_parent_class)->dispose (object);
}

static void
confab_application_finalize (GObject *object)
{
  ConfabApplication *self = CONFAB_APPLICATION (object);

  g_clear_error (&self->load_error);
  g_clear_error (&self->engine_error);
  g_free (self->config_path);

  G_OBJECT_CLASS (confab_application_parent_class)->finalize (object);
}

static void
confab_application_class_init (ConfabApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->get_property = confab_application_get_property;
  object_class->set_property = confab_application_set_property;
  object_class->dispose = confab_application_dispose;
  object_class->finalize = confab_application_finalize;

  app_class->startup = confab_application_startup;
  app_class->shutdown = confab_application_shutdown;
  app_class->activate = confab_application_activate;
  app_class->open = confab_application_open;

  /**
   * ConfabApplication:secret-store:
   *
   * Where passwords live; %NULL for the Secret Service. Tests pass an
   * in-memory store.
   */
  props[PROP_SECRET_STORE] =
    g_param_spec_object ("secret-store", NULL, NULL, CONFAB_TYPE_SECRET_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ConfabApplication:config-path:
   *
   * The accounts file; %NULL for $XDG_CONFIG_HOME/confab/accounts.json.
   */
  props[PROP_CONFIG_PATH] =
    g_param_spec_string ("config-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* The resources live in a static library; naming them here keeps the
   * linker from dropping the object that registers them. */
  (void) confab_get_resource ();
}

static void
confab_application_init (ConfabApplication *self)
{
}

ConfabApplication *
confab_application_new (void)
{
  return g_object_new (CONFAB_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/confab/Confab",
                       NULL);
}

/**
 * confab_application_new_for_testing:
 * @secrets: (nullable): the password store; %NULL for an in-memory one
 * @config_path: (nullable): the accounts file
 *
 * An application that does not talk to the session's Secret Service and
 * does not claim the bus name, so that tests can run it in-process.
 */
ConfabApplication *
confab_application_new_for_testing (ConfabSecretStore *secrets,
                                    const char        *config_path)
{
  g_autoptr (ConfabSecretStore) memory = NULL;

  if (!secrets)
    secrets = memory = confab_memory_secret_store_new ();
  return g_object_new (CONFAB_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/org/confab/Confab",
                       "secret-store", secrets,
                       "config-path", config_path,
                       NULL);
}

/**
 * confab_application_check_settings_schema:
 *
 * Returns: %TRUE when the org.confab.Confab schema is installed (or found
 *   through GSETTINGS_SCHEMA_DIR); otherwise an error saying what to do
 */
gboolean
confab_application_check_settings_schema (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (!schema) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("The settings schema %s is not installed. Install Confab, or to run it "
                   "from the build directory set GSETTINGS_SCHEMA_DIR to <builddir>/data."),
                 APPLICATION_ID);
    return FALSE;
  }
  return TRUE;
}

/**
 * confab_application_get_account_manager:
 *
 * Returns: (transfer none) (nullable): the accounts; %NULL before startup
 */
ConfabAccountManager *
confab_application_get_account_manager (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  return self->manager;
}

/**
 * confab_application_get_engine:
 *
 * Returns: (transfer none) (nullable): the SIP engine; %NULL before startup
 *   or when it could not start
 */
ConfabEngine *
confab_application_get_engine (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  return self->engine;
}

/**
 * confab_application_get_settings:
 *
 * Returns: (transfer none) (nullable): org.confab.Confab; %NULL before startup
 */
GSettings *
confab_application_get_settings (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  return self->settings;
}

/**
 * confab_application_get_load_error:
 *
 * Returns: (transfer none) (nullable): why accounts.json could not be read
 */
const GError *
confab_application_get_load_error (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  return self->load_error;
}

/**
 * confab_application_get_main_window:
 *
 * Returns: (transfer none): the main window, created when there is none
 */
ConfabMainWindow *
confab_application_get_main_window (ConfabApplication *self)
{
  ConfabMainWindow *window = NULL;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (self->manager != NULL, NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next) {
    if (CONFAB_IS_MAIN_WINDOW (l->data)) {
      window = l->data;
      break;
    }
  }
  if (!window) {
    window = confab_main_window_new (GTK_APPLICATION (self), self->manager, self->settings);
    if ((self->load_error || self->engine_error) && !self->errors_shown)
      g_signal_connect_object (window, "map", G_CALLBACK (on_main_window_mapped), self,
                               G_CONNECT_AFTER);
  }
  return window;
}

/**
 * confab_application_get_preferences_window:
 *
 * Returns: (transfer none) (nullable): the open preferences window
 */
GtkWindow *
confab_application_get_preferences_window (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  return self->preferences;
}

/**
 * confab_application_show_preferences:
 *
 * Presents the preferences window, opening it when needed.
 *
 * Returns: (transfer none): the window
 */
GtkWindow *
confab_application_show_preferences (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (self->manager != NULL, NULL);

  if (!self->preferences) {
    GtkWindow *window = GTK_WINDOW (confab_preferences_window_new (self->manager,
                                                                   self->settings));

    gtk_window_set_transient_for (window,
                                  GTK_WINDOW (confab_application_get_main_window (self)));
    gtk_window_set_application (window, GTK_APPLICATION (self));
    g_set_weak_pointer (&self->preferences, window);
  }
  gtk_window_present (self->preferences);
  return self->preferences;
}
