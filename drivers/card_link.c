/* SPDX-License-Identifier: MIT */
/*
 * card_link.c - the one registry of card_link implementations and the wrappers domain code calls.
 * Implementations are listed here only; an optional one is guarded by its HAVE_ macro.
 */
#include <stdio.h>
#include <string.h>

#include "card_link.h"

extern const struct card_link_ops link_sim_ops;
#ifdef HAVE_LIBNFC
extern const struct card_link_ops link_libnfc_ops;
#endif
#ifdef HAVE_PCSC
extern const struct card_link_ops link_pcsc_ops;
#endif

#ifdef HAVE_LINK_SIM
#define LINK_SIM_ENTRY &link_sim_ops,
#else
#define LINK_SIM_ENTRY
#endif

static const struct card_link_ops *const links[] = {
    LINK_SIM_ENTRY
#ifdef HAVE_LIBNFC
	& link_libnfc_ops,
#endif
#ifdef HAVE_PCSC
    &link_pcsc_ops,
#endif
    NULL,
};

int card_link_open(struct card_link *link, const char *uri, struct cccd_err *err)
{
	const char *colon = strchr(uri, ':');
	size_t sl = colon ? (size_t)(colon - uri) : 0;
	int rc;

	memset(link, 0, sizeof(*link));
	if (!colon)
		return cccd_err_set(err, -CCCD_EINVAL, "card_link",
				    "reader URI '%.40s' has no scheme (sim:, pcsc:, libnfc:)", uri);
	for (size_t i = 0; links[i]; i++) {
		if (strlen(links[i]->scheme) != sl || strncmp(links[i]->scheme, uri, sl))
			continue;
		link->ops = links[i];
		link->timeout_ms = 3000;
		snprintf(link->uri, sizeof(link->uri), "%s", uri);
		if (!link->ops->open)
			return cccd_err_set(err, -CCCD_ENOTSUP, "card_link", "%s: cannot open",
					    links[i]->scheme);
		rc = link->ops->open(link, colon + 1, err);
		if (rc)
			link->ops = NULL;
		return rc;
	}
	return cccd_err_set(err, -CCCD_ENOTSUP, "card_link",
			    "no reader driver for '%.*s:' in this build", (int)(sl > 16 ? 16 : sl),
			    uri);
}

int card_link_wait_card(struct card_link *link, int timeout_ms, struct cccd_err *err)
{
	if (!link->ops || !link->ops->wait_card)
		return cccd_err_set(err, -CCCD_ENOTSUP, "card_link", "wait_card not supported");
	return link->ops->wait_card(link, timeout_ms, err);
}

int card_link_transceive(struct card_link *link, const uint8_t *apdu, size_t apdu_len,
			 uint8_t *resp, size_t resp_cap, size_t *resp_len, struct cccd_err *err)
{
	int rc;

	if (!link->ops || !link->ops->transceive)
		return cccd_err_set(err, -CCCD_ENOTSUP, "card_link", "transceive not supported");
	*resp_len = 0;
	link->apdus++;
	link->bytes_out += apdu_len;
	rc = link->ops->transceive(link, apdu, apdu_len, resp, resp_cap, resp_len, err);
	if (rc)
		return rc;
	if (*resp_len < 2 || *resp_len > resp_cap)
		return cccd_err_set(err, -CCCD_EIO, "card_link",
				    "response of %zu bytes: no status word", *resp_len);
	link->bytes_in += *resp_len;
	return 0;
}

size_t card_link_max_apdu(struct card_link *link)
{
	if (!link->ops || !link->ops->max_apdu)
		return CARD_LINK_SHORT_APDU;
	return link->ops->max_apdu(link);
}

void card_link_close(struct card_link *link)
{
	if (link->ops && link->ops->close)
		link->ops->close(link);
	link->ops = NULL;
	link->priv = NULL;
}

void card_link_reset_counters(struct card_link *link)
{
	link->apdus = 0;
	link->bytes_out = 0;
	link->bytes_in = 0;
}
