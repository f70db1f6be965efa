/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabConference"

#include "config.h"

#include "conference/confab-conference-sip-private.h"
#include "confab-account-private.h"
#include "confab-error.h"
#include "confab-uri.h"

#include <glib/gi18n-lib.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>

#include <string.h>

/* The SIP side of a conference (RFC 4575 §3, RFC 6665): one SUBSCRIBE
 * dialog to the room for Event: conference, and out-of-dialog REFERs
 * (RFC 4579 §5.5/5.6) with the method as a header parameter of Refer-To,
 * as SylkServer reads it. Sofia's nua refreshes the subscription, answers
 * the NOTIFYs and retries a 423 with the focus's Min-Expires. */

#define SUBSCRIBE_EXPIRES       600   /* seconds asked for (SIP SIMPLE asks 600) */
#define UNKNOWN_ROOM_RETRIES    3     /* 480 while our INVITE makes the room */
#define UNKNOWN_ROOM_RETRY_S    2
#define REFER_TIMEOUT_S         64    /* 64*T1: no final sipfrag by then */
#define MAX_AUTH_ATTEMPTS       2
#define LEAVE_NOTIFY_WAIT_MS    2000  /* for the final NOTIFY after an un-SUBSCRIBE */

typedef struct
{
  ConfabConferenceSip         *sip;          /* unowned */
  nua_handle_t                *nh;
  char                        *uri;
  ConfabConferenceReferMethod  method;
  GTask                       *task;
  guint                        timeout_id;
  guint                        auth_attempts;
  gboolean                     accepted;     /* 202 came */
} ReferOp;

struct _ConfabConferenceSip
{
  ConfabConference *conference;               /* unowned: it owns us */
  ConfabAccount    *account;
  nua_t            *nua;                      /* the account's agent when attached */
  nua_handle_t     *sub_nh;
  gboolean          leaving;                  /* un-SUBSCRIBE sent */
  gboolean          got_notify;               /* a NOTIFY came in this dialog */
  gboolean          retry_unknown_room;
  guint             unknown_room_retries;
  guint             retry_id;
  guint             leave_id;                 /* waiting for the final NOTIFY */
  guint             auth_attempts;
  GHashTable       *refers;                   /* nua_handle_t* -> ReferOp*, owned */
};

static void
refer_op_free (gpointer data)
{
  ReferOp *op = data;

  g_clear_handle_id (&op->timeout_id, g_source_remove);
  if (op->task) {
    g_task_return_new_error (op->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The conference went away"));
    g_clear_object (&op->task);
  }
  if (op->nh)
    nua_handle_destroy (op->nh);
  g_free (op->uri);
  g_free (op);
}

static void
sip_free (gpointer data)
{
  ConfabConferenceSip *sip = data;

  g_clear_handle_id (&sip->retry_id, g_source_remove);
  g_clear_handle_id (&sip->leave_id, g_source_remove);
  g_clear_pointer (&sip->refers, g_hash_table_destroy);
  if (sip->sub_nh) {
    /* Leaving without waiting for the answer: nua still sends the
     * un-SUBSCRIBE when the handle goes. */
    nua_handle_bind (sip->sub_nh, NULL);
    if (!sip->leaving && sip->nua == _confab_account_get_nua (sip->account))
      nua_unsubscribe (sip->sub_nh, SIPTAG_EXPIRES_STR ("0"), TAG_END ());
    nua_handle_destroy (sip->sub_nh);
  }
  g_clear_object (&sip->account);
  g_free (sip);
}

void
_confab_conference_attach (ConfabConference *self,
                           ConfabAccount    *account)
{
  ConfabConferenceSip *sip = g_new0 (ConfabConferenceSip, 1);

  g_return_if_fail (CONFAB_IS_CONFERENCE (self));
  g_return_if_fail (CONFAB_IS_ACCOUNT (account));

  sip->conference = self;
  sip->account = g_object_ref (account);
  sip->refers = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, refer_op_free);
  _confab_conference_set_sip (self, sip, sip_free);
  if (!confab_conference_get_self_uri (self))
    confab_conference_set_self_uri (self, confab_account_get_address (account));
}

ConfabAccount *
_confab_conference_get_account (ConfabConference *self)
{
  ConfabConferenceSip *sip = _confab_conference_get_sip (self);

  return sip ? sip->account : NULL;
}

static nua_t *
online_nua (ConfabConferenceSip  *sip,
            GError              **error)
{
  nua_t *nua = _confab_account_get_nua (sip->account);

  if (!nua)
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("The account %s is not online: bring it online first"),
                 confab_account_get_address (sip->account));
  return nua;
}

static void
send_subscribe (ConfabConferenceSip *sip,
                guint                expires)
{
  g_autofree char *expires_text = g_strdup_printf ("%u", expires);

  nua_subscribe (sip->sub_nh,
                 SIPTAG_EVENT_STR ("conference"),
                 SIPTAG_ACCEPT_STR ("application/conference-info+xml"),
                 SIPTAG_EXPIRES_STR (expires_text),
                 SIPTAG_ALLOW_EVENTS_STR ("conference, refer"),
                 TAG_END ());
}

void
_confab_conference_subscribe (ConfabConference *self,
                              gboolean          retry_unknown_room)
{
  ConfabConferenceSip *sip;
  g_autoptr (GError) error = NULL;
  nua_t *nua;

  g_return_if_fail (CONFAB_IS_CONFERENCE (self));
  sip = _confab_conference_get_sip (self);
  g_return_if_fail (sip != NULL);

  g_clear_handle_id (&sip->retry_id, g_source_remove);
  nua = online_nua (sip, &error);
  if (!nua) {
    _confab_conference_set_subscription_state (self, CONFAB_CONFERENCE_SUBSCRIPTION_FAILED,
                                               error->message);
    return;
  }
  if (sip->sub_nh) {
    nua_handle_bind (sip->sub_nh, NULL);
    nua_handle_destroy (sip->sub_nh);
  }
  sip->nua = nua;
  sip->leaving = FALSE;
  sip->got_notify = FALSE;
  sip->auth_attempts = 0;
  sip->retry_unknown_room = retry_unknown_room;
  sip->sub_nh = nua_handle (nua, self, SIPTAG_TO_STR (confab_conference_get_uri (self)),
                            TAG_END ());
  if (!sip->sub_nh) {
    _confab_conference_set_subscription_state (self, CONFAB_CONFERENCE_SUBSCRIPTION_FAILED,
                                               _("The room address is not valid"));
    return;
  }
  /* A new dialog counts its versions from anywhere (SylkServer). */
  confab_conference_reset_version (self);
  _confab_conference_set_subscription_state (self, CONFAB_CONFERENCE_SUBSCRIPTION_SUBSCRIBING,
                                             NULL);
  send_subscribe (sip, SUBSCRIBE_EXPIRES);
}

static gboolean
retry_subscribe (gpointer user_data)
{
  ConfabConference *self = user_data;
  ConfabConferenceSip *sip = _confab_conference_get_sip (self);

  sip->retry_id = 0;
  _confab_conference_subscribe (self, sip->retry_unknown_room);
  return G_SOURCE_REMOVE;
}

static char *
describe_refusal (int         status,
                  const char *phrase)
{
  switch (status) {
  case 404:
  case 480:
    return g_strdup_printf (_("The room does not exist (%d %s)"), status, phrase ? phrase : "");
  case 489:
    return g_strdup_printf (_("The room does not report its participants (%d %s)"), status,
                            phrase ? phrase : "");
  case 403:
    return g_strdup_printf (_("The room does not let us see its participants (%d %s)"), status,
                            phrase ? phrase : "");
  case 408:
  case 503:
    return g_strdup_printf (_("The room did not answer (%d %s)"), status, phrase ? phrase : "");
  default:
    return g_strdup_printf (_("The room refused the subscription (%d %s)"), status,
                            phrase ? phrase : "");
  }
}

static void
on_subscribe_response (ConfabConference *self,
                       ConfabConferenceSip *sip,
                       int               status,
                       const char       *phrase,
                       const sip_t      *msg,
                       tagi_t            tags[])
{
  int substate = -1;

  if (status < 200)
    return;
  if ((status == 401 || status == 407) && sip->auth_attempts < MAX_AUTH_ATTEMPTS) {
    g_autofree char *creds = _confab_account_build_credentials (sip->account, msg);

    if (creds) {
      sip->auth_attempts++;
      nua_authenticate (sip->sub_nh, NUTAG_AUTH (creds), TAG_END ());
      memset (creds, 0, strlen (creds));
      return;
    }
  }
  if (status == 423 && msg && msg->sip_min_expires) {
    /* Sofia retries this itself; this is for stacks where it did not. */
    send_subscribe (sip, (guint) msg->sip_min_expires->me_delta);
    return;
  }
  if (status == 480 && sip->retry_unknown_room &&
      sip->unknown_room_retries < UNKNOWN_ROOM_RETRIES) {
    sip->unknown_room_retries++;
    g_info ("%s: not there yet (480), subscribing again in %d s",
            confab_conference_get_uri (self), UNKNOWN_ROOM_RETRY_S);
    sip->retry_id = g_timeout_add_seconds (UNKNOWN_ROOM_RETRY_S, retry_subscribe, self);
    return;
  }
  if (status >= 300) {
    g_autofree char *reason = describe_refusal (status, phrase);

    g_info ("%s: SUBSCRIBE refused: %d %s", confab_conference_get_uri (self), status, phrase);
    nua_handle_bind (sip->sub_nh, NULL);
    nua_handle_destroy (sip->sub_nh);
    sip->sub_nh = NULL;
    _confab_conference_set_subscription_state (self, CONFAB_CONFERENCE_SUBSCRIPTION_FAILED,
                                               reason);
    return;
  }
  tl_gets (tags, NUTAG_SUBSTATE_REF (substate), TAG_END ());
  if (substate == nua_substate_pending && !sip->got_notify)
    _confab_conference_set_subscription_state (self, CONFAB_CONFERENCE_SUBSCRIPTION_PENDING,
                                               NULL);
}

/* The un-SUBSCRIBE was answered and the focus's last NOTIFY came (or did
 * not come in time): the dialog is over. The handle goes only now, as
 * destroying it earlier would make sofia un-SUBSCRIBE a second time and
 * leave the final NOTIFY unanswered. */
static void
finish_leaving (ConfabConference    *self,
                ConfabConferenceSip *sip)
{
  g_clear_handle_id (&sip->leave_id, g_source_remove);
  if (sip->sub_nh) {
    nua_handle_bind (sip->sub_nh, NULL);
    nua_handle_destroy (sip->sub_nh);
    sip->sub_nh = NULL;
  }
  _confab_conference_set_subscription_state (self, CONFAB_CONFERENCE_SUBSCRIPTION_IDLE, NULL);
}

static gboolean
on_leave_timeout (gpointer user_data)
{
  ConfabConference *self = user_data;
  ConfabConferenceSip *sip = _confab_conference_get_sip (self);

  sip->leave_id = 0;
  finish_leaving (self, sip);
  return G_SOURCE_REMOVE;
}

static const char *
terminated_reason (const sip_t *msg)
{
  if (msg && msg->sip_subscription_state && msg->sip_subscription_state->ss_reason)
    return msg->sip_subscription_state->ss_reason;
  return NULL;
}

static void
on_conference_notify (ConfabConference    *self,
                      ConfabConferenceSip *sip,
                      const sip_t         *msg,
                      tagi_t               tags[])
{
  int substate = -1;
  const char *reason;

  tl_gets (tags, NUTAG_SUBSTATE_REF (substate), TAG_END ());
  sip->got_notify = TRUE;

  if (msg && msg->sip_payload && msg->sip_payload->pl_len > 0) {
    const char *type = msg->sip_content_type ? msg->sip_content_type->c_type : NULL;

    if (type && g_ascii_strcasecmp (type, "application/conference-info+xml") != 0) {
      g_info ("%s: NOTIFY of type %s ignored", confab_conference_get_uri (self), type);
    } else {
      g_autoptr (GError) error = NULL;
      ConfabConferenceApplyResult result = CONFAB_CONFERENCE_APPLIED;

      if (!confab_conference_apply_xml (self, msg->sip_payload->pl_data,
                                        msg->sip_payload->pl_len, &result, &error))
        g_warning ("%s: unusable conference-info: %s", confab_conference_get_uri (self),
                   error->message);
      else if (result == CONFAB_CONFERENCE_NEEDS_FULL)
        /* We missed the full state: a refresh brings it (RFC 4575 §4.4). */
        send_subscribe (sip, SUBSCRIBE_EXPIRES);
      else if (result != CONFAB_CONFERENCE_APPLIED)
        g_debug ("%s: document ignored (%d)", confab_conference_get_uri (self), result);
    }
  }

  switch (substate) {
  case nua_substate_pending:
    _confab_conference_set_subscription_state (self, CONFAB_CONFERENCE_SUBSCRIPTION_PENDING,
                                               NULL);
    break;
  case nua_substate_active:
    _confab_conference_set_subscription_state (self, CONFAB_CONFERENCE_SUBSCRIPTION_ACTIVE,
                                               NULL);
    break;
  case nua_substate_terminated:
    reason = terminated_reason (msg);
    if (sip->leaving) {
      finish_leaving (self, sip);
    } else if (reason && (g_ascii_strcasecmp (reason, "deactivated") == 0 ||
                          g_ascii_strcasecmp (reason, "timeout") == 0 ||
                          g_ascii_strcasecmp (reason, "probation") == 0)) {
      /* RFC 6665 §4.1.3: subscribe again (at once, or after a pause). */
      guint delay = msg->sip_subscription_state->ss_retry_after
                    ? (guint) g_ascii_strtoull (msg->sip_subscription_state->ss_retry_after,
                                                NULL, 10) : 1;

      _confab_conference_set_subscription_state (self,
                                                 CONFAB_CONFERENCE_SUBSCRIPTION_SUBSCRIBING,
                                                 NULL);
      g_clear_handle_id (&sip->retry_id, g_source_remove);
      sip->retry_id = g_timeout_add_seconds (MIN (MAX (delay, 1), 3600), retry_subscribe, self);
    } else {
      g_autofree char *why = g_strdup_printf (_("The room ended the subscription (%s)"),
                                              reason ? reason : _("no reason given"));

      _confab_conference_set_subscription_state (self, CONFAB_CONFERENCE_SUBSCRIPTION_FAILED,
                                                 why);
    }
    break;
  default:
    break;
  }
}

/* REFER (RFC 3515 / RFC 4579) */

static guint
sipfrag_status (const sip_t *msg,
                char       **phrase)
{
  const char *frag;
  gsize length;
  guint status = 0;
  const char *end;

  *phrase = NULL;
  if (!msg || !msg->sip_payload || !msg->sip_payload->pl_data)
    return 0;
  frag = msg->sip_payload->pl_data;
  length = msg->sip_payload->pl_len;
  if (length < 12 || g_ascii_strncasecmp (frag, "SIP/2.0 ", 8) != 0)
    return 0;
  if (!g_ascii_isdigit (frag[8]) || !g_ascii_isdigit (frag[9]) || !g_ascii_isdigit (frag[10]))
    return 0;
  status = (guint) ((frag[8] - '0') * 100 + (frag[9] - '0') * 10 + (frag[10] - '0'));
  end = memchr (frag + 11, '\n', length - 11);
  if (!end)
    end = frag + length;
  *phrase = g_strstrip (g_strndup (frag + 11, (gsize) (end - (frag + 11))));
  if (!g_utf8_validate (*phrase, -1, NULL))
    g_clear_pointer (phrase, g_free);
  return status;
}

static void
refer_finish (ConfabConferenceSip *sip,
              ReferOp             *op,
              guint                status,
              const char          *phrase)
{
  GTask *task = g_steal_pointer (&op->task);

  if (task) {
    if (status >= 200 && status < 300) {
      g_task_return_boolean (task, TRUE);
    } else if (status == 0) {
      g_task_return_new_error (task, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                               _("The room did not say how it went"));
    } else {
      g_task_return_new_error (task, CONFAB_ERROR, CONFAB_ERROR_REJECTED,
                               op->method == CONFAB_CONFERENCE_REFER_INVITE
                               ? _("Could not add %s: %u %s")
                               : _("Could not remove %s: %u %s"),
                               op->uri, status, phrase ? phrase : "");
    }
    g_object_unref (task);
  }
  g_hash_table_remove (sip->refers, op->nh);
}

static gboolean
on_refer_timeout (gpointer user_data)
{
  ReferOp *op = user_data;

  op->timeout_id = 0;
  /* Accepted but never told how it ended: take the 202 as the answer. */
  if (op->accepted) {
    _confab_conference_emit_refer_progress (op->sip->conference, op->uri, op->method, 200,
                                            _("accepted"));
    refer_finish (op->sip, op, 200, NULL);
  } else {
    _confab_conference_emit_refer_progress (op->sip->conference, op->uri, op->method, 408,
                                            _("no answer"));
    refer_finish (op->sip, op, 408, _("no answer"));
  }
  return G_SOURCE_REMOVE;
}

static void
on_refer_event (ConfabConferenceSip *sip,
                ReferOp             *op,
                nua_event_t          event,
                int                  status,
                const char          *phrase,
                const sip_t         *msg,
                tagi_t               tags[])
{
  ConfabConference *self = sip->conference;

  if (event == nua_r_refer) {
    if (status < 200)
      return;
    if ((status == 401 || status == 407) && op->auth_attempts < MAX_AUTH_ATTEMPTS) {
      g_autofree char *creds = _confab_account_build_credentials (sip->account, msg);

      if (creds) {
        op->auth_attempts++;
        nua_authenticate (op->nh, NUTAG_AUTH (creds), TAG_END ());
        memset (creds, 0, strlen (creds));
        return;
      }
    }
    _confab_conference_emit_refer_progress (self, op->uri, op->method, (guint) status, phrase);
    if (status >= 300)
      refer_finish (sip, op, (guint) status, phrase);
    else
      op->accepted = TRUE;
    return;
  }

  if (event == nua_i_notify) {
    g_autofree char *frag_phrase = NULL;
    guint frag_status = sipfrag_status (msg, &frag_phrase);
    int substate = -1;

    tl_gets (tags, NUTAG_SUBSTATE_REF (substate), TAG_END ());
    if (frag_status)
      _confab_conference_emit_refer_progress (self, op->uri, op->method, frag_status,
                                              frag_phrase);
    if (frag_status >= 200)
      refer_finish (sip, op, frag_status, frag_phrase);
    else if (substate == nua_substate_terminated)
      /* Ended without a final sipfrag: the 202 is all we know. */
      refer_finish (sip, op, op->accepted ? 200 : 0, NULL);
  }
}

void
confab_conference_refer_async (ConfabConference           *self,
                               const char                 *uri,
                               ConfabConferenceReferMethod method,
                               GCancellable               *cancellable,
                               GAsyncReadyCallback         callback,
                               gpointer                    user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *target = NULL;
  g_autofree char *refer_to = NULL;
  ConfabConferenceSip *sip;
  ReferOp *op;
  nua_t *nua;

  g_return_if_fail (CONFAB_IS_CONFERENCE (self));
  g_return_if_fail (uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_conference_refer_async);
  sip = _confab_conference_get_sip (self);
  if (!sip) {
    g_task_return_new_error (task, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                             _("This room is not reached through an account"));
    return;
  }
  target = confab_uri_normalize (uri, NULL);
  if (!target || strpbrk (target, "<>\"\r\n")) {
    g_task_return_new_error (task, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                             _("“%s” is not an address"), uri);
    return;
  }
  nua = online_nua (sip, &error);
  if (!nua) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  op = g_new0 (ReferOp, 1);
  op->sip = sip;
  op->uri = g_strdup (target);
  op->method = method;
  op->task = g_steal_pointer (&task);
  op->nh = nua_handle (nua, self, SIPTAG_TO_STR (confab_conference_get_uri (self)), TAG_END ());
  g_hash_table_insert (sip->refers, op->nh, op);
  op->timeout_id = g_timeout_add_seconds (REFER_TIMEOUT_S, on_refer_timeout, op);
  /* The method is a header parameter of Refer-To, outside the brackets:
   * SylkServer reads only that (a URI parameter would be ignored). */
  refer_to = g_strdup_printf ("<%s>;method=%s", target,
                              method == CONFAB_CONFERENCE_REFER_INVITE ? "INVITE" : "BYE");
  g_info ("%s: REFER %s", confab_conference_get_uri (self), refer_to);
  nua_refer (op->nh, SIPTAG_REFER_TO_STR (refer_to), TAG_END ());
}

gboolean
confab_conference_refer_finish (ConfabConference  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
confab_conference_leave (ConfabConference *self)
{
  ConfabConferenceSip *sip;

  g_return_if_fail (CONFAB_IS_CONFERENCE (self));
  sip = _confab_conference_get_sip (self);
  if (!sip)
    return;
  g_clear_handle_id (&sip->retry_id, g_source_remove);
  if (!sip->sub_nh || sip->leaving) {
    _confab_conference_set_subscription_state (self, CONFAB_CONFERENCE_SUBSCRIPTION_IDLE, NULL);
    return;
  }
  sip->leaving = TRUE;
  if (sip->nua == _confab_account_get_nua (sip->account))
    nua_unsubscribe (sip->sub_nh, SIPTAG_EVENT_STR ("conference"), SIPTAG_EXPIRES_STR ("0"),
                     TAG_END ());
  else
    _confab_conference_set_subscription_state (self, CONFAB_CONFERENCE_SUBSCRIPTION_IDLE, NULL);
}

gboolean
_confab_conference_handle_event (ConfabConference *self,
                                 nua_event_t       event,
                                 int               status,
                                 const char       *phrase,
                                 nua_handle_t     *nh,
                                 const sip_t      *msg,
                                 tagi_t            tags[])
{
  g_autoptr (ConfabConference) hold = g_object_ref (self);
  ConfabConferenceSip *sip = _confab_conference_get_sip (self);
  ReferOp *op;

  if (!sip)
    return FALSE;

  op = g_hash_table_lookup (sip->refers, nh);
  if (op) {
    on_refer_event (sip, op, event, status, phrase, msg, tags);
    return TRUE;
  }
  if (nh != sip->sub_nh)
    return FALSE;

  switch (event) {
  case nua_r_subscribe:
    on_subscribe_response (self, sip, status, phrase, msg, tags);
    break;
  case nua_i_notify:
    on_conference_notify (self, sip, msg, tags);
    break;
  case nua_r_unsubscribe:
    /* A 2xx is followed by a NOTIFY with Subscription-State: terminated
     * (RFC 6665 §4.2.1.4); wait a little for it. */
    if (status >= 300 || (status >= 200 && !sip->got_notify))
      finish_leaving (self, sip);
    else if (status >= 200 && !sip->leave_id)
      sip->leave_id = g_timeout_add (LEAVE_NOTIFY_WAIT_MS, on_leave_timeout, self);
    break;
  default:
    break;
  }
  return TRUE;
}
