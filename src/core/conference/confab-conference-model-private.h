/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "conference/confab-conference-private.h"

G_BEGIN_DECLS

/* The object (confab-conference.c: properties, signals, accessors) and the
 * merge of documents into it (confab-conference-merge.c) share this. */

struct _ConfabConference
{
  GObject                           parent_instance;

  char                             *uri;
  char                             *uri_key;      /* normalize_address (uri) */
  char                             *self_uri;
  char                             *self_key;     /* normalize_address (self_uri) */

  char                             *display_text;
  char                             *subject;
  char                             *free_text;
  gint64                            document_user_count; /* -1: count the participants */
  guint                             user_count;
  gboolean                          active;
  gboolean                          locked;

  guint                             version;
  gboolean                          have_version; /* a document applied since creation/reset */
  gboolean                          have_full;    /* a full one, so partials can apply */

  GListStore                       *participants; /* ConfabParticipant, in order of arrival */
  GHashTable                       *by_entity;    /* entity (the participant's) -> ConfabParticipant */
  GListStore                       *files;        /* ConfabRoomFile, in document order */

  ConfabConferenceSubscriptionState subscription_state;
  char                             *subscription_error;

  ConfabConferenceSip              *sip;
  GDestroyNotify                    sip_destroy;
};

enum {
  PROP_0,
  PROP_URI,
  PROP_SELF_URI,
  PROP_DISPLAY_TEXT,
  PROP_SUBJECT,
  PROP_FREE_TEXT,
  PROP_USER_COUNT,
  PROP_ACTIVE,
  PROP_LOCKED,
  PROP_VERSION,
  PROP_SUBSCRIPTION_STATE,
  PROP_SUBSCRIPTION_ERROR,
  N_PROPS
};


enum {
  SIGNAL_PARTICIPANT_JOINED,
  SIGNAL_PARTICIPANT_LEFT,
  SIGNAL_PARTICIPANT_CHANGED,
  SIGNAL_UPDATED,
  SIGNAL_REFER_PROGRESS,
  N_SIGNALS
};

/* confab-conference.c */
void      _confab_conference_notify             (ConfabConference  *self,
                                                 guint              prop_id);
/* A participant signal, or SIGNAL_UPDATED with @participant NULL. */
void      _confab_conference_emit               (ConfabConference  *self,
                                                 guint              signal_id,
                                                 ConfabParticipant *participant);

/* confab-conference-merge.c */
/* "Alice <SIP:Alice@Example.org;transport=tls>" -> "alice@example.org" */
char     *_confab_conference_normalize_address  (const char        *address);
gboolean  _confab_conference_is_self_entity     (ConfabConference  *self,
                                                 const char        *entity);
/* Sets a string field and notifies @prop_id if it changed. */
gboolean  _confab_conference_set_string         (ConfabConference  *self,
                                                 char             **field,
                                                 const char        *value,
                                                 guint              prop_id);

G_END_DECLS
