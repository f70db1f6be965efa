/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The MSRP wire layer (RFC 4975): URIs, the message model, the incremental
 * parser, printing and building, chunking and reassembly. No sockets here:
 * connections and sessions are built on top. */

#include "confab-msrp-error.h"
#include "confab-msrp-uri.h"
#include "confab-msrp-message.h"
#include "confab-msrp-parser.h"
#include "confab-msrp-serializer.h"
#include "confab-msrp-reassembly.h"
