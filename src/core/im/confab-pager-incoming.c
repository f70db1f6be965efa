/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabPager"

#include "config.h"

#include "im/confab-pager-private.h"
#include "confab-account.h"
#include "confab-error.h"
#include "confab-uri.h"
#include "im/confab-cpim.h"
#include "im/confab-is-composing.h"

#include <glib/gi18n-lib.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/url.h>

#include <string.h>

/* Incoming MESSAGE requests: answered first (200, or 400/413/415), acted on
 * after, so that nothing a signal handler does delays the answer. */

#define ACCEPTED_TYPES "message/cpim, text/*, " CONFAB_IMDN_CONTENT_TYPE ", " \
                       CONFAB_IS_COMPOSING_CONTENT_TYPE
#define IMDN_RETURN_KEY "confab-pager-imdn-return"

/* What the sender of a received message asked to be told, and where to
 * tell it; kept on the message for confab_pager_send_displayed(). */
typedef struct
{
  GWeakRef           account;      /* the account it came to */
  char              *request_uri;  /* where notifications go */
  char              *to_uri;       /* the sender's address */
  char              *message_id;   /* its imdn.Message-ID */
  GDateTime         *date_time;    /* its DateTime, or NULL */
  ConfabImdnRequest  requested;    /* what is still owed */
} ImdnReturn;

typedef struct
{
  int                status;
  const char        *phrase;
  const char        *warning;
  ConfabChatMessage *message;      /* to emit */
  ImdnReturn        *imdn_return;  /* its notification requests */
  ConfabImdn        *notification; /* about one of ours */
  ConfabIsComposing *composing;
  char              *sender_uri;
} Incoming;

static void
imdn_return_free (gpointer data)
{
  ImdnReturn *r = data;

  g_weak_ref_clear (&r->account);
  g_free (r->request_uri);
  g_free (r->to_uri);
  g_free (r->message_id);
  g_clear_pointer (&r->date_time, g_date_time_unref);
  g_free (r);
}

static void
incoming_clear (Incoming *in)
{
  g_clear_object (&in->message);
  g_clear_pointer (&in->imdn_return, imdn_return_free);
  g_clear_pointer (&in->notification, confab_imdn_free);
  g_clear_pointer (&in->composing, confab_is_composing_free);
  g_clear_pointer (&in->sender_uri, g_free);
}

/* "Text/Plain; charset=UTF-8" -> "text/plain" */
static char *
media_type_of (const char *content_type)
{
  const char *semicolon = strchr (content_type, ';');
  g_autofree char *type = semicolon ? g_strndup (content_type, semicolon - content_type)
                                    : g_strdup (content_type);

  return g_ascii_strdown (g_strstrip (type), -1);
}

static char *
url_to_string (const url_t *url)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  char *text = url ? url_as_string (home, url) : NULL;
  char *copy = g_strdup (text);

  su_home_deinit (home);
  return copy;
}

/* A display name as SIP quotes it, without the quotes and escapes. */
static char *
unquote_display (const char *display)
{
  gsize length = display ? strlen (display) : 0;
  g_autofree char *inner = NULL;

  if (length < 2 || display[0] != '"' || display[length - 1] != '"')
    return g_strdup (display);
  inner = g_strndup (display + 1, length - 2);
  return g_strcompress (inner);
}

static gboolean
is_sip_uri (const char *uri)
{
  return uri && (g_ascii_strncasecmp (uri, "sip:", 4) == 0 ||
                 g_ascii_strncasecmp (uri, "sips:", 5) == 0);
}

/* Where the request came from: its Contact, else its top Via. */
static char *
origin_of (const sip_t *sip,
           const char  *user)
{
  const sip_via_t *via = sip->sip_via;
  g_autofree char *escaped = NULL;
  g_autofree char *host = NULL;
  const char *port;
  const char *transport = "";
  gboolean stream;

  if (sip->sip_contact)
    return url_to_string (sip->sip_contact->m_url);
  if (!via || !via->v_host)
    return NULL;

  stream = via->v_protocol && (g_str_has_suffix (via->v_protocol, "TCP") ||
                               g_str_has_suffix (via->v_protocol, "TLS"));
  if (via->v_protocol && g_str_has_suffix (via->v_protocol, "TCP"))
    transport = ";transport=tcp";
  else if (via->v_protocol && g_str_has_suffix (via->v_protocol, "TLS"))
    transport = ";transport=tls";
  host = g_strdup (via->v_received ? via->v_received : via->v_host);
  if (strchr (host, ':') && host[0] != '[') {
    g_autofree char *bare = g_steal_pointer (&host);

    host = g_strdup_printf ("[%s]", bare);
  }
  /* over UDP answers go where the request came from; over TCP and TLS the
   * sender listens on the port it named */
  port = !stream && via->v_rport && *via->v_rport ? via->v_rport : via->v_port;
  if (user && *user)
    escaped = g_uri_escape_string (user, "-_.!~*'()&=+$,;?/", FALSE);
  return g_strdup_printf ("sip:%s%s%s%s%s%s", escaped ? escaped : "", escaped ? "@" : "", host,
                          port ? ":" : "", port ? port : "", transport);
}

/* Notifications go to the sender's address through the account's proxy;
 * the local account has no proxy to find it by, nor has an address such as
 * sip:bob@localhost: those go back where the message came from. */
static char *
notification_target (ConfabAccount *account,
                     const char    *sender,
                     const sip_t   *sip)
{
  g_autoptr (ConfabUri) uri = confab_uri_parse (sender, NULL);
  gboolean routable = uri && uri->host && g_ascii_strcasecmp (uri->host, "localhost") != 0;
  char *origin;

  if (routable && confab_account_get_kind (account) != CONFAB_ACCOUNT_KIND_LOCAL)
    return g_strdup (sender);
  origin = origin_of (sip, uri ? uri->user : NULL);
  return origin ? origin : g_strdup (sender);
}

static void
refuse (Incoming   *in,
        int         status,
        const char *phrase,
        const char *warning)
{
  in->status = status;
  in->phrase = phrase;
  in->warning = warning;
}

static void
read_body (ConfabAccount           *account,
           const sip_t             *sip,
           const char              *content_type,
           GBytes                  *body,
           const ConfabCpimMessage *cpim,
           const char              *sender,
           const char              *sender_display,
           Incoming                *in)
{
  g_autofree char *media_type = media_type_of (content_type);
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);

  if (g_str_equal (media_type, CONFAB_IMDN_CONTENT_TYPE)) {
    in->notification = confab_imdn_parse (data, length, &error);
    if (!in->notification)
      refuse (in, 400, "Bad Request", "399 confab \"Malformed delivery notification\"");
  } else if (g_str_equal (media_type, CONFAB_IS_COMPOSING_CONTENT_TYPE)) {
    in->composing = confab_is_composing_parse (data, length, &error);
    if (!in->composing)
      refuse (in, 400, "Bad Request", "399 confab \"Malformed is-composing indication\"");
    in->sender_uri = g_strdup (sender);
  } else if (g_str_has_prefix (media_type, "text/")) {
    const char *id = cpim ? confab_cpim_message_get_header (cpim, CONFAB_CPIM_NS_IMDN,
                                                            "Message-ID") : NULL;
    ConfabImdnRequest requested =
      cpim ? confab_imdn_request_parse (confab_cpim_message_get_header (
               cpim, CONFAB_CPIM_NS_IMDN, "Disposition-Notification"))
           : CONFAB_IMDN_REQUEST_NONE;
    g_autofree char *conversation = confab_uri_normalize (sender, NULL);

    /* OTR negotiation (Blink sends "?OTRv3?…" as text): not a message */
    if (length >= 4 && memcmp (data, "?OTR", 4) == 0) {
      g_debug ("Ignoring an OTR query from %s", sender);
      return;
    }
    if (id && (strlen (id) > CONFAB_IMDN_MAX_ID_LENGTH || !*id))
      id = NULL;
    in->message = confab_chat_message_new (id, CONFAB_CHAT_DIRECTION_INCOMING,
                                           conversation ? conversation : sender, sender,
                                           sender_display, content_type, body,
                                           cpim ? cpim->date_time : NULL);
    if (id && (requested & (CONFAB_IMDN_REQUEST_POSITIVE_DELIVERY |
                            CONFAB_IMDN_REQUEST_DISPLAY))) {
      const char *sip_from = NULL;
      g_autofree char *sip_from_text = sip->sip_from ? url_to_string (sip->sip_from->a_url)
                                                     : NULL;
      ImdnReturn *r = g_new0 (ImdnReturn, 1);

      /* SIP routes to the CPIM sender when it is a SIP address (im: and
       * pres: ones are not) */
      sip_from = is_sip_uri (sender) ? sender : sip_from_text;
      g_weak_ref_init (&r->account, account);
      r->to_uri = g_strdup (sip_from ? sip_from : sender);
      r->request_uri = notification_target (account, r->to_uri, sip);
      r->message_id = g_strdup (id);
      r->date_time = cpim && cpim->date_time ? g_date_time_ref (cpim->date_time) : NULL;
      r->requested = requested;
      in->imdn_return = r;
    }
  } else {
    refuse (in, 415, "Unsupported Media Type", NULL);
  }
  if (error)
    g_info ("MESSAGE from %s refused: %s", sender, error->message);
}

static void
read_request (ConfabAccount *account,
              const sip_t   *sip,
              Incoming      *in)
{
  const sip_payload_t *pl = sip->sip_payload;
  gsize length = pl ? pl->pl_len : 0;
  g_autoptr (GBytes) payload = NULL;
  g_autoptr (ConfabCpimMessage) cpim = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *media_type = NULL;
  g_autofree char *sip_from = NULL;
  const char *sender;
  const char *display = NULL;

  if (length > CONFAB_PAGER_MAX_BODY) {
    refuse (in, 413, "Request Entity Too Large", NULL);
    return;
  }
  if (length == 0)
    return;   /* nothing to show */
  payload = g_bytes_new (pl->pl_data, length);

  if (sip->sip_content_type) {
    su_home_t home[1] = { SU_HOME_INIT (home) };

    content_type = g_strdup (sip_header_as_string (home,
                                                   (const sip_header_t *) sip->sip_content_type));
    su_home_deinit (home);
  }
  if (!content_type)
    content_type = g_strdup ("text/plain");
  media_type = media_type_of (content_type);
  sip_from = sip->sip_from ? url_to_string (sip->sip_from->a_url) : NULL;
  if (!sip_from) {
    refuse (in, 400, "Bad Request", NULL);
    return;
  }
  sender = sip_from;
  display = sip->sip_from->a_display;

  if (!g_str_equal (media_type, CONFAB_CPIM_CONTENT_TYPE)) {
    g_autofree char *unquoted = unquote_display (display);

    read_body (account, sip, content_type, payload, NULL, sender, unquoted, in);
    return;
  }

  cpim = confab_cpim_message_parse (payload, &error);
  if (!cpim) {
    g_info ("MESSAGE from %s refused: %s", sip_from, error->message);
    refuse (in, 400, "Bad Request", "399 confab \"Malformed CPIM message\"");
    return;
  }
  if (cpim->from && cpim->from->uri) {
    sender = cpim->from->uri;
    display = cpim->from->display_name;
  }
  g_free (media_type);
  media_type = media_type_of (cpim->content_type ? cpim->content_type : "text/plain");
  if (g_str_equal (media_type, CONFAB_CPIM_CONTENT_TYPE)) {
    refuse (in, 415, "Unsupported Media Type", NULL);
    return;
  }
  read_body (account, sip, cpim->content_type ? cpim->content_type : "text/plain", cpim->body,
             cpim, sender, display, in);
}

static gboolean
send_notification (ConfabPager      *self,
                   ImdnReturn       *r,
                   ConfabImdnKind    kind,
                   ConfabImdnStatus  status,
                   GError          **error)
{
  g_autoptr (ConfabAccount) account = g_weak_ref_get (&r->account);
  g_autoptr (ConfabImdn) imdn = confab_imdn_new (r->message_id, kind, status);
  g_autoptr (ConfabCpimMessage) cpim = confab_cpim_message_new ();
  g_autoptr (GBytes) payload = NULL;
  g_autoptr (GBytes) document = NULL;
  g_autofree char *id = _confab_pager_new_message_id ();
  char *xml;

  if (!account) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NOT_FOUND,
                 _("The account the message came to is gone"));
    return FALSE;
  }
  imdn->date_time = r->date_time ? g_date_time_ref (r->date_time) : NULL;
  imdn->recipient_uri = g_strdup (confab_account_get_address (account));
  xml = confab_imdn_to_xml (imdn, error);
  if (!xml)
    return FALSE;
  document = g_bytes_new_take (xml, strlen (xml));

  /* RFC 5438 section 7.2.1.1 */
  cpim->from = confab_cpim_address_new (confab_account_get_display_name (account),
                                        confab_account_get_address (account));
  g_ptr_array_add (cpim->to, confab_cpim_address_new (NULL, r->to_uri));
  cpim->date_time = g_date_time_new_now_local ();
  confab_cpim_message_add_namespace (cpim, "imdn", CONFAB_CPIM_NS_IMDN);
  confab_cpim_message_add_header (cpim, "imdn", "Message-ID", id);
  confab_cpim_message_set_body (cpim, CONFAB_IMDN_CONTENT_TYPE, document);
  cpim->content_disposition = g_strdup ("notification");
  payload = confab_cpim_message_to_bytes (cpim, error);
  if (!payload)
    return FALSE;
  g_debug ("Sending %s notification about %s to %s", confab_imdn_status_to_string (status),
           r->message_id, r->request_uri);
  return _confab_pager_send_request (self, account, r->request_uri, r->to_uri,
                                     CONFAB_CPIM_CONTENT_TYPE, payload, NULL, NULL, error);
}

static void
act (ConfabPager *self,
     Incoming    *in)
{
  g_autoptr (GError) error = NULL;

  if (in->notification)
    _confab_pager_handle_notification (self, in->notification);
  if (in->composing)
    _confab_pager_emit_composing (self, in->sender_uri,
                                  in->composing->state == CONFAB_COMPOSING_STATE_ACTIVE,
                                  confab_is_composing_get_timeout (in->composing));
  if (!in->message)
    return;

  if (in->imdn_return) {
    ImdnReturn *r = g_steal_pointer (&in->imdn_return);

    g_object_set_data_full (G_OBJECT (in->message), IMDN_RETURN_KEY, r, imdn_return_free);
    _confab_pager_emit_received (self, in->message);
    if ((r->requested & CONFAB_IMDN_REQUEST_POSITIVE_DELIVERY)) {
      r->requested &= ~CONFAB_IMDN_REQUEST_POSITIVE_DELIVERY;
      if (!send_notification (self, r, CONFAB_IMDN_KIND_DELIVERY, CONFAB_IMDN_STATUS_DELIVERED,
                              &error))
        g_info ("Delivery notification not sent: %s", error->message);
    }
    return;
  }
  _confab_pager_emit_received (self, in->message);
}

void
_confab_pager_receive (ConfabPager   *self,
                       ConfabAccount *account,
                       nua_t         *nua,
                       nua_handle_t  *nh,
                       const sip_t   *sip)
{
  Incoming in = { .status = 200, .phrase = "OK" };

  if (sip)
    read_request (account, sip, &in);
  else
    refuse (&in, 400, "Bad Request", NULL);
  nua_respond (nh, in.status, in.phrase, NUTAG_WITH_THIS (nua),
               TAG_IF (in.warning, SIPTAG_WARNING_STR (in.warning)),
               TAG_IF (in.status == 415, SIPTAG_ACCEPT_STR (ACCEPTED_TYPES)),
               TAG_END ());
  /* a handle of its own (not a call's dialog): ours to free */
  if (!nua_handle_magic (nh))
    nua_handle_destroy (nh);
  act (self, &in);
  incoming_clear (&in);
}

/**
 * confab_pager_send_displayed:
 * @message: a message from "message-received"
 *
 * Sends a display notification when the sender asked for one (once).
 *
 * Returns: %FALSE when it could not be sent
 */
gboolean
confab_pager_send_displayed (ConfabPager        *self,
                             ConfabChatMessage  *message,
                             GError            **error)
{
  ImdnReturn *r;

  g_return_val_if_fail (CONFAB_IS_PAGER (self), FALSE);
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (message), FALSE);

  r = g_object_get_data (G_OBJECT (message), IMDN_RETURN_KEY);
  if (!r || !(r->requested & CONFAB_IMDN_REQUEST_DISPLAY))
    return TRUE;
  r->requested &= ~CONFAB_IMDN_REQUEST_DISPLAY;
  return send_notification (self, r, CONFAB_IMDN_KIND_DISPLAY, CONFAB_IMDN_STATUS_DISPLAYED,
                            error);
}
