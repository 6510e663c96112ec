package address

// The Federal District has one municipality, Brasília; its towns are
// administrative regions (RAs) of it, written where other states write the
// city ("QNA 12 Casa 5, Taguatinga - DF"). A region is the bairro, never a
// municipality: "Santa Maria" or "São Sebastião" must not be read as the
// towns of the same name in other states.
const brasilia = "Brasília"

// regionsOfBrasilia are the 35 RAs (Governo do Distrito Federal, 2022), with
// the short names people write for the combined ones, as lookup keys.
var regionsOfBrasilia = func() map[string]bool {
	m := make(map[string]bool, 48)
	for _, name := range []string{
		"Plano Piloto", "Gama", "Taguatinga", "Brazlândia", "Sobradinho", "Planaltina", "Paranoá",
		"Núcleo Bandeirante", "Ceilândia", "Guará", "Cruzeiro", "Samambaia", "Santa Maria",
		"São Sebastião", "Recanto das Emas", "Lago Sul", "Riacho Fundo", "Lago Norte",
		"Candangolândia", "Águas Claras", "Riacho Fundo II", "Sudoeste/Octogonal", "Sudoeste",
		"Octogonal", "Varjão", "Park Way", "SCIA", "Estrutural", "Sobradinho II", "Jardim Botânico",
		"Itapoã", "SIA", "Vicente Pires", "Fercal", "Sol Nascente/Pôr do Sol", "Sol Nascente",
		"Pôr do Sol", "Arniqueira", "Arapoanga", "Água Quente",
	} {
		m[string(appendKey(nil, name))] = true
	}
	return m
}()

// isRegionOfBrasilia reports whether name is an RA of the Federal District.
func isRegionOfBrasilia(name string) bool {
	if len(name) > 64 {
		return false
	}
	var buf [80]byte
	return regionsOfBrasilia[string(appendKey(buf[:0], name))]
}
