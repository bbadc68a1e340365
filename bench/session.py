#!/usr/bin/env python3
"""bench/session.py — the signed-in sessions bench/side.sh measures with, made through the
portal's real forms (standard library only; binds nothing, talks to 127.0.0.1).

  session.py signin BASE EMAIL PASSWORD TOTP_SECRET   prints the session cookie's value
                                                     (password, then the second factor)
  session.py order BASE SID                          prints "PATH CSRF RESELLER MPN OFFER":
                                                     what the review page's Place order
                                                     button posts (issue 15's review step):
                                                     the first customer's order form and
                                                     the first reseller that may transact
  session.py apikeys BASE SID N                      prints N new API credentials' secrets, one
                                                     a line (Settings -> API, as the Global
                                                     admin of SID, signed in a moment ago)
"""
import base64, hashlib, hmac, html, re, struct, sys, time
import urllib.parse, urllib.request, http.cookiejar


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def opener(jar):
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def fetch(op, url, data=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with op.open(url, body) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def field(page, name):
    m = re.search(r'name="%s" value="([^"]*)"' % name, page)
    return html.unescape(m.group(1)) if m else ""


def totp(secret, at=None):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", int((at or time.time()) // 30)), hashlib.sha1).digest()
    o = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff) % 1000000)


def signin(base, email, password, secret):
    jar = http.cookiejar.CookieJar()
    op = opener(jar)
    _, _, page = fetch(op, base + "/signin")
    st, hd, _ = fetch(op, base + "/signin", {"csrf": field(page, "csrf"), "email": email, "password": password})
    if st == 303 and hd.get("Location", "").startswith("/signin/code"):
        _, _, page = fetch(op, base + hd["Location"])
        st, hd, _ = fetch(op, base + "/signin/code",
                          {"csrf": field(page, "csrf"), "code": totp(secret), "next": field(page, "next")})
    sid = [c.value for c in jar if c.name == "sid"]
    if st != 303 or not sid:
        sys.exit("session.py: sign-in of %s failed (%s)" % (email, st))
    print(sid[0])


def order(base, sid):
    jar = http.cookiejar.CookieJar()
    op = opener(jar)
    op.addheaders = [("Cookie", "sid=" + sid)]
    _, _, page = fetch(op, base + "/customers")
    ids = re.findall(r'href="/customers/(\d+)"', page)
    for cid in ids:
        path = "/customers/%s/order" % cid
        st, _, page = fetch(op, base + path)
        if st != 200:
            continue
        # a reseller that may transact: not disabled ("cannot order now"), and no
        # "(partner agreement: ...)" note
        part = page.split('id="f-reseller"')[-1].split('id="f-mpn_id"')[0]
        all_res = re.findall(r'<option value="(\d+)"([^>]*)>([^<]*)</option>', part)
        resellers = [v for v, attrs, text in all_res if "disabled" not in attrs and "partner agreement" not in text]
        groups = re.findall(r'<optgroup label="[^"]*">(.*?)</optgroup>', page, re.S)
        offers = re.findall(r'<select id="f-offer".*?<option value="([^"]+)"', page, re.S)
        if resellers and offers:
            # the MPN IDs of the chosen reseller: the optgroups come in the resellers' order
            k = [v for v, _, _ in all_res].index(resellers[0])
            mpns = re.findall(r'<option value="(\d{6,10})"', groups[k])
            if not mpns:
                continue
            # the review step: what its Place order button posts (hidden fields)
            st, _, page = fetch(op, base + path + "/review",
                                {"csrf": field(page, "csrf"), "order_key": field(page, "order_key") or "benchreviewkey000001",
                                 "reseller": resellers[0], "mpn_id": mpns[0], "offer": offers[0], "quantity": "1"})
            form = page.split('action="%s">' % path)[-1].split("</form>")[0]
            if st == 200 and 'name="reseller"' in form:
                print(path, field(form, "csrf"), field(form, "reseller"), field(form, "mpn_id"), field(form, "offer"))
                return
    sys.exit("session.py: no customer with an order form a reseller can be ordered for")


def apikeys(base, sid, n):
    jar = http.cookiejar.CookieJar()
    op = opener(jar)
    op.addheaders = [("Cookie", "sid=" + sid)]
    for i in range(int(n)):
        _, _, page = fetch(op, base + "/settings/api/new")
        body = urllib.parse.urlencode({"csrf": field(page, "csrf"), "name": "bench %d %d" % (time.time(), i), "days": "1",
                                       "addresses": "", "roles[]": ["global_admin"]}, doseq=True).encode()
        try:
            with op.open(base + "/settings/api/new", body) as r:
                page = r.read().decode()
        except urllib.error.HTTPError as e:
            page = e.read().decode()
        m = re.search(r'id="api-secret"[^>]*value="(cspk_[A-Za-z0-9_-]{43})"', page)
        if not m:
            sys.exit("session.py: could not create an API credential")
        print(m.group(1))


if __name__ == "__main__":
    if sys.argv[1] == "signin":
        signin(*sys.argv[2:6])
    elif sys.argv[1] == "order":
        order(*sys.argv[2:4])
    elif sys.argv[1] == "apikeys":
        apikeys(*sys.argv[2:5])
    else:
        sys.exit(__doc__)
