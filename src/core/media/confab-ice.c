/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE  /* RTLD_DEFAULT, dladdr() */
#define G_LOG_DOMAIN "ConfabIce"

#include "config.h"

#include "confab-ice.h"
#include "confab-error.h"

#include <agent.h>
#include <dlfcn.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#define DEFAULT_STUN_PORT     3478
/* Candidates per component we put in SDP; the rest would only slow the
 * checks down (and a line per candidate is what a peer's parser bounds). */
#define MAX_LOCAL_CANDIDATES  16
#define MAX_REMOTE_CANDIDATES 32
/* A call waits this long at most for STUN and TURN answers; then it goes
 * with the candidates it has. */
#define GATHER_LIMIT_MS       3000

struct _ConfabIce
{
  GObject           parent_instance;

  NiceAgent        *agent;
  guint             stream_id;
  guint             n_components;
  char             *bind_address;
  ConfabIceServers *servers;
  GCancellable     *cancellable;
  guint             pending_lookups;
  GSource          *gather_limit;

  ConfabIceState    state;
  gboolean          gather_started;
  gboolean          remote_set;
  gboolean          component_ready[3];
  char             *pair_type;
  char             *remote_ufrag;
};

G_DEFINE_FINAL_TYPE (ConfabIce, confab_ice, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PAIR_TYPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- the agent ----------------------------------------------------------- */

static void
set_state (ConfabIce      *self,
           ConfabIceState  state)
{
  if (self->state == state)
    return;
  g_debug ("ICE stream %u: %s", self->stream_id, confab_ice_state_to_string (state));
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
on_gathering_done (NiceAgent *agent,
                   guint      stream_id,
                   ConfabIce *self)
{
  if (stream_id != self->stream_id || self->state != CONFAB_ICE_STATE_GATHERING)
    return;
  if (self->gather_limit) {
    g_source_destroy (self->gather_limit);
    g_clear_pointer (&self->gather_limit, g_source_unref);
  }
  set_state (self, self->remote_set ? CONFAB_ICE_STATE_CHECKING : CONFAB_ICE_STATE_GATHERED);
}

static gboolean
on_gather_limit (gpointer user_data)
{
  ConfabIce *self = user_data;

  g_clear_pointer (&self->gather_limit, g_source_unref);
  if (self->state == CONFAB_ICE_STATE_GATHERING) {
    g_message ("ICE servers did not answer within %d ms; going on without them", GATHER_LIMIT_MS);
    set_state (self, self->remote_set ? CONFAB_ICE_STATE_CHECKING : CONFAB_ICE_STATE_GATHERED);
  }
  return G_SOURCE_REMOVE;
}

static void
on_component_state (NiceAgent *agent,
                    guint      stream_id,
                    guint      component_id,
                    guint      state,
                    ConfabIce *self)
{
  if (stream_id != self->stream_id || component_id > 2)
    return;
  g_debug ("ICE component %u: %s", component_id, nice_component_state_to_string (state));

  /* RTP is what the call needs; RTCP (or its unused component with
   * rtcp-mux) does not fail the call. */
  if (component_id != 1)
    return;
  if (state == NICE_COMPONENT_STATE_CONNECTED || state == NICE_COMPONENT_STATE_READY)
    set_state (self, CONFAB_ICE_STATE_CONNECTED);
  else if (state == NICE_COMPONENT_STATE_FAILED)
    set_state (self, CONFAB_ICE_STATE_FAILED);
}

static const char *
candidate_type_name (NiceCandidateType type)
{
  switch (type) {
  case NICE_CANDIDATE_TYPE_HOST:
    return "host";
  case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE:
    return "srflx";
  case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE:
    return "prflx";
  case NICE_CANDIDATE_TYPE_RELAYED:
    return "relay";
  default:
    return "unknown";
  }
}

static void
on_selected_pair (NiceAgent     *agent,
                  guint          stream_id,
                  guint          component_id,
                  NiceCandidate *local,
                  NiceCandidate *remote,
                  ConfabIce     *self)
{
  char local_address[NICE_ADDRESS_STRING_LEN], remote_address[NICE_ADDRESS_STRING_LEN];

  if (stream_id != self->stream_id)
    return;
  nice_address_to_string (&local->addr, local_address);
  nice_address_to_string (&remote->addr, remote_address);
  g_debug ("ICE component %u pair: %s %s:%u → %s %s:%u", component_id,
           candidate_type_name (local->type), local_address, nice_address_get_port (&local->addr),
           candidate_type_name (remote->type), remote_address,
           nice_address_get_port (&remote->addr));
  if (component_id != 1)
    return;
  g_free (self->pair_type);
  self->pair_type = g_strdup (candidate_type_name (local->type));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAIR_TYPE]);
}

static void
confab_ice_dispose (GObject *object)
{
  ConfabIce *self = CONFAB_ICE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->gather_limit) {
    g_source_destroy (self->gather_limit);
    g_clear_pointer (&self->gather_limit, g_source_unref);
  }
  if (self->agent) {
    g_signal_handlers_disconnect_by_data (self->agent, self);
    /* A TURN allocation is released on the server first (the agent keeps
     * itself alive for that); otherwise the ports close right now, so a
     * fallback to plain RTP can bind them again. */
    if (self->servers->turn_host && self->stream_id)
      nice_agent_close_async (self->agent, NULL, NULL);
    else if (self->stream_id)
      nice_agent_remove_stream (self->agent, self->stream_id);
    self->stream_id = 0;
  }
  g_clear_object (&self->agent);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (confab_ice_parent_class)->dispose (object);
}

static void
confab_ice_finalize (GObject *object)
{
  ConfabIce *self = CONFAB_ICE (object);

  g_free (self->bind_address);
  g_free (self->pair_type);
  g_free (self->remote_ufrag);
  confab_ice_servers_free (self->servers);

  G_OBJECT_CLASS (confab_ice_parent_class)->finalize (object);
}

static void
confab_ice_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ConfabIce *self = CONFAB_ICE (object);

  switch (prop_id) {
  case PROP_STATE:
    g_value_set_int (value, self->state);
    break;
  case PROP_PAIR_TYPE:
    g_value_set_string (value, self->pair_type);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_ice_class_init (ConfabIceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = confab_ice_dispose;
  object_class->finalize = confab_ice_finalize;
  object_class->get_property = confab_ice_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, CONFAB_ICE_STATE_GATHERING, CONFAB_ICE_STATE_FAILED,
                      CONFAB_ICE_STATE_GATHERING,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAIR_TYPE] =
    g_param_spec_string ("pair-type", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
confab_ice_init (ConfabIce *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * confab_ice_new:
 * @bind_address: (nullable): the only local address to gather on (tests
 *   keep ICE on loopback this way); %NULL for every interface
 * @n_components: 1 (RTP with rtcp-mux only) or 2 (RTP and RTCP)
 * @servers: (nullable): STUN and TURN servers
 *
 * Controlling by default (we offer); see confab_ice_set_controlling().
 */
ConfabIce *
confab_ice_new (const char             *bind_address,
                guint                   n_components,
                const ConfabIceServers *servers)
{
  ConfabIce *self = g_object_new (CONFAB_TYPE_ICE, NULL);

  g_return_val_if_fail (n_components == 1 || n_components == 2, self);

  self->n_components = n_components;
  self->servers = confab_ice_servers_copy (servers);
  if (bind_address && *bind_address && g_strcmp0 (bind_address, "0.0.0.0") != 0 &&
      g_strcmp0 (bind_address, "::") != 0)
    self->bind_address = g_strdup (bind_address);

  self->agent = nice_agent_new_full (g_main_context_get_thread_default (),
                                     NICE_COMPATIBILITY_RFC5245, NICE_AGENT_OPTION_NONE);
  g_object_set (self->agent,
                "controlling-mode", TRUE,
                "ice-tcp", FALSE,
                "ice-udp", TRUE,
                "upnp", FALSE,
                NULL);
  g_signal_connect (self->agent, "candidate-gathering-done", G_CALLBACK (on_gathering_done), self);
  g_signal_connect (self->agent, "component-state-changed", G_CALLBACK (on_component_state), self);
  g_signal_connect (self->agent, "new-selected-pair-full", G_CALLBACK (on_selected_pair), self);
  return self;
}

void
confab_ice_set_controlling (ConfabIce *self,
                            gboolean   controlling)
{
  g_return_if_fail (CONFAB_IS_ICE (self));
  g_object_set (self->agent, "controlling-mode", controlling, NULL);
}

/* Until nicesrc takes over, media that arrives early is dropped. */
static void
drop_early_media (NiceAgent *agent,
                  guint      stream_id,
                  guint      component_id,
                  guint      len,
                  gchar     *buf,
                  gpointer   user_data)
{
}

static gboolean
start_gathering (ConfabIce  *self,
                 GError    **error)
{
  if (self->servers->turn_host && g_hostname_is_ip_address (self->servers->turn_host)) {
    for (guint c = 1; c <= self->n_components; c++)
      nice_agent_set_relay_info (self->agent, self->stream_id, c, self->servers->turn_host,
                                 self->servers->turn_port ? self->servers->turn_port
                                                          : DEFAULT_STUN_PORT,
                                 self->servers->turn_username, self->servers->turn_password,
                                 NICE_RELAY_TYPE_TURN_UDP);
  }
  if (self->servers->stun_host && g_hostname_is_ip_address (self->servers->stun_host)) {
    g_object_set (self->agent,
                  "stun-server", self->servers->stun_host,
                  "stun-server-port", self->servers->stun_port ? self->servers->stun_port
                                                               : DEFAULT_STUN_PORT,
                  NULL);
  }
  if (!nice_agent_gather_candidates (self->agent, self->stream_id)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("ICE found no address to use on this machine"));
    set_state (self, CONFAB_ICE_STATE_FAILED);
    return FALSE;
  }
  return TRUE;
}

typedef struct
{
  GWeakRef  self;     /* the lookup does not keep the agent alive */
  gboolean  turn;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_weak_ref_clear (&lookup->self);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static void
on_server_resolved (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Lookup) lookup = user_data;
  g_autoptr (ConfabIce) self = g_weak_ref_get (&lookup->self);
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_resolver_free_addresses (addresses);
    return;
  }
  if (addresses) {
    char **host = lookup->turn ? &self->servers->turn_host : &self->servers->stun_host;

    g_free (*host);
    *host = g_inet_address_to_string (addresses->data);
    g_resolver_free_addresses (addresses);
  } else {
    g_message ("ICE server not found: %s", error->message);
  }

  if (--self->pending_lookups == 0 && self->agent && self->stream_id) {
    g_autoptr (GError) gather_error = NULL;

    if (!start_gathering (self, &gather_error))
      g_message ("%s", gather_error->message);
  }
}

static void
resolve_server (ConfabIce  *self,
                const char *host,
                gboolean    turn)
{
  g_autoptr (GResolver) resolver = g_resolver_get_default ();
  Lookup *lookup = g_new0 (Lookup, 1);

  g_weak_ref_init (&lookup->self, self);
  lookup->turn = turn;
  self->pending_lookups++;
  g_resolver_lookup_by_name_async (resolver, host, self->cancellable, on_server_resolved, lookup);
}

/* sofia-sip exports a stun_message_length() of its own; when it shadows
 * libnice's, every connectivity check comes out empty and ICE fails in
 * silence. The build links libnice first; this says so if it did not. */
static gboolean
stun_symbols_ok (void)
{
  void *symbol = dlsym (RTLD_DEFAULT, "stun_message_length");
  Dl_info info;

  return symbol == NULL ||
         (dladdr (symbol, &info) && info.dli_fname && strstr (info.dli_fname, "libnice"));
}

/**
 * confab_ice_gather:
 *
 * Starts gathering. Host candidates are ready when this returns; with STUN
 * or TURN servers the state stays GATHERING until their answers are in
 * (or time out, libnice's own retransmission limit).
 */
gboolean
confab_ice_gather (ConfabIce  *self,
                   GError    **error)
{
  g_return_val_if_fail (CONFAB_IS_ICE (self), FALSE);

  if (self->gather_started)
    return TRUE;
  if (!stun_symbols_ok ()) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                 _("ICE is unavailable: libnice’s STUN code is shadowed by sofia-sip’s "
                   "(libnice must come first in the link order)"));
    set_state (self, CONFAB_ICE_STATE_FAILED);
    return FALSE;
  }
  self->gather_started = TRUE;

  if (self->bind_address) {
    NiceAddress address;

    if (!nice_address_set_from_string (&address, self->bind_address)) {
      g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                   _("“%s” is not an address to bind to"), self->bind_address);
      return FALSE;
    }
    /* With one address added, libnice gathers on it alone. */
    nice_agent_add_local_address (self->agent, &address);
  }

  self->stream_id = nice_agent_add_stream (self->agent, self->n_components);
  if (self->stream_id == 0) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED, _("Could not set up ICE"));
    return FALSE;
  }
  nice_agent_set_stream_name (self->agent, self->stream_id, "audio");
  self->gather_limit = g_timeout_source_new (GATHER_LIMIT_MS);
  g_source_set_callback (self->gather_limit, on_gather_limit, self, NULL);
  g_source_attach (self->gather_limit, g_main_context_get_thread_default ());
  /* libnice reads its sockets (and answers checks) only with a receiver
   * attached: this one lets the checks run while the call still rings. */
  for (guint c = 1; c <= self->n_components; c++)
    nice_agent_attach_recv (self->agent, self->stream_id, c, g_main_context_get_thread_default (),
                            drop_early_media, NULL);

  if (self->servers->stun_host && !g_hostname_is_ip_address (self->servers->stun_host))
    resolve_server (self, self->servers->stun_host, FALSE);
  if (self->servers->turn_host && !g_hostname_is_ip_address (self->servers->turn_host))
    resolve_server (self, self->servers->turn_host, TRUE);
  if (self->pending_lookups > 0)
    return TRUE;
  return start_gathering (self, error);
}

ConfabIceState
confab_ice_get_state (ConfabIce *self)
{
  g_return_val_if_fail (CONFAB_IS_ICE (self), CONFAB_ICE_STATE_FAILED);
  return self->state;
}

gboolean
confab_ice_is_gathering (ConfabIce *self)
{
  g_return_val_if_fail (CONFAB_IS_ICE (self), FALSE);
  return self->state == CONFAB_ICE_STATE_GATHERING;
}

static int
default_rank (const NiceCandidate *candidate,
              const char          *preferred)
{
  char address[NICE_ADDRESS_STRING_LEN];

  nice_address_to_string (&candidate->addr, address);
  /* RFC 8445 section 5.1.4 would make a relayed candidate the default, the
   * one a peer without ICE reaches most surely; but with such a peer we
   * drop ICE and its TURN allocation, and keep only our own ports. So:
   * the address a NAT shows the world, then our own, IPv4 before IPv6. */
  if (candidate->type == NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE)
    return 0;
  if (candidate->type == NICE_CANDIDATE_TYPE_HOST && preferred && strcmp (address, preferred) == 0)
    return 1;
  if (candidate->type == NICE_CANDIDATE_TYPE_HOST && !strchr (address, ':'))
    return 2;
  if (candidate->type == NICE_CANDIDATE_TYPE_HOST)
    return 3;
  return 4;
}

/**
 * confab_ice_get_default:
 * @address: (out) (optional): the address to announce
 * @port: (out) (optional): the port to announce
 * @base_port: (out) (optional): our own socket's port behind it (a
 *   reflexive candidate's base); what plain RTP binds without ICE
 */
gboolean
confab_ice_get_default (ConfabIce   *self,
                        guint        component,
                        const char  *preferred_address,
                        char       **address,
                        guint       *port,
                        guint       *base_port)
{
  GSList *candidates;
  const NiceCandidate *best = NULL;
  int best_rank = G_MAXINT;

  g_return_val_if_fail (CONFAB_IS_ICE (self), FALSE);

  if (self->stream_id == 0)
    return FALSE;
  candidates = nice_agent_get_local_candidates (self->agent, self->stream_id, component);
  for (GSList *l = candidates; l; l = l->next) {
    int rank = default_rank (l->data, preferred_address);

    if (rank < best_rank) {
      best = l->data;
      best_rank = rank;
    }
  }
  if (best) {
    char text[NICE_ADDRESS_STRING_LEN];

    nice_address_to_string (&best->addr, text);
    if (address)
      *address = g_strdup (text);
    if (port)
      *port = nice_address_get_port (&best->addr);
    if (base_port)
      *base_port = best->type == NICE_CANDIDATE_TYPE_HOST ? nice_address_get_port (&best->addr)
                                                          : nice_address_get_port (&best->base_addr);
  }
  g_slist_free_full (candidates, (GDestroyNotify) nice_candidate_free);
  return best != NULL;
}

/**
 * confab_ice_dup_candidate_types:
 * @remote: the peer's candidates instead of ours
 *
 * Returns: (transfer full): the types of the candidates for RTP, e.g.
 *   { "host", "srflx", "relay" }, in libnice's order
 */
char **
confab_ice_dup_candidate_types (ConfabIce *self,
                                gboolean   remote)
{
  g_autoptr (GStrvBuilder) types = g_strv_builder_new ();
  GSList *candidates;

  g_return_val_if_fail (CONFAB_IS_ICE (self), NULL);

  if (self->stream_id) {
    candidates = remote ? nice_agent_get_remote_candidates (self->agent, self->stream_id, 1)
                        : nice_agent_get_local_candidates (self->agent, self->stream_id, 1);
    for (GSList *l = candidates; l; l = l->next)
      g_strv_builder_add (types, candidate_type_name (((NiceCandidate *) l->data)->type));
    g_slist_free_full (candidates, (GDestroyNotify) nice_candidate_free);
  }
  return g_strv_builder_end (types);
}

void
confab_ice_describe (ConfabIce      *self,
                     ConfabSdpMedia *media)
{
  g_autofree char *ufrag = NULL, *pwd = NULL;

  g_return_if_fail (CONFAB_IS_ICE (self));

  if (self->stream_id == 0 ||
      !nice_agent_get_local_credentials (self->agent, self->stream_id, &ufrag, &pwd))
    return;
  confab_sdp_media_add_attribute (media, "ice-ufrag", ufrag);
  confab_sdp_media_add_attribute (media, "ice-pwd", pwd);

  for (guint c = 1; c <= self->n_components; c++) {
    GSList *candidates = nice_agent_get_local_candidates (self->agent, self->stream_id, c);
    guint n = 0;

    for (GSList *l = candidates; l && n < MAX_LOCAL_CANDIDATES; l = l->next, n++) {
      g_autofree char *line = nice_agent_generate_local_candidate_sdp (self->agent, l->data);

      /* "a=candidate:…": the model keeps name and value apart. */
      if (line && g_str_has_prefix (line, "a=candidate:"))
        confab_sdp_media_add_attribute (media, "candidate", line + strlen ("a=candidate:"));
    }
    g_slist_free_full (candidates, (GDestroyNotify) nice_candidate_free);
  }
}

static const char *
ice_attribute (const ConfabSdp      *sdp,
               const ConfabSdpMedia *media,
               const char           *name)
{
  const char *value = confab_sdp_media_get_attribute (media, name);

  return value ? value : (sdp ? confab_sdp_get_attribute (sdp, name) : NULL);
}

gboolean
confab_ice_sdp_has_ice (const ConfabSdp      *sdp,
                        const ConfabSdpMedia *media)
{
  return ice_attribute (sdp, media, "ice-ufrag") != NULL &&
         ice_attribute (sdp, media, "ice-pwd") != NULL &&
         confab_sdp_media_has_attribute (media, "candidate");
}

/* RFC 8839 section 5.4: ufrag 4-256 and pwd 22-256 ice-chars. */
static gboolean
valid_ice_chars (const char *text,
                 gsize       min,
                 gsize       max)
{
  gsize n = strlen (text);

  if (n < min || n > max)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/')
      return FALSE;
  return TRUE;
}

gboolean
confab_ice_set_remote (ConfabIce             *self,
                       const ConfabSdp       *sdp,
                       const ConfabSdpMedia  *media,
                       GError               **error)
{
  const char *ufrag, *pwd;
  GSList *by_component[3] = { NULL, NULL, NULL };
  guint n_parsed = 0, n_added = 0;

  g_return_val_if_fail (CONFAB_IS_ICE (self), FALSE);

  ufrag = ice_attribute (sdp, media, "ice-ufrag");
  pwd = ice_attribute (sdp, media, "ice-pwd");
  if (!ufrag || !pwd || !valid_ice_chars (ufrag, 4, 256) || !valid_ice_chars (pwd, 22, 256)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The peer’s ICE credentials are missing or malformed"));
    return FALSE;
  }
  /* The same credentials in a later offer or answer: no ICE restart, the
   * checks already under way go on. */
  if (self->remote_set && g_strcmp0 (self->remote_ufrag, ufrag) == 0)
    return TRUE;
  if (self->remote_set) {
    /* An ICE restart (RFC 8445 section 9): new checks with the new peer. */
    nice_agent_restart_stream (self->agent, self->stream_id);
  }

  /* A lite peer never checks: we must (RFC 8445 section 6.1.1). */
  if (sdp && confab_sdp_get_attribute (sdp, "ice-lite"))
    g_object_set (self->agent, "controlling-mode", TRUE, NULL);

  if (!nice_agent_set_remote_credentials (self->agent, self->stream_id, ufrag, pwd)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The peer’s ICE credentials were refused"));
    return FALSE;
  }
  g_free (self->remote_ufrag);
  self->remote_ufrag = g_strdup (ufrag);

  for (guint i = 0; i < media->attributes->len && n_parsed < MAX_REMOTE_CANDIDATES; i++) {
    const ConfabSdpAttribute *a = g_ptr_array_index (media->attributes, i);
    g_autofree char *line = NULL;
    NiceCandidate *candidate;

    if (strcmp (a->name, "candidate") != 0 || a->value == NULL)
      continue;
    line = g_strconcat ("a=candidate:", a->value, NULL);
    candidate = nice_agent_parse_remote_candidate_sdp (self->agent, self->stream_id, line);
    if (candidate == NULL) {
      g_debug ("Ignoring a candidate we cannot read: %s", a->value);
      continue;
    }
    n_parsed++;
    if (candidate->component_id < 1 || candidate->component_id > self->n_components ||
        candidate->transport != NICE_CANDIDATE_TRANSPORT_UDP) {
      nice_candidate_free (candidate);
      continue;
    }
    by_component[candidate->component_id] = g_slist_prepend (by_component[candidate->component_id],
                                                             candidate);
  }

  for (guint c = 1; c <= self->n_components; c++) {
    if (by_component[c]) {
      int added;

      by_component[c] = g_slist_reverse (by_component[c]);
      added = nice_agent_set_remote_candidates (self->agent, self->stream_id, c, by_component[c]);
      if (added > 0)
        n_added += added;
    }
    g_slist_free_full (by_component[c], (GDestroyNotify) nice_candidate_free);
  }

  if (n_added == 0) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The peer offered no ICE candidate we can reach"));
    return FALSE;
  }
  self->remote_set = TRUE;
  if (self->state == CONFAB_ICE_STATE_GATHERED)
    set_state (self, CONFAB_ICE_STATE_CHECKING);
  return TRUE;
}

GObject *
confab_ice_get_agent (ConfabIce *self)
{
  g_return_val_if_fail (CONFAB_IS_ICE (self), NULL);
  return G_OBJECT (self->agent);
}

guint
confab_ice_get_stream_id (ConfabIce *self)
{
  g_return_val_if_fail (CONFAB_IS_ICE (self), 0);
  return self->stream_id;
}

const char *
confab_ice_get_pair_type (ConfabIce *self)
{
  g_return_val_if_fail (CONFAB_IS_ICE (self), NULL);
  return self->pair_type;
}

const char *
confab_ice_state_to_string (ConfabIceState state)
{
  switch (state) {
  case CONFAB_ICE_STATE_GATHERING:
    return "gathering";
  case CONFAB_ICE_STATE_GATHERED:
    return "gathered";
  case CONFAB_ICE_STATE_CHECKING:
    return "checking";
  case CONFAB_ICE_STATE_CONNECTED:
    return "connected";
  case CONFAB_ICE_STATE_FAILED:
    return "failed";
  default:
    return "unknown";
  }
}
