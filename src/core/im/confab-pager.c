/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabPager"

#include "config.h"

#include "im/confab-pager-private.h"
#include "confab-account-private.h"
#include "confab-engine-private.h"
#include "confab-enums.h"
#include "confab-error.h"
#include "confab-random.h"
#include "confab-uri.h"
#include "im/confab-cpim.h"
#include "im/confab-imdn.h"

#include <glib/gi18n-lib.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

/* Sent messages asking for notifications are remembered (by id) until the
 * last one came, or until this many newer ones pushed them out. */
#define MAX_AWAITING_NOTIFICATION 256
/* A second challenge for the same credentials means they are wrong. */
#define MAX_AUTH_ATTEMPTS         2

/* One MESSAGE on the wire: a message of ours (with a task), or a
 * notification we send back (without). */
typedef struct
{
  ConfabPager       *pager;          /* unowned */
  nua_handle_t      *nh;
  nua_t             *nua;            /* the account's agent when it was sent */
  ConfabAccount     *account;
  ConfabChatMessage *message;        /* NULL for notifications */
  GTask             *task;           /* NULL for notifications */
  gulong             state_handler;
  guint              auth_attempts;
} PendingSend;

struct _ConfabPager
{
  GObject       parent_instance;

  ConfabEngine *engine;
  GHashTable   *pending;             /* nua_handle_t* -> PendingSend*, owned */
  GHashTable   *awaiting;            /* message id -> ConfabChatMessage*, owned */
  GQueue        awaiting_order;      /* ids (the table's keys), oldest first */
};

G_DEFINE_FINAL_TYPE (ConfabPager, confab_pager, G_TYPE_OBJECT)

enum {
  SIGNAL_MESSAGE_RECEIVED,
  SIGNAL_DELIVERY,
  SIGNAL_COMPOSING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
_confab_pager_new_message_id (void)
{
  guint8 random[12];

  if (!_confab_random_fill (random, sizeof random))
    return g_uuid_string_random ();
  return g_strdup_printf ("%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x", random[0],
                          random[1], random[2], random[3], random[4], random[5], random[6],
                          random[7], random[8], random[9], random[10], random[11]);
}

/* ---- waiting for notifications --------------------------------------- */

static void
forget_awaiting (ConfabPager *self,
                 const char  *id)
{
  GList *link = g_queue_find_custom (&self->awaiting_order, id, (GCompareFunc) g_strcmp0);

  if (!link)
    return;
  g_queue_delete_link (&self->awaiting_order, link);
  g_hash_table_remove (self->awaiting, id);
}

static void
await_notifications (ConfabPager       *self,
                     ConfabChatMessage *message)
{
  char *id = g_strdup (confab_chat_message_get_id (message));

  forget_awaiting (self, id);
  g_hash_table_insert (self->awaiting, id, g_object_ref (message));
  g_queue_push_tail (&self->awaiting_order, id);
  while (g_queue_get_length (&self->awaiting_order) > MAX_AWAITING_NOTIFICATION) {
    char *oldest = g_queue_pop_head (&self->awaiting_order);

    g_hash_table_remove (self->awaiting, oldest);
  }
}

static void
set_sent_state (ConfabPager       *self,
                ConfabChatMessage *message,
                ConfabChatState    state,
                const char        *error)
{
  g_autofree char *id = g_strdup (confab_chat_message_get_id (message));

  if (state == CONFAB_CHAT_STATE_FAILED)
    confab_chat_message_fail (message, error);
  else
    confab_chat_message_set_state (message, state);
  if (state == CONFAB_CHAT_STATE_FAILED || state == CONFAB_CHAT_STATE_DISPLAYED)
    forget_awaiting (self, id);
  g_signal_emit (self, signals[SIGNAL_DELIVERY], 0, id, state);
}

/* A notification about one of our messages: delivered, displayed, or
 * (when the recipient says so) failed. States only move forward. */
void
_confab_pager_handle_notification (ConfabPager      *self,
                                   const ConfabImdn *imdn)
{
  ConfabChatMessage *message = g_hash_table_lookup (self->awaiting, imdn->message_id);
  ConfabChatState state;
  ConfabChatState next;

  if (!message) {
    g_debug ("Notification about an unknown message %s", imdn->message_id);
    return;
  }
  state = confab_chat_message_get_state (message);
  if (imdn->kind == CONFAB_IMDN_KIND_DELIVERY && imdn->status == CONFAB_IMDN_STATUS_DELIVERED)
    next = CONFAB_CHAT_STATE_DELIVERED;
  else if (imdn->kind == CONFAB_IMDN_KIND_DELIVERY && imdn->status == CONFAB_IMDN_STATUS_FAILED)
    next = CONFAB_CHAT_STATE_FAILED;
  else if (imdn->kind == CONFAB_IMDN_KIND_DISPLAY && imdn->status == CONFAB_IMDN_STATUS_DISPLAYED)
    next = CONFAB_CHAT_STATE_DISPLAYED;
  else
    return;   /* forbidden, error, processing: nothing to show */

  if (state == CONFAB_CHAT_STATE_FAILED || state == CONFAB_CHAT_STATE_DISPLAYED ||
      (state == CONFAB_CHAT_STATE_DELIVERED && next != CONFAB_CHAT_STATE_DISPLAYED))
    return;
  g_object_ref (message);
  set_sent_state (self, message, next,
                  next == CONFAB_CHAT_STATE_FAILED ? _("The recipient could not be reached")
                                                   : NULL);
  g_object_unref (message);
}

/* ---- sending ---------------------------------------------------------- */

static void
pending_free (gpointer data)
{
  PendingSend *pending = data;

  if (pending->state_handler)
    g_signal_handler_disconnect (pending->account, pending->state_handler);
  g_clear_object (&pending->account);
  g_clear_object (&pending->message);
  g_clear_object (&pending->task);
  g_free (pending);
}

/* The agent is gone (account offline, engine shut down): sofia freed the
 * handle already. */
static gboolean
agent_is_alive (PendingSend *pending)
{
  return _confab_account_get_nua (pending->account) == pending->nua;
}

static void
finish_pending (ConfabPager *self,
                PendingSend *pending,
                gboolean     destroy_handle)
{
  if (destroy_handle && agent_is_alive (pending))
    nua_handle_destroy (pending->nh);
  g_hash_table_remove (self->pending, pending->nh);
}

/* Fails a message of ours: @status is the SIP status (0 when none). */
static void
fail_pending (ConfabPager *self,
              PendingSend *pending,
              GError      *error,
              guint        status,
              gboolean     destroy_handle)
{
  g_autoptr (GTask) task = g_steal_pointer (&pending->task);
  g_autoptr (ConfabChatMessage) message = g_steal_pointer (&pending->message);

  finish_pending (self, pending, destroy_handle);
  if (message)
    set_sent_state (self, message, CONFAB_CHAT_STATE_FAILED, error->message);
  if (task) {
    g_task_set_task_data (task, GUINT_TO_POINTER (status), NULL);
    g_task_return_error (task, error);
  } else {
    g_info ("Notification not sent: %s", error->message);
    g_error_free (error);
  }
}

static GError *
error_for_status (guint        status,
                  const char  *phrase,
                  const sip_t *sip)
{
  if (!phrase || !*phrase)
    phrase = sip_status_phrase ((int) status);
  if (!phrase)
    phrase = "";
  if (status == 401 || status == 407 || status == 403 || status == 904)
    return g_error_new (CONFAB_ERROR, CONFAB_ERROR_AUTH,
                        _("The server refused the credentials (%u %s): check the password"),
                        status, phrase);
  /* sofia answers 408 or 503 itself when nothing came back (no Via from
   * a server then, or none of a server's headers) */
  if (status == 0 || status >= 900 || status == 408 || !sip || !sip->sip_via ||
      (status == 503 && !sip->sip_retry_after && !sip->sip_server))
    return g_error_new (CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                        _("No answer (%u %s): check the address and the network"), status,
                        phrase);
  return g_error_new (CONFAB_ERROR, CONFAB_ERROR_REJECTED,
                      _("Refused by the recipient or its server: %u %s"), status, phrase);
}

static void
on_response (ConfabPager *self,
             PendingSend *pending,
             int          status,
             const char  *phrase,
             const sip_t *sip)
{
  if (status < 200)
    return;

  if (status == 401 || status == 407) {
    g_autofree char *creds = NULL;

    if (pending->auth_attempts < MAX_AUTH_ATTEMPTS)
      creds = _confab_account_build_credentials (pending->account, sip);
    if (creds) {
      pending->auth_attempts++;
      nua_authenticate (pending->nh, NUTAG_AUTH (creds), TAG_END ());
      memset (creds, 0, strlen (creds));
      return;
    }
    if (!confab_account_get_password (pending->account)) {
      fail_pending (self, pending,
                    g_error_new_literal (CONFAB_ERROR, CONFAB_ERROR_AUTH,
                                         _("The server asks for a password: add one to "
                                           "the account")),
                    (guint) status, TRUE);
      return;
    }
  }

  if (status >= 300) {
    fail_pending (self, pending, error_for_status ((guint) status, phrase, sip), (guint) status,
                  TRUE);
    return;
  }

  if (pending->message) {
    g_autoptr (ConfabChatMessage) message = g_steal_pointer (&pending->message);
    g_autoptr (GTask) task = g_steal_pointer (&pending->task);

    finish_pending (self, pending, TRUE);
    /* a notification may have overtaken the 2xx */
    if (confab_chat_message_get_state (message) == CONFAB_CHAT_STATE_SENDING)
      set_sent_state (self, message, CONFAB_CHAT_STATE_SENT, NULL);
    g_task_set_task_data (task, GUINT_TO_POINTER (status), NULL);
    g_task_return_boolean (task, TRUE);
    return;
  }
  finish_pending (self, pending, TRUE);
}

/* The account went offline under a pending MESSAGE: its agent and the
 * handle are gone, no answer will come. */
static void
on_account_state (ConfabAccount *account,
                  GParamSpec    *pspec,
                  PendingSend   *pending)
{
  if (confab_account_get_state (account) != CONFAB_ACCOUNT_STATE_DISABLED &&
      agent_is_alive (pending))
    return;
  fail_pending (pending->pager, pending,
                g_error_new_literal (CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                                     _("The account went offline before the message was sent")),
                0, FALSE);
}

/**
 * _confab_pager_send_request:
 * @request_uri: (nullable): where to send it, when not to @to_uri
 *
 * Sends one MESSAGE from @account's agent; the pending send owns @task and
 * @message.
 */
gboolean
_confab_pager_send_request (ConfabPager        *self,
                            ConfabAccount      *account,
                            const char         *request_uri,
                            const char         *to_uri,
                            const char         *content_type,
                            GBytes             *payload,
                            ConfabChatMessage  *message,
                            GTask              *task,
                            GError            **error)
{
  nua_t *nua = _confab_account_get_nua (account);
  su_home_t home[1] = { SU_HOME_INIT (home) };
  sip_payload_t *pl;
  nua_handle_t *nh;
  PendingSend *pending;
  gsize length = 0;
  const void *data = g_bytes_get_data (payload, &length);

  if (!nua) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("The account %s is not online: bring it online first"),
                 confab_account_get_address (account));
    return FALSE;
  }

  nh = nua_handle (nua, self, SIPTAG_TO_STR (to_uri), TAG_END ());
  if (!nh) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("“%s” is not an address"),
                 to_uri);
    return FALSE;
  }
  pending = g_new0 (PendingSend, 1);
  pending->pager = self;
  pending->nua = nua;
  pending->account = g_object_ref (account);
  pending->message = message ? g_object_ref (message) : NULL;
  pending->task = task ? g_object_ref (task) : NULL;
  pending->nh = nh;
  pending->state_handler = g_signal_connect (account, "notify::state",
                                             G_CALLBACK (on_account_state), pending);
  g_hash_table_insert (self->pending, pending->nh, pending);

  pl = sip_payload_create (home, data, (isize_t) length);
  nua_message (pending->nh,
               TAG_IF (request_uri, NUTAG_URL (request_uri)),
               SIPTAG_CONTENT_TYPE_STR (content_type),
               SIPTAG_PAYLOAD (pl),
               TAG_END ());
  su_home_deinit (home);
  return TRUE;
}

static GBytes *
wrap_in_cpim (ConfabAccount        *account,
              ConfabChatMessage    *message,
              const char           *to_uri,
              const char           *content_type,
              GBytes               *body,
              ConfabPagerSendFlags  flags,
              GError              **error)
{
  g_autoptr (ConfabCpimMessage) cpim = confab_cpim_message_new ();

  cpim->from = confab_cpim_address_new (confab_account_get_display_name (account),
                                        confab_account_get_address (account));
  g_ptr_array_add (cpim->to, confab_cpim_address_new (NULL, to_uri));
  cpim->date_time = g_date_time_ref (confab_chat_message_get_timestamp (message));
  confab_cpim_message_add_namespace (cpim, "imdn", CONFAB_CPIM_NS_IMDN);
  confab_cpim_message_add_header (cpim, "imdn", "Message-ID",
                                  confab_chat_message_get_id (message));
  if (!(flags & CONFAB_PAGER_SEND_NO_IMDN))
    confab_cpim_message_add_header (cpim, "imdn", "Disposition-Notification",
                                    "positive-delivery, display");
  confab_cpim_message_set_body (cpim, content_type, body);
  return confab_cpim_message_to_bytes (cpim, error);
}

/* ---- events from the engine -------------------------------------------- */

static gboolean
on_engine_event (ConfabAccount *account,
                 nua_event_t    event,
                 int            status,
                 const char    *phrase,
                 nua_t         *nua,
                 nua_handle_t  *nh,
                 const sip_t   *sip,
                 tagi_t         tags[],
                 gpointer       user_data)
{
  ConfabPager *self = user_data;
  PendingSend *pending;

  if (event == nua_i_message) {
    _confab_pager_receive (self, account, nua, nh, sip);
    return TRUE;
  }
  if (event != nua_r_message || !nh)
    return FALSE;
  pending = g_hash_table_lookup (self->pending, nh);
  if (!pending)
    return FALSE;
  g_debug ("MESSAGE %s: %d %s", pending->message ? confab_chat_message_get_id (pending->message)
                                                 : "(notification)",
           status, phrase ? phrase : "");
  on_response (self, pending, status, phrase, sip);
  return TRUE;
}

void
_confab_pager_emit_received (ConfabPager       *self,
                             ConfabChatMessage *message)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE_RECEIVED], 0, message);
}

void
_confab_pager_emit_composing (ConfabPager *self,
                              const char  *sender_uri,
                              gboolean     active,
                              guint        timeout)
{
  g_signal_emit (self, signals[SIGNAL_COMPOSING], 0, sender_uri, active, timeout);
}

static void
confab_pager_dispose (GObject *object)
{
  ConfabPager *self = CONFAB_PAGER (object);

  if (self->engine)
    _confab_engine_set_message_handler (self->engine, NULL, NULL);
  if (self->pending) {
    GHashTableIter iter;
    PendingSend *pending;

    /* Tasks hold a reference on us: only notifications can be left. */
    g_hash_table_iter_init (&iter, self->pending);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &pending)) {
      if (agent_is_alive (pending))
        nua_handle_destroy (pending->nh);
    }
    g_hash_table_remove_all (self->pending);
  }
  if (self->awaiting) {
    g_queue_clear (&self->awaiting_order);
    g_hash_table_remove_all (self->awaiting);
  }
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (confab_pager_parent_class)->dispose (object);
}

static void
confab_pager_finalize (GObject *object)
{
  ConfabPager *self = CONFAB_PAGER (object);

  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->awaiting, g_hash_table_unref);

  G_OBJECT_CLASS (confab_pager_parent_class)->finalize (object);
}

static void
confab_pager_class_init (ConfabPagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = confab_pager_dispose;
  object_class->finalize = confab_pager_finalize;

  signals[SIGNAL_MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, CONFAB_TYPE_CHAT_MESSAGE);
  signals[SIGNAL_DELIVERY] =
    g_signal_new ("delivery", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, CONFAB_TYPE_CHAT_STATE);
  signals[SIGNAL_COMPOSING] =
    g_signal_new ("composing", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_UINT);
}

static void
confab_pager_init (ConfabPager *self)
{
  self->pending = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, pending_free);
  self->awaiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_queue_init (&self->awaiting_order);
}

/**
 * confab_pager_new:
 *
 * Takes the engine's MESSAGE requests and responses, for every account;
 * one pager per engine (a second one replaces the first).
 */
ConfabPager *
confab_pager_new (ConfabEngine *engine)
{
  ConfabPager *self;

  g_return_val_if_fail (CONFAB_IS_ENGINE (engine), NULL);

  self = g_object_new (CONFAB_TYPE_PAGER, NULL);
  self->engine = g_object_ref (engine);
  _confab_engine_set_message_handler (engine, on_engine_event, self);
  return self;
}

/**
 * confab_pager_send_async:
 * @account: an online account (registered, or the local account)
 * @to_uri: the recipient ("bob@example.org" works)
 * @content_type: (nullable): of @body; %NULL for "text/plain;charset=UTF-8"
 * @flags: CPIM with IMDN by default
 *
 * Sends @body in one SIP MESSAGE through the account's proxy, answering
 * digest challenges with the account's credentials. The message is SENDING
 * until a 2xx (SENT) or a failure (FAILED, with the reason); notifications
 * move it on to DELIVERED and DISPLAYED ("delivery" signal). @callback runs
 * once the final response came. A MESSAGE on the wire cannot be called
 * back: @cancellable only makes confab_pager_send_finish() report
 * cancellation.
 *
 * Returns: (transfer full): the outgoing message
 */
ConfabChatMessage *
confab_pager_send_async (ConfabPager          *self,
                         ConfabAccount        *account,
                         const char           *to_uri,
                         const char           *content_type,
                         GBytes               *body,
                         ConfabPagerSendFlags  flags,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) payload = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *target = NULL;
  ConfabChatMessage *message;
  const char *payload_type = CONFAB_CPIM_CONTENT_TYPE;

  g_return_val_if_fail (CONFAB_IS_PAGER (self), NULL);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (to_uri != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  if (!content_type)
    content_type = "text/plain;charset=UTF-8";
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_pager_send_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (0), NULL);

  target = confab_uri_normalize (to_uri, NULL);
  message = confab_chat_message_new (NULL, CONFAB_CHAT_DIRECTION_OUTGOING,
                                     target ? target : to_uri,
                                     confab_account_get_address (account),
                                     confab_account_get_display_name (account), content_type,
                                     body, now);
  if (!target) {
    error = g_error_new (CONFAB_ERROR, CONFAB_ERROR_INVALID, _("“%s” is not an address"),
                         to_uri);
  } else if (flags & CONFAB_PAGER_SEND_PLAIN) {
    payload = g_bytes_ref (body);
    payload_type = content_type;
  } else {
    payload = wrap_in_cpim (account, message, target, content_type, body, flags, &error);
    payload_type = CONFAB_CPIM_CONTENT_TYPE;
  }
  if (payload && g_bytes_get_size (payload) > CONFAB_PAGER_MAX_BODY)
    error = g_error_new (CONFAB_ERROR, CONFAB_ERROR_INVALID,
                         _("The message is larger than %u KiB: send it as a file"),
                         CONFAB_PAGER_MAX_BODY / 1024);

  if (!error && !(flags & (CONFAB_PAGER_SEND_PLAIN | CONFAB_PAGER_SEND_NO_IMDN)))
    await_notifications (self, message);
  if (!error)
    _confab_pager_send_request (self, account, NULL, target, payload_type, payload, message,
                                task, &error);
  if (error) {
    set_sent_state (self, message, CONFAB_CHAT_STATE_FAILED, error->message);
    g_task_return_error (task, g_steal_pointer (&error));
  }
  return message;
}

/**
 * confab_pager_send_finish:
 * @sip_status: (out) (optional): the final SIP status, 0 when none came
 *
 * Returns: %TRUE when the MESSAGE got a 2xx; the error is
 *   %CONFAB_ERROR_AUTH, %CONFAB_ERROR_NETWORK or %CONFAB_ERROR_REJECTED
 *   (or %CONFAB_ERROR_INVALID for a bad address or message)
 */
gboolean
confab_pager_send_finish (ConfabPager   *self,
                          GAsyncResult  *result,
                          guint         *sip_status,
                          GError       **error)
{
  g_return_val_if_fail (CONFAB_IS_PAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (sip_status)
    *sip_status = GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result)));
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * confab_pager_find_sent:
 *
 * Returns: (transfer none) (nullable): the sent message with @message_id,
 *   while notifications about it may still come
 */
ConfabChatMessage *
confab_pager_find_sent (ConfabPager *self,
                        const char  *message_id)
{
  g_return_val_if_fail (CONFAB_IS_PAGER (self), NULL);
  g_return_val_if_fail (message_id != NULL, NULL);

  return g_hash_table_lookup (self->awaiting, message_id);
}
