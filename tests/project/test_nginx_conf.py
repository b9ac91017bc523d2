"""deploy/nginx.conf: nginx terminates TLS, tells Django the scheme it served itself and appends
the visitor's address, matching TRUSTED_PROXY_COUNT=1 in docker-compose.yml.

No nginx runs in CI, so the file is parsed here into its blocks and directives.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
TOKEN = re.compile(r"\"[^\"]*\"|'[^']*'|[{};]|[^\s{};]+")


@dataclass
class Directive:
    name: str
    args: list[str]
    block: list["Directive"] = field(default_factory=list)

    def all(self, name: str) -> list["Directive"]:
        """Every directive called ``name`` at any depth below this one."""
        found = [child for child in self.block if child.name == name]
        for child in self.block:
            found += child.all(name)
        return found


def parse(text: str) -> Directive:
    root, stack, words = Directive("main", []), [], []
    stack.append(root)
    text = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    for token in TOKEN.findall(text):
        if token == ";":
            stack[-1].block.append(Directive(words[0], words[1:]))
            words = []
        elif token == "{":
            opened = Directive(words[0], words[1:])
            stack[-1].block.append(opened)
            stack.append(opened)
            words = []
        elif token == "}":
            assert not words, f"unterminated directive {words}"
            stack.pop()
        else:
            words.append(token)
    assert len(stack) == 1 and not words, "unbalanced braces in nginx.conf"
    return root


@pytest.fixture(scope="module")
def conf() -> Directive:
    return parse(NGINX_CONF.read_text())


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _headers(location: Directive) -> dict[str, str]:
    return {d.args[0].lower(): " ".join(d.args[1:]) for d in location.all("proxy_set_header")}


def _proxied_locations(conf: Directive) -> list[Directive]:
    return [loc for loc in conf.all("location") if loc.all("proxy_pass")]


def test_the_parser_reads_the_shipped_file(conf):
    assert len(conf.all("server")) == 2
    assert _proxied_locations(conf)


def test_forwarded_proto_is_the_scheme_nginx_served_not_the_clients_header(conf):
    assert "$http_x_forwarded_proto" not in NGINX_CONF.read_text().lower()
    for location in _proxied_locations(conf):
        assert _headers(location).get("x-forwarded-proto") == "$scheme"


def test_forwarded_for_is_appended_for_one_trusted_proxy(conf, compose):
    for location in _proxied_locations(conf):
        assert _headers(location).get("x-forwarded-for") == "$proxy_add_x_forwarded_for"
    # The realip module would replace $remote_addr with a header the client controls.
    assert not conf.all("set_real_ip_from") and not conf.all("real_ip_header")
    for name in ("web", "worker", "beat", "migrate"):
        assert compose["services"][name]["environment"]["TRUSTED_PROXY_COUNT"] == "1"


def test_the_request_start_stamp_is_nginxs_own_and_believed_by_django(conf, compose):
    for location in _proxied_locations(conf):
        assert _headers(location).get("x-request-start") == '"t=${msec}"'
    for name in ("web", "worker", "beat", "migrate"):
        assert compose["services"][name]["environment"]["REQUEST_START_HEADER"] == (
            "X-Request-Start"
        )


def test_plain_http_only_redirects_to_https(conf):
    for server in conf.all("server"):
        listens = [d.args for d in server.all("listen")]
        if any("ssl" in args for args in listens):
            continue
        assert not server.all("proxy_pass"), "plain HTTP must never reach Django"
        redirects = [d.args for d in server.all("return")]
        assert ["301", "https://$host$request_uri"] in redirects


def test_every_proxied_server_terminates_tls_with_mounted_certificates(conf, compose):
    mounts = {
        volume.split(":")[1]: volume.split(":")[0]
        for volume in compose["services"]["proxy"]["volumes"]
    }
    assert "443:443" in compose["services"]["proxy"]["ports"]
    for server in conf.all("server"):
        if not server.all("proxy_pass"):
            continue
        assert any("ssl" in d.args for d in server.all("listen"))
        for directive in ("ssl_certificate", "ssl_certificate_key"):
            (path,) = server.all(directive)[0].args
            mounted_dir = str(Path(path).parent)
            assert mounts.get(mounted_dir) == "./deploy/tls", path
