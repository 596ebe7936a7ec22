/** The help text of `bronsync` (Dutch, in the words of the BRON Sync manual). */
export const USAGE = `bronsync — BRON Sync vanaf de opdrachtregel

Gebruik:
  bronsync determine --lvs BESTAND --bron BESTAND [--memory BESTAND] [--today JJJJ-MM-DD]
      Acties bepalen: vergelijkt LVS2000 met het BRON-overzicht en drukt de acties af (JSON-lijst).
  bronsync check --lvs BESTAND --actions BESTAND [--today JJJJ-MM-DD]
      Controleren: drukt de afkeur- en attentiesignalen per actie af (JSON-lijst).
  bronsync feedback --bron BESTAND --actions BESTAND --messages BESTAND [--today JJJJ-MM-DD]
      Terugkoppeling verwerken: drukt het nieuwe BRON-overzicht, statuswijzigingen,
      schrijfacties naar LVS2000, signalen en niet-verwerkte berichten af (JSON).
  bronsync validate bsn|onderwijsnummer|postcode WAARDE
      Controleert één waarde: exitcode 0 = geldig, 1 = ongeldig (met de reden).
  bronsync --help

Invoerformaten: docs/formats.md en docs/schema/*.json. --today is standaard de datum van vandaag
(Nederlandse tijd). Exitcodes: 0 gelukt, 1 ongeldige waarde (validate), 2 foute invoer of
weigering (bijv. een registratieoverzicht ouder dan 4 weken), 3 interne fout.
`;
