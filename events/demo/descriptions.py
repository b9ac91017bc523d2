"""Descriptions of the demo events in Russian, Kazakh and English, a few paragraphs each."""

DESCRIPTIONS: dict[str, tuple[str, str, str]] = {
    "dombra-night-almaty": (
        "«Ночь домбры» — большой концерт, где древний инструмент звучит так, как вы его ещё не "
        "слышали. На одной сцене — мастера традиционного кюя и молодые музыканты, которые "
        "соединяют домбру с джазом, электроникой и симфоническим оркестром.\n\n"
        "В программе — кюи Курмангазы, Таттимбета и Даулеткерея, а также новые произведения, "
        "написанные специально для этого вечера. Между номерами ведущий расскажет истории "
        "создания кюев и покажет, как меняется звучание инструмента в разных регионах "
        "Казахстана.\n\n"
        "Продолжительность — около двух с половиной часов с антрактом. Двери открываются за час "
        "до начала: в фойе работает выставка инструментов, можно подержать домбру в руках.",
        "«Домбыра түні» — көне аспаптың сіз бұрын естімеген қырын ашатын үлкен концерт. Бір "
        "сахнада дәстүрлі күй шеберлері мен домбыраны джазбен, электроникамен және симфониялық "
        "оркестрмен ұштастыратын жас музыканттар өнер көрсетеді.\n\n"
        "Бағдарламада — Құрманғазы, Тәттімбет және Дәулеткерей күйлері, сондай-ақ осы кешке "
        "арнайы жазылған жаңа шығармалар. Нөмірлер арасында жүргізуші күйлердің шығу тарихын "
        "әңгімелеп, аспап үнінің Қазақстанның әр өңірінде қалай өзгеретінін көрсетеді.\n\n"
        "Ұзақтығы — үзіліспен шамамен екі жарым сағат. Есіктер басталудан бір сағат бұрын "
        "ашылады: фойеде аспаптар көрмесі жұмыс істейді, домбыраны қолға ұстап көруге болады.",
        "Dombra Night is a big concert where the ancient instrument sounds like you have never "
        "heard it before. Masters of the traditional küi share the stage with young musicians "
        "who bring the dombra together with jazz, electronica and a symphony orchestra.\n\n"
        "The programme features küis by Kurmangazy, Tattimbet and Dauletkerey as well as new "
        "pieces written for this evening. Between the pieces the host tells the stories behind "
        "the küis and shows how the instrument's voice changes across the regions of "
        "Kazakhstan.\n\n"
        "The concert lasts about two and a half hours with an interval. Doors open an hour "
        "before the start: an exhibition of instruments awaits in the foyer, and you can hold "
        "a dombra yourself.",
    ),
    "abai-theatre-astana": (
        "Спектакль о жизни и мыслях Абая Кунанбаева — поэта, философа и просветителя, чьи "
        "«Слова назидания» по-прежнему звучат современно. Постановка следует за Абаем от "
        "юности в степи до зрелых лет, когда он спорит с обществом и с самим собой.\n\n"
        "Режиссёр соединяет драматическую игру, живую музыку и стихи Абая, которые звучат на "
        "казахском языке с русскими субтитрами. Декорации — юрта, которая меняется вместе с "
        "героем, и степь, созданная светом.\n\n"
        "Спектакль идёт два часа с одним антрактом. Рекомендуется зрителям от 12 лет.",
        "Абай Құнанбайұлының — ақын, ойшыл және ағартушының өмірі мен ойлары туралы қойылым; "
        "оның «Қара сөздері» бүгін де заманауи естіледі. Қойылым Абайды даладағы жастық "
        "шағынан бастап қоғаммен де, өзімен де айтысатын кемел шағына дейін бейнелейді.\n\n"
        "Режиссёр драмалық ойынды, тірі музыканы және Абай өлеңдерін ұштастырады; өлеңдер "
        "қазақ тілінде орыс тіліндегі субтитрлермен оқылады. Декорация — кейіпкермен бірге "
        "өзгеретін киіз үй және жарықпен жасалған дала.\n\n"
        "Қойылым бір үзіліспен екі сағатқа созылады. 12 жастан асқан көрерменге ұсынылады.",
        "A play about the life and thought of Abai Kunanbayuly, the poet, philosopher and "
        "enlightener whose Book of Words still sounds modern. It follows Abai from his youth "
        "on the steppe to the years when he argues with society and with himself.\n\n"
        "The director brings together drama, live music and Abai's poems, spoken in Kazakh "
        "with Russian surtitles. The set is a yurt that changes with the hero and a steppe "
        "made of light.\n\n"
        "The play runs for two hours with one interval. Recommended from the age of 12.",
    ),
    "steppe-tech-conf": (
        "Tech Steppe — конференция для разработчиков, продуктовых менеджеров и основателей "
        "стартапов Центральной Азии. Два потока докладов: инженерный (облака, данные, "
        "машинное обучение) и продуктовый (рост, платежи, выход на соседние рынки).\n\n"
        "Среди спикеров — инженеры казахстанских финтех-компаний, маркетплейсов и "
        "государственных цифровых сервисов. Каждый доклад — это опыт из практики: что "
        "сработало, что нет и почему.\n\n"
        "Бесплатная регистрация даёт доступ ко всем докладам. Бизнес-билет добавляет обед, "
        "закрытую сессию вопросов и ответов со спикерами и вечерний нетворкинг.",
        "Tech Steppe — Орталық Азияның әзірлеушілері, өнім менеджерлері және стартап "
        "негізін қалаушыларына арналған конференция. Баяндамалардың екі ағыны бар: "
        "инженерлік (бұлттар, деректер, машиналық оқыту) және өнімдік (өсу, төлемдер, көрші "
        "нарықтарға шығу).\n\n"
        "Спикерлер арасында — қазақстандық финтех компанияларының, маркетплейстердің және "
        "мемлекеттік цифрлық қызметтердің инженерлері. Әр баяндама — тәжірибеден алынған "
        "сабақ: не жұмыс істеді, не істемеді және неге.\n\n"
        "Тегін тіркелу барлық баяндамаларға қол жеткізуге мүмкіндік береді. Бизнес билетке "
        "түскі ас, спикерлермен жабық сұрақ-жауап сессиясы және кешкі нетворкинг кіреді.",
        "Tech Steppe is a conference for developers, product managers and start-up founders "
        "of Central Asia. Two tracks of talks: engineering (cloud, data, machine learning) and "
        "product (growth, payments, expanding into neighbouring markets).\n\n"
        "The speakers are engineers from Kazakhstan's fintech companies, marketplaces and "
        "public digital services. Every talk is first-hand experience: what worked, what did "
        "not and why.\n\n"
        "Free registration gives access to all talks. The business ticket adds lunch, a closed "
        "Q&A session with the speakers and evening networking.",
    ),
    "kids-puppet-show": (
        "Весёлый кукольный спектакль по мотивам казахских народных сказок об Алдаре Косе. "
        "Хитрый и добрый герой перехитрит жадного бая, поможет друзьям и научит маленьких "
        "зрителей находить выход из любой ситуации.\n\n"
        "Куклы и декорации сделаны вручную мастерами театра. Во время спектакля дети могут "
        "подсказывать героям и петь вместе с ними, а после — сфотографироваться с куклами.\n\n"
        "Спектакль длится 50 минут без антракта и подходит детям от трёх лет. Детский билет "
        "— для ребёнка, взрослый — для сопровождающего.",
        "Алдар Көсе туралы қазақ халық ертегілерінің желісімен қойылған көңілді қуыршақ "
        "қойылымы. Айлакер әрі мейірімді кейіпкер сараң байды алдап, достарына көмектеседі "
        "және кішкентай көрерменге кез келген жағдайдан жол табуды үйретеді.\n\n"
        "Қуыршақтар мен декорацияларды театр шеберлері қолдан жасаған. Қойылым кезінде "
        "балалар кейіпкерлерге сыбырлап көмектесіп, олармен бірге ән айта алады, ал соңынан "
        "қуыршақтармен суретке түсуге болады.\n\n"
        "Қойылым үзіліссіз 50 минутқа созылады, үш жастан асқан балаларға лайық. Балалар "
        "билеті — балаға, ересек билеті — ілесіп келушіге.",
        "A cheerful puppet show based on Kazakh folk tales about Aldar Kose. The cunning and "
        "kind hero outwits a greedy bai, helps his friends and teaches young viewers to find a "
        "way out of any situation.\n\n"
        "The puppets and the set are handmade by the theatre's craftspeople. During the show "
        "children can give the heroes hints and sing along, and afterwards take photos with "
        "the puppets.\n\n"
        "The show lasts 50 minutes without an interval and suits children from three years "
        "old. The child ticket is for the child, the adult ticket for the accompanying adult.",
    ),
    "symphony-evening-almaty": (
        "Симфонический вечер в Большом зале Казахконцерта: увертюры Брусиловского, "
        "«Сарыарка» Курмангазы в оркестровой редакции и Пятая симфония Чайковского.\n\n"
        "Места выбираются на схеме зала: партер ближе к сцене, балкон — с лучшей акустикой "
        "и видом на весь оркестр. Первые три ряда — VIP с программкой и бокалом в антракте.\n\n"
        "Концерт длится около двух часов с антрактом. Дресс-код — вечерний по желанию.",
        "Қазақконцерттің Үлкен залындағы симфониялық кеш: Брусиловский увертюралары, "
        "Құрманғазының «Сарыарқасы» оркестрлік нұсқада және Чайковскийдің Бесінші "
        "симфониясы.\n\n"
        "Орындар зал сызбасынан таңдалады: партер сахнаға жақын, балкон — акустикасы ең "
        "жақсы және бүкіл оркестр көрінетін орын. Алғашқы үш қатар — бағдарламасы бар VIP, "
        "үзілісте бір бокал сусын беріледі.\n\n"
        "Концерт үзіліспен шамамен екі сағатқа созылады. Киім үлгісі — қалауыңызша кешкі.",
        "A symphony evening in the Great Hall of Kazakhconcert: overtures by Brusilovsky, "
        "Kurmangazy's Saryarka in an orchestral version and Tchaikovsky's Fifth Symphony.\n\n"
        "Choose your seats on the hall map: the stalls are close to the stage, the balcony has "
        "the best sound and a view of the whole orchestra. The first three rows are VIP, with "
        "a programme and a glass of something in the interval.\n\n"
        "The concert lasts about two hours with an interval. Evening dress if you like.",
    ),
}

# Demo venues in Kazakh and English: Russian name → (name kk, name en, address kk, address en).
VENUES: dict[str, tuple[str, str, str, str]] = {
    "Дворец Республики": (
        "Республика сарайы",
        "Palace of the Republic",
        "Достық даңғылы, 56",
        "56 Dostyk Avenue",
    ),
    "Музей «Наследие степи»": (
        "«Дала мұрасы» мұражайы",
        "Steppe Heritage Museum",
        "Желтоқсан көшесі, 137",
        "137 Zheltoksan Street",
    ),
    "Старая площадь (сбор у фонтана)": (
        "Ескі алаң (фонтан жанында жиналамыз)",
        "Old Square (meet at the fountain)",
        "Абылай хан даңғылы, 48",
        "48 Abylai Khan Avenue",
    ),
    "Астана Опера": ("Астана Опера", "Astana Opera", "Қонаев көшесі, 1", "1 Kunaev Street"),
    "Almaty Arena": ("Almaty Arena", "Almaty Arena", "Момышұлы көшесі, 1", "1 Momyshuly Street"),
    "Городской дворец культуры": (
        "Қалалық мәдениет сарайы",
        "City Palace of Culture",
        "Тәуке хан даңғылы, 2",
        "2 Tauke Khan Avenue",
    ),
    "Казахконцерт": (
        "Қазақконцерт",
        "Kazakhconcert",
        "Әйтеке би көшесі, 83",
        "83 Aiteke Bi Street",
    ),
}
