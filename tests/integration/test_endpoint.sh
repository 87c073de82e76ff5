#!/bin/sh
# test_endpoint.sh: the local AWS test endpoint (tests/fixtures/aws_endpoint.py)
# against real clients: Debian's awscli v2 (/usr/bin/aws), rclone and a
# botocore-signed raw HTTP client. Every figure is compared with the truth
# computed here, independently, from the seed file. Prints TAP-like lines;
# exits non-zero when a check failed. The argument (laketop's binary) is unused.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
NO_LAKETOP=1
. "$HERE/lib.sh"
AWS=/usr/bin/aws
SEED="$FIXTURES/seed_example.json"

show() { sed 's/^/# /' "$@" | head -n 20; }

# --- prerequisites --------------------------------------------------------------
missing=""
[ -x "$AWS" ] || missing="$missing awscli"
command -v rclone >/dev/null 2>&1 || missing="$missing rclone"
$PY -c 'import botocore' 2>/dev/null || missing="$missing python3-botocore"
if [ -n "$missing" ]; then
    notok "prerequisites installed (missing:$missing; apt-get install -y$missing)"
    exit 1
fi

# --- a clean client environment: no user config, no CA bundle, test keys ----------
for v in $(env | sed -n 's/^\(AWS_[A-Za-z0-9_]*\)=.*/\1/p; s/^\(RCLONE_[A-Za-z0-9_]*\)=.*/\1/p'); do
    unset "$v"
done
export HOME="$WORK/home"
mkdir -p "$HOME/.aws"
: >"$HOME/rclone.conf"
export AWS_CONFIG_FILE="$HOME/.aws/config" AWS_SHARED_CREDENTIALS_FILE="$HOME/.aws/credentials"
export AWS_ACCESS_KEY_ID=AKIDLAKETOPTEST
export AWS_SECRET_ACCESS_KEY='laketop/test/secret/key+with/special=chars'
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_PAGER="" AWS_DEFAULT_OUTPUT=json
export RCLONE_CONFIG="$HOME/rclone.conf"

# --- truth: computed from the seed, independently of the server ------------------
cat >"$WORK/truth.py" <<'PYEOF'
import datetime, json, sys
seed = json.load(open(sys.argv[1]))
what = sys.argv[2]
args = sys.argv[3:]
account = seed.get("account_id", "123456789012")

def objects(bucket):
    """key -> size, expanding the documented generate rule."""
    b = seed["buckets"][bucket]
    out = {}
    for o in b.get("objects", []):
        out[o["key"]] = o.get("size", 0)
    for g in b.get("generate", []):
        start = datetime.date.fromisoformat(g.get("start", "2025-01-01"))
        sizes = g.get("sizes", [g.get("size", 0)])
        for p in range(g.get("partitions", 1)):
            day = start + datetime.timedelta(days=p * g.get("step_days", 1))
            for j in range(g.get("objects_per_partition", 1)):
                out["%s%s/part-%05d%s" % (g.get("prefix", ""), day.isoformat(), j, g.get("suffix", ".parquet"))] = sizes[j % len(sizes)]
    return out

def listing(bucket, prefix, delim):
    keys = sorted(objects(bucket), key=lambda k: k.encode("utf-8"))
    contents, prefixes = [], []
    for k in keys:
        if not k.startswith(prefix):
            continue
        rest = k[len(prefix):]
        if delim and delim in rest:
            cp = prefix + rest[: rest.index(delim) + len(delim)]
            if cp not in prefixes:
                prefixes.append(cp)
        else:
            contents.append(k)
    return {"k": contents, "p": prefixes}

def norm(d):
    return {k: (v or []) for k, v in d.items()} if isinstance(d, dict) else d

if what == "databases":
    print(json.dumps(sorted(d["Name"] for d in seed["databases"] if d.get("CatalogId", account) == account)))
elif what == "tables":
    db = [d for d in seed["databases"] if d["Name"] == args[0]][0]
    print(json.dumps(sorted(t["Name"] for t in db.get("tables", []))))
elif what == "partitions":
    db = [d for d in seed["databases"] if d["Name"] == args[0]][0]
    t = [t for t in db["tables"] if t["Name"] == args[1]][0]
    vals = [p["Values"] for p in t.get("partitions", [])]
    start = datetime.date.fromisoformat(t.get("partition_start", "2025-01-01"))
    for i in range(t.get("partition_count", 0)):
        vals.append([(start + datetime.timedelta(days=i)).isoformat()] + ["00"] * (len(t["PartitionKeys"]) - 1))
    print(json.dumps(sorted(vals)))
elif what == "list":
    print(json.dumps(listing(args[0], args[1], args[2] if len(args) > 2 else "")))
elif what == "summary":
    objs = objects(args[0])
    sel = [s for k, s in objs.items() if k.startswith(args[1])]
    print(len(sel), sum(sel))
elif what == "same":  # same GOT.json WANT.json
    got, want = norm(json.load(open(args[0]))), norm(json.load(open(args[1])))
    if got != want:
        print("got:  " + json.dumps(got, ensure_ascii=False)[:600])
        print("want: " + json.dumps(want, ensure_ascii=False)[:600])
        sys.exit(1)
PYEOF
truth() { $PY "$WORK/truth.py" "$SEED" "$@"; }
same() { truth same "$1" "$2" >"$WORK/diff" 2>&1 || { show "$WORK/diff"; return 1; }; }

# --- servers -----------------------------------------------------------------------
# start NAME SEED ARGS...: starts a server on a free port (port 0 +
# --port-file), its request log in WORK/NAME.log.
start() {
    name=$1
    seed=$2
    shift 2
    start_endpoint "$name" --seed "$seed" --request-log "$WORK/$name.log" "$@"
}

# A small seed (no 160k "clicks" objects) for the paged and the faulty server.
$PY - "$SEED" "$WORK/small.json" <<'PYEOF'
import json, sys
seed = json.load(open(sys.argv[1]))
seed["buckets"]["lake"]["generate"] = [g for g in seed["buckets"]["lake"]["generate"] if g["prefix"].startswith("events/")]
json.dump(seed, open(sys.argv[2], "w"))
PYEOF
start main "$SEED"
start paged "$WORK/small.json" --page-size 3
start faulty "$WORK/small.json" --page-size 12 --fail-rate 0.5 --throttle-rate 0.1 --fault-seed 7
# (at most 30 s each: the example seed has 200k objects)
PA=$(wait_port main 600) && PB=$(wait_port paged 600) && PC=$(wait_port faulty 600)
if [ -n "${PA:-}" ] && [ -n "${PB:-}" ] && [ -n "${PC:-}" ] &&
    grep -q "^listening on 127.0.0.1:$PA\$" "$WORK/main.out"; then
    ok "three servers listen on free ports (port files, 'listening on' line)"
else
    notok "servers start"
    exit 1
fi
aws_() { # aws_ PORT ARGS...
    port=$1
    shift
    "$AWS" --endpoint-url "http://127.0.0.1:$port" "$@"
}

# --- awscli: Glue -------------------------------------------------------------------
truth databases >"$WORK/want.json"
if aws_ "$PA" glue get-databases --query 'DatabaseList[].Name' >"$WORK/got.json" 2>"$WORK/err" &&
    same "$WORK/got.json" "$WORK/want.json"; then
    ok "aws glue get-databases lists the seed's databases"
else
    notok "aws glue get-databases"
    show "$WORK/err"
fi

truth tables weblogs >"$WORK/want.json"
if aws_ "$PB" glue get-tables --database-name weblogs --query 'TableList[].Name' >"$WORK/got.json" 2>"$WORK/err" &&
    same "$WORK/got.json" "$WORK/want.json" &&
    [ "$(grep -c '"op": "GetTables", "status": 200' "$WORK/paged.log")" -ge 2 ]; then
    ok "aws glue get-tables paginates (--page-size 3, NextToken) and gets every table"
else
    notok "aws glue get-tables over pages"
    show "$WORK/err"
fi

truth partitions weblogs events >"$WORK/want.json"
if aws_ "$PB" glue get-partitions --database-name weblogs --table-name events \
    --query 'sort_by(Partitions, &Values[0])[].Values' >"$WORK/got.json" 2>"$WORK/err" &&
    same "$WORK/got.json" "$WORK/want.json"; then
    ok "aws glue get-partitions: 365 generated partitions over 122 pages"
else
    notok "aws glue get-partitions"
    show "$WORK/err"
fi

# --- awscli: S3 -----------------------------------------------------------------------
truth list tricky "" >"$WORK/want.json"
if aws_ "$PB" s3api list-objects-v2 --bucket tricky --query '{k: Contents[].Key, p: CommonPrefixes[].Prefix}' \
    >"$WORK/got.json" 2>"$WORK/err" && same "$WORK/got.json" "$WORK/want.json"; then
    ok "aws s3api list-objects-v2: tricky keys in UTF-8 byte order across pages of 3"
else
    notok "aws s3api list-objects-v2 tricky keys"
    show "$WORK/err"
fi

truth list tricky "dir/" / >"$WORK/want.json"
if aws_ "$PA" s3api list-objects-v2 --bucket tricky --prefix dir/ --delimiter / \
    --query '{k: Contents[].Key, p: CommonPrefixes[].Prefix}' >"$WORK/got.json" 2>"$WORK/err" &&
    same "$WORK/got.json" "$WORK/want.json"; then
    ok "aws s3api list-objects-v2 --prefix dir/ --delimiter / (CommonPrefixes)"
else
    notok "aws s3api list-objects-v2 with prefix and delimiter"
    show "$WORK/err"
fi

set -- $(truth summary lake events/dt=2025-02)
if aws_ "$PA" s3 ls --recursive --summarize s3://lake/events/dt=2025-02 >"$WORK/ls.txt" 2>"$WORK/err" &&
    grep -q "Total Objects: $1\$" "$WORK/ls.txt" && grep -q "Total Size: $2\$" "$WORK/ls.txt"; then
    ok "aws s3 ls --recursive --summarize: $1 objects, $2 bytes"
else
    notok "aws s3 ls --recursive --summarize (want $1 objects, $2 bytes)"
    tail -n 3 "$WORK/ls.txt" | show
    show "$WORK/err"
fi

# --- rclone ---------------------------------------------------------------------------------
set -- $(truth summary lake events/)
if rclone size --json --s3-provider Other --s3-endpoint "http://127.0.0.1:$PA" \
    --s3-access-key-id "$AWS_ACCESS_KEY_ID" --s3-secret-access-key "$AWS_SECRET_ACCESS_KEY" \
    --s3-region us-east-1 --s3-list-version 2 --s3-force-path-style=true \
    ":s3:lake/events" >"$WORK/rclone.json" 2>"$WORK/err" &&
    $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (d["count"]==int(sys.argv[2]) and d["bytes"]==int(sys.argv[3])))' \
        "$WORK/rclone.json" "$1" "$2"; then
    ok "rclone size: $1 objects, $2 bytes"
else
    notok "rclone size (want $1 objects, $2 bytes)"
    show "$WORK/rclone.json" "$WORK/err"
fi

# --- errors -------------------------------------------------------------------------------------
# expect_error CODE DESCRIPTION SECRET PORT AWSARGS...: the aws call, made
# with that secret key, fails with CODE
expect_error() {
    code=$1
    desc=$2
    secret=$3
    port=$4
    shift 4
    if AWS_SECRET_ACCESS_KEY="$secret" "$AWS" --endpoint-url "http://127.0.0.1:$port" "$@" >"$WORK/out" 2>"$WORK/err"; then
        notok "$desc (the call succeeded)"
    elif grep -q "($code)" "$WORK/err"; then
        ok "$desc"
    else
        notok "$desc (wanted $code)"
        show "$WORK/err"
    fi
}
expect_error InvalidSignatureException "Glue: a wrong secret gives InvalidSignatureException" \
    wrong-secret "$PA" glue get-databases
expect_error SignatureDoesNotMatch "S3: a wrong secret gives SignatureDoesNotMatch" \
    wrong-secret "$PA" s3api list-objects-v2 --bucket tricky
expect_error ValidationException "Glue: MaxResults 5000 (model max 1000) gives ValidationException" \
    "$AWS_SECRET_ACCESS_KEY" "$PA" glue get-partitions --database-name weblogs --table-name events --max-results 5000
if grep -q "maxResults" "$WORK/err"; then ok "the ValidationException names the field"; else
    notok "the ValidationException names the field"
    show "$WORK/err"
fi
expect_error ValidationException "Glue: an enum value outside the model gives ValidationException" \
    "$AWS_SECRET_ACCESS_KEY" "$PA" glue get-databases --resource-share-type EVERYTHING

# --- fault injection ------------------------------------------------------------------------------
truth list tricky "" >"$WORK/want.json"
t0=$(date +%s)
if AWS_MAX_ATTEMPTS=10 AWS_RETRY_MODE=standard "$AWS" --endpoint-url "http://127.0.0.1:$PC" s3api list-objects-v2 --bucket tricky \
    --query '{k: Contents[].Key, p: CommonPrefixes[].Prefix}' >"$WORK/got.json" 2>"$WORK/err" &&
    same "$WORK/got.json" "$WORK/want.json" &&
    AWS_MAX_ATTEMPTS=10 AWS_RETRY_MODE=standard "$AWS" --endpoint-url "http://127.0.0.1:$PC" glue get-tables --database-name weblogs \
        --query 'TableList[].Name' >"$WORK/got.json" 2>>"$WORK/err"; then
    faults=$(grep -c '"status": 50[03]' "$WORK/faulty.log")
    throttles=$(grep -c '"error": "ThrottlingException"\|"error": "SlowDown"' "$WORK/faulty.log")
    if [ "$faults" -gt 0 ]; then
        ok "with --fail-rate 0.5 the aws cli still completes by retrying ($faults injected 5xx, $throttles throttled, $(($(date +%s) - t0)) s)"
    else
        notok "fault injection injected nothing"
    fi
else
    notok "aws cli completes against --fail-rate 0.5"
    show "$WORK/err"
fi

# --- raw HTTP checks with a botocore-signed client ----------------------------------------------
cat >"$WORK/checks.py" <<'PYEOF'
import datetime, email.utils, http.client, json, re, statistics, sys, threading, time
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote_plus
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

port_a, port_b, truth_py, seed_path = sys.argv[1:5]
sys.argv = [truth_py, seed_path, "none"]
T = {}
exec(open(truth_py).read().split("if what ==")[0], T)  # objects(), listing()
AK, SK = "AKIDLAKETOPTEST", "laketop/test/secret/key+with/special=chars"
NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
fails = 0


def check(name, cond, detail=""):
    global fails
    print(("ok - " if cond else "not ok - ") + name)
    if not cond:
        fails += 1
        for line in str(detail).splitlines()[:15]:
            print("# " + line)


class Client:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method, path, params=(), body=b"", headers=None, service="s3", secret=SK,
             akid=AK, ts=None, host=None, sign=True, region="us-east-1", unsigned=None):
        host = host or "127.0.0.1:%d" % self.port
        qs = "&".join("%s=%s" % (quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in params)
        target = path + ("?" + qs if qs else "")
        req = AWSRequest(method=method, url="http://" + host + target, data=body, headers=dict(headers or {}))
        req.headers["Host"] = host
        if sign:
            signer = (S3SigV4Auth if service == "s3" else SigV4Auth)(Credentials(akid, secret), service, region)
            req.context["timestamp"] = ts or datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
            signer._modify_request_before_signing(req)
            cr = signer.canonical_request(req)
            signer._inject_signature_to_request(req, signer.signature(signer.string_to_sign(req, cr), req))
        hdrs = dict(req.headers.items())
        hdrs.update(unsigned or {})
        self.conn.request(method, target, body=body, headers=hdrs)
        r = self.conn.getresponse()
        return r.status, r.headers, r.read()

    def glue(self, op, params, **kw):
        st, h, data = self.call("POST", "/", body=json.dumps(params).encode(), service="glue",
                                headers={"X-Amz-Target": "AWSGlue." + op,
                                         "Content-Type": "application/x-amz-json-1.1"}, **kw)
        return st, json.loads(data or b"{}")


def xml(data):
    return ET.fromstring(data)


def s3_error(data):
    try:
        return xml(data).findtext("Code")
    except ET.ParseError:
        return None


def list_page(c, bucket, **p):
    params = [(k.replace("_", "-"), str(v)) for k, v in p.items()]
    st, h, data = c.call("GET", "/" + bucket, [("list-type", "2")] + params)
    if st != 200:
        raise AssertionError("HTTP %d %s" % (st, data[:300]))
    return xml(data)


def list_all(c, bucket, **p):
    enc = p.get("encoding_type") == "url"
    dec = (lambda s: unquote_plus(s)) if enc else (lambda s: s)
    keys, cps, pages, token = [], [], 0, None
    while True:
        q = dict(p)
        if token:
            q["continuation_token"] = token
        root = list_page(c, bucket, **q)
        pages += 1
        keys += [dec(e.findtext(NS + "Key")) for e in root.findall(NS + "Contents")]
        cps += [dec(e.findtext(NS + "Prefix")) for e in root.findall(NS + "CommonPrefixes")]
        if root.findtext(NS + "IsTruncated") != "true":
            return keys, cps, pages
        token = root.findtext(NS + "NextContinuationToken")


a = Client(int(port_a))
b = Client(int(port_b))
tricky = T["objects"]("tricky")
byte_order = sorted(tricky, key=lambda k: k.encode("utf-8"))

# S3 response shape
st, h, data = a.call("GET", "/tricky", [("list-type", "2"), ("max-keys", "5")])
root = xml(data)
first = root.find(NS + "Contents")
shape_ok = (
    st == 200 and root.tag == NS + "ListBucketResult"
    and [root.findtext(NS + t) for t in ("Name", "Prefix", "KeyCount", "MaxKeys", "IsTruncated")] == ["tricky", "", "5", "5", "true"]
    and root.findtext(NS + "NextContinuationToken")
    and [e.tag[len(NS):] for e in first] == ["Key", "LastModified", "ETag", "Size", "StorageClass"]
    and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first.findtext(NS + "LastModified"))
    and re.fullmatch(r'"[0-9a-f]{32}(-\d+)?"', first.findtext(NS + "ETag"))
    and first.findtext(NS + "StorageClass") == "STANDARD"
    and h.get("Content-Type") == "application/xml"
)
check("ListObjectsV2 XML has S3's shape (namespace, KeyCount, ms LastModified, quoted ETag)", shape_ok, data[:600].decode())
got = [e.findtext(NS + "Key") for e in root.findall(NS + "Contents")]
check("Size and LastModified come from the seed", [int(e.findtext(NS + "Size")) for e in root.findall(NS + "Contents")] == [tricky[k] for k in got])

# sorting, encoding-type=url, pagination
keys, cps, pages = list_all(a, "tricky")
check("keys come in UTF-8 byte order (raw XML, one page)", keys == byte_order and cps == [] and pages == 1,
      "\n".join(map(repr, keys[:10])))
keys, cps, pages = list_all(a, "tricky", encoding_type="url", max_keys=4)
check("encoding-type=url round-trips every key over pages of 4", keys == byte_order and pages == -(-len(byte_order) // 4))
root = list_page(a, "tricky", encoding_type="url", prefix="dir/ ", delimiter="/", start_after="a b")
raw = [e.findtext(NS + "Key") for e in root.findall(NS + "Contents")]
check("encoding-type=url encodes Key, Prefix, Delimiter, StartAfter",
      root.findtext(NS + "EncodingType") == "url" and all(re.fullmatch(r"[A-Za-z0-9._~/%+-]*", k) for k in raw)
      and [unquote_plus(k) for k in raw] == ["dir/ space"]
      and unquote_plus(root.findtext(NS + "Prefix")) == "dir/ " and root.findtext(NS + "Prefix") != "dir/ "
      and unquote_plus(root.findtext(NS + "StartAfter")) == "a b" and root.findtext(NS + "Delimiter") == "/",
      ET.tostring(root)[:500])
all_raw = [e.findtext(NS + "Key") for e in list_page(a, "tricky", encoding_type="url").findall(NS + "Contents")]
check("encoded keys are ASCII and decode back (spaces, '+', '%', unicode, '&')",
      all(re.fullmatch(r"[A-Za-z0-9._~/%+-]*", k) for k in all_raw) and [unquote_plus(k) for k in all_raw] == byte_order)

bad = []
for sa in ["", "a", "a/", "a b", "dir/sub", "dir/sub/x", "zzz", "\u00e9", "\U0001F600.txt", "~"]:
    want = [k for k in byte_order if k.encode() > sa.encode()]
    got, _, _ = list_all(a, "tricky", start_after=sa, max_keys=3) if sa else list_all(a, "tricky", max_keys=3)
    if got != want:
        bad.append("start-after %r: got %r" % (sa, got[:5]))
check("start-after (with pages of 3) matches an independent computation", not bad, "\n".join(bad))

bad = []
for prefix in ["", "a", "a/", "dir/", "dir/sub", "dir/sub/", "\u65e5\u672c/", "100%", "plus+", "nope/"]:
    for delim in ["/", "b", "sub", "\u00e9"]:
        want = T["listing"]("tricky", prefix, delim)
        for mk in (1000, 2):
            got_k, got_p, _ = list_all(a, "tricky", prefix=prefix, delimiter=delim, max_keys=mk, encoding_type="url")
            if got_k != want["k"] or got_p != want["p"]:
                bad.append("prefix %r delimiter %r max-keys %d: got %r %r" % (prefix, delim, mk, got_k[:4], got_p[:4]))
check("prefix + delimiter (CommonPrefixes, pages of 2) match an independent computation", not bad, "\n".join(bad))

root = list_page(a, "tricky", prefix="a/", delimiter="/")
check("a zero-byte key 'a/' is listed under prefix a/ with Size 0",
      [(e.findtext(NS + "Key"), e.findtext(NS + "Size")) for e in root.findall(NS + "Contents")] == [("a/", "0"), ("a/b", str(tricky["a/b"]))])

# ListObjects v1 with marker
st, h, data = a.call("GET", "/tricky", [("marker", "dir/"), ("max-keys", "3")])
root = xml(data)
check("ListObjects v1: marker, MaxKeys, IsTruncated",
      [e.findtext(NS + "Key") for e in root.findall(NS + "Contents")] == [k for k in byte_order if k > "dir/"][:3]
      and root.findtext(NS + "Marker") == "dir/" and root.findtext(NS + "IsTruncated") == "true")

# --page-size caps max-keys
root = list_page(b, "tricky", max_keys=1000)
check("--page-size 3 caps a page (KeyCount 3, MaxKeys echoes 1000, truncated)",
      root.findtext(NS + "KeyCount") == "3" and root.findtext(NS + "MaxKeys") == "1000" and root.findtext(NS + "IsTruncated") == "true")

# buckets, objects, errors
st, h, data = a.call("GET", "/")
check("ListBuckets lists the seed's buckets", st == 200 and [e.findtext(NS + "Name") for e in xml(data).iter(NS + "Bucket")] == sorted(json.load(open(seed_path))["buckets"]))
st, h, data = a.call("HEAD", "/lake")
check("HeadBucket: 200 with x-amz-bucket-region", st == 200 and h.get("x-amz-bucket-region") == "us-east-1")
st, h, data = a.call("GET", "/archive-eu", [("location", "")])
check("GetBucketLocation", st == 200 and xml(data).text == "eu-west-1")
st, h, data = a.call("GET", "/archive-eu", [("list-type", "2")])
check("a request signed for the wrong bucket region gives AuthorizationHeaderMalformed naming the region",
      st == 400 and s3_error(data) == "AuthorizationHeaderMalformed" and xml(data).findtext("Region") == "eu-west-1")
st, h, data = a.call("GET", "/nobucket", [("list-type", "2")])
check("missing bucket: 404 NoSuchBucket", st == 404 and s3_error(data) == "NoSuchBucket")
st, h, data = a.call("GET", "/secret", [("list-type", "2")])
check("denied bucket: 403 AccessDenied", st == 403 and s3_error(data) == "AccessDenied")
key = "a&b<c>\"d'.txt"
st, h, data = a.call("GET", "/tricky/" + quote(key, safe="/~"))
check("GetObject returns deterministic content of the object's size",
      st == 200 and len(data) == tricky[key] == int(h["Content-Length"]) and h["ETag"].startswith('"'))
st, h, data2 = a.call("GET", "/tricky/" + quote(key, safe="/~"), headers={"Range": "bytes=5-9"})
check("GetObject with Range: 206 and the right bytes", st == 206 and data2 == data[5:10] and h["Content-Range"] == "bytes 5-9/%d" % len(data))
st, h, data = a.call("HEAD", "/tricky/" + quote("\U0001F600.txt"))
check("HeadObject on a unicode key: 200, Content-Length, no body", st == 200 and int(h["Content-Length"]) == tricky["\U0001F600.txt"] and data == b"")
st, h, data = a.call("HEAD", "/tricky/nope")
check("HeadObject on a missing key: 404 and no body", st == 404 and data == b"")
st, h, data = a.call("GET", "/tricky/nope")
check("GetObject on a missing key: 404 NoSuchKey", st == 404 and s3_error(data) == "NoSuchKey")
st, h, data = a.call("GET", "/", [("list-type", "2"), ("prefix", "dir/"), ("delimiter", "/")], host="tricky.localhost:%d" % a.port)
check("virtual-host style (tricky.localhost:PORT)", st == 200 and [e.findtext(NS + "Prefix") for e in xml(data).findall(NS + "CommonPrefixes")] == ["dir//", "dir/sub/"])

# authentication
st, h, data = a.call("GET", "/tricky", [("list-type", "2")], sign=False)
check("S3 without a signature: 403 AccessDenied", st == 403 and s3_error(data) == "AccessDenied")
st, h, data = a.call("GET", "/tricky", [("list-type", "2")], secret="nope")
err = xml(data)
check("S3 wrong secret: 403 SignatureDoesNotMatch with the StringToSign", st == 403 and err.findtext("Code") == "SignatureDoesNotMatch" and err.findtext("StringToSign").startswith("AWS4-HMAC-SHA256\n"))
st, h, data = a.call("GET", "/tricky", [("list-type", "2")], akid="AKIDNOBODY")
check("S3 unknown access key: 403 InvalidAccessKeyId", st == 403 and s3_error(data) == "InvalidAccessKeyId")
st, h, data = a.call("GET", "/tricky", [("list-type", "2")], unsigned={"x-amz-meta-sneaky": "1"})
check("S3 x-amz-* header left out of the signature: 403 AccessDenied", st == 403 and s3_error(data) == "AccessDenied" and b"not signed" in data)
old = (datetime.datetime.utcnow() - datetime.timedelta(minutes=20)).strftime("%Y%m%dT%H%M%SZ")
st, h, data = a.call("GET", "/tricky", [("list-type", "2")], ts=old)
check("S3 X-Amz-Date 20 min off: 403 RequestTimeTooSkewed", st == 403 and s3_error(data) == "RequestTimeTooSkewed")
st, doc = a.glue("GetDatabases", {}, ts=old)
check("Glue X-Amz-Date 20 min off: InvalidSignatureException 'Signature expired'", st == 400 and doc.get("__type") == "InvalidSignatureException" and "Signature expired" in doc.get("message", ""))
d = email.utils.parsedate_to_datetime(h.get("Date", ""))
check("responses carry a Date header (RFC 1123) close to now", abs(d.timestamp() - time.time()) < 60)
st, doc = a.glue("GetDatabases", {}, sign=False)
check("Glue without a signature: 403 MissingAuthenticationTokenException", st == 403 and doc.get("__type") == "MissingAuthenticationTokenException")
st, doc = a.glue("GetDatabases", {}, secret="nope")
check("Glue wrong secret: 400 InvalidSignatureException", st == 400 and doc.get("__type") == "InvalidSignatureException")
st, doc = a.glue("GetDatabases", {}, akid="AKIDNOBODY")
check("Glue unknown access key: 400 UnrecognizedClientException", st == 400 and doc.get("__type") == "UnrecognizedClientException")

# Glue validation and semantics
st, doc = a.glue("DeleteEverything", {})
check("Glue unknown operation: UnknownOperationException", st == 400 and doc.get("__type") == "UnknownOperationException")
st, doc = a.glue("GetTables", {"DatabaseName": "weblogs", "MaxResults": 101})
check("GetTables MaxResults 101 (model max 100): ValidationException", st == 400 and doc.get("__type") == "ValidationException" and "maxResults" in doc.get("message", ""), doc)
st, doc = a.glue("GetTables", {})
check("GetTables without DatabaseName: ValidationException naming it", st == 400 and doc.get("__type") == "ValidationException" and "DatabaseName" in doc.get("message", ""), doc)
st, doc = a.glue("GetTables", {"DatabaseName": "x" * 256})
check("a 256-character name (model max 255): ValidationException", st == 400 and doc.get("__type") == "ValidationException", doc)
st, doc = a.glue("GetPartitions", {"DatabaseName": "weblogs", "TableName": "events", "Segment": {"SegmentNumber": 0, "TotalSegments": 11}})
check("Segment.TotalSegments 11 (model max 10): ValidationException", st == 400 and "segment.totalSegments" in doc.get("message", ""), doc)
st, doc = a.glue("GetPartitions", {"DatabaseName": "weblogs", "TableName": "events", "Segment": {"SegmentNumber": 4, "TotalSegments": 4}})
check("SegmentNumber >= TotalSegments: InvalidInputException", st == 400 and doc.get("__type") == "InvalidInputException", doc)
st, doc = a.glue("GetTables", {"DatabaseName": "nope"})
check("missing database: EntityNotFoundException", st == 400 and doc.get("__type") == "EntityNotFoundException")
st, doc = a.glue("GetDatabase", {"Name": "weblogs"})
db = doc.get("Database", {})
check("GetDatabase shape (Name, Description, LocationUri, CreateTime epoch, CatalogId)",
      db.get("Name") == "weblogs" and db.get("LocationUri") == "s3://lake/" and isinstance(db.get("CreateTime"), float) and db.get("CatalogId") == "123456789012", doc)
st, doc = a.glue("GetDatabase", {"Name": "partner_link"})
check("a resource link database has TargetDatabase", doc.get("Database", {}).get("TargetDatabase", {}).get("DatabaseName") == "partner_data")
st, doc = a.glue("GetTable", {"DatabaseName": "weblogs", "Name": "events"})
t = doc.get("Table", {})
check("GetTable shape (StorageDescriptor, PartitionKeys, TableType, times)",
      t.get("DatabaseName") == "weblogs" and t.get("TableType") == "EXTERNAL_TABLE" and t["StorageDescriptor"]["Location"] == "s3://lake/events/"
      and t["PartitionKeys"] == [{"Name": "dt", "Type": "string"}] and t["UpdateTime"] > t["CreateTime"]
      and "SerdeInfo" in t["StorageDescriptor"] and t["StorageDescriptor"]["Columns"], doc)
segs = []
for n in range(4):
    got, token = [], None
    while True:
        req = {"DatabaseName": "weblogs", "TableName": "events", "Segment": {"SegmentNumber": n, "TotalSegments": 4}, "MaxResults": 40}
        if token:
            req["NextToken"] = token
        st, doc = a.glue("GetPartitions", req)
        got += [tuple(p["Values"]) for p in doc.get("Partitions", [])]
        token = doc.get("NextToken")
        if not token:
            break
    segs.append(got)
allv = sorted(v for s in segs for v in s)
check("GetPartitions Segments split the 365 partitions disjointly and completely",
      len(allv) == 365 and len(set(allv)) == 365 and max(map(len, segs)) - min(map(len, segs)) <= 1, [len(s) for s in segs])
st, doc = a.glue("GetPartitions", {"DatabaseName": "weblogs", "TableName": "events", "MaxResults": 1})
p = doc["Partitions"][0]
check("Partition shape (Values, DatabaseName, TableName, CreationTime, StorageDescriptor.Location)",
      p["Values"] == ["2025-01-01"] and p["DatabaseName"] == "weblogs" and p["TableName"] == "events"
      and isinstance(p["CreationTime"], float) and p["StorageDescriptor"]["Location"] == "s3://lake/events/dt=2025-01-01/", p)
st, doc = a.glue("GetPartitions", {"DatabaseName": "sales", "TableName": "orders", "Expression": "year = 2025 AND month BETWEEN 3 AND 5"})
check("GetPartitions Expression filters on the partition keys", [p["Values"] for p in doc.get("Partitions", [])] == [["2025", "3"], ["2025", "4"], ["2025", "5"]], doc)
st, doc = a.glue("GetCrawlers", {})
check("GetCrawlers", [c["Name"] for c in doc.get("Crawlers", [])] == ["sales-crawler", "weblogs-crawler"], doc)
st, doc = a.glue("GetTableVersions", {"DatabaseName": "weblogs", "TableName": "events"})
check("GetTableVersions", [v["VersionId"] for v in doc.get("TableVersions", [])] == ["1", "0"], doc)
st, doc = a.glue("GetDatabases", {"ResourceShareType": "ALL"})
check("GetDatabases ResourceShareType ALL includes the foreign database", "partner_data" in [d["Name"] for d in doc.get("DatabaseList", [])])

# concurrent clients get the same answers as a lone one
ref_keys = list_all(a, "tricky", max_keys=5)[0]
ref_parts = a.glue("GetPartitions", {"DatabaseName": "sales", "TableName": "orders"})[1]
results = []


def worker():
    c = Client(a.port)
    for _ in range(5):
        results.append(list_all(c, "tricky", max_keys=5)[0] == ref_keys
                       and c.glue("GetPartitions", {"DatabaseName": "sales", "TableName": "orders"})[1] == ref_parts)


threads = [threading.Thread(target=worker) for _ in range(8)]
for th in threads:
    th.start()
for th in threads:
    th.join()
check("8 concurrent keep-alive clients get identical answers", len(results) == 40 and all(results))

# keep-alive and latency
sock = a.conn.sock
a.glue("GetDatabases", {})
check("HTTP/1.1 keep-alive: one connection served every request", sock is not None and a.conn.sock is sock)
params = [("list-type", "2"), ("prefix", "clicks/"), ("start-after", "clicks/dt=2025-07-01/")]
t0 = time.perf_counter()
st, h, data = a.call("GET", "/lake", params)
cold = (time.perf_counter() - t0) * 1000
times = []
for _ in range(20):
    t0 = time.perf_counter()
    st, h, data = a.call("GET", "/lake", params)
    times.append((time.perf_counter() - t0) * 1000)
check("a page of 1000 keys from a 200k-object bucket", st == 200 and xml(data).findtext(NS + "KeyCount") == "1000")
print("# ListObjectsV2, 1000 keys, 200k-object bucket: cold %.1f ms, warm median %.2f ms (min %.2f) incl. signing" % (cold, statistics.median(times), min(times)))
sys.exit(1 if fails else 0)
PYEOF
$PY "$WORK/checks.py" "$PA" "$PB" "$WORK/truth.py" "$SEED" || FAILED=1

# --- request log, bad seed, SIGTERM ------------------------------------------------------------------
if $PY - "$WORK/main.log" <<'PYEOF'; then ok "--request-log: one JSON line per request (method, path, query, op, status)"; else notok "--request-log"; fi
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
ops = {r["op"] for r in recs}
assert all({"method", "path", "query", "op", "status"} <= set(r) for r in recs)
assert {"GetDatabases", "GetPartitions", "ListObjectsV2", "GetObject", "ListBuckets"} <= ops, ops
assert any(r["status"] == 403 and r["error"] == "SignatureDoesNotMatch" for r in recs)
PYEOF

printf '{"databases": [{"Name": "d", "tables": [{"Name": "t", "Parameters": {"n": 5}}]}]}' >"$WORK/bad.json"
$PY "$FIXTURES/aws_endpoint.py" --seed "$WORK/bad.json" --port 0 >"$WORK/out" 2>"$WORK/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q 'Parameters' "$WORK/err"; then ok "a seed that breaks the Glue model is refused (exit 2, naming the field)"; else
    notok "bad seed refused (exit $rc)"
    show "$WORK/err"
fi

pid=$(cat "$WORK/main.pid")
kill "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do
    i=$((i + 1))
    sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
    notok "the server stops on SIGTERM"
else
    wait "$pid"
    rc=$?
    if [ "$rc" -eq 0 ]; then ok "the server stops cleanly on SIGTERM (exit 0)"; else notok "the server exits $rc on SIGTERM"; fi
fi
if [ "$FAILED" -ne 0 ]; then
    for n in main paged faulty; do
        echo "# --- $n server stderr ---"
        tail -n 15 "$WORK/$n.err" | sed 's/^/# /'
    done
fi
exit "$FAILED"
