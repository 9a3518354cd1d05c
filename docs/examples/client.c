/* SPDX-License-Identifier: MIT */
/*
 * client.c - tiny cccd-gatewayd client in plain C (no libraries): connect, print the VERSION
 * greeting, enable watch, print every event line. See docs/api.md.
 *   cc -o client docs/examples/client.c && ./client [SOCKET] [COUNT]
 * A real client should parse the JSON (cJSON, jansson); this one only prints lines.
 */
#define _POSIX_C_SOURCE 200809L /* fdopen */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/run/cccd-gateway/api.sock";
	long count = argc > 2 ? strtol(argv[2], NULL, 10) : -1;
	const char watch[] = "{\"cmd\":\"watch\",\"enable\":true}\n";
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char line[65536];
	FILE *in;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return 2;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror(path);
		return 2;
	}
	in = fdopen(fd, "r");
	if (!in || !fgets(line, sizeof(line), in) || !strstr(line, "\"class\":\"VERSION\""))
		return 2;
	printf("%s", line); /* {"class":"VERSION",...} */
	if (write(fd, watch, sizeof(watch) - 1) != (ssize_t)(sizeof(watch) - 1))
		return 2;
	while (count != 0 && fgets(line, sizeof(line), in)) { /* WATCH, then events */
		printf("%s", line);
		fflush(stdout);
		if (!strstr(line, "\"class\":\"WATCH\""))
			count--;
	}
	fclose(in);
	return count == 0 ? 0 : 1;
}
