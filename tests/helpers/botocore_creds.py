#!/usr/bin/python3
"""botocore_creds.py: what Debian's botocore makes of a profile, against the
test endpoint (the expected side of laketop's credential tests).

PROFILE "-" means no profile (botocore's chain from the environment).

    botocore_creds.py method PROFILE
        prints the kind botocore picks (Session(profile).get_credentials().method:
        shared-credentials-file, assume-role, assume-role-with-web-identity,
        sso, env, ...) without calling any endpoint
    botocore_creds.py export PROFILE ENDPOINT [--mfa CODE]
        resolves the credentials (botocore's own providers: AssumeRole, web
        identity, the SSO portal, OIDC refresh, all sent to ENDPOINT) and
        prints `export AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=...
        AWS_SESSION_TOKEN=...` for eval
    botocore_creds.py identity PROFILE ENDPOINT [--mfa CODE]
        the same, then STS GetCallerIdentity: prints {"method", "Account",
        "Arn", "UserId"} as JSON

Debian's botocore (1.29) ignores AWS_ENDPOINT_URL_* and a profile's
endpoint_url, so every client botocore creates is given ENDPOINT here. The
~/.aws files are found as botocore finds them (HOME, AWS_CONFIG_FILE,
AWS_SHARED_CREDENTIALS_FILE). On a botocore error it prints
`error: CODE: message` on stderr and exits 1.
"""

import json
import shlex
import sys

import botocore.exceptions
import botocore.session


def session(profile, endpoint):
    s = botocore.session.Session(profile=None if profile == "-" else profile)
    if endpoint:
        create = s.create_client

        def create_client(service_name, *args, **kwargs):
            if not kwargs.get("endpoint_url"):
                kwargs["endpoint_url"] = endpoint
            return create(service_name, *args, **kwargs)

        s.create_client = create_client
    return s


def main(argv):
    if len(argv) < 2 or argv[0] not in ("method", "export", "identity"):
        sys.stderr.write(__doc__)
        return 2
    cmd, profile = argv[0], argv[1]
    endpoint = argv[2] if len(argv) > 2 and not argv[2].startswith("--") else None
    if "--mfa" in argv:
        code = argv[argv.index("--mfa") + 1]

        def prompter(prompt="", stream=None):
            return code
    else:
        def prompter(prompt="", stream=None):
            raise SystemExit("error: MFA: a code was asked for (" + prompt.strip() + ") and --mfa was not given")
    if cmd != "method" and not endpoint:
        sys.stderr.write("botocore_creds.py: ENDPOINT is required\n")
        return 2
    s = session(profile, endpoint)
    try:
        # botocore asks for an MFA code with getpass (bound when it loads)
        s.get_component("credential_provider").get_provider("assume-role")._prompter = prompter
        creds = s.get_credentials()
        if creds is None:
            sys.stderr.write("error: NoCredentials: botocore found no credentials\n")
            return 1
        if cmd == "method":
            print(creds.method)
            return 0
        frozen = creds.get_frozen_credentials()
        if cmd == "export":
            parts = [f"AWS_ACCESS_KEY_ID={shlex.quote(frozen.access_key)}",
                     f"AWS_SECRET_ACCESS_KEY={shlex.quote(frozen.secret_key)}"]
            if frozen.token:
                parts.append(f"AWS_SESSION_TOKEN={shlex.quote(frozen.token)}")
            print("export " + " ".join(parts))
            return 0
        sts = s.create_client("sts", region_name=s.get_config_variable("region") or "us-east-1",
                              aws_access_key_id=frozen.access_key, aws_secret_access_key=frozen.secret_key,
                              aws_session_token=frozen.token)
        who = sts.get_caller_identity()
        print(json.dumps({"method": creds.method, "Account": who["Account"], "Arn": who["Arn"],
                          "UserId": who["UserId"]}))
        return 0
    except botocore.exceptions.ClientError as e:
        err = e.response.get("Error", {})
        sys.stderr.write(f"error: {err.get('Code')}: {err.get('Message')}\n")
        return 1
    except botocore.exceptions.BotoCoreError as e:
        sys.stderr.write(f"error: {type(e).__name__}: {e}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
