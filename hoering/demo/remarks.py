"""The finished consultation round of the demo (pure data, no logic).

All 30 remarks follow the real consultation memo (høringsnotat) of 8 June 2024 on
Ballerup Municipality's political principles for digitalisation, in the memo's order.
For the Social Committee (SOU) the original wording comes from the "Beslutning" of
its minutes of 9 April 2024, item 6; the memo reprints those seven bullets with two
small changes ("overfor" -> "over for", "etisk ansvarligt" -> "etisk ansvarlig").
Replies are the administration's remarks from the memo, first letter capitalised.
"""

from __future__ import annotations

from typing import Any

# Section keys: "framing" (Rammesætning, position 1), "p1".."p5" (principles,
# positions 2..6), "general" (general attention points, no section).
DISPOSITIONS = (
    "incorporated",
    "partly_incorporated",
    "already_covered",
    "not_incorporated",
    "attention_point",
    "noted",
)

# Dispositions are read from the administration's reply:
# "dette er indarbejdet" -> incorporated (partly_incorporated where only part of the
# wish was taken in); "allerede dækket" / "ligger allerede" / "ligger implicit" /
# "medtaget implicit" / "er sikret gennem" -> already_covered; "for specifikt" /
# "fastholde formuleringen" -> not_incorporated (even when the reply adds that the
# perspective is relevant for the implementation); "opmærksomhedspunkt" for later
# work with no change to the text -> attention_point; shared views, answers to
# questions and explanations -> noted.
REMARKS: list[dict[str, Any]] = [
    # --- Rammesætning (framing) ---
    {
        "body": "KMU",
        "section": "framing",
        "original": (
            'Ad det indledende udsagn "Vi vil mere med digitalisering" skal omverdensperspektivet '
            "tydeliggøres, herunder at det gøres for borgerne og virksomhederne."
        ),
        "memo": (
            'Ad det indledende udsagn "Vi vil mere med digitalisering" skal omverdensperspektivet '
            "tydeliggøres, herunder at det gøres for borgerne og virksomhederne."
        ),
        "reply": (
            "Dette er indarbejdet idet der nu specifikt nævnes værdiskabelse for borgere og "
            "virksomheder"
        ),
        "disposition": "incorporated",
        "late": False,
    },
    {
        "body": "SOU",
        "section": "framing",
        "original": (
            'Anvendelsen af ordet "Vi" som indledende ord til de fleste principper bør generelt '
            "overvejes og gentænkes. Dette for at sikre, at budskabet om afsender og modtager "
            "bliver helt tydeligt for læseren."
        ),
        "memo": (
            'Anvendelsen af ordet "Vi" som indledende ord til de fleste principper bør generelt '
            "overvejes og gentænkes. Dette for at sikre, at budskabet om afsender og modtager "
            "bliver helt tydeligt for læseren."
        ),
        "reply": (
            'Dette er indarbejdet i at alle principper nu starter med "vi" for at sikre konsistens '
            "samt et aktivt sprog, der gør det tydeligt, hvad vi, Ballerup Kommune, skal gøre for "
            "at overholde principperne"
        ),
        "disposition": "incorporated",
        "late": False,
    },
    {
        "body": "MED",
        "section": "framing",
        "original": (
            "Vi skal være opmærksomme på, når vi i forbindelse med et af principperne skriver "
            '"etisk". Det virker som om, at vi ikke tidligere har arbejdet på en etisk forsvarlig '
            'måde. Ønske om at ordet "etisk" bliver indarbejdet i alle 5 principper'
        ),
        "memo": (
            "Vi skal være opmærksomme på, når vi i forbindelse med et af principperne skriver "
            '"etisk". Det virker som om, at vi ikke tidligere har arbejdet på en etisk forsvarlig '
            'måde. Ønske om at ordet "etisk" bliver indarbejdet i alle 5 principper'
        ),
        "reply": (
            'Dette er indarbejdet i brugen af ordet "etisk" i rammesætningen. Administrationen '
            'vurderer ikke, at der er behov for eksplicit at nævne ordet "etisk" i alle '
            "principper, da etikken er implicit i de fokusområder hvert princip har."
        ),
        "disposition": "partly_incorporated",
        "late": False,
    },
    # --- Princip 1 (p1) ---
    {
        "body": "KMU",
        "section": "p1",
        "original": "Opmærksomhed på, at digitale løsninger skal være let tilgængelige.",
        "memo": "Opmærksomhed på, at digitale løsninger skal være let tilgængelige.",
        "reply": (
            "Den lette tilgængelighed er sikret gennem formuleringen omkring inklusion samt at der "
            "på kerneydelserne er tilgængelighed for alle."
        ),
        "disposition": "already_covered",
        "late": False,
    },
    {
        "body": "KMU",
        "section": "p1",
        "original": (
            "Der skal gøres noget proaktivt ved de borgere, som ikke kan møde kommunen digitalt "
            "som andre."
        ),
        "memo": (
            "Der skal gøres noget proaktivt ved de borgere, som ikke kan møde kommunen digitalt "
            "som andre."
        ),
        "reply": (
            "Dette er indarbejdet i den opdaterede formulering af princippet og administrationen "
            "er opmærksomme på, at vi skal sikre alternativer og gode løsninger, der er testet af "
            "slutbrugerne."
        ),
        "disposition": "incorporated",
        "late": False,
    },
    {
        "body": "SOU",
        "section": "p1",
        "original": (
            "Der kan arbejdes med formuleringen under det første princip i sidste afsnit omkring "
            "kerneydelsen. Dette for at lette forståelsen af intentionen bag dette princip."
        ),
        "memo": (
            "Der kan arbejdes med formuleringen under det første princip i sidste afsnit omkring "
            "kerneydelsen. Dette for at lette forståelsen af intentionen bag dette princip."
        ),
        "reply": (
            "Dette er indarbejdet i den nye formulering, hvor det er tydeliggjort at alle skal "
            "have en indgang til kommunen, når det gælder om kerneydelse."
        ),
        "disposition": "incorporated",
        "late": False,
    },
    {
        "body": "SOU",
        "section": "p1",
        "original": (
            'Under princippet "Vi digitaliserer ambitiøst og inkluderende" kunne sætningen "Vi '
            "digitaliserer med respekt for ikke at mindske borgeres mulighed for at klare sig "
            'selv" med fordel indgå.'
        ),
        "memo": (
            'Under princippet "Vi digitaliserer ambitiøst og inkluderende" kunne sætningen "Vi '
            "digitaliserer med respekt for ikke at mindske borgeres mulighed for at klare sig "
            'selv" med fordel indgå.'
        ),
        "reply": (
            "Dette vurderes allerede dækket ind i den nuværende formulering omkring inklusion og "
            "skal være et opmærksomhedspunkt i måden princippet operationaliseres."
        ),
        "disposition": "already_covered",
        "late": False,
    },
    {
        "body": "KMU",
        "section": "p1",
        "original": "Økonomi og effektiv drift skal være mere fremtrædende i principperne.",
        "memo": "Økonomi og effektiv drift skal være mere fremtrædende i principperne.",
        "reply": (
            'Dette er indarbejdet i tilføjelsen af ordet "effektiv", hvor der i '
            "operationaliseringen af princippet skal indtænkes det økonomiske perspektiv."
        ),
        "disposition": "incorporated",
        "late": False,
    },
    # --- Princip 2 (p2) ---
    {
        "body": "SOU",
        "section": "p2",
        "original": (
            "Under princip nr. to bør det overvejes, om afsnit to skal flyttes op og dermed stå "
            "som det første."
        ),
        "memo": (
            "Under princip nr. to bør det overvejes, om afsnit to skal flyttes op og dermed stå "
            "som det første."
        ),
        "reply": "Dette er indarbejdet og der er flyttet rundt på de to afsnit.",
        "disposition": "incorporated",
        "late": False,
    },
    # --- Princip 3 (p3) ---
    {
        "body": "EBU",
        "section": "p3",
        "original": (
            "At princip nr 3 enten skal omformuleres til et mere aktivt sprog eller med fordel kan "
            "indgå som en del af grundlaget for og rammesætningen af strategien."
        ),
        "memo": (
            "At princip nr 3 enten skal omformuleres til et mere aktivt sprog eller med fordel kan "
            "indgå som en del af grundlaget for og rammesætningen af strategien."
        ),
        "reply": 'Dette er indarbejdet og formuleringen er nu lavet aktiv, startende med "vi".',
        "disposition": "incorporated",
        "late": False,
    },
    {
        "body": "SOU",
        "section": "p3",
        "original": (
            "Under princip nr. tre bør det overvejes at slette eller justerer den første sætning "
            "omkring ansvar overfor lokalsamfundet. Dette for at styrke budskabet og for at "
            "understøtte ambitionen omkring det gensidige ansvar."
        ),
        "memo": (
            "Under princip nr. tre bør det overvejes at slette eller justerer den første sætning "
            "omkring ansvar over for lokalsamfundet. Dette for at styrke budskabet og for at "
            "understøtte ambitionen omkring det gensidige ansvar."
        ),
        "reply": (
            "Jf. drøftelser i Digitaliserings- og Teknologiudvalget er det vurderet relevant at "
            "fastholde formuleringen om lokalsamfundet idet ordvalget rammesætter kommunens "
            "indflydelsessfære. Princippet bør fokusere på hvad kommunen har indflydelse på, og "
            "ikke hvad andre, herunder borgerne, skal gøre."
        ),
        "disposition": "not_incorporated",
        "late": False,
    },
    {
        "body": "SOU",
        "section": "p3",
        "original": (
            "Digitale løsninger skal være et blandt flere redskaber, der kan bidrage til at skabe "
            "flere muligheder for borgere, der i dag har fysiske og psykiske udfordringer. Dette "
            "kan med fordel stå tydeligere under princip nr. tre."
        ),
        "memo": (
            "Digitale løsninger skal være et blandt flere redskaber, der kan bidrage til at skabe "
            "flere muligheder for borgere, der i dag har fysiske og psykiske udfordringer. Dette "
            "kan med fordel stå tydeligere under princip nr. tre."
        ),
        "reply": (
            "Administrationen vurderer at dette perspektiv er for specifikt til at inkludere i et "
            "princip, der skal dække alle fagområder, da det fokuserer på én bestemt målgruppe. "
            "Dog er det et relevant perspektiv i operationaliseringen af princippet."
        ),
        "disposition": "not_incorporated",
        "late": False,
    },
    {
        "body": "KFU",
        "section": "p3",
        "original": (
            'Der bør stå en aktiv handling i principperne som starter med "Vi", f.eks. "Vi '
            'understøtter kommunens samfundsopgave via digitalisering".'
        ),
        "memo": (
            'Der bør stå en aktiv handling i principperne som starter med "Vi", f.eks. "Vi '
            'understøtter kommunens samfundsopgave via digitalisering".'
        ),
        "reply": "Dette er indarbejdet og princippet er omformuleret.",
        "disposition": "incorporated",
        "late": False,
    },
    {
        "body": "BSU",
        "section": "p3",
        "original": (
            "I beskrivelsen af samfundsopgaven, kan der med fordel medtages et mere økonomisk fokus"
        ),
        "memo": (
            "I beskrivelsen af samfundsopgaven, kan der med fordel medtages et mere økonomisk fokus"
        ),
        "reply": (
            "Dette er medtaget implicit i formulering om levering på kerneopgaven, hvorfor der "
            "ikke foreslås en ny formulering"
        ),
        "disposition": "already_covered",
        "late": False,
    },
    # --- Princip 4 (p4) ---
    # The memo prints "(BSU)\*" here; the asterisk is not explained in the memo.
    {
        "body": "BSU",
        "section": "p4",
        "original": (
            "Der kan stå, at vi er på forkant med at hjælpe de svage grupper, der er hægtet af"
        ),
        "memo": "Der kan stå, at vi er på forkant med at hjælpe de svage grupper, der er hægtet af",
        "reply": (
            "Det er vurderet, at denne formulering er for specifikt fokuseret på en gruppe borgere "
            "til at blive inkluderet i et generelt princip, men administrationen opfordrer til at "
            "det bliver et opmærksomhedspunkt i implementeringen i det faglige arbejde."
        ),
        "disposition": "not_incorporated",
        "late": False,
    },
    {
        "body": "BSU",
        "section": "p4",
        "original": "Der er nogen gange behov for ikke at lave digitale løsninger",
        "memo": "Der er nogen gange behov for ikke at lave digitale løsninger",
        "reply": (
            "Dette opmærksomhedspunkt ligger implicit i formuleringen, hvor slutbrugers inklusion "
            "i testen vil vurdere, hvornår der er behov for en digital løsning."
        ),
        "disposition": "already_covered",
        "late": False,
    },
    {
        "body": "BSU",
        "section": "p4",
        "original": "Borger bør tages med som interessenter",
        "memo": "Borger bør tages med som interessenter",
        "reply": (
            "Dette ligger allerede i formulering omkring inddragelsen af slutbrugere, som også vil "
            "inkludere borgere."
        ),
        "disposition": "already_covered",
        "late": False,
    },
    # --- Princip 5 (p5) ---
    {
        "body": "KMU",
        "section": "p5",
        "original": (
            "Ad brug af data skal der være opmærksomhed på, hvad der ligger i etisk ansvarlighed, "
            "og at der tages stilling til afgrænsning af, hvilke data som indsamles og bearbejdes"
        ),
        "memo": (
            "Ad brug af data skal der være opmærksomhed på, hvad der ligger i etisk ansvarlighed, "
            "og at der tages stilling til afgrænsning af, hvilke data som indsamles og bearbejdes"
        ),
        "reply": (
            "Dette er et relevant opmærksomhedspunkt og vil blive taget med i operationaliseringen "
            "af princippet."
        ),
        "disposition": "attention_point",
        "late": False,
    },
    {
        "body": "SOU",
        "section": "p5",
        "original": (
            'Under princip nr. fem bør "etisk ansvarligt" stå som det første afsnit efter selve '
            'princippet "Vi bruger data...".'
        ),
        "memo": (
            'Under princip nr. fem bør "etisk ansvarlig" stå som det første afsnit efter selve '
            'princippet "Vi bruger data...".'
        ),
        "reply": "Dette er indarbejdet i det opdaterede princip",
        "disposition": "incorporated",
        "late": False,
    },
    {
        "body": "SÆU",
        "section": "p5",
        "original": (
            "At de tilgængelige data på særligt sundhedsområdet i højere grad bør anvendes aktivt "
            "og systematisk til gavn for løsning af kerneopgaven omkring at fremme borgernes "
            "sundhedstilstand. Dette kræver at vi udfordre og er nysgerrige på forståelsen af "
            "mulighederne og rammerne for at anvende data i samspil med øvrig viden og indsatser. "
            "Dette skal ske under et særligt og udvidet hensyn til borgernes retssikkerhed samt "
            "etiske overvejelser omkring brugen af data og digitalisering i vores arbejde."
        ),
        "memo": (
            "At de tilgængelige data på særligt sundhedsområdet i højere grad bør anvendes aktivt "
            "og systematisk til gavn for løsning af kerneopgaven omkring at fremme borgernes "
            "sundhedstilstand. Dette kræver at vi udfordre og er nysgerrige på forståelsen af "
            "mulighederne og rammerne for at anvende data i samspil med øvrig viden og indsatser. "
            "Dette skal ske under et særligt og udvidet hensyn til borgernes retssikkerhed samt "
            "etiske overvejelser omkring brugen af data og digitalisering i vores arbejde."
        ),
        "reply": (
            "Dette vurderes at være dækket ind af formuleringen om kerneopgaven og data og "
            "derudover også i rammesætningen"
        ),
        "disposition": "already_covered",
        "late": False,
    },
    {
        "body": "BSU",
        "section": "p5",
        "original": (
            "I første afsnit, kan vi være mere tydelige om at vi afgrænser – "
            "rettighedsperspektivet skal stå mere frem"
        ),
        "memo": (
            "I første afsnit, kan vi være mere tydelige om at vi afgrænser – "
            "rettighedsperspektivet skal stå mere frem"
        ),
        "reply": "Dette er indarbejdet i formuleringen omkring vurdering ud fra formål.",
        "disposition": "incorporated",
        "late": False,
    },
    # --- Generelle opmærksomhedspunkter (general) ---
    {
        "body": "EBU",
        "section": "general",
        "original": (
            "At erhvervslivet og uddannelsesindsatsen og institutionerne bør tænkes aktivt med i "
            "den endelige strategi."
        ),
        "memo": (
            "At erhvervslivet og uddannelsesindsatsen og institutionerne bør tænkes aktivt med i "
            "den endelige strategi."
        ),
        "reply": (
            "Dette synspunkt deler administrationen og opfordrer til at de politiske principper "
            "for digitalisering får indflydelse på arbejdet med digitalisering på fagområderne, "
            "herunder erhvervslivet, institutioner og uddannelsesområdet."
        ),
        "disposition": "noted",
        "late": False,
    },
    {
        "body": "MED",
        "section": "general",
        "original": (
            "Hvordan arbejder vi med det konkret? Relationen mellem borgerne og kommunen må ikke "
            "blive kompromitteret"
        ),
        "memo": (
            "Hvordan arbejder vi med det konkret? Relationen mellem borgerne og kommunen må ikke "
            "blive kompromitteret"
        ),
        "reply": (
            "Dette synspunkt deler administrationen og tillid til kommunen er central. Netop "
            "derfor er de politiske principper digitalisering vigtige."
        ),
        "disposition": "noted",
        "late": False,
    },
    {
        "body": "MED",
        "section": "general",
        "original": "Principperne virker brede, men skal også være retningsgivende",
        "memo": "Principperne virker brede, men skal også være retningsgivende",
        "reply": (
            "Principperne er formuleret med henblik på netop at kunne dække hele kommunens virke "
            "samtidig med at de er retningsgivende."
        ),
        "disposition": "already_covered",
        "late": False,
    },
    {
        "body": "MED",
        "section": "general",
        "original": (
            "Principperne har i deres nuværende form svært ved at stå alene uden beskrivelsen"
        ),
        "memo": "Principperne har i deres nuværende form svært ved at stå alene uden beskrivelsen",
        "reply": (
            "Principperne skal ikke stå alene uden beskrivelserne, da der er behov for "
            "beskrivelsernes nuancer er nødvendige for forståelsen."
        ),
        "disposition": "noted",
        "late": False,
    },
    {
        "body": "MED",
        "section": "general",
        "original": "Hvordan sikrer vi, at vi har de fornødne midler til digitale løsninger?",
        "memo": "Hvordan sikrer vi, at vi har de fornødne midler til digitale løsninger?",
        "reply": (
            "Ved bl.a. at fokusere på de rette digitale løsninger, som giver værdi, og "
            "konsolidering af systemer, vil der være økonomi til de digitale løsninger. Det er et "
            "relevant fokuspunkt, at gode digitale løsninger, og inkluderende processer kræver "
            "midler."
        ),
        "disposition": "noted",
        "late": False,
    },
    {
        "body": "MED",
        "section": "general",
        "original": (
            "Er vi gode nok til at udnytte vores eksisterende systemer? Det skal vi tænke ind. Vi "
            "er gode til at indkøbe nye systemer men formår ikke til fulde at udnytte, dem vi i "
            "forvejen har."
        ),
        "memo": (
            "Er vi gode nok til at udnytte vores eksisterende systemer? Det skal vi tænke ind. Vi "
            "er gode til at indkøbe nye systemer men formår ikke til fulde at udnytte, dem vi i "
            "forvejen har."
        ),
        "reply": (
            "Konsolidering af systemer er et opmærksomhedspunkt, som administrationen allerede nu "
            "fokuserer på. Fokusering på den gode implementering af de digitale løsninger, vi "
            "indkøber, er væsentlig."
        ),
        "disposition": "attention_point",
        "late": False,
    },
    {
        "body": "MED",
        "section": "general",
        "original": (
            "De unge har stærke digitale kompetencer, men de har ofte svært ved at navigere i "
            "vores systemer, da de er bygget op som formularer. Det giver ikke mening for dem."
        ),
        "memo": (
            "De unge har stærke digitale kompetencer, men de har ofte svært ved at navigere i "
            "vores systemer, da de er bygget op som formularer. Det giver ikke mening for dem."
        ),
        "reply": (
            "Dette er et vigtigt fokus i det videre arbejde da alle kommunens målgrupper skal "
            "indtænkes."
        ),
        "disposition": "attention_point",
        "late": False,
    },
    {
        "body": "MED",
        "section": "general",
        "original": (
            "Tidlig og reel inddragelse er fra et medarbejderperspektiv vigtigt. De unge, som har "
            "en masse gode ideer og perspektiver, hvor går de hen?"
        ),
        "memo": (
            "Tidlig og reel inddragelse er fra et medarbejderperspektiv vigtigt. De unge, som har "
            "en masse gode ideer og perspektiver, hvor går de hen?"
        ),
        "reply": (
            "Der er en vigtig ledelsesopgave i inddragelsesperspektivet og inklusionen af alle "
            "målgrupper, herunder medarbejdere og unge mennesker."
        ),
        "disposition": "noted",
        "late": False,
    },
    {
        "body": "MED",
        "section": "general",
        "original": (
            "Hvad er ledelsesopgaven i den digitale udvikling? Det er vigtigt, at man som leder er "
            "bevidst om, hvad opgaven er. Man behøver ikke som leder selv at være digitalt indfødt."
        ),
        "memo": (
            "Hvad er ledelsesopgaven i den digitale udvikling? Det er vigtigt, at man som leder er "
            "bevidst om, hvad opgaven er. Man behøver ikke som leder selv at være digitalt indfødt."
        ),
        "reply": (
            "Det er en væsentlig opgave at sikre forståelsen for det digitale som del af "
            "ledelsesopgaven."
        ),
        "disposition": "noted",
        "late": False,
    },
]

# One entry per responding body. Only SOU's meeting (9 April 2024, item 6) is real;
# ALL OTHER DATES AND AGENDA ITEMS ARE INVENTED FOR THE DEMO (plausible weekdays in
# April 2024, the month the memo says all committees and Hoved-MED discussed the draft).
RESPONSES: dict[str, dict[str, Any]] = {
    "BSU": {
        "channel": "minutes",
        "meeting_date": "2024-04-10",  # invented
        "agenda_item": 5,  # invented
        "source": "Børne- og Skoleudvalget den 10. april 2024 Punkt 5",
    },
    "KMU": {
        "channel": "minutes",
        "meeting_date": "2024-04-08",  # invented
        "agenda_item": 7,  # invented
        "source": "Klima- og Miljøudvalget den 8. april 2024 Punkt 7",
    },
    "KFU": {
        "channel": "minutes",
        "meeting_date": "2024-04-11",  # invented
        "agenda_item": 4,  # invented
        "source": "Kultur- og Fritidsudvalget den 11. april 2024 Punkt 4",
    },
    "SOU": {
        "channel": "minutes",
        "meeting_date": "2024-04-09",  # real
        "agenda_item": 6,  # real
        "source": "Socialudvalget den 9. april 2024 Punkt 6",
    },
    "EBU": {
        "channel": "minutes",
        "meeting_date": "2024-04-15",  # invented
        "agenda_item": 8,  # invented
        "source": "Erhvervs-, Beskæftigelses- og Uddannelsesudvalget den 15. april 2024 Punkt 8",
    },
    "SÆU": {
        "channel": "minutes",
        "meeting_date": "2024-04-16",  # invented
        "agenda_item": 5,  # invented
        "source": "Sundheds- og Ældreudvalget den 16. april 2024 Punkt 5",
    },
    "MED": {
        "channel": "staff",
        "meeting_date": "2024-04-18",  # invented
        "agenda_item": None,
        "source": "Hoved-MED den 18. april 2024",
    },
}
