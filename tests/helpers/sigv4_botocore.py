#!/usr/bin/python3
# sigv4_botocore.py DRIVER [LABEL]: differential test of laketop's SigV4 signer
# against Debian's python3-botocore. Generates a few hundred random requests
# (fixed seed), signs each with botocore (SigV4Auth, or S3SigV4Auth for S3) and
# with DRIVER (sigv4_driver.c), compares canonical request, X-Amz-Date and
# Authorization. One TAP line per group of cases; exit status 1 on a mismatch.
import datetime
import hashlib
import json
import random
import re
import subprocess
import sys
import types
from urllib.parse import quote

import botocore
import botocore.auth
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SEED = 20150830
PER_GROUP = 40


# botocore takes the signing time from datetime.datetime.utcnow() in
# botocore.auth: give it a clock that returns the time of the case.
class FixedClock(datetime.datetime):
    now = None

    @classmethod
    def utcnow(cls):
        return cls.now


botocore.auth.datetime = types.SimpleNamespace(datetime=FixedClock)


def capturing(signer_class):
    """The signer class, keeping the canonical request it signed."""

    class Capturing(signer_class):
        canonical = None

        def canonical_request(self, request):
            self.canonical = super().canonical_request(request)
            return self.canonical

    return Capturing


CapturingSigV4 = capturing(SigV4Auth)
CapturingS3SigV4 = capturing(S3SigV4Auth)


# ---- botocore's side ------------------------------------------------------


def botocore_sign(case):
    """Signs with botocore: (authorization, canonical request, X-Amz-Date,
    X-Amz-Content-SHA256 or None)."""
    FixedClock.now = datetime.datetime.utcfromtimestamp(case["time"])
    credentials = Credentials(case["access_key"], case["secret_key"], case["session_token"])
    signer_class = CapturingS3SigV4 if case["s3"] else CapturingSigV4
    signer = signer_class(credentials, case["service"], case["region"])
    url = "%s://%s%s" % (case["scheme"], case["host"], case["path"])
    request = AWSRequest(method=case["method"], url=url, data=case["payload"],
                         params=list(case["params"]))
    for name, value in case["headers"]:
        request.headers[name] = value  # HTTPHeaders keeps repeated names
    if case["botocore_content_sha256"] is not None:
        request.headers["X-Amz-Content-SHA256"] = case["botocore_content_sha256"]
    if case["unsigned_payload"] and case["s3"]:
        request.context["client_config"] = types.SimpleNamespace(
            s3={"payload_signing_enabled": False})
    elif case["unsigned_payload"]:
        request.context["payload_signing_enabled"] = False
    signer.add_auth(request)
    return (request.headers["Authorization"], signer.canonical, request.headers["X-Amz-Date"],
            request.headers.get("X-Amz-Content-SHA256"))


# ---- random requests --------------------------------------------------------

WORDS = ["data", "lake", "part-00000", "x", "Table_1", "2024", "a.b", "snappy.parquet", "v2"]
ODD = [" ", "+", "%", "~", "=", "&", "-", "_", ".", "!", "$", "'", "(", ")", "*", ",", ";",
       ":", "@", "[", "]", "^", "`", "{", "}", "|", "\"", "<", ">", "\\"]
UNICODE = ["é", "ü", "ሴ", "日本", "😀", "Ω", "ß"]
HEADER_NAMES = ["Content-Type", "X-Amz-Target", "Range", "X-Amz-Meta-Note", "My-Header",
                "If-None-Match", "Content-Encoding", "X-Amz-Acl", "Accept", "Content-MD5"]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1"]
SERVICES = ["glue", "athena", "sts", "execute-api", "dynamodb", "service"]
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def text(rng, odd=0.3, uni=0.1, words=(1, 3)):
    parts = []
    for _ in range(rng.randint(*words)):
        r = rng.random()
        if r < odd:
            parts.append(rng.choice(ODD))
        elif r < odd + uni:
            parts.append(rng.choice(UNICODE))
        else:
            parts.append(rng.choice(WORDS))
    return "".join(parts)


def random_case_letters(rng, name):
    choice = rng.randrange(4)
    if choice == 0:
        return name.lower()
    if choice == 1:
        return name.upper()
    return name


def base_case(rng, s3):
    time = rng.randint(946684800, 4102444799)  # 2000 .. 2099
    token = None
    if rng.random() < 0.15:
        token = "".join(rng.choice(B64) for _ in range(rng.randint(16, 300)))
    return {
        "method": rng.choice(["GET", "PUT", "POST", "HEAD", "DELETE"]),
        "scheme": "https",
        "host": "",
        "path": "/",
        "params": [],
        "query": None,
        "headers": [],
        "payload": b"",
        "access_key": "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                                       for _ in range(16)),
        "secret_key": "".join(rng.choice(B64) for _ in range(40)),
        "session_token": token,
        "region": rng.choice(REGIONS),
        "service": "s3" if s3 else rng.choice(SERVICES),
        "time": time,
        "s3": s3,
        "unsigned_payload": False,
        "sign_content_sha256": False,
        "botocore_content_sha256": None,
    }


def set_host(rng, case):
    if rng.random() < 0.15:
        case["scheme"] = "http"
        case["host"] = rng.choice(["localhost:4566", "127.0.0.1:9000", "minio:9000"])
    elif case["s3"]:
        case["host"] = rng.choice(["lake-bucket.s3.%s.amazonaws.com" % case["region"],
                                   "s3.%s.amazonaws.com" % case["region"],
                                   "examplebucket.s3.amazonaws.com"])
    else:
        case["host"] = "%s.%s.amazonaws.com" % (case["service"], case["region"])


def encode_for_wire(rng, raw, is_key):
    """raw as a client might send it in a query: percent-encoded with more or
    fewer characters left alone, hex digits in either case."""
    safe = rng.choice(["", "-_.~", "-_.~!$'()*,;:@/?", "+", " "])
    if not is_key and rng.random() < 0.3:
        safe += "="
    wire = quote(raw, safe=safe)
    if rng.random() < 0.3:
        wire = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), wire)
    return wire


def set_query(rng, case, count):
    params = []
    for _ in range(count):
        r = rng.random()
        if params and r < 0.2:
            key = params[rng.randrange(len(params))][0]  # a repeated key
        elif r < 0.25:
            key = ""
        else:
            key = text(rng, words=(1, 2))
        value = "" if rng.random() < 0.25 else text(rng, words=(0, 3))
        if key == "" and value == "":
            value = "v"
        params.append((key, value))
    parts = []
    for key, value in params:
        wire = encode_for_wire(rng, key, True)
        if value != "" or rng.random() < 0.5:
            wire += "=" + encode_for_wire(rng, value, False)
        parts.append(wire)
    case["params"] = params
    case["query"] = "&".join(parts) if params else None


def header_value(rng):
    spaces = [" ", "  ", "\t", " \t ", "   "]
    words = [text(rng, odd=0.2, uni=0.1, words=(1, 2)).replace("\\", "/")
             for _ in range(rng.randint(0, 4))]
    value = ""
    for i, word in enumerate(words):
        if i:
            value += rng.choice(spaces) if rng.random() < 0.9 else "\n  "
        value += word
    if rng.random() < 0.3:
        value = rng.choice(spaces) + value
    if rng.random() < 0.3:
        value += rng.choice(spaces)
    return value


def set_headers(rng, case, count):
    headers = []
    for _ in range(count):
        if headers and rng.random() < 0.25:
            name = headers[rng.randrange(len(headers))][0]  # a repeated name
        else:
            name = rng.choice(HEADER_NAMES)
        headers.append((random_case_letters(rng, name), header_value(rng)))
    case["headers"] = headers


def random_path_segment(rng):
    r = rng.random()
    if r < 0.25:
        return rng.choice(["", ".", ".."])
    if r < 0.2:
        return rng.choice(["%20", "%2F", "%25", "%2e%2E", "a%20b"])
    return text(rng, odd=0.25, uni=0.1, words=(1, 3)).replace("?", "").replace("#", "") \
        .replace("%", "%25")


def set_service_path(rng, case):
    """A path as sent to a non-S3 service: raw characters and escapes, dot
    segments and empty segments (botocore folds and encodes it again)."""
    segments = [random_path_segment(rng) for _ in range(rng.randint(0, 5))]
    path = "/" + "/".join(segments)
    if rng.random() < 0.2:
        path += "/"
    case["path"] = path


def set_s3_path(rng, case):
    """An S3 key URI-encoded once (as botocore's serializer does), signed as
    is: no '.'/'..' folding."""
    key_parts = []
    for _ in range(rng.randint(1, 4)):
        r = rng.random()
        key_parts.append(rng.choice(["", ".", ".."]) if r < 0.1 else text(rng, odd=0.35))
    key = "/".join(key_parts)
    prefix = "/lake-bucket/" if case["host"].startswith("s3.") else "/"
    case["path"] = prefix + quote(key, safe="/~")


def set_payload(rng, case):
    r = rng.random()
    if r < 0.3:
        case["payload"] = b""
    elif r < 0.7:
        doc = {"DatabaseName": text(rng), "MaxResults": rng.randint(1, 1000)}
        case["payload"] = json.dumps(doc, ensure_ascii=rng.random() < 0.5).encode()
    else:
        case["payload"] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))


# ---- groups -------------------------------------------------------------------


def group_service_paths(rng):
    case = base_case(rng, False)
    set_host(rng, case)
    set_service_path(rng, case)
    return case


def group_json_api(rng):
    case = base_case(rng, False)
    case["service"] = rng.choice(["glue", "athena"])
    set_host(rng, case)
    case["method"] = "POST"
    target = {"glue": "AWSGlue.GetTables",
              "athena": "AmazonAthena.StartQueryExecution"}[case["service"]]
    case["headers"] = [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", target)]
    set_payload(rng, case)
    return case


def group_service_queries(rng):
    case = base_case(rng, False)
    set_host(rng, case)
    set_query(rng, case, rng.randint(1, 8))
    return case


def group_service_headers(rng):
    case = base_case(rng, False)
    set_host(rng, case)
    set_headers(rng, case, rng.randint(1, 8))
    set_payload(rng, case)
    return case


def group_s3_keys(rng):
    case = base_case(rng, True)
    set_host(rng, case)
    set_s3_path(rng, case)
    if rng.random() < 0.5:
        case["headers"] = [("Range", "bytes=0-%d" % rng.randint(0, 10000))]
    return case


def group_s3_listing(rng):
    case = base_case(rng, True)
    case["method"] = "GET"
    set_host(rng, case)
    case["path"] = "/lake-bucket" if case["host"].startswith("s3.") else "/"
    params = [("list-type", "2"), ("prefix", text(rng, odd=0.4) + "/")]
    if rng.random() < 0.5:
        params.append(("delimiter", "/"))
    if rng.random() < 0.5:
        params.append(("continuation-token",
                       "".join(rng.choice(B64 + "=") for _ in range(rng.randint(10, 80)))))
    if rng.random() < 0.3:
        params.append(("encoding-type", "url"))
    if rng.random() < 0.3:
        params.append(("fetch-owner", ""))
    rng.shuffle(params)
    parts = []
    for key, value in params:
        parts.append(key + ("" if value == "" and rng.random() < 0.5 else
                            "=" + encode_for_wire(rng, value, False)))
    case["params"] = params
    case["query"] = "&".join(parts)
    return case


def group_s3_payloads(rng):
    case = base_case(rng, True)
    case["method"] = rng.choice(["PUT", "POST"])
    set_host(rng, case)
    set_s3_path(rng, case)
    set_payload(rng, case)
    set_headers(rng, case, rng.randint(0, 3))
    if rng.random() < 0.5:
        case["unsigned_payload"] = True
    return case


def group_session_tokens(rng):
    case = (group_s3_keys if rng.random() < 0.5 else group_json_api)(rng)
    case["session_token"] = "".join(rng.choice(B64) for _ in range(rng.randint(16, 400)))
    if rng.random() < 0.2:
        case["session_token"] = "  " + case["session_token"] + " "  # trimmed when signed
    return case


def group_content_sha256(rng):
    """Non-S3 with x-amz-content-sha256 signed: the real hash, or
    UNSIGNED-PAYLOAD (botocore's payload_signing_enabled=False)."""
    case = group_service_headers(rng)
    case["sign_content_sha256"] = True
    if rng.random() < 0.5:
        case["unsigned_payload"] = True
    else:
        case["botocore_content_sha256"] = hashlib.sha256(case["payload"]).hexdigest()
    return case


def group_mixed(rng):
    s3 = rng.random() < 0.5
    case = base_case(rng, s3)
    set_host(rng, case)
    (set_s3_path if s3 else set_service_path)(rng, case)
    set_query(rng, case, rng.randint(0, 5))
    set_headers(rng, case, rng.randint(0, 5))
    set_payload(rng, case)
    case["unsigned_payload"] = s3 and rng.random() < 0.2
    return case


GROUPS = [
    ("non-S3 paths: dot segments, empty segments, escapes, UTF-8", group_service_paths),
    ("Glue/Athena JSON POST with X-Amz-Target", group_json_api),
    ("non-S3 queries: repeated keys, empty keys and values, mixed encodings",
     group_service_queries),
    ("non-S3 headers: whitespace runs, tabs, folds, repeats, letter case", group_service_headers),
    ("S3 keys with spaces, '+', '%', '~', '=', '/', UTF-8, dot segments", group_s3_keys),
    ("S3 ListObjectsV2 queries", group_s3_listing),
    ("S3 payloads, UNSIGNED-PAYLOAD, extra headers", group_s3_payloads),
    ("session tokens (S3 and Glue/Athena)", group_session_tokens),
    ("non-S3 with x-amz-content-sha256 signed", group_content_sha256),
    ("mixed S3 and non-S3", group_mixed),
]


def driver_request(case):
    payload_hash = "UNSIGNED-PAYLOAD" if case["unsigned_payload"] else None
    return {
        "method": case["method"],
        "host": case["host"],
        "path": case["path"],
        "query": case["query"],
        "headers": [[name, value] for name, value in case["headers"]],
        "payload_hex": case["payload"].hex(),
        "payload_hash": payload_hash,
        "access_key": case["access_key"],
        "secret_key": case["secret_key"],
        "session_token": case["session_token"],
        "region": case["region"],
        "service": case["service"],
        "time": case["time"],
        "s3": case["s3"],
        "sign_content_sha256": case["sign_content_sha256"] or case["unsigned_payload"],
    }


def run_driver(driver, requests):
    lines = "".join(json.dumps(r) + "\n" for r in requests)
    done = subprocess.run([driver], input=lines.encode(), stdout=subprocess.PIPE, check=False)
    results = [json.loads(line) for line in done.stdout.decode().splitlines()]
    if done.returncode != 0 or len(results) != len(requests):
        sys.exit("not ok - %s exited %d with %d results for %d requests"
                 % (driver, done.returncode, len(results), len(requests)))
    return results


def compare(case, result):
    """None when botocore and the driver agree, else a description."""
    authorization, canonical, amz_date, content_sha256 = botocore_sign(case)
    if not result["ok"]:
        return "driver refused: %s" % result["error"]
    problems = []
    if result["canonical_request"] != canonical:
        problems.append("canonical request differs:\n--- botocore\n%s\n--- laketop\n%s"
                        % (canonical, result["canonical_request"]))
    if result["amz_date"] != amz_date:
        problems.append("X-Amz-Date %s, botocore %s" % (result["amz_date"], amz_date))
    if case["s3"] and result["content_sha256"] != content_sha256:
        problems.append("x-amz-content-sha256 %s, botocore %s"
                        % (result["content_sha256"], content_sha256))
    if result["authorization"] != authorization:
        problems.append("Authorization differs:\n  botocore %s\n  laketop  %s"
                        % (authorization, result["authorization"]))
    return "\n".join(problems) or None


def check_harness():
    """botocore under this harness reproduces the S3 documentation's GET
    vector, so the fixed clock and the request set-up are right."""
    case = {
        "method": "GET", "scheme": "https", "host": "examplebucket.s3.amazonaws.com",
        "path": "/test.txt", "params": [], "headers": [("Range", "bytes=0-9")], "payload": b"",
        "access_key": "AKIAIOSFODNN7EXAMPLE",
        "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "session_token": None,
        "region": "us-east-1", "service": "s3", "time": 1369353600, "s3": True,
        "unsigned_payload": False, "botocore_content_sha256": None,
    }
    authorization = botocore_sign(case)[0]
    return authorization.endswith(
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: sigv4_botocore.py DRIVER [LABEL]")
    driver = sys.argv[1]
    label = " (%s)" % sys.argv[2] if len(sys.argv) > 2 else ""
    failed = 0
    if check_harness():
        print("ok - botocore %s under this harness signs the S3 GET vector%s"
              % (botocore.__version__, label))
    else:
        print("not ok - botocore %s under this harness does not sign the S3 GET vector%s"
              % (botocore.__version__, label))
        failed += 1
    rng = random.Random(SEED)
    groups = [(name, [make(rng) for _ in range(PER_GROUP)]) for name, make in GROUPS]
    all_cases = [case for _, cases in groups for case in cases]
    results = iter(run_driver(driver, [driver_request(case) for case in all_cases]))
    total = 0
    for name, cases in groups:
        bad = []
        for number, case in enumerate(cases):
            problem = compare(case, next(results))
            total += 1
            if problem:
                bad.append((number, case, problem))
        if bad:
            failed += 1
            print("not ok - %s: %d of %d differ from botocore%s"
                  % (name, len(bad), len(cases), label))
            number, case, problem = bad[0]
            shown = {k: (v.hex() if isinstance(v, bytes) else v) for k, v in case.items()}
            report = "first difference, case %d: %r\n%s" % (number, shown, problem)
            for line in report.splitlines():
                print("# " + line)
        else:
            print("ok - %s: %d cases match botocore%s" % (name, len(cases), label))
    print("# %d requests compared with botocore %s, %d group(s) failed"
          % (total, botocore.__version__, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
