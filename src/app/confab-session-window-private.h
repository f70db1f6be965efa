/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-session-window.h"
#include "confab-audio-stream.h"
#include "confab-chat-pane.h"
#include "confab-participants-pane.h"

G_BEGIN_DECLS

/* Shared by confab-session-window.c (construction, state, timers) and
 * confab-session-window-actions.c (the session.* actions). */
struct _ConfabSessionWindow
{
  AdwWindow           parent_instance;

  ConfabSession      *session;
  ConfabAudioStream  *audio;          /* the session's audio stream, if any */
  GSimpleActionGroup *actions;        /* "session" */
  gboolean            muted;
  gboolean            recording;      /* as last seen, to tell when it stops */
  char               *recording_path; /* the current or last recording */
  guint               tick_id;        /* duration, every second */
  guint               quality_id;     /* codec and loss, every 2 s */
  guint               close_id;       /* after the call ended */

  AdwWindowTitle     *window_title;
  AdwToastOverlay    *toast_overlay;
  GtkWidget          *audio_bar;
  GtkToggleButton    *mute_button;
  GtkToggleButton    *hold_button;
  GtkMenuButton      *keypad_button;
  GtkToggleButton    *record_button;
  GtkWidget          *recording_indicator;
  GtkPopover         *keypad_popover;
  GtkLabel           *keypad_digits;
  GtkMenuButton      *transfer_button;
  GtkPopover         *transfer_popover;
  GtkEntry           *transfer_entry;
  GtkLabel           *quality_label;
  GtkButton          *hangup_button;
  GtkStack           *content_stack;
  AdwAvatar          *avatar;
  GtkLabel           *name_label;
  GtkLabel           *address_label;
  GtkLabel           *status_label;
  GtkWidget          *incoming_box;
  GtkButton          *answer_button;
  GtkButton          *decline_button;

  /* confab-session-window-chat.c */
  ConfabChatStream   *chat;           /* the session's newest chat stream */
  gboolean            chat_shown;     /* the chat page rather than the party's */
  ConfabChatPane     *chat_pane;
  GtkWidget          *session_menu_button;
  GtkWidget          *add_chat_button;
  GtkWidget          *chat_toggle_box;
  GtkLabel           *chat_badge;

  /* confab-session-window-files.c */
  GtkFilterListModel *transfers;      /* the session's file transfer streams */
  gboolean            files_shown;    /* the files page rather than the others */
  GtkFileChooserNative *file_chooser;
  GtkListBox         *transfer_list;
  GtkWidget          *files_toggle;
  GtkWidget          *drop_area;
  GtkWidget          *drop_highlight;
  GtkLabel           *drop_label;

  /* confab-session-window-conference.c */
  ConfabConference   *conference;     /* the session's room, once the focus said so */
  gboolean            room_ready;     /* its first document arrived: later joins are news */
  gboolean            room_shown;     /* the participants were shown once */
  char               *nickname;       /* to ask the room for once the chat connects */
  ConfabChatStream   *nickname_chat;  /* the chat waited for */
  GCancellable       *nickname_cancellable;
  char               *nickname_error; /* the room's last refusal */
  GtkWindow          *nickname_dialog; /* weak */
  AdwToast           *nickname_toast;  /* weak: the refusal, until another name is taken */
  AdwFlap            *participants_flap;
  ConfabParticipantsPane *participants_pane;
  GtkWidget          *participants_toggle;
};

void _confab_session_window_init_actions   (ConfabSessionWindow *self);
void _confab_session_window_update_actions (ConfabSessionWindow *self);
void _confab_session_window_apply_mute     (ConfabSessionWindow *self);
void _confab_session_window_add_toast      (ConfabSessionWindow *self,
                                            const char          *message);
void _confab_session_window_update_recording (ConfabSessionWindow *self);
char *_confab_session_window_dup_remote_name (ConfabSession       *session);
void _confab_session_window_update_identity (ConfabSessionWindow *self);

/* confab-session-window-chat.c */
void     _confab_session_window_init_chat         (ConfabSessionWindow *self);
void     _confab_session_window_watch_chat        (ConfabSessionWindow *self);
void     _confab_session_window_unwatch_chat      (ConfabSessionWindow *self);
void     _confab_session_window_update_chat       (ConfabSessionWindow *self);
gboolean _confab_session_window_is_chat_only      (ConfabSessionWindow *self);

/* confab-session-window-files.c */
void     _confab_session_window_init_files        (ConfabSessionWindow *self);
void     _confab_session_window_dispose_files     (ConfabSessionWindow *self);
void     _confab_session_window_watch_files       (ConfabSessionWindow *self);
void     _confab_session_window_unwatch_files     (ConfabSessionWindow *self);
void     _confab_session_window_update_files      (ConfabSessionWindow *self);
gboolean _confab_session_window_is_files_only     (ConfabSessionWindow *self);
gboolean _confab_session_window_has_transfers     (ConfabSessionWindow *self);
gboolean _confab_session_window_shows_files       (ConfabSessionWindow *self);
void     _confab_session_window_send_files        (ConfabSessionWindow *self,
                                                   GSList              *files);

/* confab-session-window-conference.c */
void     _confab_session_window_init_conference    (ConfabSessionWindow *self);
void     _confab_session_window_dispose_conference (ConfabSessionWindow *self);
void     _confab_session_window_watch_conference   (ConfabSessionWindow *self);
void     _confab_session_window_unwatch_conference (ConfabSessionWindow *self);
void     _confab_session_window_update_conference  (ConfabSessionWindow *self);
char    *_confab_session_window_dup_room_name      (ConfabSessionWindow *self);
char    *_confab_session_window_dup_room_status    (ConfabSessionWindow *self,
                                                    const char          *status);
void     _confab_session_window_update_status      (ConfabSessionWindow *self);

G_END_DECLS
