#!/usr/bin/python3
"""chain_botocore.py DRIVER PROFILE...: the kind of credentials laketop's
chain picks (DRIVER, tests/helpers/chain_driver.c) against what Debian's
botocore reports for the same profile, in this environment
(botocore.session.Session(profile=P).get_credentials().method; "-" is no
profile given). Prints one TAP line per profile; exit 1 on any difference.
No network is needed: botocore defers assumed roles, web identity and SSO,
and the tests give credential_process and the environment's keys."""
import subprocess
import sys

import botocore.session

# botocore's method names -> laketop's (aws_config_credential_method)
KINDS = {
    "env": "environment",
    "assume-role": "assume-role",
    "assume-role-with-web-identity": "web-identity",
    "sso": "sso",
    "shared-credentials-file": "profile",
    "config-file": "profile",
    "custom-process": "process",
    "container-role": "container",
    "iam-role": "instance",
}


def botocore_kind(profile):
    try:
        session = botocore.session.Session(profile=None if profile == "-" else profile)
        creds = session.get_credentials()
    except Exception as e:  # a broken chain is an error in both
        return "error", type(e).__name__
    if creds is None:
        return "none", ""
    return KINDS.get(creds.method, "unknown:" + creds.method), creds.method


def main():
    driver, profiles = sys.argv[1], sys.argv[2:]
    out = subprocess.run([driver] + profiles, capture_output=True, text=True, check=False)
    laketop = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    failed = 0
    for p in profiles:
        want, method = botocore_kind(p)
        got = laketop.get(p, "(no answer)")
        label = "profile %s: laketop %s, botocore %s (%s)" % (p, got, want, method)
        if got == want:
            print("ok - " + label)
        else:
            print("not ok - " + label)
            failed = 1
    if failed and out.stderr:
        for line in out.stderr.splitlines():
            print("# " + line)
    return failed


if __name__ == "__main__":
    sys.exit(main())
