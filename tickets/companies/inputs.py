"""What checkout (portal, widget, API) passes to the order service about a company order."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CompanyDetails:
    """The organisation, validated (БИН/ИИН normalised), and optional names of ticket holders,
    one per ticket in the order of the tickets."""

    legal_name: str
    bin_iin: str
    legal_address: str
    holder_names: tuple[str, ...] = field(default_factory=tuple)
