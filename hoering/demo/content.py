"""Danish texts for the demo data (pure data, no logic).

The policy, bodies, journal number and dates follow the real consultation memo
(høringsnotat) of 8 June 2024 on Ballerup Municipality's political principles for
digitalisation. The principle texts themselves are invented: the real texts are not
public, so both versions are written to agree with the remarks in the memo.
"""

from __future__ import annotations

from typing import Any

DEMO_NOTICE: str = (
    "Principteksterne i denne demo er opdigtede, da Ballerup Kommunes egne tekster "
    "ikke er offentliggjort, men de er skrevet, så de stemmer overens med "
    "bemærkningerne i det rigtige høringsnotat af 8. juni 2024."
)

# (abbreviation, name, kind); kind is one of
# "committee", "works_council", "city_council", "council".
BODIES: list[tuple[str, str, str]] = [
    ("BSU", "Børne- og Skoleudvalget", "committee"),
    ("KMU", "Klima- og Miljøudvalget", "committee"),
    ("KFU", "Kultur- og Fritidsudvalget", "committee"),
    ("SOU", "Socialudvalget", "committee"),
    ("EBU", "Erhvervs-, Beskæftigelses- og Uddannelsesudvalget", "committee"),
    ("SÆU", "Sundheds- og Ældreudvalget", "committee"),
    ("MED", "Hoved-MED", "works_council"),
    ("DTU", "Digitaliserings- og Teknologiudvalget", "committee"),
    ("ØU", "Økonomiudvalget", "committee"),
    ("KB", "Kommunalbestyrelsen", "city_council"),
    # The councils the culture, sport and leisure policy is also sent to (DOMAIN.md).
    ("FOU", "Folkeoplysningsudvalget", "council"),
    ("FRI", "Frivilligrådet", "council"),
    ("EIR", "Eliteidrætsrådet", "council"),
    ("SR", "Seniorrådet", "council"),
    ("HR", "Handicaprådet", "council"),
]

POLICY: dict[str, str] = {
    "title": "Politiske principper for digitalisering i Ballerup Kommune",
    "journal_number": "85.13.00-P00-1-23",
    "owner": "DTU",
    "description": (
        "Økonomiudvalget besluttede den 24. januar 2023, at Digitaliserings- og "
        "Teknologiudvalget skal udarbejde politiske principper for digitalisering i "
        "Ballerup Kommune. Principperne består af en rammesætning og fem principper, "
        "der sætter retningen for kommunens arbejde med digitalisering på tværs af "
        "alle fagområder. Økonomiudvalget besluttede den 12. marts 2024 at sende "
        "udkastet i høring i alle politiske fagudvalg og Hoved-MED."
    ),
}

# Version 1: the draft sent for consultation by ØU on 12 March 2024.
CONSULTED_SECTIONS: list[tuple[str, str]] = [
    (
        "Rammesætning",
        "Vi vil mere med digitalisering. Ballerup Kommune skal udnytte de muligheder, "
        "som digitale løsninger og ny teknologi giver, så vi kan løse vores opgaver "
        "bedre, hurtigere og mere sammenhængende.\n\n"
        "De politiske principper for digitalisering sætter retningen for, hvordan "
        "kommunen arbejder med digitalisering på tværs af alle fagområder. Principperne "
        "skal bruges, når vi udvikler, indkøber og tager digitale løsninger i brug, og "
        "når vi prioriterer mellem dem.\n\n"
        "Principperne gælder for hele kommunens virke. De suppleres af operationelle "
        "principper og konkrete eksempler, som administrationen udarbejder i samarbejde "
        "med fagcentrene.",
    ),
    (
        "Princip 1: Vi digitaliserer ambitiøst og inkluderende",
        "Vi vil være en ambitiøs digital kommune, der tør afprøve nye teknologier og "
        "tage dem i brug, når de kan gøre en forskel. Vi følger udviklingen tæt og "
        "samarbejder med andre kommuner, virksomheder og uddannelsesinstitutioner om "
        "at finde de gode løsninger.\n\n"
        "Vi digitaliserer inkluderende. Ikke alle har de samme forudsætninger for at "
        "bruge digitale løsninger, og det skal vi tage højde for, når vi udvikler og "
        "indfører dem.\n\n"
        "Når det handler om kerneydelserne, skal der i videst muligt omfang tages "
        "hensyn til tilgængelighed og inklusion, så løsningerne kan bruges af flest "
        "muligt, og så der også er andre veje ind, hvor det vurderes relevant.",
    ),
    (
        "Princip 2: Vi skaber sammenhæng på tværs",
        "Vi bygger videre på de systemer og data, vi allerede har, og vælger "
        "løsninger, der kan spille sammen med kommunens øvrige it-landskab og med de "
        "fællesoffentlige løsninger. Nye systemer skal understøtte genbrug og "
        "konsolidering frem for at skabe flere siloer.\n\n"
        "Borgere, virksomheder og medarbejdere skal opleve én sammenhængende kommune. "
        "Digitale løsninger skal derfor tage udgangspunkt i hele forløbet for den "
        "enkelte og ikke i det enkelte fagområde, så ingen skal fortælle det samme "
        "flere gange eller selv holde styr på, hvem i kommunen der gør hvad.",
    ),
    (
        "Princip 3: Digitalisering understøtter kommunens samfundsopgave",
        "Kommunen har et ansvar over for lokalsamfundet i Ballerup, og dette ansvar "
        "rækker ud over den enkelte ydelse. Digitalisering ses som et middel til at "
        "løfte kommunens samfundsopgave og ikke som et mål i sig selv.\n\n"
        "Digitale løsninger vurderes ud fra, om de bidrager til at levere på "
        "kerneopgaven og til en bæredygtig udvikling af kommunen. Hensynet til "
        "fællesskabet, den lokale demokratiske deltagelse og et trygt og velfungerende "
        "lokalsamfund skal indgå, når digitale løsninger udvikles og tages i brug.",
    ),
    (
        "Princip 4: Vi inddrager slutbrugerne",
        "Vi inddrager slutbrugerne tidligt, når vi udvikler, indkøber og implementerer "
        "digitale løsninger. Slutbrugere kan være borgere, virksomheder, foreninger "
        "eller medarbejdere, afhængigt af hvad løsningen skal bruges til.\n\n"
        "Vi tester løsningerne sammen med dem, der skal bruge dem, før de tages i brug "
        "i fuld skala. På den måde sikrer vi, at løsningerne fungerer i praksis, og at "
        "vi opdager behov og barrierer i tide.\n\n"
        "Inddragelsen skal være reel, og erfaringerne fra test og drift bruges til "
        "løbende at forbedre løsningerne.",
    ),
    (
        "Princip 5: Vi bruger data til at skabe bedre løsninger",
        "Vi bruger de data, kommunen har, aktivt og systematisk til at skabe viden, "
        "kvalificere beslutninger og løse kerneopgaven bedre. Data skal deles på tværs "
        "af fagområder, hvor det giver mening.\n\n"
        "Vi behandler data sikkert og beskytter borgeres, virksomheders og "
        "medarbejderes oplysninger i overensstemmelse med lovgivningen.\n\n"
        "Vi agerer etisk ansvarligt, når vi bruger data og ny teknologi, herunder "
        "kunstig intelligens. Borgerne skal kunne have tillid til, at kommunen "
        "behandler deres data ordentligt og gennemsigtigt.",
    ),
]

# Version 2: the revised draft after consultation, treated by DTU on 18 June 2024.
REVISED_SECTIONS: list[tuple[str, str]] = [
    (
        "Rammesætning",
        "Vi vil mere med digitalisering, så vi skaber værdi for borgere og "
        "virksomheder i Ballerup Kommune. Digitale løsninger og ny teknologi skal gøre "
        "det lettere at være borger og drive virksomhed, og de skal hjælpe os med at "
        "løse vores opgaver bedre og mere sammenhængende.\n\n"
        "De politiske principper for digitalisering sætter retningen for, hvordan "
        "kommunen arbejder med digitalisering på tværs af alle fagområder. Principperne "
        "skal bruges, når vi udvikler, indkøber og tager digitale løsninger i brug, og "
        "når vi prioriterer mellem dem.\n\n"
        "Alle fem principper hviler på et etisk forsvarligt grundlag, hvor tilliden "
        "mellem borgerne og kommunen er i centrum. Principperne suppleres af "
        "beskrivelser, eksempler og operationelle principper, som administrationen "
        "udarbejder i samarbejde med fagcentrene.",
    ),
    (
        "Princip 1: Vi digitaliserer ambitiøst og inkluderende",
        "Vi vil være en ambitiøs digital kommune, der tør afprøve nye teknologier og "
        "tage dem i brug, når de skaber værdi og understøtter en effektiv drift. Vi "
        "følger udviklingen tæt og samarbejder med andre kommuner, virksomheder og "
        "uddannelsesinstitutioner om at finde de gode løsninger.\n\n"
        "Vi digitaliserer inkluderende. Ikke alle har de samme forudsætninger for at "
        "bruge digitale løsninger, og vi går proaktivt til værks over for de borgere, "
        "der ikke kan møde kommunen digitalt på samme måde som andre. Løsningerne skal "
        "være let tilgængelige og testet af dem, der skal bruge dem.\n\n"
        "Alle skal have en indgang til kommunen, når det gælder kerneydelserne. Hvor "
        "den digitale indgang ikke passer til den enkelte, sikrer vi gode alternativer, "
        "så ingen står uden adgang til kommunens kerneydelser.",
    ),
    (
        "Princip 2: Vi skaber sammenhæng på tværs",
        "Borgere, virksomheder og medarbejdere skal opleve én sammenhængende kommune. "
        "Digitale løsninger skal derfor tage udgangspunkt i hele forløbet for den "
        "enkelte og ikke i det enkelte fagområde, så ingen skal fortælle det samme "
        "flere gange eller selv holde styr på, hvem i kommunen der gør hvad.\n\n"
        "Vi bygger videre på de systemer og data, vi allerede har, og vælger "
        "løsninger, der kan spille sammen med kommunens øvrige it-landskab og med de "
        "fællesoffentlige løsninger. Nye systemer skal understøtte genbrug og "
        "konsolidering frem for at skabe flere siloer.",
    ),
    (
        "Princip 3: Vi understøtter kommunens samfundsopgave via digitalisering",
        "Vi har som kommune et ansvar over for lokalsamfundet i Ballerup, og vi "
        "bruger digitalisering som et middel til at løfte det ansvar og ikke som et "
        "mål i sig selv.\n\n"
        "Vi vurderer digitale løsninger ud fra, om de bidrager til at levere på "
        "kerneopgaven og til en bæredygtig udvikling af kommunen. Vi indtænker "
        "hensynet til fællesskabet, den lokale demokratiske deltagelse og et trygt og "
        "velfungerende lokalsamfund, når vi udvikler og tager digitale løsninger i "
        "brug.",
    ),
    (
        "Princip 4: Vi inddrager slutbrugerne",
        "Vi inddrager slutbrugerne tidligt, når vi udvikler, indkøber og implementerer "
        "digitale løsninger. Slutbrugere kan være borgere, virksomheder, foreninger "
        "eller medarbejdere, afhængigt af hvad løsningen skal bruges til.\n\n"
        "Vi tester løsningerne sammen med dem, der skal bruge dem, før de tages i brug "
        "i fuld skala. På den måde sikrer vi, at løsningerne fungerer i praksis, og at "
        "vi opdager behov og barrierer i tide.\n\n"
        "Inddragelsen skal være reel, og erfaringerne fra test og drift bruges til "
        "løbende at forbedre løsningerne.",
    ),
    (
        "Princip 5: Vi bruger data til at skabe bedre løsninger",
        "Vi bruger data etisk ansvarligt. Borgerne skal kunne have tillid til, at "
        "kommunen behandler deres oplysninger ordentligt, gennemsigtigt og med respekt "
        "for deres rettigheder, også når vi tager ny teknologi som kunstig intelligens "
        "i brug.\n\n"
        "Vi bruger de data, kommunen har, aktivt og systematisk til at skabe viden, "
        "kvalificere beslutninger og løse kerneopgaven bedre. Vi afgrænser ud fra "
        "formålet, hvilke data der indsamles og bearbejdes, og deler kun data på tværs "
        "af fagområder, hvor det er lovligt og nødvendigt.\n\n"
        "Vi behandler data sikkert og beskytter borgeres, virksomheders og "
        "medarbejderes oplysninger i overensstemmelse med lovgivningen.",
    ),
]

# One demo account per role (two staff: one writes replies, one approves them); all share
# the same password.
DEMO_USERS: list[dict[str, Any]] = [
    {
        "name": "Henrik Østergaard",
        "email": "admin@hoering.demo",
        "role": "admin",
        "password": "demo-hoering-2024",
        "bodies": [],
        "secretary_of": [],
    },
    {
        # Consultant in the municipality's digitalisation unit (Digitalisering).
        "name": "Louise Kjær Andersen",
        "email": "sekretariat@hoering.demo",
        "role": "staff",
        "password": "demo-hoering-2024",
        "bodies": [],
        "secretary_of": [],
    },
    {
        # Head of the digitalisation unit: approves the replies Louise writes.
        "name": "Mikkel Friis",
        "email": "afdelingsleder@hoering.demo",
        "role": "staff",
        "password": "demo-hoering-2024",
        "bodies": [],
        "secretary_of": [],
    },
    {
        "name": "Anders Bjerregaard",
        "email": "medlem@hoering.demo",
        "role": "member",
        "password": "demo-hoering-2024",
        "bodies": ["SOU", "KMU"],
        "secretary_of": [],
    },
    {
        "name": "Camilla Thorsen",
        "email": "sekretaer.sou@hoering.demo",
        "role": "member",
        "password": "demo-hoering-2024",
        "bodies": ["SOU"],
        "secretary_of": ["SOU"],
    },
    {
        "name": "Jens Mølgaard Holm",
        "email": "revisor@hoering.demo",
        "role": "auditor",
        "password": "demo-hoering-2024",
        "bodies": [],
        "secretary_of": [],
    },
]

CONSULTATION: dict[str, Any] = {
    "title": "Høring om de politiske principper for digitalisering",
    "opens_on": "2024-03-13",
    "closes_at_local": "2024-04-30 23:59",
    "opened_at_local": "2024-03-13 09:00",
    "invited": ["BSU", "KMU", "KFU", "SOU", "EBU", "SÆU", "MED"],
    "invitation_text": (
        "Økonomiudvalget besluttede den 12. marts 2024 (punkt 11) at sende udkastet til "
        "politiske principper for digitalisering i høring i alle politiske fagudvalg og "
        "Hoved-MED.\n\n"
        "Udvalgene bedes udtale sig om den indledende rammesætning og de fem principper. "
        "Teksterne er bevidst korte; forslag bør derfor styrke principperne uden at gøre "
        "dem væsentligt længere."
    ),
    "replies_written_local": "2024-05-21 10:00",
    "replies_approved_local": "2024-06-04 14:00",
}

# A second, still open consultation, so that members and citizens can try responding in
# the demo. Modelled on the shape of Ballerup's culture, sport and leisure policy
# (DOMAIN.md: KFU owns it; seven sections; sent to five standing committees and five
# councils and open to the public for three months). All texts, and the journal number,
# are invented for the demo; the public responses are in hoering.demo.public.
CULTURE_POLICY: dict[str, Any] = {
    "title": "Kultur-, idræts- og fritidspolitik for Ballerup Kommune 2026-2029",
    "journal_number": "20.00.00-P22-1-26",  # KLE-shaped, invented
    "owner": "KFU",
    "description": (
        "Kultur- og Fritidsudvalget har udarbejdet et udkast til en ny kultur-, idræts- og "
        "fritidspolitik, der skal sætte retningen for kommunens indsats på området i "
        "perioden 2026-2029. Politikken består af en indledning, en vision, fire temaer og "
        "en afslutning om opfølgning."
    ),
    "sections": [
        (
            "Indledning",
            "Kultur, idræt og fritid er en vigtig del af livet i Ballerup Kommune. "
            "Foreningerne, institutionerne og de mange frivillige skaber hver dag rum for "
            "fællesskab, oplevelser og bevægelse for borgere i alle aldre.\n\n"
            "Kultur-, idræts- og fritidspolitikken sætter den politiske retning for "
            "kommunens arbejde på området i perioden 2026-2029. Politikken gælder for "
            "kommunens egne tilbud og for samarbejdet med foreninger, selvejende "
            "institutioner, frivillige og private aktører.\n\n"
            "Politikken er udarbejdet af Kultur- og Fritidsudvalget på baggrund af "
            "dialogmøder med foreninger, institutioner og borgere i 2025.",
        ),
        (
            "Vision",
            "Ballerup Kommune skal være et sted, hvor alle har mulighed for at deltage i "
            "kultur-, idræts- og fritidslivet, uanset alder, baggrund og forudsætninger. Vi "
            "vil have et levende og mangfoldigt fritidsliv, der skaber glæde, sundhed og "
            "sammenhængskraft.\n\n"
            "Vi vil bygge videre på de stærke fællesskaber, der allerede findes, og samtidig "
            "give plads til nye former for deltagelse. Kommunen skal være en aktiv "
            "medspiller, der skaber gode rammer og går i dialog med dem, der skaber "
            "aktiviteterne.",
        ),
        (
            "Tema 1: Fællesskaber og frivillighed",
            "Foreningslivet og de frivillige er rygraden i kultur- og fritidslivet i "
            "Ballerup. Vi vil støtte foreningerne i at rekruttere og fastholde frivillige og "
            "gøre det enkelt at være frivillig, blandt andet gennem mindre bureaukrati og "
            "digitale løsninger til booking og ansøgninger.\n\n"
            "Vi vil styrke samarbejdet mellem foreninger, skoler, dagtilbud og kommunens "
            "øvrige tilbud, så flere børn og unge finder vej til et fællesskab. Særligt vil "
            "vi række ud til de borgere, der i dag ikke er en del af et fritidsfællesskab.\n\n"
            "Frivilligrådet og Folkeoplysningsudvalget er vigtige samarbejdspartnere i dette "
            "arbejde.",
        ),
        (
            "Tema 2: Idræt og bevægelse for alle",
            "Bevægelse fremmer sundhed, trivsel og livskvalitet. Vi vil have, at flere "
            "borgere er fysisk aktive i hverdagen, både i foreningsidrætten, i "
            "selvorganiserede fællesskaber og i naturen.\n\n"
            "Vi vil skabe tilbud til de grupper, der i dag bevæger sig mindst, blandt andet "
            "ældre, borgere med handicap og børn og unge, der ikke dyrker idræt i en "
            "forening. Det sker i samarbejde med foreningerne og kommunens sundheds- og "
            "ældreområde.\n\n"
            "Samtidig vil vi understøtte talentudvikling og eliteidræt, så lokale talenter "
            "kan udvikle sig i Ballerup, i samarbejde med Eliteidrætsrådet.",
        ),
        (
            "Tema 3: Kunst og kultur i hverdagen",
            "Kunst og kultur giver oplevelser, skaber refleksion og bringer mennesker "
            "sammen. Vi vil gøre kunsten og kulturen tilgængelig i hverdagen, der hvor "
            "borgerne færdes, fx på bibliotekerne, i bydelene, i skolerne og i det "
            "offentlige rum.\n\n"
            "Vi vil give børn og unge mulighed for at møde kunst og kultur og selv skabe "
            "den, blandt andet gennem musikskolen, billedskolen og samarbejde med dagtilbud "
            "og skoler. Kommunens kulturinstitutioner skal samarbejde på tværs og med "
            "lokale kunstnere og foreninger om nye arrangementer og formater.",
        ),
        (
            "Tema 4: Rum og rammer",
            "Gode faciliteter er en forudsætning for et aktivt kultur- og fritidsliv. Mange "
            "af kommunens haller, klubhuse og kulturhuse er ældre og trænger til "
            "renovering, og behovene ændrer sig, i takt med at flere borgere dyrker "
            "aktiviteter uden for foreningerne.\n\n"
            "Vi vil udnytte de eksisterende lokaler bedre, blandt andet ved at åbne "
            "skolernes og institutionernes lokaler for foreninger uden for åbningstiden og "
            "gøre bookingen enklere. Ved nye anlæg og renoveringer vil vi tænke "
            "multifunktionalitet, tilgængelighed og bæredygtighed ind fra starten og "
            "inddrage brugerne tidligt.",
        ),
        (
            "Afslutning og opfølgning",
            "Politikken realiseres gennem konkrete handleplaner, som Kultur- og "
            "Fritidsudvalget vedtager hvert år. Handleplanerne udarbejdes i dialog med "
            "foreninger, institutioner, råd og borgere og prioriteres inden for de "
            "økonomiske rammer, der er afsat i budgettet.\n\n"
            "Administrationen følger op på politikken med en årlig status til Kultur- og "
            "Fritidsudvalget. Politikken evalueres i 2029, inden en ny politik "
            "udarbejdes.",
        ),
    ],
    "consultation_title": "Høring om kultur-, idræts- og fritidspolitikken",
    "invitation_text": (
        "Kultur- og Fritidsudvalget har besluttet at sende udkastet til kultur-, idræts- og "
        "fritidspolitik 2026-2029 i høring i Børne- og Skoleudvalget, Klima- og "
        "Miljøudvalget, Socialudvalget, Erhvervs-, Beskæftigelses- og Uddannelsesudvalget "
        "og Sundheds- og Ældreudvalget samt i Folkeoplysningsudvalget, Frivilligrådet, "
        "Eliteidrætsrådet, Seniorrådet og Handicaprådet.\n\n"
        "Udkastet er samtidig i offentlig høring i tre måneder, hvor alle borgere, "
        "foreninger og andre interessenter kan indsende et skriftligt høringssvar. "
        "Høringssvarene bedes så vidt muligt knyttet til det tema eller afsnit i "
        "politikken, de vedrører."
    ),
    # Five standing committees and five councils (not KFU itself, which owns the policy).
    "invited": ["BSU", "KMU", "SOU", "EBU", "SÆU", "FOU", "FRI", "EIR", "SR", "HR"],
    # Dates relative to the day the demo is loaded: KFU decided this many days before the
    # consultation opened; it opened this many days ago and is public for three months,
    # so that the public responses (hoering.demo.public) fall in the weeks since it opened
    # and the deadline is still ahead.
    "decided_days_before_opening": 6,
    "opened_days_ago": 35,
    "public_months": 3,
}

# The municipality's settings (created by the demo when none are stored): the memo's
# header and its default unit, and the two links every public page gives (the addresses
# are illustrative: an installation sets its own under Administration → Kommunen).
MUNICIPALITY: dict[str, str] = {
    "name": "Ballerup Kommune", "default_unit": "Digitalisering",
    "accessibility_url": "https://www.was.digst.dk/ballerup-dk",
    "privacy_url": "https://ballerup.dk/persondata",
}

# The memo's own texts, from the real memo of 8 June 2024 (a public record); the title,
# the responses heading, its intro sentence and the part headings are the generated
# defaults, which read like the real memo's. The bodies' order is the order of BODIES
# above (the municipality's, hence the memo's abbreviation list: BSU, KMU, KFU, SOU, EBU,
# SÆU, MED); the remarks' order inside each part is the order of hoering.demo.remarks.
MEMO: dict[str, Any] = {
    "unit": "Digitalisering",
    "background": (
        "Digitaliserings- og Teknologiudvalget (DTU) har igangsat en proces, via "
        "Økonomiudvalget, der skal lede til et sæt styrende politiske principper for "
        "digitalisering i Ballerup Kommune. Processen har inkluderet drøftelser i alle "
        "politiske fagudvalg samt Seniorrådet og Skoleforum, hvor udvalgene har givet input "
        "til principperne. Administrationen, herunder Chefgruppen og udvalgte fra alle "
        "fagcentre, har bearbejdet input til de første udkast. Digitaliserings- og "
        "Teknologiudvalget har drøftet udkastet over to omgange, og efter godkendelsen af det "
        "gennemarbejdede udkast, er principperne sendt i høring i alle politiske fagudvalg "
        "igennem Økonomiudvalget.\n\n"
        "I april måned har alle politiske fagudvalg samt Hoved-MED drøftet de politiske "
        "principper for digitalisering i Ballerup Kommune og indgivet et høringssvar. "
        "Administrationen har indsamlet og bearbejdet høringssvarene og lavet et nyt udkast "
        "til Digitaliserings- og Teknologiudvalget, som kan gennemgå med henblik på at sende "
        "principperne til endelig godkendelse i Kommunalbestyrelsen på mødet i DTU d. 18. juni."
    ),
    "further_work": (
        "Såfremt Digitaliserings- og Teknologiudvalget kan sende den opdaterede version af de "
        "politiske principper for digitalisering til godkendelse på udvalgsmødet d. 18. juni "
        "2024, vil Kommunalbestyrelsen få punktet til behandling d. 26. august 2024.\n\n"
        "Når principperne er endeligt godkendte af Kommunalbestyrelsen, udestår fortsat "
        "følgende:"
    ),
    "further_work_after": (
        "De fem principper skal hver have et eller flere eksempler eller cases. Disse vil "
        "blive lavet med inddragelse af alle fagcentre for at sikre princippernes "
        "forankring. Eksemplerne skal også understøtte forståelsen for arbejdet med "
        "digitalisering i forhold til centrenes kerneopgaver.\n\n"
        "Principperne skal sættes grafisk op, så de bliver overskuelige og forståelsen og "
        "det videre arbejde styrkes.\n\n"
        "Både Skoleforum og Seniorrådet har givet input til de politiske principper, og der "
        "er et ønske om at blive involveret igen. Derfor kommer de vedtagne politiske "
        "principper for digitalisering til drøftelse i begge udvalg med henblik på "
        "opmærksomhedspunkter til implementeringen.\n\n"
        "Med udgangspunkt i de vedtagne politiske principper for digitalisering, vil "
        "afsnittet for Digitalisering opdatere sine operationelle principper for "
        "digitalisering.\n\n"
        "De politiske principper for digitalisering vil påvirke alle fagområder, og der er "
        "derfor behov for at involvere ledere og medarbejdere bredt, så principperne kan "
        "leve i organisationen. Administrationen udarbejder en plan for implementering og "
        "involvering."
    ),
    "tasks": [
        "Udarbejdelse af eksempler til hvert princip",
        "Grafisk opsætning",
        "Drøftelse på Skoleforum og Seniorrådet",
        "Oversættelse af de politiske principper til operationelle digitaliseringsprincipper",
        "Implementering i organisationen",
    ],
    "issued_local": "2024-06-08 12:00",
}

# The real political decisions of the digitalisation case (DOMAIN.md; the texts are
# summaries). Its other steps (sent in consultation, the deadline, the memo) are facts the
# app knows by itself.
# (action, body abbreviation or None, local date-time, agenda item, decision text)
DECISIONS: list[tuple[str, str | None, str, int | None, str]] = [
    ("register", "ØU", "2023-01-24 16:00", None,
     "Økonomiudvalget godkendte at igangsætte arbejdet med udvikling af et sæt styrende "
     "politiske principper for digitalisering."),
    ("note", "SOU", "2023-03-28 15:00", 5,
     "Socialudvalget drøftede dilemmaer ved digitalisering og gav input til principperne."),
    ("recommend_for_consultation", "DTU", "2024-02-27 16:00", None,
     "Digitaliserings- og Teknologiudvalget anbefaler udkastet til politiske principper for "
     "digitalisering og at sende det i høring i alle politiske fagudvalg."),
    ("approve_for_consultation", "ØU", "2024-03-12 16:00", 11,
     "Økonomiudvalget godkendte at sende de politiske principper for digitalisering i høring "
     "i alle politiske fagudvalg."),
    ("recommend", "DTU", "2024-06-18 16:00", None,
     "Digitaliserings- og Teknologiudvalget anbefaler de opdaterede politiske principper for "
     "digitalisering over for Kommunalbestyrelsen."),
    ("adopt", "KB", "2024-08-26 17:00", None,
     "Kommunalbestyrelsen vedtog de politiske principper for digitalisering i Ballerup "
     "Kommune."),
]
