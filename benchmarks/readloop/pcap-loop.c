/*
 * pcap-loop: libpcap's read loop, the second baseline of benchmarks/run.sh (the issue's
 * "libpcap's read loop"). pcap_loop over a capture file, counting records and captured bytes:
 * what any tool reading files through libpcap (tcpdump, tcpflow, tshark's pcap path) pays before
 * it looks at a packet. Like xmppsniff-readloop it reads no packet byte itself.
 *
 *   gcc -O2 -o pcap-loop pcap-loop.c -lpcap      (Debian: libpcap-dev)
 */
#include <pcap/pcap.h>
#include <stdio.h>

static void count(u_char *user, const struct pcap_pkthdr *header, const u_char *bytes)
{
    unsigned long long *totals = (unsigned long long *)user;
    (void)bytes;
    totals[0]++;
    totals[1] += header->caplen;
}

int main(int argc, char **argv)
{
    char error[PCAP_ERRBUF_SIZE];
    unsigned long long totals[2] = {0, 0};
    pcap_t *capture;

    if (argc != 2) {
        fprintf(stderr, "usage: pcap-loop FILE\n");
        return 2;
    }
    capture = pcap_open_offline(argv[1], error);
    if (capture == NULL) {
        fprintf(stderr, "pcap-loop: %s\n", error);
        return 1;
    }
    if (pcap_loop(capture, -1, count, (u_char *)totals) == PCAP_ERROR) {
        fprintf(stderr, "pcap-loop: %s: %s\n", argv[1], pcap_geterr(capture));
        pcap_close(capture);
        return 1;
    }
    printf("%llu packets, %llu captured bytes\n", totals[0], totals[1]);
    pcap_close(capture);
    return 0;
}
