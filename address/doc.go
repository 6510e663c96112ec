// Package address splits Auvo's one-line customer addresses into the
// structured fields Omie and Conta Azul expect (RULES.md R-ADDR-1..5), and
// formats structured partner addresses back into one canonical Auvo line
// (R-ADDR-6).
//
// # Reading a line
//
// The line is cut at commas and at dashes with a space on at least one
// side (" - ", "–"); a dash inside a word ("SC-401", "Embu-Guaçu", "45-B")
// is text. From the end, Parse then takes an optional country ("Brasil",
// "Brazil", "BR"), an optional CEP (also "SP 01310-200" and "CEP: ..."),
// and the state, which may be written onto the city ("Campinas-SP",
// "Campinas/SP", "Campinas (SP)"). What is left is matched against the
// patterns. Street, number, complement and bairro keep the text as written;
// street types (Rua/R., Avenida/Av., Alameda/Al., Travessa/Tv.,
// Rodovia/Rod., Estrada/Est., Praça/Pç., ...) are recognised but never
// expanded, and digits inside a street name ("Rua 25 de Março") are not a
// number because the number is its own part. Likewise digits followed by
// words that are no complement ("7 de Setembro", "40 Horas") start a name,
// a bairro or street, not a number. A highway of any state or of the Union
// ("PE-060", "BR 116") and a Brasília sector code ("CLSW 103", "SHIS QI 9")
// are streets; on a highway the kilometre ("Km 12", "Km 128,5") is the
// number.
//
// Before anything else, control characters pasted inside a field (line
// breaks, tabs) become one space and invalid UTF-8 becomes U+FFFD, with
// internal/plaintext, the one place that says so; ParseError.Line keeps the
// line as given.
//
// # Tie-break order
//
// When a line fits several patterns the first of these wins:
//
//  1. the catalogue exactly as written, Omie 1-4 then Conta Azul 1-9
//     (only the target's catalogue unless the target is Any);
//  2. the geocoder layouts (R-ADDR-4), whose city and state are joined by
//     a dash or slash after a comma: "Street[, Number][ - District], City - UF",
//     "Street, Number, Complement, District, City - UF"; and Google's layout
//     for a town without bairros, "Street[, Number] - Town, UF", when the
//     town is a municipality of the state (docs/RULES.md, "Geocoder layouts",
//     lists them all with an example each);
//  3. the catalogue again, allowing what people type around it: "123A" or
//     "123 Apto 4" where a plain number is expected, " - " for ", " before
//     the bairro, a complement after the number, "City/UF", a trailing
//     country, the CEP before the state, "Rua X nº 12", a quadra and lote
//     standing for the number ("Rua 10, Qd 12 Lt 5, Setor Oeste, ..."), and
//     in the Federal District a bloco ("CLSW 103, Bloco B, Sudoeste, ...").
//
// Inside a pattern, complement keywords decide complement versus bairro:
// Apto/Ap, Sala, Bloco/Bl, Casa, Loja, Lote/Lt, Quadra/Qd, Conj./Cj,
// Torre, Box followed by an identifier ("Casa 2", "Bloco B", "Qd 3 Lt 4",
// "Ap42"), and Fundos, Frente, Térreo, Cobertura, Edifício, "3º andar" on
// their own. So "Casa Verde" is a bairro and "Casa 2" a complement; omie-4
// and contaazul-1 differ only in that. A plain number slot never takes
// "123A" in the exact pass, so such lines reach contaazul-2.
//
// Where a layout puts a complement and nothing else (the complement slots
// of Conta Azul, the parts between number and bairro), a unit word alone
// ("LOJA") or one word with identifiers ("Quiosque 3", "Barracão 2") is one
// too. When only its place made it a complement and the pattern has no
// city, a bairro that is a municipality of the state rejects that reading:
// "…, Quiosque 3, Campinas, SP" is bairro and city (omie-2). The same holds
// for any pattern without a city stretched in the lenient pass. A
// complement comes back exactly as written, separators included ("Apto 4;
// Bloco B").
//
// Cities are checked against the embedded IBGE municipality list (data/,
// MIT, Kelvin S. do Prado) in the line's state, so homonyms resolve by UF
// and the official spelling is returned. Patterns without a city
// (contaazul-1, 3, 5, 6, 7) leave City empty: it is never guessed. The
// Federal District has one municipality, Brasília: a region of it written
// where the city goes ("QNA 12 Casa 5, Taguatinga - DF") is the bairro,
// with the city Brasília, never a town of the same name in another state.
package address
