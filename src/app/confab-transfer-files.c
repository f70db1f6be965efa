/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-transfer-files.h"

#include <glib/gi18n.h>

#include <string.h>

/* What the transfer lists do with files and transfers: a symbolic icon for
 * a type; opening a file or showing it in the file manager, with failures
 * told in the window's toast overlay; this run's list of transfers; which
 * transfers are over for good (and which can still be resumed, by us or by
 * the other side); and Retry and Resume, whose new transfer takes the
 * place of the one it continues. */

#define SESSION_KEY   "confab-transfer-session"
#define CONTINUES_KEY "confab-transfer-continues" /* GPtrArray of ConfabHistoryTransfer */
#define CONTINUED_KEY "confab-transfer-continued" /* GWeakRef to the stream going on */
#define HASH_PREFIX   "sha-1:"

static void
add_toast_to (GtkWidget  *widget,
              const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (!overlay) {
    g_message ("%s", message);
    return;
  }
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/**
 * confab_transfer_dup_type_icon:
 * @content_type: a content type, like "application/pdf"
 *
 * Returns: (transfer full): a symbolic icon for @content_type; the icon
 *   theme lacks many, and a coloured one would stand out in a list of
 *   symbolic ones, so the generic document's stands in
 */
GIcon *
confab_transfer_dup_type_icon (const char *content_type)
{
  g_autoptr (GIcon) icon = g_content_type_get_symbolic_icon (content_type);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  if (G_IS_THEMED_ICON (icon)) {
    const char * const *all = g_themed_icon_get_names (G_THEMED_ICON (icon));

    for (; all && *all; all++) {
      if (g_str_has_suffix (*all, "-symbolic"))
        g_ptr_array_add (names, (gpointer) *all);
    }
  }
  g_ptr_array_add (names, "text-x-generic-symbolic");
  return g_themed_icon_new_from_names ((char **) names->pdata, (int) names->len);
}

typedef struct
{
  GtkWidget *widget;
  GFile     *file;
} FileRequest;

static FileRequest *
file_request_new (GtkWidget *widget,
                  GFile     *file)
{
  FileRequest *request = g_new0 (FileRequest, 1);

  request->widget = g_object_ref (widget);
  request->file = g_object_ref (file);
  return request;
}

static void
file_request_free (FileRequest *request)
{
  g_object_unref (request->widget);
  g_object_unref (request->file);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileRequest, file_request_free)

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (FileRequest) request = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error)) {
    g_autofree char *name = g_file_get_basename (request->file);
    /* Translators: a file name, then why it could not be opened */
    g_autofree char *message = g_strdup_printf (_("“%s” could not be opened: %s"), name,
                                                error->message);

    add_toast_to (request->widget, message);
  }
}

/**
 * confab_transfer_open_file:
 * @widget: where to report a failure (in its window's toast overlay)
 *
 * Opens @file with its default application.
 */
void
confab_transfer_open_file (GtkWidget *widget,
                           GFile     *file)
{
  g_autofree char *uri = NULL;
  g_autoptr (GdkAppLaunchContext) context = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_FILE (file));

  uri = g_file_get_uri (file);
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (widget));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, on_launched,
                                           file_request_new (widget, file));
}

/* Without a file manager that shows a file selected, the folder opens. */
static void
show_folder (FileRequest *request)
{
  g_autoptr (GFile) folder = g_file_get_parent (request->file);
  g_autofree char *uri = folder ? g_file_get_uri (folder) : NULL;
  GtkRoot *root = gtk_widget_get_root (request->widget);

  if (uri)
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
on_show_items_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (FileRequest) request = user_data;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply)
    return;
  g_debug ("FileManager1.ShowItems failed, opening the folder: %s", error->message);
  show_folder (request);
}

static void
on_bus (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr (FileRequest) request = user_data;
  g_autoptr (GDBusConnection) bus = g_bus_get_finish (result, NULL);
  g_autofree char *uri = g_file_get_uri (request->file);
  const char *uris[] = { uri, NULL };

  if (!bus) {
    show_folder (request);
    return;
  }
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                          NULL, on_show_items_done, g_steal_pointer (&request));
}

/**
 * confab_transfer_show_in_folder:
 * @widget: the widget asking (its window is the file manager's parent)
 *
 * Shows @file selected in the file manager (org.freedesktop.FileManager1),
 * or else opens its folder.
 */
void
confab_transfer_show_in_folder (GtkWidget *widget,
                                GFile     *file)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_FILE (file));

  g_bus_get (G_BUS_TYPE_SESSION, NULL, on_bus, file_request_new (widget, file));
}

/* This run's list */

/**
 * confab_transfer_list_add:
 *
 * Puts @stream at the top of @list, keeping @session with it.
 */
void
confab_transfer_list_add (GListStore               *list,
                          ConfabSession            *session,
                          ConfabFileTransferStream *stream)
{
  g_return_if_fail (G_IS_LIST_STORE (list));
  g_return_if_fail (CONFAB_IS_SESSION (session));
  g_return_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (stream));

  /* The session holds the stream: the reference is dropped when the
   * stream leaves the list. */
  g_object_set_data_full (G_OBJECT (stream), SESSION_KEY, g_object_ref (session), g_object_unref);
  g_list_store_insert (list, 0, stream);
}

void
confab_transfer_list_remove (GListStore               *list,
                             ConfabFileTransferStream *stream)
{
  g_autoptr (ConfabFileTransferStream) held = NULL;
  guint position;

  g_return_if_fail (G_IS_LIST_STORE (list));
  g_return_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (stream));

  if (!g_list_store_find (list, stream, &position))
    return;
  held = g_object_ref (stream);
  g_list_store_remove (list, position);
  g_object_set_data (G_OBJECT (held), SESSION_KEY, NULL);
}

void
confab_transfer_list_clear (GListStore *list)
{
  guint n;

  g_return_if_fail (G_IS_LIST_STORE (list));

  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  for (guint i = 0; i < n; i++) {
    g_autoptr (GObject) stream = g_list_model_get_item (G_LIST_MODEL (list), i);

    g_object_set_data (stream, SESSION_KEY, NULL);
  }
  g_list_store_remove_all (list);
}

/**
 * confab_transfer_get_session:
 *
 * Returns: (transfer none) (nullable): the session @stream came in, while
 *   @stream is on this run's list
 */
ConfabSession *
confab_transfer_get_session (ConfabFileTransferStream *stream)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (stream), NULL);
  return g_object_get_data (G_OBJECT (stream), SESSION_KEY);
}

/* Over for good */

static gboolean
is_running_state (const char *state)
{
  return !state || g_str_equal (state, "hashing") || g_str_equal (state, "waiting") ||
         g_str_equal (state, "transferring") || g_str_equal (state, "verifying");
}

/* The core says this when we cancelled; the history keeps the words as
 * they were then. */
static gboolean
is_cancelled_by_us (const char *reason)
{
  return g_strcmp0 (reason, "Cancelled") == 0 || g_strcmp0 (reason, _("Cancelled")) == 0;
}

gboolean
confab_transfer_is_done (ConfabFileTransferStream *stream,
                         ConfabSession            *session)
{
  ConfabFileTransferState state;
  gboolean ended;
  GFile *file;

  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (stream), FALSE);
  g_return_val_if_fail (!session || CONFAB_IS_SESSION (session), FALSE);

  state = confab_file_transfer_stream_get_transfer_state (stream);
  ended = session && confab_session_get_state (session) == CONFAB_SESSION_STATE_TERMINATED;
  if (state == CONFAB_FILE_TRANSFER_STATE_COMPLETED)
    return TRUE;
  if (state < CONFAB_FILE_TRANSFER_STATE_COMPLETED && !ended)
    return FALSE;
  /* A download: over unless its .part waits for a resume. */
  if (confab_file_transfer_stream_get_direction (stream) == CONFAB_FILE_TRANSFER_INCOMING) {
    file = confab_file_transfer_stream_get_file (stream);
    return !file || !g_file_query_exists (file, NULL);
  }
  /* A send: declined, or cancelled here, is a decision; one that failed
   * is retried, and the other side may pull the rest of it from us. */
  if (session && confab_session_get_established_time (session) == 0 &&
      confab_session_get_end_status (session) == 603)
    return TRUE;
  return state == CONFAB_FILE_TRANSFER_STATE_CANCELLED &&
         is_cancelled_by_us (confab_file_transfer_stream_get_error_message (stream));
}

gboolean
confab_transfer_history_is_done (const ConfabHistoryTransfer *transfer)
{
  g_return_val_if_fail (transfer != NULL, FALSE);

  /* Another Confab using the same history may be on it. */
  if (is_running_state (transfer->state))
    return FALSE;
  if (g_str_equal (transfer->state, "completed"))
    return TRUE;
  if (transfer->incoming)
    return !transfer->path || !g_file_test (transfer->path, G_FILE_TEST_IS_REGULAR);
  /* The other side got nothing to resume, or we cancelled; else it may
   * still pull the rest, which this row answers. */
  return transfer->bytes == 0 || is_cancelled_by_us (transfer->error);
}

gboolean
confab_transfer_history_can_resume (const ConfabHistoryTransfer *transfer)
{
  g_return_val_if_fail (transfer != NULL, FALSE);

  return transfer->incoming && !is_running_state (transfer->state) &&
         !g_str_equal (transfer->state, "completed") && transfer->hash && transfer->remote_uri &&
         !confab_transfer_history_is_done (transfer);
}

gboolean
confab_transfer_history_can_retry (const ConfabHistoryTransfer *transfer)
{
  g_return_val_if_fail (transfer != NULL, FALSE);

  return !transfer->incoming && !is_running_state (transfer->state) &&
         !g_str_equal (transfer->state, "completed") && transfer->remote_uri && transfer->path &&
         g_file_test (transfer->path, G_FILE_TEST_IS_REGULAR);
}

/* Continuations */

static ConfabHistoryTransfer *
dup_identity (ConfabFileTransferStream *stream)
{
  ConfabHistoryTransfer *identity = g_new0 (ConfabHistoryTransfer, 1);
  ConfabSession *session = confab_transfer_get_session (stream);
  const ConfabFileSelector *selector = confab_file_transfer_stream_get_selector (stream);

  identity->transfer_id = g_strdup (confab_file_transfer_stream_get_transfer_id (stream));
  identity->session_id = session ? g_strdup (confab_session_get_id (session)) : NULL;
  identity->name = selector ? g_strdup (selector->name) : NULL;
  return identity;
}

/* As the session manager records a transfer: its id, else its session and
 * name; or the row itself, for a resume of an earlier one. */
static gboolean
identity_matches (const ConfabHistoryTransfer *identity,
                  const ConfabHistoryTransfer *transfer)
{
  gboolean same_session = !transfer->session_id || !identity->session_id ||
                          g_strcmp0 (transfer->session_id, identity->session_id) == 0;

  if (identity->row_id > 0)
    return identity->row_id == transfer->row_id;
  if (transfer->transfer_id && g_strcmp0 (transfer->transfer_id, identity->transfer_id) == 0 &&
      same_session)
    return TRUE;
  /* A peer that gave no transfer id: the session and the name tell. */
  return !transfer->transfer_id && transfer->session_id && identity->session_id && same_session &&
         identity->name && g_strcmp0 (transfer->name, identity->name) == 0;
}

gboolean
confab_transfer_is_recorded_as (ConfabFileTransferStream    *stream,
                                const ConfabHistoryTransfer *transfer)
{
  g_autoptr (ConfabHistoryTransfer) identity = NULL;
  GPtrArray *continues;

  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (stream), FALSE);
  g_return_val_if_fail (transfer != NULL, FALSE);

  identity = dup_identity (stream);
  if (identity_matches (identity, transfer))
    return TRUE;
  continues = g_object_get_data (G_OBJECT (stream), CONTINUES_KEY);
  for (guint i = 0; continues && i < continues->len; i++) {
    if (identity_matches (g_ptr_array_index (continues, i), transfer))
      return TRUE;
  }
  return FALSE;
}

static GWeakRef *
weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

/* @session's transfer goes on where @stream (or the history's @transfer)
 * stopped: it takes its place on the list, and its history row no longer
 * shows among the earlier ones. */
static void
continue_in (ConfabApplication           *app,
             ConfabSession               *session,
             ConfabFileTransferStream    *stream,
             const ConfabHistoryTransfer *transfer)
{
  ConfabStream *next = confab_session_find_stream (session, CONFAB_TYPE_FILE_TRANSFER_STREAM);
  GListModel *list = confab_application_get_transfers (app);
  GPtrArray *continues;

  if (!next)
    return;
  continues = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_history_transfer_free);
  if (stream) {
    GPtrArray *earlier = g_object_get_data (G_OBJECT (stream), CONTINUES_KEY);

    for (guint i = 0; earlier && i < earlier->len; i++)
      g_ptr_array_add (continues, confab_history_transfer_copy (g_ptr_array_index (earlier, i)));
    g_ptr_array_add (continues, dup_identity (stream));
  }
  if (transfer)
    g_ptr_array_add (continues, confab_history_transfer_copy (transfer));
  g_object_set_data_full (G_OBJECT (next), CONTINUES_KEY, continues,
                          (GDestroyNotify) g_ptr_array_unref);
  if (!stream)
    return;
  g_object_set_data_full (G_OBJECT (stream), CONTINUED_KEY, weak_ref_new (next),
                          (GDestroyNotify) weak_ref_free);
  if (G_IS_LIST_STORE (list))
    confab_transfer_list_remove (G_LIST_STORE (list), stream);
}

/**
 * confab_transfer_get_continuation:
 *
 * Returns: (transfer full) (nullable): the transfer that went on where
 *   @stream stopped (Retry, Resume), while there is one
 */
ConfabFileTransferStream *
confab_transfer_get_continuation (ConfabFileTransferStream *stream)
{
  GWeakRef *next;

  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (stream), NULL);

  next = g_object_get_data (G_OBJECT (stream), CONTINUED_KEY);
  return next ? g_weak_ref_get (next) : NULL;
}

/* Retry or Resume once: a second transfer would write the same .part. */
static gboolean
check_not_continued (ConfabFileTransferStream  *stream,
                     GError                   **error)
{
  g_autoptr (ConfabFileTransferStream) next = confab_transfer_get_continuation (stream);

  if (!next || confab_file_transfer_stream_get_transfer_state (next) >
                 CONFAB_FILE_TRANSFER_STATE_COMPLETED)
    return TRUE;
  g_set_error_literal (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                       confab_file_transfer_stream_get_transfer_state (next) ==
                           CONFAB_FILE_TRANSFER_STATE_COMPLETED
                         ? _("The file already went through in a later transfer")
                         : _("A later transfer is already on it"));
  return FALSE;
}

static ConfabSessionManager *
get_manager (ConfabApplication  *app,
             GError            **error)
{
  ConfabSessionManager *manager = confab_application_get_session_manager (app);

  if (!manager)
    g_set_error_literal (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                         _("Confab’s SIP engine is not running. Restart Confab to send files."));
  return manager;
}

/* What Retry and Resume both need: the engine, and @stream not yet
 * continued by another transfer. */
static ConfabSessionManager *
get_manager_to_continue (ConfabApplication         *app,
                         ConfabFileTransferStream  *stream,
                         GError                   **error)
{
  ConfabSessionManager *manager = get_manager (app, error);

  return manager && check_not_continued (stream, error) ? manager : NULL;
}

/**
 * confab_transfer_retry:
 * @stream: a send that stopped
 * @account: the account to send from
 * @peer_uri: whom to send to
 *
 * Sends @stream's file again; the other side continues its .part if it
 * kept one.
 *
 * Returns: (transfer none) (nullable): the new session
 */
ConfabSession *
confab_transfer_retry (ConfabApplication         *app,
                       ConfabFileTransferStream  *stream,
                       ConfabAccount             *account,
                       const char                *peer_uri,
                       GError                   **error)
{
  ConfabSessionManager *manager;
  GFile *file;
  ConfabSession *session;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (stream), NULL);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (peer_uri != NULL, NULL);

  manager = get_manager_to_continue (app, stream, error);
  file = confab_file_transfer_stream_get_file (stream);
  if (!manager)
    return NULL;
  if (!file) {
    g_set_error_literal (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("The file is not known"));
    return NULL;
  }
  session = confab_session_manager_send_file (manager, account, peer_uri, file, error);
  if (session)
    continue_in (app, session, stream, NULL);
  return session;
}

/**
 * confab_transfer_resume:
 * @stream: a download that stopped
 * @account: the account to ask from
 * @peer_uri: the sender
 *
 * Asks the sender for @stream's file by its hash (a pull); the new
 * transfer continues the .part that @stream left.
 *
 * Returns: (transfer none) (nullable): the new session
 */
ConfabSession *
confab_transfer_resume (ConfabApplication         *app,
                        ConfabFileTransferStream  *stream,
                        ConfabAccount             *account,
                        const char                *peer_uri,
                        GError                   **error)
{
  ConfabSessionManager *manager;
  const ConfabFileSelector *selector;
  ConfabSession *session;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (stream), NULL);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (peer_uri != NULL, NULL);

  manager = get_manager_to_continue (app, stream, error);
  selector = confab_file_transfer_stream_get_selector (stream);
  if (!manager)
    return NULL;
  if (!selector || !selector->hash) {
    g_set_error_literal (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                         _("The sender did not say which file it was (no hash)"));
    return NULL;
  }
  session = confab_session_manager_fetch_file (manager, account, peer_uri, selector, error);
  if (session)
    continue_in (app, session, stream, NULL);
  return session;
}

/* The account @transfer went through, else the one for its peer now. */
static ConfabAccount *
find_account (ConfabApplication            *app,
              const ConfabHistoryTransfer  *transfer,
              GError                      **error)
{
  ConfabAccountManager *accounts = confab_application_get_account_manager (app);
  ConfabAccount *account = NULL;

  if (accounts && transfer->local_uri)
    account = confab_account_manager_find (accounts, transfer->local_uri);
  if (!account || !confab_account_is_online (account))
    account = confab_application_pick_account (app, transfer->remote_uri);
  if (!account)
    g_set_error_literal (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                         _("No account is online. Enable the local account or add a provider "
                           "account in Preferences."));
  return account;
}

/**
 * confab_transfer_retry_earlier:
 * @transfer: a send of an earlier run that stopped
 *
 * Like confab_transfer_retry(), from the account that sent it.
 *
 * Returns: (transfer none) (nullable): the new session
 */
ConfabSession *
confab_transfer_retry_earlier (ConfabApplication            *app,
                               const ConfabHistoryTransfer  *transfer,
                               GError                      **error)
{
  ConfabSessionManager *manager;
  ConfabAccount *account;
  ConfabSession *session;
  g_autoptr (GFile) file = NULL;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (transfer != NULL, NULL);

  manager = get_manager (app, error);
  if (!manager)
    return NULL;
  if (!confab_transfer_history_can_retry (transfer)) {
    g_set_error_literal (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                         _("The file is no longer where it was sent from"));
    return NULL;
  }
  account = find_account (app, transfer, error);
  if (!account)
    return NULL;
  file = g_file_new_for_path (transfer->path);
  session = confab_session_manager_send_file (manager, account, transfer->remote_uri, file, error);
  if (session)
    continue_in (app, session, NULL, transfer);
  return session;
}

/**
 * confab_transfer_resume_earlier:
 * @transfer: a download of an earlier run that stopped halfway
 *
 * Like confab_transfer_resume(), from the account that received it.
 *
 * Returns: (transfer none) (nullable): the new session
 */
ConfabSession *
confab_transfer_resume_earlier (ConfabApplication            *app,
                                const ConfabHistoryTransfer  *transfer,
                                GError                      **error)
{
  ConfabSessionManager *manager;
  ConfabAccount *account;
  ConfabSession *session;
  ConfabFileSelector wanted = { 0 };
  const char *hash;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (transfer != NULL, NULL);

  manager = get_manager (app, error);
  if (!manager)
    return NULL;
  if (!confab_transfer_history_can_resume (transfer)) {
    g_set_error_literal (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                         _("The partial file is gone; ask the sender to send it again"));
    return NULL;
  }
  account = find_account (app, transfer, error);
  if (!account)
    return NULL;
  hash = transfer->hash;
  if (g_ascii_strncasecmp (hash, HASH_PREFIX, strlen (HASH_PREFIX)) == 0)
    hash += strlen (HASH_PREFIX);
  wanted.name = transfer->name;
  wanted.type = transfer->content_type;
  wanted.has_size = transfer->size > 0;
  wanted.size = transfer->size;
  wanted.hash = (char *) hash;
  session = confab_session_manager_fetch_file (manager, account, transfer->remote_uri, &wanted,
                                               error);
  if (session)
    continue_in (app, session, NULL, transfer);
  return session;
}
