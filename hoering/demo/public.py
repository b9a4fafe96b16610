"""Public responses to the demo's culture, sport and leisure policy (mostly data).

Everything here is invented for the demo: the citizens, their names and e-mail addresses,
the associations and what they write. The addresses use example.com, a domain reserved
for examples (RFC 2606) that receives no mail, so the receipts the demo puts in the
outbox reach no one.

There are two kinds of response: ``RESPONSES``, each written by its sender, some about
particular sections of the policy and some general; and a campaign, ``CAMPAIGN``: one
circulated text (``CAMPAIGN_TEXT``), sent by several citizens with small personal
changes (a greeting, an added sentence, a typo), as campaigns are.

``load_public_responses`` submits them all through the public form's operation
(``submit_public_response``), each on its own day and hour of the consultation period and
with a fixed idempotency token, so the demo is the same every time it is loaded.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from hoering.consultations.models import Consultation, Response
from hoering.core.clock import LOCAL_TZ, frozen_at
from hoering.core.db import now_utc
from hoering.public.operations import PublicSubmission, UploadedFile, submit_public_response

# The culture policy's sections, in order (positions 1..7); the keys used below.
SECTION_KEYS = ("indledning", "vision", "tema1", "tema2", "tema3", "tema4", "afslutning")

# Each response: the sender, when it came ("day" after the day the consultation opened,
# local "time"), its texts per section (SECTION_KEYS) and its general text, and
# optionally an attachment (a key of ATTACHMENTS).
RESPONSES: list[dict[str, Any]] = [
    {
        "name": "Anne-Marie Kjeldsen",
        "email": "anne-marie.kjeldsen@example.com",
        "organisation": "1. Måløv Spejdergruppe",
        "publish_name": True,
        "day": 2,
        "time": "20:50",
        "sections": {
            "tema1": (
                "Vi kan genkende udfordringen med at fastholde frivillige. Det, der hjælper "
                "mest, er ikke flere puljer, men anerkendelse og en kommune, der er let at "
                "komme i kontakt med. En fast kontaktperson i forvaltningen, som "
                "foreningerne kan ringe til, vil være en stor hjælp for vores ledere."
            ),
            "tema4": (
                "Vores spejderhytte bruges hver uge af over 100 børn og unge, og meget af "
                "det, vi laver, foregår i skoven. Vi vil opfordre til, at naturen tænkes med "
                "som en del af kommunens rum og rammer, med shelters, bålpladser og adgang "
                "til toiletter, og at foreninger, der selv ejer og driver deres hytte, også "
                "kan søge tilskud til vedligeholdelse."
            ),
        },
        "general": "",
    },
    {
        "name": "Søren Vestergaard",
        "email": "soeren.vestergaard@example.com",
        "organisation": "Ballerup Ro- og Kajakklub",
        "publish_name": True,
        "day": 4,
        "time": "20:15",
        "sections": {
            "tema1": (
                "Vi bakker op om ønsket om mindre bureaukrati. Vores bestyrelse bruger mange "
                "frivillige timer på ansøgninger, afrapportering og børneattester. En fælles "
                "indgang, hvor foreningen kun skal oplyse de samme ting én gang, vil gøre en "
                "mærkbar forskel."
            ),
            "tema4": (
                "Klubhuset og bådhallen er fra 1970'erne og trænger hårdt til renovering. "
                "Omklædningsrummene er for små, der er ingen adgang for kørestolsbrugere, og "
                "vi må sige nej til nye medlemmer, fordi der ikke er plads til flere både. "
                "Vi er glade for, at politikken vil tænke tilgængelighed ind ved "
                "renoveringer, men vi savner en plan for, hvornår og i hvilken rækkefølge "
                "faciliteterne bliver renoveret. Vi foreslår, at kommunen sammen med "
                "foreningerne laver en samlet renoveringsplan for klubhuse og haller."
            ),
        },
        "general": "",
    },
    {
        "name": "Maria Dahl Nielsen",
        "email": "maria.dahl.nielsen@example.com",
        "organisation": "Forældrenetværket i Egebjerg",
        "publish_name": False,
        "day": 6,
        "time": "21:40",
        "sections": {
            "tema1": (
                "Samarbejdet mellem skole og forening fungerer bedst, når trænerne kommer ud "
                "på skolen i skoletiden, så børnene kan møde dem og prøve sporten, før de "
                "skal melde sig til. Det vil vi gerne se mere af."
            ),
            "tema2": (
                "Mange børn i vores område går ikke til idræt i en forening, og for nogle "
                "familier er kontingent, udstyr og kørsel en reel hindring. Vi foreslår, at "
                "politikken nævner et fritidspas eller kontingenttilskud til familier med "
                "lave indkomster, og at der kommer flere gratis og åbne tilbud tæt på, hvor "
                "børnene bor, fx på skolernes udearealer om eftermiddagen."
            ),
        },
        "general": "",
    },
    {
        "name": "Jørgen Poulsen",
        "email": "joergen.poulsen@example.com",
        "organisation": "Ballerup Seniorsport",
        "publish_name": True,
        "day": 8,
        "time": "11:10",
        "sections": {
            "tema2": (
                "Vi er over 300 medlemmer, der dyrker motion i dagtimerne. Det glæder os, at "
                "ældre nævnes som en målgruppe, men i praksis må seniorerne ofte vige for "
                "skolerne, når hallerne fordeles. Vi foreslår, at politikken sikrer "
                "seniorforeningerne faste tider i dagtimerne, og at bevægelse i naturen også "
                "tænkes med: gåruter med bænke, belysning og toiletter undervejs."
            ),
        },
        "general": "",
    },
    {
        "name": "Birthe Lauridsen",
        "email": "birthe.lauridsen@example.com",
        "organisation": "Lokalhistorisk Forening for Ballerup",
        "publish_name": True,
        "day": 9,
        "time": "10:05",
        "sections": {
            "tema3": (
                "Kulturarven er næsten fraværende i udkastet. Ballerups historie, fra "
                "landsbyerne over industrien til forstadens vækst, er en del af borgernes "
                "fælles identitet, og lokalarkivet og de lokalhistoriske foreninger formidler "
                "den hver uge, for en stor del takket være frivillige. Vi foreslår, at tema 3 "
                "får et afsnit om kulturarv og lokalhistorie, og at lokalarkivet nævnes blandt "
                "kommunens kulturinstitutioner."
            ),
        },
        "general": "Vores forslag til et afsnit om kulturarv er vedlagt som bilag.",
        "attachment": "kulturarv",
    },
    {
        "name": "Kasper Rasmussen",
        "email": "kasper.rasmussen@example.com",
        "organisation": "Måløv Håndboldklub",
        "publish_name": True,
        "day": 10,
        "time": "19:05",
        "sections": {
            "tema2": (
                "Det er godt, at politikken både vil idræt for alle og talentudvikling, men "
                "de to mål konkurrerer om de samme haltimer. I dag får vores ungdomshold "
                "tider sent om aftenen, fordi hallerne er fyldt op. Vi foreslår klare "
                "principper for fordelingen af haltider, hvor børn og unge får de tidlige "
                "aftentimer, og at fordelingen sker i åben dialog med foreningerne gennem "
                "Folkeoplysningsudvalget."
            ),
        },
        "general": (
            "Uden trænere og holdledere ingen håndbold. Kommunen kunne hjælpe med gratis "
            "trænerkurser og en årlig fejring af de frivillige på tværs af foreningerne."
        ),
    },
    {
        "name": "Thomas Brandt",
        "email": "thomas.brandt@example.com",
        "organisation": "",
        "publish_name": False,
        "day": 12,
        "time": "22:10",
        "sections": {
            "tema3": (
                "Min datter har gået til klaver på musikskolen i fire år, og det har betydet "
                "utrolig meget for hende. Men ventelisterne er lange, især til klaver og "
                "guitar, og prisen er steget, så flere af hendes venner er holdt op. Hvis "
                "politikken mener det alvorligt med, at børn og unge selv skal skabe kunst og "
                "kultur, må musikskolen have råd til flere pladser og en søskenderabat, der "
                "kan mærkes. Det vil også hjælpe, hvis undervisningen oftere kunne foregå på "
                "den lokale skole, så børnene ikke skal fragtes på tværs af kommunen."
            ),
        },
        "general": "",
    },
    {
        "name": "Grethe Mikkelsen",
        "email": "grethe.mikkelsen@example.com",
        "organisation": "",
        "publish_name": False,
        "day": 15,
        "time": "10:30",
        "sections": {
            "tema1": (
                "Der står, at booking og ansøgninger skal foregå digitalt. Det er fint for "
                "mange, men vi er en del ældre, som ikke er så gode til computere. Der må "
                "også fremover være mulighed for at ringe eller møde op, fx på biblioteket."
            ),
            "tema4": (
                "Jeg er 81 år og går med rollator. Jeg kommer gerne til koncerter og "
                "foredrag, men flere steder er der trapper uden elevator, tunge døre og for "
                "få handicaptoiletter, og der er langt fra parkeringspladsen til indgangen. "
                "Kommunen bør gennemgå alle kulturhuse og haller for tilgængelighed og lave en "
                "plan for at rette manglerne, ikke kun tænke på det ved nybyggeri. Husk også "
                "teleslynge i salene. Det betyder meget for os, der hører dårligt."
            ),
        },
        "general": "",
    },
    {
        "name": "Henriette Bach",
        "email": "henriette.bach@example.com",
        "organisation": "",
        "publish_name": False,
        "day": 17,
        "time": "22:35",
        "sections": {
            "tema2": (
                "Vi har en søn på 11 år med autisme. Han vil gerne gå til svømning og "
                "klatring, men der er næsten ingen hold, hvor grupperne er små og trænerne "
                "ved noget om børn med særlige behov. Jeg er glad for, at politikken nævner "
                "borgere med handicap, og håber, at det bliver til konkrete hold, og at "
                "kommunen hjælper foreningerne med at uddanne trænerne. Inddrag gerne "
                "Handicaprådet og forældreforeningerne i arbejdet."
            ),
        },
        "general": "",
    },
    {
        "name": "Yasmin Khalil",
        "email": "yasmin.khalil@example.com",
        "organisation": "",
        "publish_name": True,
        "day": 20,
        "time": "16:45",
        "sections": {
            "vision": (
                "Jeg sidder i Ungerådet, men skriver her på egne vegne. Visionen siger, at "
                "alle skal kunne deltage, men de 15-25-årige bliver næsten ikke nævnt. Mange "
                "unge falder fra foreningslivet i teenageårene, og det er ikke, fordi vi ikke "
                "vil være aktive, men fordi tilbuddene ikke passer til os. Skriv de unge ind i "
                "visionen, og inddrag os, når handleplanerne skal laves."
            ),
            "tema4": (
                "Vi mangler steder, hvor unge kan være om aftenen uden at skulle melde sig "
                "ind i noget eller betale: et sted med plads til musik, gaming, skating eller "
                "bare at hænge ud. Åbn gerne hallerne og kulturhusene for unge, der selv "
                "organiserer sig, om aftenen og i weekenderne."
            ),
        },
        "general": "",
    },
    {
        "name": "Line Gormsen",
        "email": "line.gormsen@example.com",
        "organisation": "",
        "publish_name": True,
        "day": 23,
        "time": "09:20",
        "sections": {
            "tema3": (
                "Som billedkunstner i Ballerup savner jeg, at politikken nævner de "
                "professionelle kunstnere, der bor og arbejder i kommunen. Der mangler "
                "billige atelierer og værksteder, og mange flytter derfor til København. Jeg "
                "foreslår, at kommunen stiller tomme lokaler til rådighed som atelierer, mod "
                "at kunstnerne til gengæld holder åbne værksteder og laver forløb for "
                "skoleklasser. Det vil samtidig bringe kunsten ud i bydelene."
            ),
        },
        "general": "",
    },
    {
        "name": "Fatima Ali",
        "email": "fatima.ali@example.com",
        "organisation": "Kvindenetværket i Ballerup Vest",
        "publish_name": False,
        "day": 25,
        "time": "18:00",
        "sections": {
            "tema1": (
                "Mange af kvinderne i vores netværk har aldrig været medlem af en forening i "
                "Danmark. Det er ikke interessen, der mangler, men kendskabet til "
                "foreningerne og tilbud, der passer til en hverdag med børn og arbejde. Vi "
                "vil gerne samarbejde med kommunen og foreningerne om prøvehold og "
                "introduktionsforløb, fx svømning for kvinder, cykeltræning og motionshold, "
                "og vi håber, at politikken nævner den slags samarbejde."
            ),
        },
        "general": "Vi kommer gerne til et møde med Kultur- og Fritidsudvalget.",
    },
    {
        "name": "Peter Holm Larsen",
        "email": "peter.holm.larsen@example.com",
        "organisation": "",
        "publish_name": False,
        "day": 27,
        "time": "21:05",
        "sections": {
            "afslutning": (
                "Politikken er sympatisk, men meget overordnet, og det er svært at se, hvad "
                "der konkret skal ske. Jeg foreslår, at handleplanerne og den årlige status "
                "offentliggøres på kommunens hjemmeside, og at der opstilles nogle få målbare "
                "mål, fx andelen af børn og unge, der er medlem af en forening, og antallet af "
                "besøgende på bibliotekerne. Så kan vi borgere også følge med i, om "
                "politikken virker."
            ),
        },
        "general": "",
    },
    {
        "name": "Ole Frederiksen",
        "email": "ole.frederiksen@example.com",
        "organisation": "",
        "publish_name": True,
        "day": 30,
        "time": "07:55",
        "sections": {},
        "general": (
            "Jeg bruger svømmehallen hver morgen før arbejde. Det er dejligt, at "
            "politikken vil have flere borgere til at bevæge sig, men så må åbningstiderne "
            "følge med. Svømmehallen bør åbne kl. 6 på hverdage, og morgenbanerne må ikke "
            "blive nedlagt for at spare penge."
        ),
    },
]

# The campaign: the text that was shared in the neighbourhood, and who sent it, with
# their small changes. Every campaign response goes in the general field.
CAMPAIGN_TEXT: str = (
    "Bevar biblioteksfilialen i Skovlunde.\n\n"
    "Jeg opfordrer Kultur- og Fritidsudvalget til at skrive ind i politikken, at "
    "biblioteksfilialen i Skovlunde skal bevares. Biblioteket er meget mere end et sted, "
    "hvor man låner bøger. Det er et mødested for børnefamilier, ældre og skoleelever, og "
    "det er et af de få steder i bydelen, hvor man kan komme uden at skulle betale for "
    "noget.\n\n"
    "Udkastet siger, at kunst og kultur skal være tilgængelig i hverdagen, der hvor "
    "borgerne færdes, blandt andet på bibliotekerne. Det kan kun lade sig gøre, hvis der "
    "fortsat er et bibliotek i Skovlunde med personale og åbningstider, der passer til "
    "hverdagen. Lukker filialen, bliver der langt til det nærmeste bibliotek for dem, der "
    "ikke har bil."
)

# Each member: the sender, when, and the changes to CAMPAIGN_TEXT: a greeting put in
# front, (old, new) replacements (each made once), and a sentence added at the end.
CAMPAIGN: list[dict[str, Any]] = [
    {
        "name": "Karen Søndergaard",
        "email": "karen.soendergaard@example.com",
        "publish_name": False,
        "day": 18,
        "time": "20:12",
    },
    {
        "name": "Rasmus Lund",
        "email": "rasmus.lund@example.com",
        "publish_name": True,
        "day": 18,
        "time": "21:47",
        "greeting": "Kære Kultur- og Fritidsudvalg",
        "addition": "Vi kommer der selv hver uge med vores to børn.",
    },
    {
        "name": "Lone Winther",
        "email": "lone.winther@example.com",
        "publish_name": False,
        "day": 19,
        "time": "07:31",
        "replace": [
            ("at biblioteksfilialen", "at bibloteksfilialen"),
            ("børnefamilier", "børnefamiler"),
            ("Udkastet siger,", "Udkastet siger jo"),
        ],
    },
    {
        "name": "Erik Damgaard",
        "email": "erik.damgaard@example.com",
        "publish_name": True,
        "day": 19,
        "time": "12:05",
        "addition": (
            "Jeg har boet i Skovlunde i over 40 år, og biblioteket har altid været "
            "bydelens samlingspunkt."
        ),
    },
    {
        "name": "Sofie Kragh",
        "email": "sofie.kragh@example.com",
        "publish_name": False,
        "day": 19,
        "time": "19:58",
        "greeting": "Hej",
        "replace": [("Jeg opfordrer", "Jeg vil gerne opfordre")],
        "addition": "Tak, fordi I lytter.",
    },
    {
        "name": "Niels Bruun",
        "email": "niels.bruun@example.com",
        "publish_name": False,
        "day": 20,
        "time": "22:14",
        "replace": [
            ("Bevar biblioteksfilialen i Skovlunde.", "BEVAR BIBLIOTEKSFILIALEN I SKOVLUNDE!"),
            ("uden at skulle betale for noget", "uden at skulle betale"),
        ],
    },
    {
        "name": "Inger Thomsen",
        "email": "inger.thomsen@example.com",
        "publish_name": True,
        "day": 24,
        "time": "10:48",
        "greeting": "Til Kultur- og Fritidsudvalget",
        "addition": "Det er også på biblioteket, jeg får hjælp til MitID og Digital Post.",
    },
]

RESPONSE_COUNT = len(RESPONSES) + len(CAMPAIGN)

# Attachments: file name and the lines of a one-page PDF.
ATTACHMENTS: dict[str, tuple[str, list[str]]] = {
    "kulturarv": (
        "Forslag til afsnit om kulturarv.pdf",
        [
            "Lokalhistorisk Forening for Ballerup",
            "Bilag til høringssvar: forslag til afsnit om kulturarv",
            "",
            "Kulturarv og lokalhistorie",
            "Ballerups historie er en del af vores fælles identitet. Vi vil bevare,",
            "formidle og bruge kulturarven, så børn, unge og voksne kan møde den i",
            "hverdagen, i samarbejde med lokalarkivet og de lokalhistoriske foreninger.",
        ],
    ),
}

# Tokens are uuid5 of this namespace and a fixed name per response, so that loading the
# demo twice (into two databases) gives the same tokens.
TOKEN_NAMESPACE = uuid.UUID("6f1c2d9e-3b7a-5c4e-9a21-8d0b5e7f4c13")


def campaign_text(member: dict[str, Any]) -> str:
    """CAMPAIGN_TEXT as ``member`` sent it."""
    text = CAMPAIGN_TEXT
    for old, new in member.get("replace", []):
        if old not in text:
            raise ValueError(f"{old!r} is not in the campaign text")
        text = text.replace(old, new, 1)
    if member.get("greeting"):
        text = f"{member['greeting']}\n\n{text}"
    if member.get("addition"):
        text = f"{text} {member['addition']}"
    return text


def tiny_pdf(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF 1.4 showing ``lines`` in Helvetica (WinAnsi)."""

    def literal(line: str) -> bytes:
        raw = line.encode("cp1252")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") \
            + b")"

    shown = b" T* ".join(literal(line) + b" Tj" for line in lines)
    stream = b"BT /F1 11 Tf 14 TL 56 780 Td " + shown + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def submissions(sections: dict[str, int]) -> list[tuple[int, str, PublicSubmission]]:
    """(day, local time, submission) for every public response, in the order received;
    ``sections`` maps SECTION_KEYS to the consultation's section ids."""
    rows = []
    for index, spec in enumerate(RESPONSES, start=1):
        files = []
        if spec.get("attachment"):
            filename, lines = ATTACHMENTS[spec["attachment"]]
            files.append(UploadedFile(filename, tiny_pdf(lines)))
        rows.append((spec["day"], spec["time"], PublicSubmission(
            token=str(uuid.uuid5(TOKEN_NAMESPACE, f"svar-{index}")),
            name=spec["name"], email=spec["email"], organisation=spec["organisation"],
            publish_name=spec["publish_name"], general_text=spec["general"],
            section_texts={sections[key]: text for key, text in spec["sections"].items()},
            files=files,
        )))
    for index, member in enumerate(CAMPAIGN, start=1):
        rows.append((member["day"], member["time"], PublicSubmission(
            token=str(uuid.uuid5(TOKEN_NAMESPACE, f"kampagne-{index}")),
            name=member["name"], email=member["email"],
            publish_name=member["publish_name"], general_text=campaign_text(member),
        )))
    return sorted(rows, key=lambda row: (row[0], row[1]))


def load_public_responses(consultation: Consultation) -> list[Response]:
    """Submit the demo's public responses to ``consultation`` (the culture policy's),
    each on its day after the consultation opened; that must be long enough ago for the
    last one to lie in the past. Returns the responses in the order received."""
    sections = dict(zip(SECTION_KEYS, (s.id for s in consultation.version.sections),
                        strict=True))
    assert consultation.opened_at is not None  # the consultation is open
    opened = consultation.opened_at.astimezone(LOCAL_TZ).date()
    rows = [
        (datetime.combine(opened + timedelta(days=day), time.fromisoformat(hour),
                          tzinfo=LOCAL_TZ), submission)
        for day, hour, submission in submissions(sections)
    ]
    if rows[-1][0] >= now_utc():
        raise ValueError("the consultation opened too recently for the demo responses")
    responses = []
    for moment, submission in rows:
        with frozen_at(moment):
            response, _stored = submit_public_response(consultation, submission)
        responses.append(response)
    return responses
