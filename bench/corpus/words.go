package main

// words is the fixed vocabulary of the generated pseudo-English: common
// function words weighted by repetition, then the nouns, verbs and
// adjectives of regional reporting.
var functionWords = []string{
	"the", "the", "the", "the", "of", "of", "of", "and", "and", "and", "to", "to", "in", "in",
	"a", "a", "that", "is", "was", "for", "on", "with", "as", "by", "at", "from", "its", "their",
	"which", "but", "not", "have", "has", "had", "are", "were", "this", "these", "more", "than",
	"into", "over", "after", "before", "between", "under", "while", "where", "when", "who",
}

var nouns = []string{
	"river", "dam", "border", "ministry", "election", "ballot", "court", "province", "village",
	"harvest", "drought", "pipeline", "budget", "parliament", "governor", "council", "market",
	"price", "wage", "migrant", "refugee", "camp", "clinic", "school", "teacher", "student",
	"journalist", "editor", "report", "archive", "document", "contract", "loan", "bank", "debt",
	"grain", "cotton", "water", "canal", "glacier", "valley", "mountain", "road", "railway",
	"port", "customs", "trader", "farmer", "herder", "pasture", "mine", "copper", "gold", "coal",
	"power", "grid", "outage", "winter", "summer", "flood", "mudslide", "earthquake", "aid",
	"donor", "agency", "mission", "ceasefire", "militia", "army", "police", "prison", "lawyer",
	"judge", "verdict", "protest", "strike", "union", "company", "investor", "tender", "audit",
	"census", "survey", "poll", "turnout", "minority", "language", "newspaper", "broadcast",
	"frequency", "license", "permit", "quota", "tariff", "treaty", "summit", "delegation",
	"embassy", "visa", "remittance", "currency", "inflation", "subsidy", "ration", "well",
	"reservoir", "irrigation", "district", "capital", "suburb", "household", "family", "elder",
}

var verbs = []string{
	"said", "argued", "reported", "found", "showed", "built", "closed", "opened", "raised",
	"cut", "approved", "rejected", "signed", "delayed", "expanded", "promised", "denied",
	"confirmed", "estimated", "recorded", "measured", "moved", "returned", "crossed", "paid",
	"borrowed", "spent", "lost", "gained", "warned", "asked", "answered", "published", "counted",
	"planted", "harvested", "diverted", "flooded", "dried", "shifted", "doubled", "halved",
}

var adjectives = []string{
	"new", "old", "local", "regional", "national", "foreign", "official", "informal", "public",
	"private", "rural", "urban", "northern", "southern", "eastern", "western", "upstream",
	"downstream", "seasonal", "annual", "quiet", "contested", "fragile", "growing", "shrinking",
	"missing", "hidden", "costly", "cheap", "early", "late", "remote", "crowded", "empty",
	"independent", "provisional", "disputed", "unpaid", "overdue", "modest", "sharp", "steady",
}

var firstNames = []string{
	"Amina", "Bakhtiyor", "Celine", "Dilnoza", "Elif", "Farhad", "Gulnara", "Hamid", "Irina",
	"Javad", "Kamila", "Lev", "Madina", "Nodir", "Olga", "Parisa", "Qasim", "Rustam", "Sara",
	"Timur", "Umida", "Vera", "Wahid", "Yulia", "Zarina", "Ahmad", "Bella", "Daniyar", "Eldor",
	"Fatima", "Giorgi", "Hana", "Ilyas", "Jamila", "Karim", "Leyla", "Murat", "Nargiza",
}

var lastNames = []string{
	"Abdullaeva", "Bekov", "Chen", "Davletova", "Ergashev", "Faizi", "Gasanov", "Hakimi",
	"Ibragimova", "Jurayev", "Karimova", "Lomidze", "Mirzaev", "Nazarova", "Orlov", "Petrosyan",
	"Qodirova", "Rahimi", "Saidov", "Tursunova", "Usmonov", "Volkova", "Wardak", "Yusupov",
	"Zakirova", "Aliyev", "Baratova", "Dzhumaev", "Eshonova", "Fayzullaev", "Gafurova", "Haydari",
}

var regionNames = []string{
	"Central Asia", "South Caucasus", "Afghanistan", "Iran", "Russia", "Turkey", "Pakistan", "China",
}

var themeNames = []string{
	"Water", "Elections", "Energy", "Migration", "Media Freedom", "Security", "Trade", "Agriculture",
	"Climate", "Health", "Education", "Religion", "Labour", "Corruption", "Human Rights",
	"Infrastructure", "Mining", "Finance", "Diplomacy", "Borders", "Gender", "Justice",
	"Technology", "Culture", "Housing", "Transport", "Food", "Environment", "Aid", "History",
}

var dossierNames = []string{
	"The Amu Darya Compact", "Ballots Abroad", "The Rogun Ledger", "Winter Without Power",
	"Remittance Economy", "The New Silk Roads", "Missing Archives", "The Grain Corridor",
	"Border Markets", "Glaciers in Retreat", "The Pipeline Years", "Courts on Trial",
}
