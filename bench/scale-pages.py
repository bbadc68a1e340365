#!/usr/bin/env python3
"""bench/scale-pages.py — times each page of a list (lines "who url") on two portals, side by
side: the demo database and the large one, alternating request by request over keep-alive
connections through nginx, like a browser. Prints the median of each and the ratio.

A URL with page=999999 on a page whose pager has no page numbers (a Next/Previous pager with
a cursor) is reached as a browser would: the first page's link to the far end (rel="last"),
then that URL is timed. Usage: scale-pages.py PAGES REPS PORT_A NORA_A TARA_A PORT_B NORA_B TARA_B
[OP_A API_A OP_B API_B] (an operator's session; an API credential, sent as a Bearer header)"""
import html, http.client, os, re, statistics, sys, time

pages, reps = sys.argv[1], int(sys.argv[2])
# SCALE_STAT=min: the fastest of the requests instead of the median (on a machine others
# load, the least disturbed request of each side; a ratio of minimums)
stat = statistics.median if os.environ.get('SCALE_STAT', 'median') != 'min' else min
sides = [dict(port=int(sys.argv[3]), nora=sys.argv[4], tara=sys.argv[5]),
         dict(port=int(sys.argv[6]), nora=sys.argv[7], tara=sys.argv[8])]
for k, s in enumerate(sides):
    if len(sys.argv) > 12:
        s['op'], s['api'] = sys.argv[9 + 2 * k], sys.argv[10 + 2 * k]
    s['conn'] = http.client.HTTPConnection('127.0.0.1', s['port'])


def get(side, who, url):
    headers = ({} if who == 'anon' else {'Authorization': 'Bearer ' + side[who]} if who == 'api'
               else {'Cookie': 'sid=' + side[who]})
    for attempt in range(2):
        try:
            t0 = time.perf_counter()
            side['conn'].request('GET', url, headers=headers)
            res = side['conn'].getresponse()
            body = res.read()
            return res.status, body, (time.perf_counter() - t0) * 1000
        except (http.client.HTTPException, OSError):
            side['conn'] = http.client.HTTPConnection('127.0.0.1', side['port'])
    raise SystemExit('no answer for ' + url)


def resolve(side, who, url):
    """The URL a browser would ask for: for page=999999 on a cursor pager, the "last" link;
    for page=next, the first page's "next" link."""
    if re.search(r'[?&]page=next', url):
        first = re.sub(r'[?&]page=next', '', url)
        status, body, _ = get(side, who, first)
        m = re.search(r'href="([^"]*)" rel="next"', body.decode('utf-8', 'replace'))
        return html.unescape(m.group(1)) if m else first
    if not re.search(r'[?&]page=999999', url):
        return url
    status, body, _ = get(side, who, url)
    text = body.decode('utf-8', 'replace')
    if status == 200 and not re.search(r'<nav class="pager"[^>]*>.*?Page \d', text, re.S):
        first = re.sub(r'[?&]page=999999', '', url)
        status, body, _ = get(side, who, first)
        m = re.search(r'href="([^"]*)" rel="last"', body.decode('utf-8', 'replace'))
        if m:
            return html.unescape(m.group(1))
    return url


bad = 0
resolved = open(pages + '.resolved', 'w')	# the large side's URLs as asked (bench/scale.sh's RSS run)
for line in open(pages):
    line = line.strip()
    if not line:
        continue
    who, url = line.split(' ', 1)
    urls = [resolve(s, who, url) for s in sides]
    resolved.write('%s %s\n' % (who, urls[1]))
    times = [[], []]
    status = [None, None]
    for i in range(reps + 2):
        for k, s in enumerate(sides):
            st, body, ms = get(s, who, urls[k])
            status[k] = st
            if i >= 2:		# two warm-up requests
                times[k].append(ms)
    med = [stat(t) for t in times]
    ratio = med[1] / med[0] if med[0] > 0 else 0
    flag = '' if status == [200, 200] else '  status %s/%s' % tuple(status)
    if status != [200, 200]:
        bad += 1
    label = url if urls[1] == url else url + ' -> ' + urls[1]
    print('%-64s %10.2f %10.2f %6.2fx%s' % (label[:64], med[0], med[1], ratio, flag), flush=True)
resolved.close()
sys.exit(1 if bad else 0)
