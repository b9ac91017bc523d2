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


def _proxied_locations(conf: Directive) -> list[tuple[Directive, Directive]]:
    """(server, location) of every location that passes requests on to Django."""
    return [
        (server, location)
        for server in conf.all("server")
        for location in server.all("location")
        if location.all("proxy_pass")
    ]


def _headers(server: Directive, location: Directive) -> dict[str, str]:
    """The headers nginx sets for ``location``: its own ``proxy_set_header`` lines, or, when it
    has none, every one of its server's (nginx inherits them only as a whole)."""
    own = [d for d in location.block if d.name == "proxy_set_header"]
    chosen = own or [d for d in server.block if d.name == "proxy_set_header"]
    return {d.args[0].lower(): " ".join(d.args[1:]) for d in chosen}


def _location_for(server: Directive, uri: str) -> Directive:
    """The location nginx picks for ``uri``: an exact match, else the longest prefix if it is
    marked ``^~``, else the first regular expression that matches, else the longest prefix."""
    prefixes, regexes = [], []
    for location in server.all("location"):
        modifier, *rest = location.args
        if modifier == "=" and rest[0] == uri:
            return location
        if modifier in ("~", "~*"):
            pattern = rest[0].strip('"')
            regexes.append(
                (re.compile(pattern, re.IGNORECASE if modifier == "~*" else 0), location)
            )
        elif modifier == "^~" and uri.startswith(rest[0]):
            prefixes.append((len(rest[0]), True, location))
        elif not rest and uri.startswith(modifier):
            prefixes.append((len(modifier), False, location))
    longest = max(prefixes, key=lambda found: found[0], default=None)
    if longest and longest[1]:
        return longest[2]
    for pattern, location in regexes:
        if pattern.search(uri):
            return location
    assert longest, f"no location serves {uri}"
    return longest[2]


def _upstream(location: Directive) -> str:
    """Where ``location`` passes requests: its ``proxy_pass``, a variable looked up."""
    (target,) = location.all("proxy_pass")[0].args
    values = {d.args[0]: d.args[1] for d in location.all("set")}
    return values.get(target, target)


def _https_server(conf: Directive) -> Directive:
    (server,) = [s for s in conf.all("server") if any("ssl" in d.args for d in s.all("listen"))]
    return server


def test_the_parser_reads_the_shipped_file(conf):
    assert len(conf.all("server")) == 2
    assert _proxied_locations(conf)


def test_forwarded_proto_is_the_scheme_nginx_served_not_the_clients_header(conf):
    assert "$http_x_forwarded_proto" not in NGINX_CONF.read_text().lower()
    for server, location in _proxied_locations(conf):
        assert _headers(server, location).get("x-forwarded-proto") == "$scheme"


def test_forwarded_for_is_appended_for_one_trusted_proxy(conf, compose):
    for server, location in _proxied_locations(conf):
        assert _headers(server, location).get("x-forwarded-for") == "$proxy_add_x_forwarded_for"
    # The realip module would replace $remote_addr with a header the client controls.
    assert not conf.all("set_real_ip_from") and not conf.all("real_ip_header")
    for name in ("web", "queue", "worker", "beat", "migrate"):
        assert compose["services"][name]["environment"]["TRUSTED_PROXY_COUNT"] == "1"


def test_the_request_start_stamp_is_nginxs_own_and_believed_by_django(conf, compose):
    for server, location in _proxied_locations(conf):
        assert _headers(server, location).get("x-request-start") == '"t=${msec}"'
    for name in ("web", "queue", "worker", "beat", "migrate"):
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


def test_a_location_that_sets_one_header_of_its_own_loses_the_servers():
    conf = parse(
        "server { listen 443 ssl; proxy_set_header Host $host;"
        " location / { proxy_pass http://web:8000; }"
        " location /x/ { proxy_set_header X-Y 1; proxy_pass http://web:8000; } }"
    )
    (server,) = conf.all("server")
    first, second = server.all("location")
    assert _headers(server, first) == {"host": "$host"}
    assert _headers(server, second) == {"x-y": "1"}


def _paths(names: list[tuple[str, list]]) -> list[str]:
    from django.urls import reverse
    from django.utils import translation

    paths = []
    for language in ("ru", "kk", "en"):
        with translation.override(language):
            paths += [reverse(name, args=args) for name, args in names]
    return paths


QUEUE_ROUTES = [
    ("tickets:waitroom_queue", [7]),
    ("tickets:waitroom_status", [7]),
    ("widget:queue", [7]),
    ("api:api_queue", [7]),
]
SALE_ROUTES = [
    ("events:event_detail", ["concert"]),
    ("tickets:cart_update", []),
    ("tickets:checkout", []),
    ("tickets:order_detail", ["QUEUE7"]),
    ("widget:event", ["concert"]),
    ("widget:checkout", []),
    ("tickets:cabinet_waitroom", ["org", "concert"]),
    ("api:api_cart", []),
    ("api:api_checkout", []),
    ("api:api_order_payment", [7]),
]


def test_the_waiting_crowd_goes_to_the_queue_service_and_buyers_to_web(conf):
    server = _https_server(conf)
    for path in _paths(QUEUE_ROUTES):
        assert _upstream(_location_for(server, path)) == "http://queue:8000", path
    for path in [*_paths(SALE_ROUTES), "/api/v1/queue/7/extra", "/orders/queue/7/status/x"]:
        assert _upstream(_location_for(server, path)) == "http://web:8000", path


def test_the_queue_service_is_the_web_application_with_less_cpu(compose):
    web, queue = compose["services"]["web"], compose["services"]["queue"]
    for setting in ("command", "environment", "image", "expose", "healthcheck", "depends_on"):
        assert queue[setting] == web[setting], setting
    # Docker's default weight is 1,024: where both share a host, buyers come first.
    assert queue["cpu_shares"] < web.get("cpu_shares", 1024)
    assert "ports" not in queue and "container_name" not in queue
    assert {"web", "queue"} <= set(compose["services"]["proxy"]["depends_on"])
