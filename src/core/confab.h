/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The public face of libconfab, for the app, the CLI and the tests. */

#include "confab-account.h"
#include "confab-account-manager.h"
#include "confab-engine.h"
#include "confab-enums.h"
#include "confab-error.h"
#include "confab-secret-store.h"
#include "confab-session.h"
#include "confab-session-manager.h"
#include "confab-uri.h"
#include "conference/confab-conference.h"
#include "conference/confab-conference-info.h"
#include "conference/confab-participant.h"
#include "im/confab-chat-message.h"
#include "im/confab-chat-stream.h"
#include "im/confab-cpim.h"
#include "im/confab-history.h"
#include "im/confab-is-composing.h"
#include "im/confab-imdn.h"
#include "im/confab-pager.h"
#include "media/confab-audio-device.h"
#include "media/confab-audio-devices.h"
#include "media/confab-ice.h"
#include "media/confab-ringtone.h"
#include "msrp/confab-msrp.h"
