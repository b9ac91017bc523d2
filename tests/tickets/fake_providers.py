"""Local fake servers of the payment providers' documented protocols (Halyk ePay, Freedom
Pay, CloudPayments): real HTTP on 127.0.0.1, answering like the providers' documentation says,
and checking that our requests carry what the protocol requires."""

import base64
import hashlib
import hmac
import json
import secrets
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib import request
from urllib.parse import parse_qsl, urlencode, urlsplit


class _Server(ThreadingHTTPServer):
    # The tests send twenty notifications at once and each one asks the fake for status; the
    # standard backlog of five made the kernel reset the connections that did not fit.
    request_queue_size = 128


class FakeServer:
    """A tiny HTTP server; subclasses answer ``handle(method, path, query, form, headers)``."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        # Where the portal under test listens: notifications go there (browser walks).
        self.callback_base = ""
        self.base = ""

    def notify(
        self,
        url: str,
        *,
        form: dict[str, str] | None = None,
        json_body=None,
        sign: Callable[[bytes], dict[str, str]] | None = None,
    ) -> int:
        """Send a notification to the portal, as the provider's servers do (``sign``: the
        headers a provider signs its body with)."""
        target = self.callback_base + urlsplit(url).path
        if json_body is not None:
            data, kind = json.dumps(json_body).encode(), "application/json"
        else:
            data, kind = urlencode(form or {}).encode(), "application/x-www-form-urlencoded"
        headers = {"Content-Type": kind, **(sign(data) if sign else {})}
        req = request.Request(target, data=data, headers=headers, method="POST")
        with request.urlopen(req, timeout=20) as response:
            return response.status

    def handle(self, method, path, query, form, headers) -> tuple[int, str, str]:
        raise NotImplementedError

    @contextmanager
    def running(self) -> Iterator[str]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                form = dict(parse_qsl(raw, keep_blank_values=True))
                query = dict(parse_qsl(split.query, keep_blank_values=True))
                headers = dict(self.headers.items())
                fake.requests.append(
                    {
                        "method": self.command,
                        "path": split.path,
                        "query": query,
                        "form": form,
                        "headers": headers,
                        "raw": raw,
                    }
                )
                status, content_type, body, *more = fake.handle(
                    self.command, split.path, query, form, headers
                )
                data = body.encode()
                self.send_response(status)
                for name, value in (more[0] if more else {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args: Any) -> None:
                pass

        server = _Server(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            yield self.base
        finally:
            server.shutdown()
            server.server_close()


# --- Halyk ePay ---------------------------------------------------------------------------


class FakeHalyk(FakeServer):
    """``/oauth2/token``, ``/check-status/payment/transaction/:invoiceId``,
    ``/operation/:id/refund`` as epayment.kz documents them."""

    CLIENT_ID = "test-client"
    CLIENT_SECRET = "halyk-client-secret-9f3a"
    TERMINAL = "67e34d63-102f-4bd1-898e-370781d0074d"

    def __init__(self) -> None:
        super().__init__()
        self.tokens: dict[str, dict[str, str]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.refunds: list[dict[str, str]] = []

    def _bearer(self, headers) -> dict[str, str] | None:
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        return self.tokens.get(token)

    def handle(self, method, path, query, form, headers):
        if path.startswith("/payform/"):
            return self._payform(method, path, query, form)
        if path == "/oauth2/token" and method == "POST":
            if (form.get("client_id"), form.get("client_secret")) != (
                self.CLIENT_ID,
                self.CLIENT_SECRET,
            ) or form.get("terminal") != self.TERMINAL:
                return 401, "application/json", json.dumps({"error": "invalid_client"})
            token = secrets.token_hex(8)
            self.tokens[token] = form
            if form.get("invoiceID"):
                self.invoices[form["invoiceID"]] = {"token_request": form, "status": "NEW"}
            body = {
                "access_token": token,
                "expires_in": 7200,
                "refresh_token": "",
                "scope": form.get("scope"),
                "token_type": "Bearer",
            }
            return 200, "application/json", json.dumps(body)
        token = self._bearer(headers)
        if token is None or "webapi" not in token.get("scope", ""):
            return 401, "application/json", "{}"
        if path.startswith("/check-status/payment/transaction/") and method == "GET":
            invoice = self.invoices.get(path.rsplit("/", 1)[1])
            if invoice is None or "id" not in invoice:
                return (
                    200,
                    "application/json",
                    json.dumps({"resultCode": "102", "resultMessage": "Invoice not found"}),
                )
            transaction = {
                "id": invoice["id"],
                "invoiceID": path.rsplit("/", 1)[1],
                "amount": invoice["amount"],
                "currency": invoice["currency"],
                "terminal": self.TERMINAL,
                "statusName": invoice["status"],
                "cardMask": "440563...5096",
            }
            body = {"resultCode": "100", "resultMessage": "SUCCESS", "transaction": transaction}
            return 200, "application/json", json.dumps(body)
        if path.startswith("/operation/") and path.endswith("/refund") and method == "POST":
            transaction_id = path.split("/")[2]
            found = [i for i in self.invoices.values() if i.get("id") == transaction_id]
            if not found or found[0]["status"] != "CHARGE":
                return 400, "application/json", json.dumps({"code": 1, "message": "not CHARGE"})
            self.refunds.append({"transaction": transaction_id, **query})
            return 200, "application/json", "{}"
        return 404, "application/json", "{}"

    def _payform(self, method, path, query, form):
        """payment-api.js (``halyk.pay`` opens the form) and the payment form itself."""
        if path == "/payform/payment-api.js":
            script = (
                "window.halyk = {pay: function (o) { location.href = '/payform/?' + "
                "new URLSearchParams({invoiceId: o.invoiceId, backLink: o.backLink, "
                "token: o.auth.access_token}).toString(); }};"
            )
            return 200, "text/javascript", script.replace("'/payform/", f"'{self.base}/payform/")
        if method == "GET":
            invoice = self.invoices.get(query.get("invoiceId", ""))
            if invoice is None or query.get("token") not in self.tokens:
                return 400, "text/html", "<p>unknown invoice</p>"
            amount = invoice["token_request"]["amount"]
            page = (
                '<!doctype html><html lang="en"><meta name="viewport" '
                'content="width=device-width"><title>Halyk ePay (fake)</title>'
                f"<h1>Halyk ePay</h1><p>{amount} KZT</p>"
                '<form method="post" action="/payform/">'
                f'<input type="hidden" name="invoiceId" value="{query["invoiceId"]}">'
                f'<input type="hidden" name="backLink" value="{query["backLink"]}">'
                '<button type="submit">Pay</button></form>'
            )
            return 200, "text/html", page
        body = self.buyer_pays(form["invoiceId"])
        self.notify(self.invoices[form["invoiceId"]]["token_request"]["postLink"], json_body=body)
        return 303, "text/html", "", {"Location": form["backLink"]}

    def buyer_pays(
        self, invoice_id: str, *, status: str = "CHARGE", amount: str | None = None
    ) -> dict[str, Any]:
        """The buyer paid on Halyk's form: the invoice is charged; the postLink body Halyk
        sends (the secret_hash echoed from the token request)."""
        invoice = self.invoices[invoice_id]
        request = invoice["token_request"]
        invoice.update(
            id=f"tx-{invoice_id}",
            status=status,
            amount=float(amount or request["amount"]),
            currency=request["currency"],
        )
        return {
            "accountId": "",
            "amount": float(request["amount"]),
            "approvalCode": "178644",
            "cardId": "9a5bb8c1-0000",
            "cardMask": "440563...5096",
            "cardType": "VISA",
            "code": "ok",
            "currency": request["currency"],
            "dateTime": "2026-12-05T10:11:12",
            "id": f"tx-{invoice_id}",
            "invoiceId": invoice_id,
            "name": "AIGERIM IVANOVA",
            "reason": "success",
            "reasonCode": 0,
            "reference": "234567890123",
            "secure": "yes",
            "terminal": self.TERMINAL,
            "secret_hash": request["secret_hash"],
        }


# --- Freedom Pay ---------------------------------------------------------------------------


def freedompay_sign(script: str, fields: dict[str, str], secret: str) -> str:
    """pg_sig as the documentation defines it (written here again, independently)."""
    values = [str(fields[key]) for key in sorted(fields) if key != "pg_sig"]
    return hashlib.md5(";".join([script, *values, secret]).encode()).hexdigest()


def xml_of(fields: dict[str, str]) -> str:
    root = ET.Element("response")
    for key, value in fields.items():
        ET.SubElement(root, key).text = str(value)
    return '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="unicode")


class FakeFreedomPay(FakeServer):
    """``/init_payment.php``, ``/g2g/status_v2``, ``/g2g/refund`` as docs.freedompay.kz
    documents them (signed requests, signed XML answers)."""

    MERCHANT_ID = "552170"
    SECRET = "fp-secret-key-0c1d"

    def __init__(self) -> None:
        super().__init__()
        self.payments: dict[str, dict[str, Any]] = {}
        self.refunds: list[dict[str, str]] = []
        self.next_id = 1_000_000_001
        self.page_base = "https://customer.freedompay.kz"

    def _payment_page(self, method, query, form):
        """The hosted payment page: Pay sends the signed result, then back to the shop."""
        payment_id = query.get("customer") or form.get("customer", "")
        payment = self.payments.get(payment_id)
        if payment is None:
            return 404, "text/html", "<p>unknown payment</p>"
        request_fields = payment["request"]
        if method == "GET":
            page = (
                '<!doctype html><html lang="en"><meta name="viewport" '
                'content="width=device-width"><title>Freedom Pay (fake)</title>'
                f"<h1>Freedom Pay</h1><p>{request_fields['pg_amount']} KZT</p>"
                f'<form method="post" action="/pay.html?customer={payment_id}">'
                '<button type="submit">Pay</button></form>'
            )
            return 200, "text/html", page
        result_url = request_fields["pg_result_url"]
        script = [s for s in urlsplit(result_url).path.split("/") if s][-1]
        self.notify(result_url, form=self.result_notification(payment_id, script=script))
        return 303, "text/html", "", {"Location": request_fields["pg_success_url"]}

    def _answer(self, script: str, fields: dict[str, str]) -> tuple[int, str, str]:
        fields = {**fields, "pg_salt": secrets.token_hex(4)}
        fields["pg_sig"] = freedompay_sign(script, fields, self.SECRET)
        return 200, "application/xml", xml_of(fields)

    def _error(self, script: str, code: str, text: str) -> tuple[int, str, str]:
        return self._answer(
            script, {"pg_status": "error", "pg_error_code": code, "pg_error_description": text}
        )

    def handle(self, method, path, query, form, headers):
        if path == "/pay.html":
            return self._payment_page(method, query, form)
        script = path.rsplit("/", 1)[1]
        if form.get("pg_merchant_id") != self.MERCHANT_ID:
            return self._error(script, "9998", "Unknown merchant")
        if form.get("pg_sig") != freedompay_sign(script, form, self.SECRET):
            return self._error(script, "1100", "Invalid signature")
        if script == "init_payment.php":
            payment_id = str(self.next_id)
            self.next_id += 1
            self.payments[payment_id] = {"request": form, "status": "new"}
            return self._answer(
                script,
                {
                    "pg_status": "ok",
                    "pg_payment_id": payment_id,
                    "pg_redirect_url": f"{self.page_base}/pay.html?customer={payment_id}",
                    "pg_redirect_url_type": "need data",
                },
            )
        payment = self.payments.get(form.get("pg_payment_id", ""))
        if payment is None:
            return self._error(script, "11068", "Payment not found")
        if script == "status_v2":
            request = payment["request"]
            return self._answer(
                script,
                {
                    "pg_status": "ok",
                    "pg_payment_id": form["pg_payment_id"],
                    "pg_order_id": request["pg_order_id"],
                    "pg_payment_status": payment["status"],
                    "pg_amount": payment.get("amount", request["pg_amount"]),
                    "pg_currency": request.get("pg_currency", "KZT"),
                    "pg_card_pan": "4405-63XX-XXXX-5096",
                },
            )
        if script == "refund":
            if payment["status"] != "success":
                return self._error(script, "1200", "Payment cannot be refunded")
            self.refunds.append(form)
            return self._answer(
                script,
                {
                    "pg_status": "ok",
                    "pg_payment_refund_id": f"r{len(self.refunds)}",
                    "pg_refund_status": "success",
                },
            )
        return 404, "text/plain", ""

    def result_notification(
        self, payment_id: str, *, result: str = "1", amount: str | None = None, script: str
    ) -> dict[str, str]:
        """What Freedom Pay posts to pg_result_url once the buyer paid (signed with the last
        path segment of that URL), and the payment's status at Freedom Pay."""
        payment = self.payments[payment_id]
        request = payment["request"]
        payment["status"] = "success" if result == "1" else "error"
        if amount is not None:
            payment["amount"] = amount
        fields = {
            "pg_order_id": request["pg_order_id"],
            "pg_payment_id": payment_id,
            "pg_amount": amount or request["pg_amount"],
            "pg_currency": request.get("pg_currency", "KZT"),
            "pg_net_amount": str(Decimal(amount or request["pg_amount"]) * Decimal("0.98")),
            "pg_ps_amount": amount or request["pg_amount"],
            "pg_ps_full_amount": amount or request["pg_amount"],
            "pg_ps_currency": "KZT",
            "pg_description": request["pg_description"],
            "pg_result": result,
            "pg_payment_date": "2026-12-05 15:11:12",
            "pg_can_reject": "1",
            "pg_user_phone": "",
            "pg_user_contact_email": "",
            "pg_testing_mode": request.get("pg_testing_mode", "0"),
            "pg_captured": "1" if result == "1" else "0",
            "pg_payment_method": "bankcard",
            "pg_card_pan": "4405-63XX-XXXX-5096",
            "pg_card_exp": "01/27",
            "pg_card_owner": "AIGERIM IVANOVA",
            "pg_card_brand": "VI",
            "pg_salt": secrets.token_hex(4),
        }
        if result != "1":
            fields.update(pg_failure_code="101", pg_failure_description="Declined by issuer")
        fields["pg_sig"] = freedompay_sign(script, fields, self.SECRET)
        return fields


# --- CloudPayments ------------------------------------------------------------------------


class FakeCloudPayments(FakeServer):
    """CloudPayments' API (Basic auth with the public id and the API secret): ``/orders/create``
    answers a payment link; its page takes the card and sends the signed ``pay`` notification
    (``Content-HMAC``: base64 HMAC-SHA256 of the body with the API secret) before returning the
    buyer to ``SuccessRedirectUrl``; ``/payments/find`` answers the payment's state."""

    PUBLIC_ID = "pk_fake_eventum"
    API_SECRET = "fake-cloudpayments-secret"

    def __init__(self) -> None:
        super().__init__()
        self.orders: dict[str, dict[str, Any]] = {}
        self.pay_notification_path = ""

    def _authorised(self, headers) -> bool:
        token = base64.b64encode(f"{self.PUBLIC_ID}:{self.API_SECRET}".encode()).decode()
        return headers.get("Authorization") == f"Basic {token}"

    def _signed(self, body: bytes) -> dict[str, str]:
        digest = hmac.new(self.API_SECRET.encode(), body, hashlib.sha256).digest()
        return {"Content-HMAC": base64.b64encode(digest).decode()}

    def handle(self, method, path, query, form, headers):
        if path.startswith("/pay/"):
            return self._payment_page(method, path.removeprefix("/pay/"))
        if not self._authorised(headers):
            return 401, "application/json", json.dumps({"Success": False, "Message": "auth"})
        body = json.loads(self.requests[-1]["raw"] or "{}")
        if path == "/orders/create":
            invoice = body["InvoiceId"]
            self.orders[invoice] = {**body, "Status": "AwaitingAuthentication"}
            model = {"Id": invoice, "Url": f"{self.base}/pay/{invoice}", "Number": 1}
            return 200, "application/json", json.dumps({"Success": True, "Model": model})
        if path == "/payments/find":
            order = self.orders.get(body.get("InvoiceId", ""))
            if order is None or order["Status"] != "Completed":
                return 200, "application/json", json.dumps({"Success": False, "Message": "none"})
            model = {
                "TransactionId": 2871145001,
                "Amount": order["Amount"],
                "Currency": order["Currency"],
                "InvoiceId": body["InvoiceId"],
                "Status": "Completed",
            }
            return 200, "application/json", json.dumps({"Success": True, "Model": model})
        return 404, "application/json", json.dumps({"Success": False, "Message": "unknown"})

    def _payment_page(self, method, invoice):
        order = self.orders.get(invoice)
        if order is None:
            return 404, "text/html", "<p>No such payment</p>"
        if method == "GET":
            page = (
                '<!doctype html><meta name="viewport" content="width=device-width">'
                f"<h1>CloudPayments</h1><p>{order['Amount']:.2f} {order['Currency']}</p>"
                f'<form method="post" action="/pay/{invoice}"><button>Pay</button></form>'
            )
            return 200, "text/html", page
        order["Status"] = "Completed"
        amount = f"{order['Amount']:.2f}"
        self.notify(
            self.pay_notification_path,
            form={
                "TransactionId": "2871145001",
                "Amount": amount,
                "Currency": order["Currency"],
                "PaymentAmount": amount,
                "PaymentCurrency": order["Currency"],
                "DateTime": "2026-12-05 10:00:00",
                "CardFirstSix": "440043",
                "CardLastFour": "0004",
                "TestMode": "1",
                "Status": "Completed",
                "OperationType": "Payment",
                "InvoiceId": invoice,
                "AccountId": order["AccountId"],
                "Email": order["Email"],
            },
            sign=self._signed,
        )
        return 302, "text/html", "", {"Location": order["SuccessRedirectUrl"]}
