/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-chat-pane-private.h"
#include "confab-chat-row.h"
#include "confab-chat-text.h"

#include <glib/gi18n.h>

#include <string.h>

/* The chat pane: a virtualised list of the conversation (older messages
 * from the history, a page at a time as the list is scrolled to the top,
 * then the chat stream's own), an "is typing…" line bound to the stream,
 * and a composer where Enter sends and Shift+Enter starts a new line.
 *
 * The list's model is the pane's own store, which mirrors the stream's
 * messages after the history's; GTK 4.8 has no section models, so each
 * row shows the day above itself when it differs from the row above. */

/* How close to an end of the list counts as being there, in pixels. */
#define AT_END_PX 48

G_DEFINE_FINAL_TYPE (ConfabChatPane, confab_chat_pane, GTK_TYPE_WIDGET)

/* Marks the status lines the pane shows that are not the stream's. */
static GQuark
notice_quark (void)
{
  return g_quark_from_static_string ("confab-chat-pane-notice");
}

enum {
  PROP_0,
  PROP_UNREAD_COUNT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

void
_confab_chat_pane_add_toast (ConfabChatPane *self,
                             const char     *message)
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

static GtkAdjustment *
vadjustment (ConfabChatPane *self)
{
  return gtk_scrolled_window_get_vadjustment (self->scrolled_window);
}

/* GTK 4.8's list view estimates its height from the rows it measured;
 * asking it to show the last item fully corrects what the estimate
 * missed, once the rows are laid out. */
static gboolean
on_bottom_idle (gpointer user_data)
{
  ConfabChatPane *self = user_data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  self->bottom_idle_id = 0;
  if (self->stick_to_bottom && n > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n - 1);
  return G_SOURCE_REMOVE;
}

static void
queue_bottom (ConfabChatPane *self)
{
  if (!self->bottom_idle_id)
    self->bottom_idle_id = g_idle_add_full (GTK_PRIORITY_RESIZE + 10, on_bottom_idle, self, NULL);
}

void
_confab_chat_pane_scroll_to_bottom (ConfabChatPane *self)
{
  GtkAdjustment *adjustment = vadjustment (self);

  self->stick_to_bottom = TRUE;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                          gtk_adjustment_get_page_size (adjustment));
  queue_bottom (self);
}

/* Re-inserts the item at @position so that its row is bound again: its
 * neighbour above changed, and with it whether it starts a day. */
static void
rebind_item (ConfabChatPane *self,
             guint           position)
{
  g_autoptr (GObject) item = g_list_model_get_item (G_LIST_MODEL (self->items), position);

  if (item)
    g_list_store_splice (self->items, position, 1, (gpointer *) &item, 1);
}

/* History */

static gboolean
is_shown (ConfabChatPane    *self,
          ConfabChatMessage *message)
{
  return g_list_store_find (self->items, message, NULL);
}

static void
load_older (ConfabChatPane *self)
{
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GPtrArray) fresh = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  gint64 before = 0;

  if (!self->history || !self->conversation || self->history_done)
    return;
  /* Older than the oldest shown that the history knows. */
  for (guint i = 0; i < n && !before; i++) {
    g_autoptr (ConfabChatMessage) shown = g_list_model_get_item (G_LIST_MODEL (self->items), i);

    before = confab_chat_message_get_row_id (shown);
  }
  page = confab_history_load (self->history, self->conversation, before,
                              CONFAB_CHAT_PANE_PAGE_SIZE, &error);
  if (!page) {
    g_warning ("Cannot read the chat history of %s: %s", self->conversation, error->message);
    self->history_done = TRUE;
    return;
  }
  if (page->len < CONFAB_CHAT_PANE_PAGE_SIZE)
    self->history_done = TRUE;
  for (guint i = 0; i < page->len; i++) {
    if (!is_shown (self, page->pdata[i]))
      g_ptr_array_add (fresh, page->pdata[i]);
  }
  if (fresh->len == 0)
    return;
  g_list_store_splice (self->items, 0, 0, fresh->pdata, fresh->len);
  self->n_older += fresh->len;
  if (n > 0)
    rebind_item (self, fresh->len);
}

static gboolean
on_load_idle (gpointer user_data)
{
  ConfabChatPane *self = user_data;

  self->load_idle_id = 0;
  load_older (self);
  return G_SOURCE_REMOVE;
}

/* Scrolling */

static gboolean
at_bottom (ConfabChatPane *self)
{
  GtkAdjustment *adjustment = vadjustment (self);

  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - AT_END_PX;
}

static void
on_scrolled (GtkAdjustment  *adjustment,
             ConfabChatPane *self)
{
  self->stick_to_bottom = at_bottom (self);
  gtk_widget_set_visible (self->jump_button, !self->stick_to_bottom);
  if (!self->history_done && !self->load_idle_id &&
      gtk_adjustment_get_value (adjustment) < AT_END_PX)
    self->load_idle_id = g_idle_add (on_load_idle, self);
}

/* The list grew or the pane was resized: stay at the newest message if
 * that is where the reader was. */
static void
on_scroll_extent (GtkAdjustment  *adjustment,
                  GParamSpec     *pspec,
                  ConfabChatPane *self)
{
  if (!self->stick_to_bottom)
    return;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                          gtk_adjustment_get_page_size (adjustment));
  queue_bottom (self);
}

/* Rows */

static void
on_setup_row (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              ConfabChatPane           *self)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, confab_chat_row_new ());
}

static void
on_bind_row (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             ConfabChatPane           *self)
{
  ConfabChatMessage *message = gtk_list_item_get_item (item);
  ConfabChatRow *row = CONFAB_CHAT_ROW (gtk_list_item_get_child (item));
  guint position = gtk_list_item_get_position (item);
  g_autoptr (ConfabChatMessage) previous = NULL;
  g_autofree char *recipient = _confab_chat_pane_dup_recipient_name (self, message);
  gboolean show_day = TRUE;

  if (position > 0 && position != GTK_INVALID_LIST_POSITION)
    previous = g_list_model_get_item (G_LIST_MODEL (self->items), position - 1);
  if (previous && confab_chat_message_get_timestamp (previous) &&
      confab_chat_message_get_timestamp (message))
    show_day = !confab_chat_text_same_day (confab_chat_message_get_timestamp (previous),
                                           confab_chat_message_get_timestamp (message));
  confab_chat_row_set_recipient_name (row, recipient);
  confab_chat_row_bind (row, message, show_day);
}

static void
on_unbind_row (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               ConfabChatPane           *self)
{
  confab_chat_row_unbind (CONFAB_CHAT_ROW (gtk_list_item_get_child (item)));
}

/* The stream */

static void
on_items_changed (GListModel     *model,
                  guint           position,
                  guint           removed,
                  guint           added,
                  ConfabChatPane *self)
{
  gtk_widget_set_visible (self->empty_page, g_list_model_get_n_items (model) == 0);
}

static gboolean
is_notice (ConfabChatMessage *message)
{
  return g_object_get_qdata (G_OBJECT (message), notice_quark ()) != NULL;
}

/* Where the stream's message at @position is among the items (or would
 * go, past the end): after the history, counting the stream's messages
 * but not the status lines the pane added between them. */
static guint
item_index_of (ConfabChatPane *self,
               guint           position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  guint seen = 0;

  if (!self->n_notices)
    return self->n_older + position;
  for (guint i = self->n_older; i < n; i++) {
    g_autoptr (ConfabChatMessage) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

    if (is_notice (item))
      continue;
    if (seen++ == position)
      return i;
  }
  return n;
}

static void
on_stream_messages_changed (GListModel     *messages,
                            guint           position,
                            guint           removed,
                            guint           added,
                            ConfabChatPane *self)
{
  g_autoptr (GPtrArray) fresh = g_ptr_array_new_full (added, g_object_unref);
  gboolean follow = self->stick_to_bottom;
  guint at;

  for (guint i = 0; i < removed; i++)
    g_list_store_remove (self->items, item_index_of (self, position));
  at = item_index_of (self, position);
  for (guint i = 0; i < added; i++)
    g_ptr_array_add (fresh, g_list_model_get_item (messages, position + i));
  g_list_store_splice (self->items, at, 0, fresh->pdata, added);
  if (at + added < g_list_model_get_n_items (G_LIST_MODEL (self->items)))
    rebind_item (self, at + added);
  if (follow && added)
    _confab_chat_pane_scroll_to_bottom (self);
}

static gboolean
is_seen (ConfabChatPane *self)
{
  return gtk_widget_get_mapped (GTK_WIDGET (self)) && self->window &&
         gtk_window_is_active (self->window);
}

static void
set_unread (ConfabChatPane *self,
            guint           unread)
{
  if (self->unread == unread)
    return;
  self->unread = unread;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_UNREAD_COUNT]);
}

static void
on_message_received (ConfabChatStream  *stream,
                     ConfabChatMessage *message,
                     ConfabChatPane    *self)
{
  if (is_seen (self))
    confab_chat_pane_mark_read (self);
  else
    set_unread (self, self->unread + 1);
}

static void
check_seen (ConfabChatPane *self)
{
  if (self->unread && is_seen (self))
    confab_chat_pane_mark_read (self);
}

static void
on_window_active (GtkWindow      *window,
                  GParamSpec     *pspec,
                  ConfabChatPane *self)
{
  check_seen (self);
}

static void
update_typing (ConfabChatPane *self)
{
  gboolean typing = self->stream && confab_chat_stream_get_remote_composing (self->stream);
  g_autofree char *text = NULL;

  if (typing) {
    /* Translators: %s is the other party's name */
    text = g_strdup_printf (_("%s is typing…"),
                            self->peer_name ? self->peer_name : _("The other side"));
    gtk_label_set_label (self->typing_label, text);
  }
  gtk_revealer_set_reveal_child (self->typing_revealer, typing);
}

static void
on_remote_composing (ConfabChatStream *stream,
                     GParamSpec       *pspec,
                     ConfabChatPane   *self)
{
  update_typing (self);
}

/* Whether messages can be written now: while the chat connects they wait
 * in the stream (shown as "Sending…"); once it ended, nothing goes out. */
gboolean
_confab_chat_pane_can_write (ConfabChatPane *self)
{
  ConfabStreamState state;

  if (!self->stream || self->session_ended)
    return FALSE;
  state = confab_stream_get_state (CONFAB_STREAM (self->stream));
  return state != CONFAB_STREAM_STATE_ENDED && state != CONFAB_STREAM_STATE_FAILED;
}

static void
update_hint (ConfabChatPane *self)
{
  g_autofree char *text = NULL;
  const char *icon = "network-error-symbolic";
  gboolean error = FALSE;

  if (!self->stream && self->conversation) {
    /* A conversation read from the history: nothing to connect or say. */
  } else if (!self->stream) {
    text = g_strdup (_("There is no chat in this session."));
  } else if (!self->session_ended &&
             confab_stream_get_state (CONFAB_STREAM (self->stream)) == CONFAB_STREAM_STATE_FAILED) {
    const char *message = confab_stream_get_error_message (CONFAB_STREAM (self->stream));
    g_autofree char *why = g_strdup (message);

    /* The sentence goes on after the reason. */
    if (why && g_str_has_suffix (why, "."))
      why[strlen (why) - 1] = '\0';
    if (why && *why)
      text = g_strdup_printf (_("The chat failed: %s. Start a new chat to write again."), why);
    else
      text = g_strdup (_("The chat failed. Start a new chat to write again."));
    error = TRUE;
  } else if (self->session_ended ||
             confab_stream_get_state (CONFAB_STREAM (self->stream)) == CONFAB_STREAM_STATE_ENDED) {
    text = g_strdup (_("The chat has ended. Start a new chat to write again."));
    icon = "chat-message-new-symbolic";
  } else if (!confab_msrp_stream_is_connected (CONFAB_MSRP_STREAM (self->stream))) {
    text = g_strdup (
      _("Connecting… Messages you write now are sent once the chat is connected."));
    icon = "document-open-recent-symbolic";
  }
  if (text)
    gtk_label_set_label (self->hint_label, text);
  gtk_image_set_from_icon_name (self->hint_icon, icon);
  if (error)
    gtk_widget_add_css_class (self->hint_box, "error");
  else
    gtk_widget_remove_css_class (self->hint_box, "error");
  gtk_revealer_set_reveal_child (self->hint_revealer, text != NULL);
  gtk_widget_set_sensitive (self->composer, _confab_chat_pane_can_write (self));
  gtk_widget_set_visible (self->composer, self->stream || !self->conversation);
  if (!_confab_chat_pane_can_write (self))
    _confab_chat_pane_set_private (self, NULL, NULL);
  _confab_chat_pane_update_sendable (self);
}

static void
on_stream_state (ConfabChatStream *stream,
                 GParamSpec       *pspec,
                 ConfabChatPane   *self)
{
  update_hint (self);
  update_typing (self);
}

static void
on_scroll_to_bottom_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  _confab_chat_pane_scroll_to_bottom (CONFAB_CHAT_PANE (widget));
}

/* GObject */

static void
disconnect_stream (ConfabChatPane *self)
{
  if (!self->stream)
    return;
  g_signal_handlers_disconnect_by_data (self->stream, self);
  g_signal_handlers_disconnect_by_data (confab_chat_stream_get_messages (self->stream), self);
  /* The peer should not see us typing into a pane that left. */
  confab_chat_stream_set_composing (self->stream, FALSE);
  g_clear_object (&self->stream);
}

static void
confab_chat_pane_root (GtkWidget *widget)
{
  ConfabChatPane *self = CONFAB_CHAT_PANE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (confab_chat_pane_parent_class)->root (widget);
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root)) {
    g_set_weak_pointer (&self->window, GTK_WINDOW (root));
    g_signal_connect_object (root, "notify::is-active", G_CALLBACK (on_window_active), self, 0);
  }
}

static void
confab_chat_pane_unroot (GtkWidget *widget)
{
  ConfabChatPane *self = CONFAB_CHAT_PANE (widget);

  if (self->window)
    g_signal_handlers_disconnect_by_func (self->window, on_window_active, self);
  g_clear_weak_pointer (&self->window);
  GTK_WIDGET_CLASS (confab_chat_pane_parent_class)->unroot (widget);
}

static void
confab_chat_pane_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (confab_chat_pane_parent_class)->map (widget);
  check_seen (CONFAB_CHAT_PANE (widget));
}

static void
confab_chat_pane_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ConfabChatPane *self = CONFAB_CHAT_PANE (object);

  switch (prop_id) {
  case PROP_UNREAD_COUNT:
    g_value_set_uint (value, self->unread);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_chat_pane_dispose (GObject *object)
{
  ConfabChatPane *self = CONFAB_CHAT_PANE (object);
  GtkWidget *child;

  disconnect_stream (self);
  _confab_chat_pane_dispose_composer (self);
  g_clear_handle_id (&self->load_idle_id, g_source_remove);
  g_clear_handle_id (&self->bottom_idle_id, g_source_remove);
  if (self->window)
    g_signal_handlers_disconnect_by_func (self->window, on_window_active, self);
  g_clear_weak_pointer (&self->window);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_CHAT_PANE);
  /* The template's unnamed children too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->history);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (confab_chat_pane_parent_class)->dispose (object);
}

static void
confab_chat_pane_finalize (GObject *object)
{
  ConfabChatPane *self = CONFAB_CHAT_PANE (object);

  g_free (self->conversation);
  g_free (self->peer_name);

  G_OBJECT_CLASS (confab_chat_pane_parent_class)->finalize (object);
}

static void
confab_chat_pane_class_init (ConfabChatPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = confab_chat_pane_get_property;
  object_class->dispose = confab_chat_pane_dispose;
  object_class->finalize = confab_chat_pane_finalize;
  widget_class->root = confab_chat_pane_root;
  widget_class->unroot = confab_chat_pane_unroot;
  widget_class->map = confab_chat_pane_map;

  /**
   * ConfabChatPane:unread-count:
   *
   * Messages received since the pane was last seen (mapped in the active
   * window).
   */
  props[PROP_UNREAD_COUNT] =
    g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/confab/Confab/confab-chat-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, hint_revealer);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, hint_box);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, hint_icon);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, hint_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, list_view);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, jump_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, typing_revealer);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, typing_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, composer);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, text_view);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, placeholder);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, private_revealer);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatPane, private_label);

  _confab_chat_pane_class_init_composer (widget_class);
  gtk_widget_class_install_action (widget_class, "chat.scroll-to-bottom", NULL,
                                   on_scroll_to_bottom_action);
  gtk_widget_class_set_css_name (widget_class, "chatpane");
}

static void
confab_chat_pane_init (ConfabChatPane *self)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkSelectionModel) selection = NULL;
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->items = g_list_store_new (CONFAB_TYPE_CHAT_MESSAGE);
  self->stick_to_bottom = TRUE;

  g_signal_connect_object (factory, "setup", G_CALLBACK (on_setup_row), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (on_bind_row), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (on_unbind_row), self, 0);
  selection =
    GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->items))));
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, selection);
  g_signal_connect_object (self->items, "items-changed", G_CALLBACK (on_items_changed), self, 0);

  adjustment = vadjustment (self);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (on_scrolled), self, 0);
  g_signal_connect_object (adjustment, "notify::upper", G_CALLBACK (on_scroll_extent), self, 0);
  g_signal_connect_object (adjustment, "notify::page-size", G_CALLBACK (on_scroll_extent), self,
                           0);

  _confab_chat_pane_init_composer (self);
  update_hint (self);
}

GtkWidget *
confab_chat_pane_new (void)
{
  return g_object_new (CONFAB_TYPE_CHAT_PANE, NULL);
}

/**
 * confab_chat_pane_set_stream:
 * @stream: (nullable): the chat to show and write in
 * @conversation: (nullable): the peer's address, whose history comes
 *   before the stream's messages
 *
 * Without @stream but with @conversation the pane shows the history of
 * the conversation alone, without a composer.
 */
void
confab_chat_pane_set_stream (ConfabChatPane   *self,
                             ConfabChatStream *stream,
                             const char       *conversation)
{
  GListModel *messages;

  g_return_if_fail (CONFAB_IS_CHAT_PANE (self));
  g_return_if_fail (!stream || CONFAB_IS_CHAT_STREAM (stream));

  if (self->stream == stream && g_strcmp0 (self->conversation, conversation) == 0)
    return;
  disconnect_stream (self);
  _confab_chat_pane_set_private (self, NULL, NULL);
  g_list_store_remove_all (self->items);
  self->n_older = 0;
  self->n_notices = 0;
  self->history_done = FALSE;
  self->stick_to_bottom = TRUE;
  self->session_ended = FALSE;
  g_free (self->conversation);
  self->conversation = g_strdup (conversation);
  set_unread (self, 0);

  if (stream) {
    self->stream = g_object_ref (stream);
    messages = confab_chat_stream_get_messages (stream);
    g_signal_connect_object (messages, "items-changed", G_CALLBACK (on_stream_messages_changed),
                             self, 0);
    on_stream_messages_changed (messages, 0, 0, g_list_model_get_n_items (messages), self);
    g_signal_connect_object (stream, "message-received", G_CALLBACK (on_message_received), self,
                             0);
    g_signal_connect_object (stream, "notify::remote-composing", G_CALLBACK (on_remote_composing),
                             self, 0);
    g_signal_connect_object (stream, "notify::connected", G_CALLBACK (on_stream_state), self, 0);
    g_signal_connect_object (stream, "notify::state", G_CALLBACK (on_stream_state), self, 0);
  }
  load_older (self);
  update_hint (self);
  update_typing (self);
  _confab_chat_pane_scroll_to_bottom (self);
}

/**
 * confab_chat_pane_add_status:
 * @text: what happened, like "Carol joined the room"
 *
 * Adds a status line after the newest message, for something the app saw
 * rather than the chat stream (people joining or leaving a room). It is
 * shown as long as the stream is and is not kept in the history.
 */
void
confab_chat_pane_add_status (ConfabChatPane *self,
                             const char     *text)
{
  g_autoptr (ConfabChatMessage) message = NULL;
  gboolean follow;

  g_return_if_fail (CONFAB_IS_CHAT_PANE (self));
  g_return_if_fail (text != NULL);

  if (!self->stream)
    return;
  follow = self->stick_to_bottom;
  message = confab_chat_message_new_text (CONFAB_CHAT_DIRECTION_STATUS, self->conversation, NULL,
                                          text);
  confab_chat_message_set_state (message, CONFAB_CHAT_STATE_RECEIVED);
  g_object_set_qdata (G_OBJECT (message), notice_quark (), GINT_TO_POINTER (TRUE));
  g_list_store_append (self->items, message);
  self->n_notices++;
  if (follow)
    _confab_chat_pane_scroll_to_bottom (self);
}

/**
 * confab_chat_pane_get_stream:
 *
 * Returns: (transfer none) (nullable): the chat shown
 */
ConfabChatStream *
confab_chat_pane_get_stream (ConfabChatPane *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_PANE (self), NULL);
  return self->stream;
}

/**
 * confab_chat_pane_set_history:
 * @history: (nullable): where older messages come from
 */
void
confab_chat_pane_set_history (ConfabChatPane *self,
                              ConfabHistory  *history)
{
  g_return_if_fail (CONFAB_IS_CHAT_PANE (self));
  g_return_if_fail (!history || CONFAB_IS_HISTORY (history));

  if (!g_set_object (&self->history, history))
    return;
  self->history_done = FALSE;
  load_older (self);
}

/**
 * confab_chat_pane_set_peer_name:
 *
 * The name the "is typing…" line uses.
 */
void
confab_chat_pane_set_peer_name (ConfabChatPane *self,
                                const char     *name)
{
  g_return_if_fail (CONFAB_IS_CHAT_PANE (self));

  g_free (self->peer_name);
  self->peer_name = g_strdup (name);
  update_typing (self);
}

/**
 * confab_chat_pane_set_session_ended:
 *
 * The session of the chat is over: nothing more can be written, however
 * the stream ended (a lost connection as the session ends is no failure).
 */
void
confab_chat_pane_set_session_ended (ConfabChatPane *self,
                                    gboolean        ended)
{
  g_return_if_fail (CONFAB_IS_CHAT_PANE (self));

  if (self->session_ended == ended)
    return;
  self->session_ended = ended;
  update_hint (self);
}

guint
confab_chat_pane_get_unread_count (ConfabChatPane *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_PANE (self), 0);
  return self->unread;
}

/**
 * confab_chat_pane_mark_read:
 *
 * The user has seen the conversation: the unread count drops to zero,
 * in the pane and in the history.
 */
void
confab_chat_pane_mark_read (ConfabChatPane *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (CONFAB_IS_CHAT_PANE (self));

  set_unread (self, 0);
  if (self->history && self->conversation &&
      !confab_history_mark_read (self->history, self->conversation, &error))
    g_warning ("Cannot mark the chat with %s read: %s", self->conversation, error->message);
}

void
confab_chat_pane_focus_entry (ConfabChatPane *self)
{
  g_return_if_fail (CONFAB_IS_CHAT_PANE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/**
 * confab_chat_pane_get_messages:
 *
 * Returns: (transfer none): the list's items: the history's messages,
 *   then the stream's
 */
GListModel *
confab_chat_pane_get_messages (ConfabChatPane *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_PANE (self), NULL);
  return G_LIST_MODEL (self->items);
}

GtkListView *
confab_chat_pane_get_list_view (ConfabChatPane *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_PANE (self), NULL);
  return self->list_view;
}

GtkTextView *
confab_chat_pane_get_text_view (ConfabChatPane *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_PANE (self), NULL);
  return self->text_view;
}

/**
 * confab_chat_pane_get_typing_text:
 *
 * Returns: (nullable): "Bob is typing…" while the line shows
 */
const char *
confab_chat_pane_get_typing_text (ConfabChatPane *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_PANE (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->typing_revealer))
    return NULL;
  return gtk_label_get_label (self->typing_label);
}

/**
 * confab_chat_pane_get_hint_text:
 *
 * Returns: (nullable): the line above the list while the chat is not
 *   connected ("Connecting…", "The chat has ended…")
 */
const char *
confab_chat_pane_get_hint_text (ConfabChatPane *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_PANE (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->hint_revealer))
    return NULL;
  return gtk_label_get_label (self->hint_label);
}

/**
 * confab_chat_pane_is_at_bottom:
 *
 * Returns: whether the newest message is in full view
 */
gboolean
confab_chat_pane_is_at_bottom (ConfabChatPane *self)
{
  GtkAdjustment *adjustment;

  g_return_val_if_fail (CONFAB_IS_CHAT_PANE (self), FALSE);

  adjustment = vadjustment (self);
  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - 1;
}
