/** Word lists for realistic Dutch demo pupils: first names, surnames with voorvoegsels, streets, places. */

export const JONGENSNAMEN = [
  "Daan", "Sem", "Noah", "Lucas", "Levi", "Finn", "Luuk", "Milan", "Bram", "Jesse", "Thijs", "Mees", "Liam",
  "Adam", "Sven", "Ruben", "Julian", "Max", "Thomas", "Tim", "Lars", "Gijs", "Jayden", "Stijn", "Hugo",
  "Teun", "Jens", "Ravi", "Mohammed", "Yusuf", "Ayoub", "Boaz", "Floris", "Jurre", "Olivier", "Siem",
  "Willem", "Jan", "Pieter", "Cornelis", "Hendrik", "Johannes", "Dirk", "Joris", "Koen", "Wout", "Ties",
] as const;

export const MEISJESNAMEN = [
  "Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Sara", "Nora", "Yara", "Eva", "Liv", "Lotte", "Anna",
  "Saar", "Noor", "Fleur", "Lieke", "Evi", "Fenna", "Isa", "Roos", "Femke", "Sanne", "Nina", "Olivia",
  "Amira", "Fatima", "Aylin", "Elif", "Maud", "Jasmijn", "Floor", "Lynn", "Iris", "Vera", "Hanna",
  "Johanna", "Maria", "Catharina", "Wilhelmina", "Geertruida", "Anouk", "Marit", "Merel", "Sophia",
] as const;

export const ACHTERNAMEN = [
  "Jansen", "Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Boer", "Vos", "Peters", "Hendriks",
  "Dekker", "Brouwer", "Dijk", "Wit", "Dijkstra", "Smits", "Graaf", "Meer", "Linden", "Kok", "Jacobs",
  "Haan", "Vermeulen", "Heuvel", "Veen", "Broek", "Bruijn", "Berg", "Schouten", "Beek", "Willems",
  "Hoekstra", "Maas", "Verhoeven", "Koster", "Prins", "Leeuwen", "Postma", "Kuipers", "Wijk", "Yılmaz",
  "El Amrani", "Kaya", "Boukhari", "Nguyen", "Pinas", "Doorn", "Vliet", "Kamp", "Sluis", "Hoven",
  "Bosch", "Laan", "Huis", "Pol", "Groot", "Velde", "Kooij", "Gelder", "Haar", "Wal", "Veldhuis",
] as const;

/** Surnames that normally carry a voorvoegsel, with the usual one. */
export const MET_VOORVOEGSEL: Readonly<Record<string, readonly string[]>> = {
  Vries: ["de"], Boer: ["de"], Dijk: ["van"], Wit: ["de"], Graaf: ["de", "van de"], Meer: ["van der"],
  Linden: ["van der"], Haan: ["de"], Heuvel: ["van den"], Veen: ["van der", "van"], Broek: ["van den"],
  Bruijn: ["de"], Berg: ["van den"], Beek: ["van", "ter"], Leeuwen: ["van"], Wijk: ["van"], Doorn: ["van"],
  Vliet: ["van", "van der"], Kamp: ["van de", "ter"], Sluis: ["van der"], Hoven: ["van den", "ten"],
  Bosch: ["van den", "ten"], Laan: ["van der", "van de"], Huis: ["in 't", "van 't"], Pol: ["van de"],
  Groot: ["de"], Velde: ["van de", "van der"], Kooij: ["van der", "van de"], Gelder: ["van"], Haar: ["ter", "van de"],
  Wal: ["van der", "van de"], Veldhuis: ["op den"],
};

export const STRATEN = [
  "Dorpsstraat", "Kerkstraat", "Schoolstraat", "Molenweg", "Stationsweg", "Julianastraat", "Beatrixlaan",
  "Wilhelminastraat", "Oranjestraat", "Lindelaan", "Eikenlaan", "Berkenlaan", "Kastanjelaan", "Prins Hendrikkade",
  "Nieuwe Gracht", "Oude Kerkweg", "Marktplein", "Burgemeester de Withstraat", "Vondellaan", "Rembrandtstraat",
  "Tulpstraat", "Rozenlaan", "Zonnebloemstraat", "Parallelweg", "Industrieweg", "Hoofdstraat", "Sportlaan",
] as const;

/** Places with a real postcode range [from, to] (four-digit part). */
export const PLAATSEN: readonly { plaats: string; van: number; tot: number }[] = [
  { plaats: "Utrecht", van: 3511, tot: 3585 },
  { plaats: "Amersfoort", van: 3811, tot: 3829 },
  { plaats: "Zeist", van: 3701, tot: 3709 },
  { plaats: "Nieuwegein", van: 3431, tot: 3439 },
  { plaats: "Houten", van: 3991, tot: 3995 },
  { plaats: "IJsselstein", van: 3401, tot: 3404 },
  { plaats: "Woerden", van: 3441, tot: 3449 },
  { plaats: "Veenendaal", van: 3901, tot: 3907 },
  { plaats: "Culemborg", van: 4101, tot: 4107 },
  { plaats: "Bunnik", van: 3981, tot: 3984 },
];

export const BUITENLAND: readonly { plaats: string; land: string; postcode: string }[] = [
  { plaats: "Antwerpen", land: "5010", postcode: "2000" },
  { plaats: "Turnhout", land: "5010", postcode: "2300" },
  { plaats: "Kleve", land: "9089", postcode: "47533" },
];

/** Postcode letters as issued (never SA, SD, SS). */
export const POSTCODE_LETTERS = "ABCDEFGHJKLMNPRSTVWXZ";

export const NATIONALITEITEN_ANDERS = ["0052", "0053", "0054", "0331", "0339", "0057"] as const;
