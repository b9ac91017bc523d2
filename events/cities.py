"""Every city of Kazakhstan, in Russian, Kazakh and English, with its region and rank.

Three cities of republican significance, the seventeen region centres (after the 2022
reform: Abai, Jetisu and Ulytau regions) and the other towns with city status. The catalogue's
city filter and the venue form choose from this list; ``cities_sync`` writes it to the
``City`` table (a data migration runs it, so every database has the whole list).
"""

from dataclasses import dataclass

from django.db import transaction

REPUBLIC = "republic"
REGION_CENTRE = "region_centre"
TOWN = "town"


@dataclass(frozen=True)
class KazakhstanCity:
    slug: str
    name_ru: str
    name_kk: str
    name_en: str
    region: str
    rank: str = TOWN


def _towns(region: str, *rows: tuple[str, str, str, str]) -> list[KazakhstanCity]:
    return [KazakhstanCity(*row, region=region) for row in rows]


CITIES: list[KazakhstanCity] = [
    KazakhstanCity("astana", "Астана", "Астана", "Astana", "astana", REPUBLIC),
    KazakhstanCity("almaty", "Алматы", "Алматы", "Almaty", "almaty", REPUBLIC),
    KazakhstanCity("shymkent", "Шымкент", "Шымкент", "Shymkent", "shymkent", REPUBLIC),
    KazakhstanCity("semey", "Семей", "Семей", "Semey", "abai", REGION_CENTRE),
    KazakhstanCity("kokshetau", "Кокшетау", "Көкшетау", "Kokshetau", "akmola", REGION_CENTRE),
    KazakhstanCity("aktobe", "Актобе", "Ақтөбе", "Aktobe", "aktobe", REGION_CENTRE),
    KazakhstanCity("konaev", "Конаев", "Қонаев", "Konaev", "almaty-region", REGION_CENTRE),
    KazakhstanCity("atyrau", "Атырау", "Атырау", "Atyrau", "atyrau", REGION_CENTRE),
    KazakhstanCity(
        "oskemen", "Усть-Каменогорск", "Өскемен", "Oskemen", "east-kazakhstan", REGION_CENTRE
    ),
    KazakhstanCity("taraz", "Тараз", "Тараз", "Taraz", "jambyl", REGION_CENTRE),
    KazakhstanCity(
        "taldykorgan", "Талдыкорган", "Талдықорған", "Taldykorgan", "jetisu", REGION_CENTRE
    ),
    KazakhstanCity("oral", "Уральск", "Орал", "Oral", "west-kazakhstan", REGION_CENTRE),
    KazakhstanCity("karaganda", "Караганда", "Қарағанды", "Karaganda", "karaganda", REGION_CENTRE),
    KazakhstanCity("kostanay", "Костанай", "Қостанай", "Kostanay", "kostanay", REGION_CENTRE),
    KazakhstanCity("kyzylorda", "Кызылорда", "Қызылорда", "Kyzylorda", "kyzylorda", REGION_CENTRE),
    KazakhstanCity("aktau", "Актау", "Ақтау", "Aktau", "mangystau", REGION_CENTRE),
    KazakhstanCity("pavlodar", "Павлодар", "Павлодар", "Pavlodar", "pavlodar", REGION_CENTRE),
    KazakhstanCity(
        "petropavl", "Петропавловск", "Петропавл", "Petropavl", "north-kazakhstan", REGION_CENTRE
    ),
    KazakhstanCity("turkistan", "Туркестан", "Түркістан", "Turkistan", "turkistan", REGION_CENTRE),
    KazakhstanCity("zhezkazgan", "Жезказган", "Жезқазған", "Zhezkazgan", "ulytau", REGION_CENTRE),
    *_towns(
        "abai",
        ("ayagoz", "Аягоз", "Аягөз", "Ayagoz"),
        ("kurchatov", "Курчатов", "Курчатов", "Kurchatov"),
        ("shar", "Шар", "Шар", "Shar"),
    ),
    *_towns(
        "akmola",
        ("akkol", "Акколь", "Ақкөл", "Akkol"),
        ("atbasar", "Атбасар", "Атбасар", "Atbasar"),
        ("derzhavinsk", "Державинск", "Державинск", "Derzhavinsk"),
        ("ereymentau", "Ерейментау", "Ерейментау", "Ereymentau"),
        ("esil", "Есиль", "Есіл", "Esil"),
        ("kosshy", "Косшы", "Қосшы", "Kosshy"),
        ("makinsk", "Макинск", "Макинск", "Makinsk"),
        ("stepnogorsk", "Степногорск", "Степногорск", "Stepnogorsk"),
        ("stepnyak", "Степняк", "Степняк", "Stepnyak"),
        ("shchuchinsk", "Щучинск", "Щучинск", "Shchuchinsk"),
    ),
    *_towns(
        "aktobe",
        ("alga", "Алга", "Алға", "Alga"),
        ("embi", "Эмба", "Ембі", "Embi"),
        ("kandyagash", "Кандыагаш", "Қандыағаш", "Kandyagash"),
        ("temir", "Темир", "Темір", "Temir"),
        ("khromtau", "Хромтау", "Хромтау", "Khromtau"),
        ("shalkar", "Шалкар", "Шалқар", "Shalkar"),
        ("zhem", "Жем", "Жем", "Zhem"),
    ),
    *_towns(
        "almaty-region",
        ("esik", "Есик", "Есік", "Esik"),
        ("kaskelen", "Каскелен", "Қаскелең", "Kaskelen"),
        ("talgar", "Талгар", "Талғар", "Talgar"),
    ),
    *_towns("atyrau", ("kulsary", "Кульсары", "Құлсары", "Kulsary")),
    *_towns(
        "east-kazakhstan",
        ("altai", "Алтай", "Алтай", "Altai"),
        ("ridder", "Риддер", "Риддер", "Ridder"),
        ("serebryansk", "Серебрянск", "Серебрянск", "Serebryansk"),
        ("shemonaikha", "Шемонаиха", "Шемонаиха", "Shemonaikha"),
        ("zaysan", "Зайсан", "Зайсаң", "Zaysan"),
    ),
    *_towns(
        "jambyl",
        ("zhanatas", "Жанатас", "Жаңатас", "Zhanatas"),
        ("karatau", "Каратау", "Қаратау", "Karatau"),
        ("shu", "Шу", "Шу", "Shu"),
    ),
    *_towns(
        "jetisu",
        ("zharkent", "Жаркент", "Жаркент", "Zharkent"),
        ("sarkand", "Сарканд", "Сарқан", "Sarkan"),
        ("tekeli", "Текели", "Текелі", "Tekeli"),
        ("ushtobe", "Уштобе", "Үштөбе", "Ushtobe"),
        ("usharal", "Ушарал", "Үшарал", "Usharal"),
    ),
    *_towns("west-kazakhstan", ("aksay", "Аксай", "Ақсай", "Aksay")),
    *_towns(
        "karaganda",
        ("balkhash", "Балхаш", "Балқаш", "Balkhash"),
        ("temirtau", "Темиртау", "Теміртау", "Temirtau"),
        ("saran", "Сарань", "Саран", "Saran"),
        ("shakhtinsk", "Шахтинск", "Шахтинск", "Shakhtinsk"),
        ("abay", "Абай", "Абай", "Abay"),
        ("priozersk", "Приозёрск", "Приозерск", "Priozersk"),
        ("karkaraly", "Каркаралинск", "Қарқаралы", "Karkaraly"),
    ),
    *_towns(
        "ulytau",
        ("satbayev", "Сатпаев", "Сәтбаев", "Satbayev"),
        ("karazhal", "Каражал", "Қаражал", "Karazhal"),
    ),
    *_towns(
        "kostanay",
        ("rudny", "Рудный", "Рудный", "Rudny"),
        ("lisakovsk", "Лисаковск", "Лисаков", "Lisakovsk"),
        ("arkalyk", "Аркалык", "Арқалық", "Arkalyk"),
        ("zhitikara", "Житикара", "Жітіқара", "Zhitikara"),
    ),
    *_towns(
        "kyzylorda",
        ("aral", "Аральск", "Арал", "Aral"),
        ("kazaly", "Казалинск", "Қазалы", "Kazaly"),
        ("baikonur", "Байконур", "Байқоңыр", "Baikonur"),
    ),
    *_towns(
        "mangystau",
        ("zhanaozen", "Жанаозен", "Жаңаөзен", "Zhanaozen"),
        ("fort-shevchenko", "Форт-Шевченко", "Форт-Шевченко", "Fort-Shevchenko"),
    ),
    *_towns(
        "pavlodar",
        ("ekibastuz", "Экибастуз", "Екібастұз", "Ekibastuz"),
        ("aksu", "Аксу", "Ақсу", "Aksu"),
    ),
    *_towns(
        "north-kazakhstan",
        ("bulaevo", "Булаево", "Булаев", "Bulaevo"),
        ("mamlyutka", "Мамлютка", "Мамлют", "Mamlyutka"),
        ("sergeevka", "Сергеевка", "Сергеев", "Sergeevka"),
        ("taiynsha", "Тайынша", "Тайынша", "Taiynsha"),
    ),
    *_towns(
        "turkistan",
        ("kentau", "Кентау", "Кентау", "Kentau"),
        ("arys", "Арыс", "Арыс", "Arys"),
        ("zhetysai", "Жетысай", "Жетісай", "Zhetysai"),
        ("lenger", "Ленгер", "Ленгір", "Lenger"),
        ("saryagash", "Сарыагаш", "Сарыағаш", "Saryagash"),
        ("shardara", "Шардара", "Шардара", "Shardara"),
    ),
]


@transaction.atomic
def cities_sync(*, city_model=None) -> int:
    """Create the cities of ``CITIES`` that are missing (by slug); returns how many were new.

    Existing rows keep their names (a city renamed by staff stays renamed). ``city_model`` is
    the historical model inside a data migration.
    """
    if city_model is None:
        # Imported here: a data migration calls this with its historical model instead.
        from events.models import City as city_model
    known = set(city_model.objects.values_list("slug", flat=True))
    new = [
        city_model(
            slug=city.slug,
            name=city.name_ru,
            name_ru=city.name_ru,
            name_kk=city.name_kk,
            name_en=city.name_en,
        )
        for city in CITIES
        if city.slug not in known
    ]
    city_model.objects.bulk_create(new)
    return len(new)
