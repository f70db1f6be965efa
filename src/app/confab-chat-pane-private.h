/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-chat-pane.h"

G_BEGIN_DECLS

/* Shared by confab-chat-pane.c (the list, the history, scrolling, unread
 * messages) and confab-chat-pane-composer.c (the entry, sending text and
 * images, is-composing, private messages in a room). */
struct _ConfabChatPane
{
  GtkWidget         parent_instance;

  ConfabChatStream *stream;
  ConfabHistory    *history;
  char             *conversation;
  char             *peer_name;
  GListStore       *items;           /* history pages, then the stream's messages
                                      * with the pane's own status lines among them */
  guint             n_older;         /* of items, from the history */
  guint             n_notices;       /* of items, status lines added by the app */
  gboolean          history_done;
  guint             load_idle_id;
  guint             bottom_idle_id;
  gboolean          stick_to_bottom;
  gboolean          session_ended;   /* whatever the stream says */
  guint             unread;
  GtkWindow        *window;          /* weak; its is-active says whether we are seen */
  GCancellable     *cancellable;     /* an image being read */
  GtkNativeDialog  *chooser;
  char             *private_uri;     /* whom the composer writes to alone, or NULL */
  char             *private_name;
  ConfabConference *room;            /* names the recipients of private messages */

  GtkRevealer      *hint_revealer;
  GtkWidget        *hint_box;
  GtkImage         *hint_icon;
  GtkLabel         *hint_label;
  GtkScrolledWindow *scrolled_window;
  GtkListView      *list_view;
  GtkWidget        *jump_button;
  GtkWidget        *empty_page;
  GtkRevealer      *typing_revealer;
  GtkLabel         *typing_label;
  GtkWidget        *composer;
  GtkTextView      *text_view;
  GtkWidget        *placeholder;
  GtkRevealer      *private_revealer;
  GtkLabel         *private_label;
};

void     _confab_chat_pane_add_toast             (ConfabChatPane  *self,
                                                  const char      *message);
void     _confab_chat_pane_scroll_to_bottom      (ConfabChatPane  *self);
gboolean _confab_chat_pane_can_write             (ConfabChatPane  *self);

/* confab-chat-pane-composer.c */
void     _confab_chat_pane_class_init_composer   (GtkWidgetClass  *widget_class);
void     _confab_chat_pane_init_composer         (ConfabChatPane  *self);
void     _confab_chat_pane_dispose_composer      (ConfabChatPane  *self);
void     _confab_chat_pane_update_sendable       (ConfabChatPane  *self);
/* NULL @uri: back to writing to everyone. */
void     _confab_chat_pane_set_private           (ConfabChatPane  *self,
                                                  const char      *uri,
                                                  const char      *name);
char    *_confab_chat_pane_dup_recipient_name    (ConfabChatPane    *self,
                                                  ConfabChatMessage *message);

G_END_DECLS
