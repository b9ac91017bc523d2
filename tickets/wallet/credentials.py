"""Where the wallet signing keys come from.

Production: the Apple pass-type certificate, its key and Apple's WWDR intermediate certificate
are files named in settings (``WALLET_APPLE_*``); Google Wallet's service-account key likewise
(``GOOGLE_WALLET_*``). Without them the buttons are not shown. The embedded default and the
tests sign Apple passes with a self-signed pair made once under ``WALLET_DIR`` — a real,
checkable signature from an authority no iPhone trusts.
"""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class AppleSigner:
    certificate: x509.Certificate
    key: PrivateKeyTypes
    intermediate: x509.Certificate


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "eventum (self-signed, not for phones)"),
        ]
    )


def _self_signed_pair(folder: Path) -> None:
    """A throw-away authority and a pass certificate it signed, written as PEM files."""
    now = timezone.now()
    authority_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    authority = (
        x509.CertificateBuilder()
        .subject_name(_name("eventum test WWDR"))
        .issuer_name(_name("eventum test WWDR"))
        .public_key(authority_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(authority_key, hashes.SHA256())
    )
    pass_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(f"Pass Type ID: {settings.WALLET_APPLE_PASS_TYPE_ID}"))
        .issuer_name(authority.subject)
        .public_key(pass_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .sign(authority_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "wwdr.pem").write_bytes(authority.public_bytes(serialization.Encoding.PEM))
    (folder / "pass.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file = folder / "pass.key"
    key_file.write_bytes(
        pass_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)


def apple_pass_files() -> tuple[Path, Path, Path] | None:
    """The pass type certificate, its key and the intermediate (PEM files); ``None`` when
    Apple Wallet is off. The same certificate signs passes and opens Apple's push service."""
    if not apple_wallet_enabled():
        return None
    if settings.WALLET_APPLE_CERTIFICATE:
        return (
            Path(settings.WALLET_APPLE_CERTIFICATE),
            Path(settings.WALLET_APPLE_KEY),
            Path(settings.WALLET_APPLE_WWDR),
        )
    folder = Path(settings.WALLET_DIR)
    if not (folder / "pass.key").exists():
        _self_signed_pair(folder)
    return folder / "pass.pem", folder / "pass.key", folder / "wwdr.pem"


def apple_signer() -> AppleSigner | None:
    """The pass-signing certificate, key and intermediate; ``None`` when Apple Wallet is off."""
    files = apple_pass_files()
    if files is None:
        return None
    certificate, key, intermediate = files
    password = settings.WALLET_APPLE_KEY_PASSWORD.encode() or None
    return AppleSigner(
        certificate=x509.load_pem_x509_certificate(certificate.read_bytes()),
        key=serialization.load_pem_private_key(key.read_bytes(), password=password),
        intermediate=x509.load_pem_x509_certificate(intermediate.read_bytes()),
    )


def google_wallet_key() -> bytes | None:
    """The service account's private key (PEM); ``None`` when Google Wallet is off."""
    if not google_wallet_enabled():
        return None
    return Path(settings.GOOGLE_WALLET_PRIVATE_KEY).read_bytes()


def apple_wallet_enabled() -> bool:
    """Whether passes can be signed (configured, or the self-signed pair outside production)."""
    configured = (
        settings.WALLET_APPLE_CERTIFICATE,
        settings.WALLET_APPLE_KEY,
        settings.WALLET_APPLE_WWDR,
    )
    return all(configured) or not settings.PRODUCTION


def google_wallet_enabled() -> bool:
    return bool(
        settings.GOOGLE_WALLET_ISSUER_ID
        and settings.GOOGLE_WALLET_SERVICE_ACCOUNT_EMAIL
        and settings.GOOGLE_WALLET_PRIVATE_KEY
    )
