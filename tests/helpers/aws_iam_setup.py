#!/usr/bin/python3
"""aws_iam_setup.py: an IAM file for tests/fixtures/aws_endpoint.py (--iam)
and a matching ~/.aws (config, credentials, SSO token cache, a web identity
token file), one profile per way of signing in.

    aws_iam_setup.py write DIR [--endpoint URL] [--sso-expires ISO]

writes
    DIR/iam.json                  the endpoint's --iam file
    DIR/home/.aws/config          the profiles below
    DIR/home/.aws/credentials     [base] (the endpoint's default keys)
    DIR/home/.aws/sso/cache/*.json  cached `aws sso login` tokens
    DIR/web-token                 the pod's web identity token
    DIR/env.sh                    shell variables naming all of it (source it)

--endpoint URL adds `endpoint_url = URL` to every profile (laketop reads it;
Debian's botocore 1.29 does not). --sso-expires sets the valid cached tokens'
expiresAt (default: now + 8 hours).

Profiles (see tests/fixtures/README.md for what the endpoint checks):
    base          static keys, arn:aws:iam::111111111111:user/base
    ops           role ops-readonly, source_profile base
    chain         role chained (trusts ops-readonly), source_profile ops,
                  role_session_name laketop-chain: a chain of two
    env           role ops-readonly, credential_source Environment
    partner       role partner, source_profile base, external_id partner-7
    partner-wrong the same with external_id wrong-id (AccessDenied)
    partner-none  the same with no external_id (AccessDenied)
    mfa           role admin, source_profile base, mfa_serial (code 123456)
    refused       role locked (trusts nobody), source_profile base
    cycle-a, cycle-b  each the other's source_profile
    web           role pod, web_identity_token_file DIR/web-token
    sso           sso_session corp, account 123456789012, role ReadOnly
    sso-legacy    sso_start_url/sso_region in the profile, same role
    sso-expired   sso_session old: its cached token has expired (no refresh token)
    sso-refresh   sso_session renew: its cached access token has expired, its
                  refresh token works (SSO OIDC CreateToken)
    sso-forbidden sso_session corp, role Admin (not assigned: ForbiddenException)
"""

import datetime
import hashlib
import json
import os
import shlex
import sys

BASE_KEY = "AKIDLAKETOPTEST"
BASE_SECRET = "laketop/test/secret/key+with/special=chars"
BASE_ARN = "arn:aws:iam::111111111111:user/base"
ACCOUNT = "123456789012"
MFA_SERIAL = "arn:aws:iam::111111111111:mfa/base"
MFA_CODE = "123456"
EXTERNAL_ID = "partner-7"
WEB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.laketop-pod-token.c2lnbmF0dXJl"
WEB_SUBJECT = "system:serviceaccount:lake:laketop"
SSO_TOKEN = "aoaLAKETOPssoAccessToken0001"
SSO_LEGACY_TOKEN = "aoaLAKETOPssoLegacyToken0002"
SSO_OLD_TOKEN = "aoaLAKETOPssoExpiredToken003"
SSO_RENEW_TOKEN = "aoaLAKETOPssoRenewToken00004"
SSO_REFRESH_TOKEN = "aorLAKETOPssoRefreshToken005"
SSO_CLIENT_ID = "laketop-client-id"
SSO_CLIENT_SECRET = "laketop-client-secret"
SSO_USER = "alice@example.com"
START_URL = "https://corp.awsapps.com/start"
LEGACY_URL = "https://legacy.awsapps.com/start"
OLD_URL = "https://old.awsapps.com/start"
RENEW_URL = "https://renew.awsapps.com/start"


def role(name):
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def iam_doc():
    return {
        "principals": [{"access_key": BASE_KEY, "secret_key": BASE_SECRET, "arn": BASE_ARN}],
        "roles": [
            {"arn": role("ops-readonly"), "trust": [BASE_ARN]},
            {"arn": role("chained"), "trust": [role("ops-readonly")]},
            {"arn": role("partner"), "trust": [BASE_ARN], "external_id": EXTERNAL_ID},
            {"arn": role("admin"), "trust": [BASE_ARN], "mfa_serial": MFA_SERIAL,
             "mfa_code": MFA_CODE, "max_duration": 7200},
            {"arn": role("locked"), "trust": ["arn:aws:iam::999999999999:user/someone-else"]},
            {"arn": role("pod"), "trust": [],
             "web_identity_tokens": [{"token": WEB_TOKEN, "subject": WEB_SUBJECT,
                                      "provider": "oidc.eks.us-east-1.amazonaws.com/id/LAKETOP"}]},
        ],
        "sso": {
            "tokens": [
                {"access_token": SSO_TOKEN, "user": SSO_USER},
                {"access_token": SSO_LEGACY_TOKEN, "user": SSO_USER},
                {"access_token": SSO_OLD_TOKEN, "user": SSO_USER, "expired": True},
                {"access_token": SSO_RENEW_TOKEN, "user": SSO_USER, "expired": True,
                 "refresh_token": SSO_REFRESH_TOKEN, "client_id": SSO_CLIENT_ID,
                 "client_secret": SSO_CLIENT_SECRET},
            ],
            "roles": [{"account_id": ACCOUNT, "role_name": "ReadOnly",
                       "tokens": [SSO_TOKEN, SSO_LEGACY_TOKEN, SSO_OLD_TOKEN, SSO_RENEW_TOKEN]}],
        },
    }


def config_text(d, endpoint):
    ep = f"endpoint_url = {endpoint}\n" if endpoint else ""
    token_file = os.path.join(d, "web-token")

    def prof(name, body):
        return f"[profile {name}]\nregion = us-east-1\n{ep}{body}\n"

    out = [
        prof("base", ""),
        prof("ops", f"role_arn = {role('ops-readonly')}\nsource_profile = base\n"),
        prof("chain", f"role_arn = {role('chained')}\nsource_profile = ops\nrole_session_name = laketop-chain\n"),
        prof("env", f"role_arn = {role('ops-readonly')}\ncredential_source = Environment\n"),
        prof("partner", f"role_arn = {role('partner')}\nsource_profile = base\nexternal_id = {EXTERNAL_ID}\n"),
        prof("partner-wrong", f"role_arn = {role('partner')}\nsource_profile = base\nexternal_id = wrong-id\n"),
        prof("partner-none", f"role_arn = {role('partner')}\nsource_profile = base\n"),
        prof("mfa", f"role_arn = {role('admin')}\nsource_profile = base\nmfa_serial = {MFA_SERIAL}\n"),
        prof("refused", f"role_arn = {role('locked')}\nsource_profile = base\n"),
        prof("cycle-a", f"role_arn = {role('ops-readonly')}\nsource_profile = cycle-b\n"),
        prof("cycle-b", f"role_arn = {role('ops-readonly')}\nsource_profile = cycle-a\n"),
        prof("web", f"role_arn = {role('pod')}\nweb_identity_token_file = {token_file}\n"
                    "role_session_name = laketop-pod\n"),
        prof("sso", f"sso_session = corp\nsso_account_id = {ACCOUNT}\nsso_role_name = ReadOnly\n"),
        prof("sso-legacy", f"sso_start_url = {LEGACY_URL}\nsso_region = us-east-1\n"
                           f"sso_account_id = {ACCOUNT}\nsso_role_name = ReadOnly\n"),
        prof("sso-expired", f"sso_session = old\nsso_account_id = {ACCOUNT}\nsso_role_name = ReadOnly\n"),
        prof("sso-refresh", f"sso_session = renew\nsso_account_id = {ACCOUNT}\nsso_role_name = ReadOnly\n"),
        prof("sso-forbidden", f"sso_session = corp\nsso_account_id = {ACCOUNT}\nsso_role_name = Admin\n"),
    ]
    for name, url in (("corp", START_URL), ("old", OLD_URL), ("renew", RENEW_URL)):
        out.append(f"[sso-session {name}]\nsso_start_url = {url}\nsso_region = us-east-1\n"
                   "sso_registration_scopes = sso:account:access\n\n")
    return "".join(out)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def write(d, endpoint=None, sso_expires=None):
    os.makedirs(d, exist_ok=True)
    home = os.path.join(d, "home")
    aws = os.path.join(home, ".aws")
    cache = os.path.join(aws, "sso", "cache")
    os.makedirs(cache, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    valid = sso_expires or iso(now + datetime.timedelta(hours=8))
    past = iso(now - datetime.timedelta(hours=1))
    with open(os.path.join(d, "iam.json"), "w") as f:
        json.dump(iam_doc(), f, indent=1)
    with open(os.path.join(aws, "config"), "w") as f:
        f.write(config_text(d, endpoint))
    with open(os.path.join(aws, "credentials"), "w") as f:
        f.write(f"[base]\naws_access_key_id = {BASE_KEY}\naws_secret_access_key = {BASE_SECRET}\n")
    with open(os.path.join(d, "web-token"), "w") as f:
        f.write(WEB_TOKEN)
    tokens = {  # cache key (sha1 of): the cached token
        "corp": {"startUrl": START_URL, "region": "us-east-1", "accessToken": SSO_TOKEN, "expiresAt": valid},
        LEGACY_URL: {"startUrl": LEGACY_URL, "region": "us-east-1", "accessToken": SSO_LEGACY_TOKEN,
                     "expiresAt": valid},
        "old": {"startUrl": OLD_URL, "region": "us-east-1", "accessToken": SSO_OLD_TOKEN, "expiresAt": past},
        "renew": {"startUrl": RENEW_URL, "region": "us-east-1", "accessToken": SSO_RENEW_TOKEN,
                  "expiresAt": past, "refreshToken": SSO_REFRESH_TOKEN, "clientId": SSO_CLIENT_ID,
                  "clientSecret": SSO_CLIENT_SECRET,
                  "registrationExpiresAt": iso(now + datetime.timedelta(days=60))},
    }
    for key, tok in tokens.items():
        name = hashlib.sha1(key.encode("utf-8")).hexdigest() + ".json"
        with open(os.path.join(cache, name), "w") as f:
            json.dump(tok, f)
    # what `aws sso login` also leaves there, and a reader must skip
    with open(os.path.join(cache, "botocore-client-id-us-east-1.json"), "w") as f:
        json.dump({"clientId": SSO_CLIENT_ID, "clientSecret": SSO_CLIENT_SECRET,
                   "expiresAt": iso(now + datetime.timedelta(days=60))}, f)
    env = {
        "IAM_FILE": os.path.join(d, "iam.json"), "IAM_HOME": home,
        "AWS_CONFIG": os.path.join(aws, "config"), "AWS_CREDENTIALS": os.path.join(aws, "credentials"),
        "WEB_TOKEN_FILE": os.path.join(d, "web-token"), "WEB_TOKEN": WEB_TOKEN,
        "BASE_ARN": BASE_ARN, "ROLE_ACCOUNT": ACCOUNT,
        "OPS_ROLE": role("ops-readonly"), "CHAIN_ROLE": role("chained"), "PARTNER_ROLE": role("partner"),
        "ADMIN_ROLE": role("admin"), "LOCKED_ROLE": role("locked"), "POD_ROLE": role("pod"),
        "EXTERNAL_ID": EXTERNAL_ID, "MFA_SERIAL": MFA_SERIAL, "MFA_CODE": MFA_CODE,
        "SSO_TOKEN": SSO_TOKEN, "SSO_OLD_TOKEN": SSO_OLD_TOKEN, "SSO_REFRESH_TOKEN": SSO_REFRESH_TOKEN,
        "SSO_CLIENT_ID": SSO_CLIENT_ID, "SSO_CLIENT_SECRET": SSO_CLIENT_SECRET, "SSO_USER": SSO_USER,
    }
    with open(os.path.join(d, "env.sh"), "w") as f:
        for k, v in env.items():
            f.write(f"{k}={shlex.quote(v)}\n")


def main(argv):
    if len(argv) < 2 or argv[0] != "write":
        sys.stderr.write("usage: aws_iam_setup.py write DIR [--endpoint URL] [--sso-expires ISO]\n")
        return 2
    d = argv[1]
    opts = {"--endpoint": None, "--sso-expires": None}
    rest = argv[2:]
    while rest:
        if rest[0] not in opts or len(rest) < 2:
            sys.stderr.write(f"aws_iam_setup.py: unknown or incomplete option {rest[0]}\n")
            return 2
        opts[rest[0]] = rest[1]
        rest = rest[2:]
    write(d, opts["--endpoint"], opts["--sso-expires"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
