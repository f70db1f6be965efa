/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabRegistration"

#include "config.h"

#include "confab-registration.h"
#include "confab-account-private.h"
#include "confab-engine-private.h"
#include "confab-error.h"
#include "confab-local-address.h"
#include "confab-tls-trust.h"
#include "confab-uri.h"

#include <glib/gi18n-lib.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/tport_tag.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/su_tag_io.h>

/* How long a REGISTER may go unanswered before the server counts as
 * unreachable; sofia's own timer F would take 32 s over UDP. */
#define REGISTER_ANSWER_TIMEOUT_S 16
/* sofia ends the transaction itself (408) a little before our own watchdog,
 * so nothing is left pending when the agent shuts down. */
#define WATCHDOG_SLACK_S          4
/* Retries after a network failure back off up to this. */
#define MAX_RETRY_INTERVAL_S      600
/* The shortest session interval we accept (RFC 4028 §4: at least 90 s). */
#define SESSION_MIN_SE_S          90
/* Ports tried for the local account before giving up. */
#define LOCAL_PORT_ATTEMPTS       8

struct _ConfabRegistration
{
  GObject          parent_instance;

  ConfabAccount   *account;       /* unowned: the account owns us */
  ConfabEngine    *engine;
  ConfabUa        *ua;
  nua_handle_t    *register_nh;
  char            *tls_dir;

  guint            auth_attempts;
  guint            retry_count;
  guint            retry_id;
  guint            answer_timeout_id;
  GCancellable    *probe_cancellable;
  gboolean         stopping;
};

G_DEFINE_FINAL_TYPE (ConfabRegistration, confab_registration, G_TYPE_OBJECT)

static void send_register (ConfabRegistration *self);

static gboolean
is_provider_registering (ConfabRegistration *self)
{
  return confab_account_get_kind (self->account) == CONFAB_ACCOUNT_KIND_SIP &&
         confab_account_get_register (self->account);
}

static void
set_state (ConfabRegistration *self,
           ConfabAccountState  state,
           const char         *reason,
           const GError       *failure)
{
  if (self->account)
    _confab_account_set_state (self->account, state, reason, failure);
}

static void
clear_timers (ConfabRegistration *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->answer_timeout_id, g_source_remove);
}

/**
 * _confab_registration_describe_failure:
 * @local: the response was made up by sofia (timeout, transport error)
 * @kind: (out): set to the kind of failure
 *
 * Returns: a sentence for the user, e.g. "wrong password (403)"
 */
char *
_confab_registration_describe_failure (int          status,
                                       const char  *phrase,
                                       gboolean     local,
                                       GError     **kind)
{
  ConfabError code;
  char *reason;

  if (!phrase)
    phrase = "";

  if (status == 904) {
    /* sofia: the server challenged again the credentials it was just given */
    code = CONFAB_ERROR_AUTH;
    reason = g_strdup (_("wrong password (401)"));
  } else if (local || status >= 900 || status == 408 || status == 503) {
    code = CONFAB_ERROR_NETWORK;
    if (status == 408 || status == 0)
      reason = g_strdup (_("server unreachable: no answer"));
    else if (*phrase)
      reason = g_strdup_printf (_("server unreachable: %s"), phrase);
    else
      reason = g_strdup (_("server unreachable"));
  } else if (status == 401 || status == 407 || status == 403) {
    code = CONFAB_ERROR_AUTH;
    reason = g_strdup_printf (_("wrong password (%d)"), status);
  } else if (status == 404) {
    code = CONFAB_ERROR_REJECTED;
    reason = g_strdup_printf (_("unknown user (%d)"), status);
  } else {
    code = CONFAB_ERROR_REJECTED;
    reason = g_strdup_printf (_("registration refused: %d %s"), status, phrase);
  }
  g_set_error_literal (kind, CONFAB_ERROR, code, reason);
  return reason;
}

/* sofia answers for the network when nothing came back from it: there is no
 * Via received/rport from a server then, and the phrase names the problem. */
static gboolean
response_is_local (int          status,
                   const sip_t *sip)
{
  if (status == 904)
    return FALSE;
  if (status >= 900 || status == 408)
    return TRUE;
  if (!sip || !sip->sip_via)
    return TRUE;
  return status == 503 && !sip->sip_retry_after && !sip->sip_server;
}

/* After a failure the handle may hold a challenged or dead transaction that
 * would keep the agent from shutting down; a retry starts a fresh one. */
static void
drop_register_handle (ConfabRegistration *self)
{
  if (self->register_nh) {
    nua_handle_destroy (self->register_nh);
    self->register_nh = NULL;
  }
}

static gboolean
on_retry (gpointer user_data)
{
  ConfabRegistration *self = user_data;

  self->retry_id = 0;
  send_register (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (ConfabRegistration *self)
{
  guint interval = confab_account_get_retry_interval (self->account);

  /* 1x, 2x, 4x ... the configured interval, capped. */
  for (guint i = 0; i < self->retry_count && interval < MAX_RETRY_INTERVAL_S; i++)
    interval *= 2;
  interval = MIN (interval, MAX_RETRY_INTERVAL_S);
  self->retry_count++;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add_seconds (interval, on_retry, self);
  g_debug ("%s: retrying in %u s", confab_account_get_address (self->account), interval);
}

static void
on_tls_probe_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (ConfabRegistration) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) kind = NULL;
  g_autofree char *reason = NULL;

  reason = confab_tls_trust_probe_finish (result, &error);
  if (!reason || self->stopping || !self->account ||
      confab_account_get_state (self->account) != CONFAB_ACCOUNT_STATE_REGISTERING)
    return;

  /* sofia would refuse the same certificate and only time out later. */
  clear_timers (self);
  drop_register_handle (self);
  kind = g_error_new_literal (CONFAB_ERROR, CONFAB_ERROR_TLS, reason);
  set_state (self, CONFAB_ACCOUNT_STATE_FAILED, reason, kind);
  schedule_retry (self);
}

/* Over TLS, check the server's certificate alongside the first REGISTER:
 * sofia reports a refused certificate only as a timeout, and the user must
 * read why ("certificate not trusted: issued by an unknown authority"). */
static void
check_tls_certificate (ConfabRegistration *self)
{
  const char *target = confab_account_get_proxy (self->account);
  g_autoptr (ConfabUri) uri = NULL;
  g_autofree char *bundle = NULL;

  if (!target)
    target = confab_account_get_address (self->account);
  uri = confab_uri_parse (target, NULL);
  if (!uri || !uri->host || !self->tls_dir)
    return;
  bundle = confab_tls_trust_dir_get_bundle (self->tls_dir);

  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  self->probe_cancellable = g_cancellable_new ();
  confab_tls_trust_probe_async (uri->host, uri->port ? uri->port : 5061, bundle,
                                self->probe_cancellable, on_tls_probe_done,
                                g_object_ref (self));
}

static void
fail (ConfabRegistration *self,
      int                 status,
      const char         *phrase,
      const sip_t        *sip)
{
  g_autoptr (GError) kind = NULL;
  g_autofree char *reason = NULL;
  gboolean local = response_is_local (status, sip);

  clear_timers (self);
  drop_register_handle (self);
  reason = _confab_registration_describe_failure (status, phrase, local, &kind);
  g_info ("%s: registration failed: %d %s", confab_account_get_address (self->account),
          status, phrase ? phrase : "");
  set_state (self, CONFAB_ACCOUNT_STATE_FAILED, reason, kind);

  /* Retrying a refused password would only lock the account out. */
  if (kind->code == CONFAB_ERROR_NETWORK)
    schedule_retry (self);
}

static gboolean
on_answer_timeout (gpointer user_data)
{
  ConfabRegistration *self = user_data;

  self->answer_timeout_id = 0;
  fail (self, 408, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static guint
granted_expires (ConfabRegistration *self,
                 const sip_t        *sip)
{
  if (!sip)
    return 0;
  for (const sip_contact_t *m = sip->sip_contact; m; m = m->m_next) {
    if (m->m_expires)
      return (guint) g_ascii_strtoull (m->m_expires, NULL, 10);
  }
  if (sip->sip_expires)
    return sip->sip_expires->ex_delta;
  return confab_account_get_expires (self->account);
}

static void
on_register_response (ConfabRegistration *self,
                      int                 status,
                      const char         *phrase,
                      nua_handle_t       *nh,
                      const sip_t        *sip)
{
  if (nh != self->register_nh || status < 200)
    return;

  g_clear_handle_id (&self->answer_timeout_id, g_source_remove);

  if (status == 401 || status == 407) {
    g_autofree char *creds = NULL;

    /* A second challenge for the same credentials means they are wrong. */
    if (self->auth_attempts < 2)
      creds = _confab_account_build_credentials (self->account, sip);
    if (creds) {
      self->auth_attempts++;
      self->answer_timeout_id =
        g_timeout_add_seconds (REGISTER_ANSWER_TIMEOUT_S + WATCHDOG_SLACK_S, on_answer_timeout, self);
      nua_authenticate (nh, NUTAG_AUTH (creds), TAG_END ());
      memset (creds, 0, strlen (creds));
      return;
    }
    if (!confab_account_get_password (self->account)) {
      g_autoptr (GError) kind =
        g_error_new_literal (CONFAB_ERROR, CONFAB_ERROR_AUTH, _("password needed"));

      drop_register_handle (self);
      set_state (self, CONFAB_ACCOUNT_STATE_FAILED, kind->message, kind);
      return;
    }
    fail (self, status, phrase, sip);
    return;
  }

  if (status >= 300) {
    fail (self, status, phrase, sip);
    return;
  }

  self->auth_attempts = 0;
  self->retry_count = 0;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (sip && sip->sip_contact) {
    g_autofree char *contact = NULL;
    su_home_t home[1] = { SU_HOME_INIT (home) };
    char *text = sip_header_as_string (home, (const sip_header_t *) sip->sip_contact);

    contact = g_strdup (text);
    su_home_deinit (home);
    _confab_account_set_contact (self->account, contact);
  }
  _confab_account_set_granted_expires (self->account, granted_expires (self, sip));
  set_state (self, CONFAB_ACCOUNT_STATE_REGISTERED, NULL, NULL);
}

static void
on_ua_event (nua_event_t   event,
             int           status,
             const char   *phrase,
             nua_t        *nua,
             nua_handle_t *nh,
             const sip_t  *sip,
             tagi_t        tags[],
             gpointer      user_data)
{
  ConfabRegistration *self = user_data;

  g_debug ("%s: %s %d %s", self->account ? confab_account_get_address (self->account) : "?",
           nua_event_name (event), status, phrase ? phrase : "");

  switch (event) {
  case nua_r_register:
    on_register_response (self, status, phrase, nh, sip);
    break;

  case nua_r_unregister:
    if (nh == self->register_nh && status >= 200)
      set_state (self, CONFAB_ACCOUNT_STATE_UNREGISTERING, NULL, NULL);
    break;

  default:
    if (nh == self->register_nh && nh)
      break;
    if (self->account &&
        _confab_engine_dispatch_call (self->engine, self->account, event, status, phrase, nua,
                                      nh, sip, tags))
      break;
    /* Nobody takes calls (e.g. confab-cli register): say so politely. */
    if (event == nua_i_invite)
      nua_respond (nh, SIP_480_TEMPORARILY_UNAVAILABLE, TAG_END ());
    else if (event == nua_i_terminated && nh && !nua_handle_magic (nh))
      nua_handle_destroy (nh);
    break;
  }
}

static void
send_register (ConfabRegistration *self)
{
  g_autoptr (ConfabUri) aor = NULL;
  g_autofree char *registrar = NULL;
  g_autofree char *expires = NULL;
  const char *transport_param;
  nua_t *nua = _confab_ua_get_nua (self->ua);
  ConfabTransport transport = confab_account_get_transport (self->account);

  clear_timers (self);
  aor = confab_uri_parse (confab_account_get_address (self->account), NULL);
  g_assert (aor != NULL);

  transport_param = transport == CONFAB_TRANSPORT_TLS ? ";transport=tls" :
                    transport == CONFAB_TRANSPORT_TCP ? ";transport=tcp" : "";
  /* The registrar is the domain; RFC 3263 (NAPTR/SRV/A) finds the host. */
  registrar = g_strdup_printf ("%s:%s%s", aor->scheme == CONFAB_URI_SCHEME_SIPS ? "sips" : "sip",
                               aor->host, aor->scheme == CONFAB_URI_SCHEME_SIPS ? "" : transport_param);
  expires = g_strdup_printf ("%u", confab_account_get_expires (self->account));

  if (!self->register_nh) {
    const char *address = confab_account_get_address (self->account);

    self->register_nh = nua_handle (nua, self, SIPTAG_TO_STR (address), TAG_END ());
  }
  self->auth_attempts = 0;
  set_state (self, CONFAB_ACCOUNT_STATE_REGISTERING, NULL, NULL);
  self->answer_timeout_id =
    g_timeout_add_seconds (REGISTER_ANSWER_TIMEOUT_S + WATCHDOG_SLACK_S, on_answer_timeout, self);
  if (transport == CONFAB_TRANSPORT_TLS)
    check_tls_certificate (self);
  nua_register (self->register_nh,
                NUTAG_REGISTRAR (registrar),
                SIPTAG_EXPIRES_STR (expires),
                NUTAG_OUTBOUND ("natify use-rport"),
                TAG_END ());
}

/* "sip:*:*" or the configured bind address; the port is the kernel's pick. */
static char *
build_bind_url (ConfabRegistration *self,
                const char         *scheme,
                guint               port)
{
  const char *bind = confab_engine_get_bind_address (self->engine);
  g_autofree char *host = NULL;

  if (!bind)
    host = g_strdup ("*");
  else if (strchr (bind, ':'))
    host = g_strdup_printf ("[%s]", bind);
  else
    host = g_strdup (bind);

  if (port)
    return g_strdup_printf ("%s:%s:%u", scheme, host, port);
  return g_strdup_printf ("%s:%s:*", scheme, host);
}

static ConfabUa *
create_ua (ConfabRegistration *self,
           guint               port,
           GError            **error)
{
  ConfabAccount *account = self->account;
  g_autofree char *url = build_bind_url (self, "sip", port);
  g_autofree char *sips_url = NULL;
  g_autofree char *from = NULL;
  g_autoptr (ConfabUri) aor = confab_uri_parse (confab_account_get_address (account), NULL);
  const char *display = confab_account_get_display_name (account);
  gboolean tls = confab_account_get_transport (account) == CONFAB_TRANSPORT_TLS &&
                 confab_account_get_kind (account) == CONFAB_ACCOUNT_KIND_SIP;

  if (tls) {
    g_free (self->tls_dir);
    self->tls_dir = confab_tls_trust_make_dir (confab_account_get_ca_file (account), error);
    if (!self->tls_dir)
      return NULL;
    sips_url = build_bind_url (self, "sips", 0);
  }

  if (display) {
    g_autofree char *quoted = g_strescape (display, NULL);

    from = g_strdup_printf ("\"%s\" <%s>", quoted, confab_account_get_address (account));
  } else {
    from = g_strdup (confab_account_get_address (account));
  }

  return _confab_engine_create_ua (self->engine, on_ua_event, self, error,
                                   NUTAG_URL (url),
                                   TAG_IF (tls, NUTAG_SIPS_URL (sips_url)),
                                   TAG_IF (tls, TPTAG_CERTIFICATE (self->tls_dir)),
                                   TAG_IF (tls, TPTAG_TLS_VERIFY_POLICY (TPTLS_VERIFY_SUBJECTS_OUT)),
                                   TAG_IF (tls, TPTAG_TLS_VERIFY_DEPTH (8)),
                                   TAG_IF (tls, TPTAG_TLS_VERIFY_DATE (1)),
                                   SIPTAG_FROM_STR (from),
                                   NUTAG_M_USERNAME (aor ? aor->user : NULL),
                                   TAG_IF (display, NUTAG_M_DISPLAY (display)),
                                   TAG_IF (confab_account_get_proxy (account),
                                           NUTAG_PROXY (confab_account_get_proxy (account))),
                                   NTATAG_CLIENT_RPORT (1),
                                   NTATAG_SIP_T1X64 (REGISTER_ANSWER_TIMEOUT_S * 1000),
                                   NUTAG_USER_AGENT ("Confab/" PACKAGE_VERSION),
                                   NUTAG_ENABLEMESSAGE (1),
                                   /* We own the SDP (core/sdp); sofia's soa stays out. */
                                   NUTAG_MEDIA_ENABLE (0),
                                   NUTAG_AUTOANSWER (0),
                                   NUTAG_AUTOALERT (0),
                                   /* We ACK 2xx ourselves: an offer in a 2xx
                                    * needs our answer in the ACK. */
                                   NUTAG_AUTOACK (0),
                                   /* UPDATE may carry an offer: ours to answer;
                                    * so is MESSAGE (core/im/confab-pager.c). */
                                   NUTAG_APPL_METHOD ("UPDATE, MESSAGE"),
                                   /* Session timers (RFC 4028) when the peer
                                    * asks; sofia refreshes when we are the
                                    * refresher (see
                                    * _confab_session_note_peer_allow). */
                                   NUTAG_SUPPORTED ("timer, 100rel"),
                                   NUTAG_MIN_SE (SESSION_MIN_SE_S),
                                   NUTAG_ALLOW ("INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, "
                                                "REFER, NOTIFY, INFO, MESSAGE"),
                                   TAG_END ());
}

static gboolean
start_local (ConfabRegistration *self,
             GError            **error)
{
  guint wanted = confab_account_get_local_port (self->account);
  guint port = wanted;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *host = NULL;
  g_autoptr (ConfabUri) aor = NULL;

  for (guint attempt = 0; attempt < LOCAL_PORT_ATTEMPTS; attempt++) {
    const char *bind = confab_engine_get_bind_address (self->engine);

    /* Checked first: a failing nua_create() leaks inside sofia. */
    if (port == 0 || attempt > 0 || !confab_local_address_port_is_free (bind, port))
      port = confab_local_address_find_free_port (bind);
    if (port == 0)
      break;
    g_clear_error (&local_error);
    self->ua = create_ua (self, port, &local_error);
    if (self->ua)
      break;
    g_debug ("local account: port %u is taken: %s", port, local_error->message);
  }
  if (!self->ua) {
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                _("No free SIP port for the local account: "));
    return FALSE;
  }
  _confab_account_set_bound_port (self->account, port);

  aor = confab_uri_parse (confab_account_get_address (self->account), NULL);
  host = confab_local_address_pick (confab_engine_get_bind_address (self->engine));
  contact = g_strdup_printf (strchr (host, ':') ? "sip:%s@[%s]:%u" : "sip:%s@%s:%u",
                             aor->user, host, port);
  _confab_account_set_contact (self->account, contact);

  if (wanted && port != wanted) {
    g_autofree char *reason =
      g_strdup_printf (_("port %u is in use, listening on %u instead"), wanted, port);
    set_state (self, CONFAB_ACCOUNT_STATE_READY, reason, NULL);
  } else {
    set_state (self, CONFAB_ACCOUNT_STATE_READY, NULL, NULL);
  }
  return TRUE;
}

gboolean
_confab_registration_start (ConfabRegistration *self,
                            GError            **error)
{
  g_return_val_if_fail (CONFAB_IS_REGISTRATION (self), FALSE);
  g_return_val_if_fail (self->ua == NULL, FALSE);

  self->stopping = FALSE;
  if (confab_account_get_kind (self->account) == CONFAB_ACCOUNT_KIND_LOCAL)
    return start_local (self, error);

  self->ua = create_ua (self, 0, error);
  if (!self->ua) {
    g_autoptr (GError) kind = g_error_new_literal (CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                                                   _("could not open a SIP socket"));
    set_state (self, CONFAB_ACCOUNT_STATE_FAILED, kind->message, kind);
    return FALSE;
  }

  if (is_provider_registering (self))
    send_register (self);
  else
    set_state (self, CONFAB_ACCOUNT_STATE_READY, NULL, NULL);
  return TRUE;
}

static void
on_ua_released (gpointer data)
{
  g_autoptr (ConfabRegistration) self = data;

  /* Switched off and on again quickly: the new agent owns the state now. */
  if (self->account && !confab_account_is_online (self->account)) {
    _confab_account_set_contact (self->account, NULL);
    _confab_account_set_granted_expires (self->account, 0);
    set_state (self, CONFAB_ACCOUNT_STATE_DISABLED, NULL, NULL);
  }
}

/**
 * _confab_registration_stop:
 *
 * Un-REGISTERs (sofia does it while shutting the agent down) and closes the
 * agent. The account reads "disabled" once that is done.
 */
void
_confab_registration_stop (ConfabRegistration *self)
{
  g_return_if_fail (CONFAB_IS_REGISTRATION (self));

  if (self->stopping || !self->ua)
    return;
  self->stopping = TRUE;
  clear_timers (self);
  g_cancellable_cancel (self->probe_cancellable);

  if (confab_account_get_state (self->account) == CONFAB_ACCOUNT_STATE_REGISTERED)
    set_state (self, CONFAB_ACCOUNT_STATE_UNREGISTERING, NULL, NULL);
  /* The handle belongs to the agent; sofia frees it while shutting down. */
  self->register_nh = NULL;
  _confab_engine_release_ua (self->engine, self->ua, on_ua_released, g_object_ref (self));
  self->ua = NULL;
}

nua_t *
_confab_registration_get_nua (ConfabRegistration *self)
{
  g_return_val_if_fail (CONFAB_IS_REGISTRATION (self), NULL);
  return self->ua && !self->stopping ? _confab_ua_get_nua (self->ua) : NULL;
}

gboolean
_confab_registration_is_active (ConfabRegistration *self)
{
  g_return_val_if_fail (CONFAB_IS_REGISTRATION (self), FALSE);
  return self->ua != NULL && !self->stopping;
}

static void
on_account_finalized (gpointer  data,
                      GObject  *where_the_object_was)
{
  ConfabRegistration *self = data;

  self->account = NULL;
}

static void
confab_registration_dispose (GObject *object)
{
  ConfabRegistration *self = CONFAB_REGISTRATION (object);

  clear_timers (self);
  if (self->probe_cancellable)
    g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  if (self->account) {
    g_object_weak_unref (G_OBJECT (self->account), on_account_finalized, self);
    self->account = NULL;
  }
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (confab_registration_parent_class)->dispose (object);
}

static void
confab_registration_finalize (GObject *object)
{
  ConfabRegistration *self = CONFAB_REGISTRATION (object);

  if (self->tls_dir)
    confab_tls_trust_remove_dir (self->tls_dir);
  g_free (self->tls_dir);

  G_OBJECT_CLASS (confab_registration_parent_class)->finalize (object);
}

static void
confab_registration_class_init (ConfabRegistrationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = confab_registration_dispose;
  object_class->finalize = confab_registration_finalize;
}

static void
confab_registration_init (ConfabRegistration *self)
{
}

ConfabRegistration *
_confab_registration_new (ConfabAccount *account,
                          ConfabEngine  *engine)
{
  ConfabRegistration *self = g_object_new (CONFAB_TYPE_REGISTRATION, NULL);

  self->account = account;
  g_object_weak_ref (G_OBJECT (account), on_account_finalized, self);
  self->engine = g_object_ref (engine);
  return self;
}
