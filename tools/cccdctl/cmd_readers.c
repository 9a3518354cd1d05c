/* SPDX-License-Identifier: MIT */
/*
 * cmd_readers.c - `cccdctl readers [--json]`: the readers both stacks see, each with the URI
 * `cccdctl read --reader` and gateway.ini take. libnfc lists USB readers it finds and the device
 * set in /etc/nfc/libnfc.conf or LIBNFC_DEFAULT_DEVICE (a UART is never probed blindly); PC/SC
 * lists pcscd's readers and whether a card is in each. A stack that is absent (pcscd not running)
 * is reported on stderr and does not fail the command.
 *   $ cccdctl readers
 *   libnfc  libnfc:pn532_uart:/dev/ttyS0
 *   pcsc    pcsc:ACS ACR1252 Dual Reader [ACR1252 Dual Reader PICC] 00 00   card
 */
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "nfc/readers.h"
#include "tools/cccdctl/cccdctl.h"

#define MAX_READERS 32

static void print_text(const struct reader_entry *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%-7s %s%s\n", r[i].stack, r[i].uri, r[i].card ? "   card" : "");
	if (!n)
		printf("no readers found\n");
}

static int print_json(const struct reader_entry *r, size_t n)
{
	cJSON *root = cJSON_CreateObject(), *arr;
	char *s;

	if (!root)
		return CTL_USAGE;
	cJSON_AddStringToObject(root, "class", "DEVICES");
	arr = cJSON_AddArrayToObject(root, "devices");
	for (size_t i = 0; arr && i < n; i++) {
		cJSON *d = cJSON_CreateObject();

		if (!d)
			break;
		cJSON_AddStringToObject(d, "uri", r[i].uri);
		cJSON_AddStringToObject(d, "stack", r[i].stack);
		cJSON_AddStringToObject(d, "name", r[i].name);
		if (!strcmp(r[i].stack, "pcsc"))
			cJSON_AddBoolToObject(d, "card", r[i].card);
		cJSON_AddItemToArray(arr, d);
	}
	s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (!s)
		return CTL_USAGE;
	printf("%s\n", s);
	cJSON_free(s);
	return CTL_OK;
}

int cmd_readers(int argc, char **argv)
{
	struct reader_entry r[MAX_READERS];
	struct cccd_err err = {0};
	size_t n = 0;
	bool json = argc == 2 && !strcmp(argv[1], "--json");

	if (argc > 2 || (argc == 2 && !json)) {
		fprintf(stderr, "usage: cccdctl readers [--json]\n");
		return CTL_USAGE;
	}
	if (link_libnfc_list(r, MAX_READERS, &n, &err))
		ctl_print_err(&err);
	if (link_pcsc_list(r, MAX_READERS, &n, &err))
		ctl_print_err(&err);
	if (json)
		return print_json(r, n);
	print_text(r, n);
	return CTL_OK;
}
