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
// number because the number is its own part.
//
// # Tie-break order
//
// When a line fits several patterns the first of these wins:
//
//  1. the catalogue exactly as written, Omie 1-4 then Conta Azul 1-9
//     (only the target's catalogue unless the target is Any);
//  2. the geocoder layouts (R-ADDR-4), whose city and state are joined by
//     a dash or slash after a comma: "Street[, Number][ - District], City - UF";
//  3. the catalogue again, allowing what people type around it: "123A" or
//     "123 Apto 4" where a plain number is expected, " - " for ", " before
//     the bairro, a complement after the number, "City/UF", a trailing
//     country, the CEP before the state, "Rua X nº 12".
//
// Inside a pattern, complement keywords decide complement versus bairro:
// Apto/Ap, Sala, Bloco/Bl, Casa, Loja, Lote/Lt, Quadra/Qd, Conj./Cj,
// Torre, Box followed by an identifier ("Casa 2", "Bloco B", "Qd 3 Lt 4",
// "Ap42"), and Fundos, Frente, Térreo, Cobertura, Edifício, "3º andar" on
// their own. So "Casa Verde" is a bairro and "Casa 2" a complement; omie-4
// and contaazul-1 differ only in that. A plain number slot never takes
// "123A" in the exact pass, so such lines reach contaazul-2.
//
// Cities are checked against the embedded IBGE municipality list (data/,
// MIT, Kelvin S. do Prado) in the line's state, so homonyms resolve by UF
// and the official spelling is returned. Patterns without a city
// (contaazul-1, 3, 5, 6, 7) leave City empty: it is never guessed.
package address
