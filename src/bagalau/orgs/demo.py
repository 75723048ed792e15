"""The demo: a realistic district maslikhat apparatus, with a login for every role.

`./dev.sh run` loads it on a new database (`manage.py load_demo`) and prints the logins
(`manage.py demo_logins`), so a reviewer can walk a whole evaluation cycle as each role does.

Why it is built the way it is:

* Everything goes through the orgs services, acting as the system administrator "admin" (a Django
  superuser created first). So the demo exercises the same permission checks and validation as real
  use, and every row it creates has its audit event: the chain verifies right after loading.
* Dates are relative to the day it runs: one servant is on child-care social leave *today*, one was
  appointed less than a month ago, the others years ago. A demo loaded next year still shows the
  same situations (S1-p.6 absences, the "less than a month in post" exclusions).
* The first head of the body is the maslikhat chairman, who is also the authorized person that
  appoints and dismisses the apparatus staff (spec section 3, S0-p.5). The heads of the three
  departments report to him directly, so there is no superior level above them (S1-p.46).
* The whole load is one transaction: it either creates everything or nothing. It is idempotent:
  the demo body is found by its BIN, and a second run changes nothing.
* A second, small body (another district, with its own HR login "hr2") makes tenant isolation
  visible: hr and hr2 never see each other's people.
* Both bodies have adopted the typical G2023 methodology from 2023-09-01 (after the Koksu
  transitional chapter expired), so a cycle can be launched; the main body has a draft cycle for
  the current year, which HR previews and launches from the cycle pages. A demo loaded before these
  were added gets them on the next `load_demo`, once.

All people and numbers are fictional; the IINs are valid and match each person's birth date and
sex, the BINs pass the check digit. E-mail addresses use the reserved `.example` domain, so no
notification can ever reach a real mailbox.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bagalau.assessments.survey360.annex import seed_annex4
from bagalau.audit.services import record_event
from bagalau.cycles import services as cycle_services
from bagalau.cycles.models import EvaluationCycle, PeriodKind
from bagalau.lawbook.models import MethodologyAdoption
from bagalau.orgs import services
from bagalau.orgs.identifiers import make_iin
from bagalau.orgs.models import AbsenceKind, BodyType, Position, Role, Servant, StateBody, StructuralUnit

# One password for every demo login, printed by `manage.py demo_logins`. Demo only.
DEMO_PASSWORD = "demo12345"

# Valid BINs (check digit computed with identifiers.check_digit); the demo body is found by its BIN.
DEMO_BIN = "050240031719"
SECOND_DEMO_BIN = "050240031888"

MAIL_DOMAIN = "koksu-maslikhat.example"
SECOND_MAIL_DOMAIN = "karatal-maslikhat.example"


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name_kk: str
    name_ru: str


@dataclass(frozen=True)
class PositionSpec:
    unit: str  # UnitSpec.code
    code: str
    title_kk: str
    title_ru: str
    category: str
    head: bool = False


@dataclass(frozen=True)
class PersonSpec:
    key: str  # how the loader refers to the person below
    last_name: str
    first_name: str
    middle_name: str
    birth: dt.date
    female: bool
    serial: int  # IIN serial: unique per person
    latin: str  # e-mail local part
    phone: str
    position: str  # PositionSpec.code
    appointed: dt.date | None = None  # None: the newcomer, appointed 12 days before the load
    relieved: bool = False  # a former holder of the newcomer's post, relieved the day before
    address: str = ""


@dataclass(frozen=True)
class LoginSpec:
    username: str
    body: str  # "main" or "second"
    servant: str | None = None  # PersonSpec.key to link, None for someone outside the body
    roles: tuple[str, ...] = ()  # granted roles; SERVANT and MANAGER are derived from the structure
    staff: bool = False  # may use the Django admin back office
    superuser: bool = False
    first_name: str = ""
    last_name: str = ""
    email: str = ""  # for people who are not servants of the body
    note: str | Promise = ""  # who this is, for people who are not servants of the body


_STREETS = ("Абай", "Бейбітшілік", "Жамбыл", "Төле би", "Әл-Фараби", "Ілияс Жансүгіров", "Қонаев")
BALPYK = "Жетісу облысы, Көксу ауданы, Балпық би ауылы"

MAIN_UNITS = (
    UnitSpec("01", "Басшылық", "Руководство"),
    UnitSpec("02", "Ұйымдастыру-құқықтық бөлімі", "Организационно-правовой отдел"),
    UnitSpec("03", "Қаржы және бухгалтерлік есеп секторы", "Сектор финансов и бухгалтерского учёта"),
    UnitSpec("04", "Ақпараттық-талдау бөлімі", "Информационно-аналитический отдел"),
)

MAIN_POSITIONS = (
    PositionSpec("01", "01-01", "Мәслихат төрағасы", "Председатель маслихата", "E-1", head=True),
    PositionSpec("01", "01-02", "Мәслихат аппаратының басшысы", "Руководитель аппарата маслихата", "E-2"),
    PositionSpec("02", "02-01", "Бөлім басшысы", "Руководитель отдела", "E-2", head=True),
    PositionSpec("02", "02-02", "Бөлім басшысының орынбасары", "Заместитель руководителя отдела", "E-3"),
    PositionSpec("02", "02-03", "Бас маман (кадр қызметі)", "Главный специалист (кадровая служба)", "E-4"),
    PositionSpec("02", "02-04", "Бас маман-заңгер", "Главный специалист-юрист", "E-4"),
    PositionSpec("02", "02-05", "Жетекші маман", "Ведущий специалист", "E-5"),
    PositionSpec("02", "02-06", "Жетекші маман (іс жүргізу)", "Ведущий специалист (делопроизводство)", "E-5"),
    PositionSpec("03", "03-01", "Сектор меңгерушісі – бас бухгалтер", "Заведующий сектором – главный бухгалтер",
                 "E-3", head=True),
    PositionSpec("03", "03-02", "Бас маман", "Главный специалист", "E-4"),
    PositionSpec("03", "03-03", "Жетекші маман", "Ведущий специалист", "E-5"),
    PositionSpec("04", "04-01", "Бөлім басшысы", "Руководитель отдела", "E-2", head=True),
    PositionSpec("04", "04-02", "Бөлім басшысының орынбасары", "Заместитель руководителя отдела", "E-3"),
    PositionSpec("04", "04-03", "Бас маман (депутаттармен жұмыс)", "Главный специалист (работа с депутатами)",
                 "E-4"),
    PositionSpec("04", "04-04", "Бас маман (ақпараттық технологиялар)",
                 "Главный специалист (информационные технологии)", "E-4"),
    PositionSpec("04", "04-05", "Жетекші маман", "Ведущий специалист", "E-5"),
)

D = dt.date
MAIN_PEOPLE = (
    PersonSpec("chairman", "Әбілқасымов", "Ғалымжан", "Серікұлы", D(1972, 3, 14), False, 1021,
               "g.abilkassymov", "+7 701 412 37 90", "01-01", D(2021, 2, 1)),
    PersonSpec("apparatus_head", "Жақыпбекова", "Гүлнар", "Болатқызы", D(1979, 11, 2), True, 1187,
               "g.zhakypbekova", "+7 702 318 44 05", "01-02", D(2016, 6, 13)),
    PersonSpec("orglegal_head", "Құдайбергенов", "Ерлан", "Маратұлы", D(1981, 7, 25), False, 1304,
               "e.kudaibergenov", "+7 705 270 19 63", "02-01", D(2017, 9, 4)),
    PersonSpec("orglegal_deputy", "Сәрсенбаева", "Әйгерім", "Қайратқызы", D(1986, 1, 19), True, 1452,
               "a.sarsenbayeva", "+7 707 655 02 81", "02-02", D(2018, 3, 12)),
    PersonSpec("hr", "Төлеуова", "Динара", "Нұрланқызы", D(1990, 5, 8), True, 1533,
               "d.toleuova", "+7 747 903 15 22", "02-03", D(2019, 1, 21)),
    PersonSpec("lawyer", "Оспанов", "Нұржан", "Ғаниұлы", D(1988, 9, 30), False, 1678,
               "n.ospanov", "+7 771 124 86 37", "02-04", D(2020, 10, 5)),
    PersonSpec("orglegal_leading", "Мұқанова", "Аружан", "Ерболқызы", D(1996, 12, 3), True, 1719,
               "a.mukanova", "+7 775 488 60 14", "02-05", D(2022, 4, 18)),
    PersonSpec("newcomer", "Ілиясов", "Бауыржан", "Асқарұлы", D(1999, 2, 27), False, 1846,
               "b.iliyassov", "+7 776 231 07 59", "02-06"),
    PersonSpec("former", "Рахымжанов", "Данияр", "Сейітұлы", D(1994, 8, 16), False, 1902,
               "d.rakhymzhanov", "+7 700 517 93 48", "02-06", D(2019, 8, 1), relieved=True),
    PersonSpec("finance_head", "Байжанова", "Роза", "Кенжебековна", D(1977, 4, 11), True, 2033,
               "r.baizhanova", "+7 701 846 25 70", "03-01", D(2015, 3, 2)),
    PersonSpec("finance_chief", "Нұрғалиев", "Арман", "Төлегенұлы", D(1989, 10, 22), False, 2175,
               "a.nurgaliyev", "+7 702 960 38 16", "03-02", D(2019, 11, 11)),
    PersonSpec("finance_leading", "Сейтқали", "Мадина", "Ерланқызы", D(1997, 6, 5), True, 2241,
               "m.seitkali", "+7 705 377 14 92", "03-03", D(2021, 8, 23)),
    PersonSpec("info_head", "Жұмабаев", "Серік", "Өмірзақұлы", D(1978, 12, 29), False, 2398,
               "s.zhumabayev", "+7 707 142 63 08", "04-01", D(2014, 5, 19)),
    PersonSpec("info_deputy", "Кенжебеков", "Айдос", "Маратович", D(1984, 3, 3), False, 2417,
               "a.kenzhebekov", "+7 747 285 90 31", "04-02", D(2018, 12, 3)),
    PersonSpec("info_deputies_desk", "Үсенова", "Жанар", "Ғабитқызы", D(1991, 8, 20), True, 2586,
               "zh.ussenova", "+7 771 604 72 45", "04-03", D(2020, 2, 17)),
    PersonSpec("info_it", "Әміренов", "Талғат", "Бекболатұлы", D(1993, 1, 9), False, 2634,
               "t.amirenov", "+7 775 813 29 56", "04-04", D(2021, 6, 7)),
    PersonSpec("on_leave", "Қасымова", "Айгүл", "Серікқызы", D(1995, 4, 24), True, 2775,
               "a.kassymova", "+7 776 392 51 83", "04-05", D(2020, 9, 14)),
)

SECOND_UNITS = (UnitSpec("01", "Мәслихат аппараты", "Аппарат маслихата"),)
SECOND_POSITIONS = (
    PositionSpec("01", "01-01", "Мәслихат аппаратының басшысы", "Руководитель аппарата маслихата", "E-2",
                 head=True),
    PositionSpec("01", "01-02", "Бас маман (кадр қызметі)", "Главный специалист (кадровая служба)", "E-4"),
    PositionSpec("01", "01-03", "Жетекші маман", "Ведущий специалист", "E-5"),
)
USHTOBE = "Жетісу облысы, Қаратал ауданы, Үштөбе қаласы"
SECOND_PEOPLE = (
    PersonSpec("second_head", "Есімов", "Болат", "Нұрланұлы", D(1975, 9, 17), False, 3012,
               "b.yessimov", "+7 701 733 48 20", "01-01", D(2017, 1, 16)),
    PersonSpec("second_hr", "Смағұлова", "Әсел", "Талғатқызы", D(1992, 2, 14), True, 3159,
               "a.smagulova", "+7 702 441 85 63", "01-02", D(2020, 7, 6)),
    PersonSpec("second_leading", "Өтегенов", "Ерасыл", "Бақытұлы", D(1998, 10, 1), False, 3286,
               "ye.otegenov", "+7 705 126 94 07", "01-03", D(2022, 11, 28)),
)

LOGINS = (
    LoginSpec("admin", "main", superuser=True, staff=True, first_name="Жүйе", last_name="Әкімшісі",
              note=gettext_lazy("System administrator (superuser): every body")),
    LoginSpec("hr", "main", servant="hr", roles=(Role.HR,), staff=True),
    LoginSpec("head", "main", servant="chairman", roles=(Role.AUTHORIZED_PERSON,)),
    LoginSpec("manager", "main", servant="orglegal_head"),
    LoginSpec("servant", "main", servant="finance_leading"),
    LoginSpec("commission1", "main", servant="apparatus_head", roles=(Role.COMMISSION_MEMBER,)),
    LoginSpec("commission2", "main", servant="info_head", roles=(Role.COMMISSION_MEMBER,)),
    LoginSpec("commission3", "main", servant="orglegal_deputy", roles=(Role.COMMISSION_MEMBER,)),
    LoginSpec("commission4", "main", servant="finance_head", roles=(Role.COMMISSION_MEMBER,)),
    LoginSpec("commission5", "main", roles=(Role.COMMISSION_MEMBER,), first_name="Марат",
              last_name="Тұрсынбаев",
              email="m.tursynbayev@koksu-maslikhat.example",
              note=gettext_lazy("Maslikhat deputy, external commission member")),
    LoginSpec("reviewer", "main", roles=(Role.APPEAL_REVIEWER,), first_name="Ләззат", last_name="Омарова",
              email="l.omarova@zhetysu.kyzmet.example",
              note=gettext_lazy("Civil Service Affairs Agency, Zhetysu region department")),
    LoginSpec("auditor", "main", roles=(Role.AUDITOR,), first_name="Бекзат", last_name="Исабеков",
              email="b.issabekov@koksu-maslikhat.example", note=gettext_lazy("Internal audit")),
    LoginSpec("hr2", "second", servant="second_hr", roles=(Role.HR,), staff=True),
)


@dataclass
class DemoResult:
    created: bool
    body: StateBody
    second_body: StateBody | None
    servants: dict[str, Servant] = field(default_factory=dict)


def demo_body() -> StateBody | None:
    return StateBody.objects.filter(bin=DEMO_BIN).first()


def second_demo_body() -> StateBody | None:
    return StateBody.objects.filter(bin=SECOND_DEMO_BIN).first()


def load_demo(*, today: dt.date | None = None) -> DemoResult:
    """Create the demo bodies and logins, or do nothing if the demo body is already there.

    Raises ValidationError (before writing anything) when a demo username is already taken by
    someone else, rather than taking over that account or changing its password.
    """
    existing = demo_body()
    if existing is not None:
        with transaction.atomic():
            _ensure_evaluation_setup(existing, second_demo_body(), today or timezone.localdate())
        return DemoResult(created=False, body=existing, second_body=second_demo_body())
    today = today or timezone.localdate()
    User = get_user_model()
    taken = sorted(User.objects.filter(username__in=[s.username for s in LOGINS]).values_list(
        "username", flat=True))
    if taken:
        raise ValidationError({"username": _(
            "The demo logins %(names)s already exist on this database; the demo was not loaded. "
            "Use a new database for the demo.") % {"names": ", ".join(taken)}})
    with transaction.atomic():
        return _load(today)


def _load(today: dt.date) -> DemoResult:
    # One hash for every demo login: hashing is deliberately slow, and a dozen hashes of the same
    # demo password would add seconds to every `./dev.sh run` on a new database.
    password_hash = make_password(DEMO_PASSWORD)
    admin = _create_user(LOGINS[0], actor=None, password_hash=password_hash)
    body = services.create_body(
        actor=admin, name_kk="Көксу аудандық мәслихатының аппараты",
        name_ru="Аппарат Коксуского районного маслихата", bin=DEMO_BIN, body_type=BodyType.DISTRICT_MASLIKHAT,
    )
    second = services.create_body(
        actor=admin, name_kk="Қаратал аудандық мәслихатының аппараты",
        name_ru="Аппарат Каратальского районного маслихата", bin=SECOND_DEMO_BIN,
        body_type=BodyType.DISTRICT_MASLIKHAT,
    )
    people = _build_body(admin, body, MAIN_UNITS, MAIN_POSITIONS, MAIN_PEOPLE, today, BALPYK, MAIL_DOMAIN)
    people |= _build_body(admin, second, SECOND_UNITS, SECOND_POSITIONS, SECOND_PEOPLE, today, USHTOBE,
                          SECOND_MAIL_DOMAIN)
    services.set_body_heads(actor=admin, body=body, first_head=people["chairman"],
                            authorized_person=people["chairman"])
    services.set_body_heads(actor=admin, body=second, first_head=people["second_head"],
                            authorized_person=people["second_head"])
    _record_absences(admin, body, people, today)
    bodies = {"main": body, "second": second}
    for spec in LOGINS[1:]:
        target = bodies[spec.body]
        user = _create_user(spec, actor=admin, password_hash=password_hash,
                            servant=people.get(spec.servant or ""))
        if spec.servant:
            services.link_user(actor=admin, servant=people[spec.servant], user=user)
        for role in spec.roles:
            services.grant_role(actor=admin, body=target, user=user, role=role)
    _ensure_evaluation_setup(body, second, today)
    return DemoResult(created=True, body=body, second_body=second, servants=people)


# The methodology the demo bodies adopted, and from when (the day after the Koksu chapter 6 sunset).
DEMO_METHODOLOGY = "typical-g2023"
DEMO_METHODOLOGY_FROM = dt.date(2023, 9, 1)


# What the typical version leaves open, filled as the demo body's own act would (methodology.local).
# The demo body and its order are fictional: the values are plausible, from no real text, and stay
# unverified, so every page shows them as such. Each key is one open parameter of the version;
# `lawbook.selectors.version_for` explains the shape.
DEMO_LOCAL_PARAMETERS: dict[str, dict[str, object]] = {
    "ranking": {
        "value": {
            "scale": ["EFFECTIVE", "PROPER", "SATISFACTORY", "UNSATISFACTORY"],
            "quotas": {"EFFECTIVE": "1/4"},
            "rater_role": "direct_manager", "group": "unit", "input_type": "direct_grade",
            "min_group_size": 2, "tie_rule": "shared_rank", "small_group": "no_quota",
        },
        "clause": "DEMO-ord-7-p.3",
        "act": "Order No. 7 of 2023-09-01 of the head of the apparatus, p.3 (the body's own order; fictional demo)",
        "verified": False,
        "note": "Demo only: a fictional body's own order. A real body enters the scale, quotas and settings "
                "from its own act (spec 5.2, Q-01).",
    },
}


# The 360 parts of the demo body's own act (fictional): its competency annex is Annex 4 as in the
# seed (Kentau No. 131, the only Annex 4 text retrieved), and its act extends the 360 to non-heads,
# which the typical version leaves open ("no, or optional", spec 4.2).
DEMO_LOCAL_PARAMETERS["competencies"] = {
    "value": seed_annex4(),
    "clause": "DEMO-ord-7-annex-4",
    "act": "Order No. 7 of 2023-09-01 of the head of the apparatus, Annex 4 (fictional demo; the text of "
           "Annex 4 to Kentau No. 161 as amended by No. 131, seed 000)",
    "verified": False,
    "note": "Demo only: a fictional body's own annex, copied from the seed's Annex 4. A real body enters the "
            "competency annex of its own act (Q-21).",
}
DEMO_LOCAL_PARAMETERS["survey360"] = {
    "value": {"optional_for": ["non_head"]},
    "clause": "DEMO-ord-7-p.5",
    "act": "Order No. 7 of 2023-09-01 of the head of the apparatus, p.5 (fictional demo)",
    "verified": False,
    "note": "Demo only: a fictional body's order also runs the 360 for specialists (spec 4.2, Q-03).",
}


def _ensure_evaluation_setup(body: StateBody, second: StateBody | None, today: dt.date) -> None:
    """The methodology adoption of both bodies and a draft cycle for the current year, each created
    only if missing (so a second load changes nothing). The main body's adoption carries the demo
    values for the version's open parameters; an adoption loaded before a key was added gets it."""
    User = get_user_model()
    admin = User.objects.filter(username=LOGINS[0].username).first()
    for target in (body, second):
        if target is None:
            continue
        local = DEMO_LOCAL_PARAMETERS if target == body else {}
        existing = MethodologyAdoption.objects.filter(body=target).first()
        if existing is not None:
            missing = {k: v for k, v in local.items() if k not in existing.local_parameters}
            if missing and existing.version_id == DEMO_METHODOLOGY:
                existing.local_parameters = {**existing.local_parameters, **missing}
                existing.full_clean()
                existing.save()
                record_event(action="lawbook.adoption.local_parameters", obj=existing, actor=admin,
                             role=Role.ADMIN if admin else "system", body_id=target.pk,
                             payload={"parameters": sorted(missing), "demo": True})
            continue
        adoption = MethodologyAdoption(body=target, version_id=DEMO_METHODOLOGY, valid_from=DEMO_METHODOLOGY_FROM,
                                       local_parameters=dict(local))
        adoption.full_clean()
        adoption.save()
        record_event(action="lawbook.adoption.create", obj=adoption, actor=admin,
                     role=Role.ADMIN if admin else "system", body_id=target.pk, to_state="active",
                     payload={"version": DEMO_METHODOLOGY, "valid_from": DEMO_METHODOLOGY_FROM.isoformat(),
                              "local_parameters": sorted(local), "demo": True})
    hr = User.objects.filter(username="hr").first()
    if hr is not None and not EvaluationCycle.objects.filter(body=body).exists():
        cycle_services.create_cycle(hr, body, kind=PeriodKind.YEAR, year=today.year)


def _build_body(admin: AbstractBaseUser, body: StateBody, units: tuple[UnitSpec, ...],
                positions: tuple[PositionSpec, ...], people: tuple[PersonSpec, ...], today: dt.date,
                address: str, domain: str) -> dict[str, Servant]:
    unit_by_code: dict[str, StructuralUnit] = {}
    for u in units:
        unit_by_code[u.code] = services.create_unit(actor=admin, body=body, code=u.code, name_kk=u.name_kk,
                                                    name_ru=u.name_ru)
    position_by_code: dict[str, Position] = {}
    for p in positions:
        position_by_code[p.code] = services.create_position(
            actor=admin, body=body, unit=unit_by_code[p.unit], code=p.code, title_kk=p.title_kk,
            title_ru=p.title_ru, category=p.category, is_head_of_unit=p.head,
        )
    servants: dict[str, Servant] = {}
    for n, person in enumerate(people, start=1):
        servants[person.key] = services.create_servant(
            actor=admin, body=body, iin=make_iin(person.birth, person.serial, female=person.female),
            last_name=person.last_name, first_name=person.first_name, middle_name=person.middle_name,
            email=f"{person.latin}@{domain}", phone=person.phone,
            postal_address=f"{address}, {_STREETS[n % len(_STREETS)]} көшесі, {10 + 7 * n}",
        )
    newcomer_start = today - dt.timedelta(days=12)
    for n, person in enumerate(people, start=1):
        # The newcomer took over the post of a former servant, relieved the day before: history is
        # kept, so that post has two appointments.
        start = person.appointed or newcomer_start
        end = newcomer_start - dt.timedelta(days=1) if person.relieved else None
        services.appoint(actor=admin, body=body, servant=servants[person.key],
                         position=position_by_code[person.position], start=start, end=end,
                         order_ref=f"№ {40 + n}-ж")
    return servants


def _record_absences(admin: AbstractBaseUser, body: StateBody, people: dict[str, Servant],
                     today: dt.date) -> None:
    """Child-care social leave covering today, plus past absences that make the history realistic."""
    days = dt.timedelta
    services.record_absence(actor=admin, body=body, servant=people["on_leave"], kind=AbsenceKind.SOCIAL_LEAVE,
                            start=today - days(days=150), end=today + days(days=2 * 365),
                            note="Бала күтімі бойынша демалыс / Отпуск по уходу за ребёнком")
    past = (
        ("orglegal_deputy", AbsenceKind.ANNUAL_LEAVE, 210, 186, "Жыл сайынғы еңбек демалысы"),
        ("finance_chief", AbsenceKind.ANNUAL_LEAVE, 120, 103, "Жыл сайынғы еңбек демалысы"),
        ("info_it", AbsenceKind.SICK_LEAVE, 75, 69, "Еңбекке уақытша жарамсыздық парағы"),
        ("lawyer", AbsenceKind.BUSINESS_TRIP, 40, 37, "Талдықорған қ., облыстық мәслихат"),
        ("info_deputy", AbsenceKind.TRAINING, 95, 91, "Біліктілікті арттыру курсы, Астана қ."),
    )
    for key, kind, ago_start, ago_end, note in past:
        services.record_absence(actor=admin, body=body, servant=people[key], kind=kind,
                                start=today - days(days=ago_start), end=today - days(days=ago_end), note=note)


def _create_user(spec: LoginSpec, *, actor: AbstractBaseUser | None, password_hash: str,
                 servant: Servant | None = None) -> AbstractBaseUser:
    """Logins are Django users, not orgs rows, so no orgs service creates them: the event is
    recorded here, in the same transaction (the password never enters the trail)."""
    User = get_user_model()
    first, last = spec.first_name, spec.last_name
    email = spec.email or f"{spec.username}@{MAIL_DOMAIN}"
    if servant is not None:
        first, last, email = servant.first_name, servant.last_name, servant.email
    user = User(username=spec.username, first_name=first, last_name=last, email=email,
                is_staff=spec.staff or spec.superuser, is_superuser=spec.superuser)
    user.password = password_hash
    user.full_clean(exclude=["password"])
    user.save()
    record_event(action="auth.user.create", obj=user, actor=actor, role=Role.ADMIN if actor else "system",
                 to_state="active", payload={"username": spec.username, "is_staff": user.is_staff,
                                             "is_superuser": user.is_superuser, "demo": True})
    return user
