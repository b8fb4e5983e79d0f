# Used by hand with the ignored test azure::az_compare (docs/performance.md); needs a certificate
# for 127.0.0.1 in /tmp/azstub.crt + /tmp/azstub.key, e.g.
#   openssl req -x509 -newkey rsa:2048 -nodes -keyout /tmp/azstub.key -out /tmp/azstub.crt -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1
# A TLS front for the ARM stub so the Azure CLI (MSAL + azure-core insist on https) can reach
# it: serves a fake AAD (openid-configuration, token) and the subscriptions list itself, and
# forwards everything else to the stub, rewriting the stub's http base in answers.
import http.server, json, ssl, sys, urllib.request
STUB = open(sys.argv[1]).read().strip()
B = "https://127.0.0.1:18443"
SUB = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def reply(self, code, body, headers=()):
        b = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("content-type", "application/json")
        for k, v in headers: self.send_header(k, v)
        self.send_header("content-length", str(len(b))); self.end_headers(); self.wfile.write(b)
    def handle_any(self):
        n = int(self.headers.get("content-length") or 0)
        data = self.rfile.read(n) if n else None
        p = self.path
        if "openid-configuration" in p:
            t = p.split("/")[1]
            return self.reply(200, {"token_endpoint": B + "/%s/oauth2/v2.0/token" % t,
                "authorization_endpoint": B + "/%s/oauth2/v2.0/authorize" % t,
                "issuer": B + "/%s/v2.0" % t, "tenant_region_scope": "NA"})
        if "/oauth2/" in p:
            return self.reply(200, {"access_token": "fake-at", "token_type": "Bearer", "expires_in": 3600})
        if p.startswith("/subscriptions?"):
            return self.reply(200, {"value": [{"id": "/subscriptions/" + SUB, "subscriptionId": SUB,
                "tenantId": "11111111-1111-1111-1111-111111111111", "displayName": "stub", "state": "Enabled"}]})
        req = urllib.request.Request(STUB + p, data=data, method=self.command)
        for k in ("authorization", "content-type"):
            if self.headers.get(k): req.add_header(k, self.headers[k])
        try:
            r = urllib.request.urlopen(req)
            code, body, hs = r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            code, body, hs = e.code, e.read(), e.headers
        body = body.replace(STUB.encode(), B.encode())
        extra = [(k, v.replace(STUB, B)) for k, v in hs.items() if k.lower() in ("location", "azure-asyncoperation", "retry-after")]
        self.reply(code, body, extra)
    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any
s = http.server.ThreadingHTTPServer(("127.0.0.1", 18443), H)
c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain("/tmp/azstub.crt", "/tmp/azstub.key")
s.socket = c.wrap_socket(s.socket, server_side=True)
s.serve_forever()
