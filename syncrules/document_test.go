package syncrules_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/syncrules"
)

func TestNormalizeDocument(t *testing.T) {
	tests := []struct{ in, want string }{
		{"529.982.247-25", "52998224725"},
		{" 529 982 247 25 ", "52998224725"},
		{"12.abc.345/01de-35", "12ABC34501DE35"},
		{"93.ZB0.VRY/V6KA-67", "93ZB0VRYV6KA67"},
		{"", ""},
		{"\t", ""},
		{"90.614.997/0001-62", "90614997000162"},
		{"529_982+247=25", "52998224725"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, syncrules.NormalizeDocument(tt.in), tt.in)
	}
}

func TestValidateDocumentAcceptsValidCPFAndCNPJ(t *testing.T) {
	tests := []struct {
		in   string
		norm string
		kind syncrules.DocKind
	}{
		// Vectors from the issue and address-docs.md §4; the rest were
		// computed with an independent implementation of the same algorithm.
		{"529.982.247-25", "52998224725", syncrules.DocCPF},
		{"248.438.034-80", "24843803480", syncrules.DocCPF},
		{"099.075.865-60", "09907586560", syncrules.DocCPF},
		{"000.000.001-91", "00000000191", syncrules.DocCPF},
		{"123.456.789-09", "12345678909", syncrules.DocCPF},
		{"111.444.777-35", "11144477735", syncrules.DocCPF},
		{"12.ABC.345/01DE-35", "12ABC34501DE35", syncrules.DocCNPJ},
		{"12.abc.345/01de-35", "12ABC34501DE35", syncrules.DocCNPJ},
		{"93.ZB0.VRY/V6KA-67", "93ZB0VRYV6KA67", syncrules.DocCNPJ},
		{"19.JA2.KO8/Z001-51", "19JA2KO8Z00151", syncrules.DocCNPJ},
		{"SC.RCN.1NI/0001-30", "SCRCN1NI000130", syncrules.DocCNPJ},
		{"4Y.2OP.G99/0001-41", "4Y2OPG99000141", syncrules.DocCNPJ},
		{"WE.0PP.M4F/0001-91", "WE0PPM4F000191", syncrules.DocCNPJ},
		{"00000000E08G12", "00000000E08G12", syncrules.DocCNPJ},
		{"AAAAAAAAAAAA45", "AAAAAAAAAAAA45", syncrules.DocCNPJ},
		{"ZZZZZZZZZZZZ62", "ZZZZZZZZZZZZ62", syncrules.DocCNPJ},
		{"11.222.333/0001-81", "11222333000181", syncrules.DocCNPJ},
		{"00.000.000/0001-91", "00000000000191", syncrules.DocCNPJ},
		{"90614997000162", "90614997000162", syncrules.DocCNPJ},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			norm, kind, err := syncrules.ValidateDocument(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.norm, norm)
			assert.Equal(t, tt.kind, kind)
		})
	}
}

func TestValidateDocumentRejectsWithANamedProblem(t *testing.T) {
	tests := []struct {
		in      string
		wantErr error
		msg     string
	}{
		{"", syncrules.ErrNoDocument, "no document"},
		{" ./- ", syncrules.ErrNoDocument, "no document"},
		{"93.ZB0.VRY/V6KA-66", syncrules.ErrCheckDigits, "CNPJ: bad check digits"},
		{"12.ABC.345/01DE-53", syncrules.ErrCheckDigits, "CNPJ: bad check digits"},
		{"529.982.247-26", syncrules.ErrCheckDigits, "CPF: bad check digits"},
		{"529.982.247-52", syncrules.ErrCheckDigits, "CPF: bad check digits"},
		{"111.111.111-11", syncrules.ErrDocumentRepeated, "CPF: all characters equal"},
		{"000.000.000-00", syncrules.ErrDocumentRepeated, "CPF: all characters equal"},
		{"00.000.000/0000-00", syncrules.ErrDocumentRepeated, "CNPJ: all characters equal"},
		{"99999999999999", syncrules.ErrDocumentRepeated, "CNPJ: all characters equal"},
		{"5299822472", syncrules.ErrDocumentLength, "wrong length: 10 characters; want 11 (CPF) or 14 (CNPJ)"},
		{"529982247250", syncrules.ErrDocumentLength, "wrong length: 12 characters"},
		{"5", syncrules.ErrDocumentLength, "wrong length: 1 characters"},
		{"529.982.24A-25", syncrules.ErrDocumentChar, "CPF: bad character at position 9: want a digit"},
		{"12.ABC.345/01DE-3A", syncrules.ErrDocumentChar, "CNPJ: bad character at position 14: check digits must be digits"},
		{"12.ÁBC.345/01DE-35", syncrules.ErrDocumentChar, "document: bad character at position 3: want a digit or a letter A-Z"},
		{"não informado", syncrules.ErrDocumentChar, "document: bad character at position 2"},
		{"ISENTO", syncrules.ErrDocumentLength, "wrong length: 6 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			norm, kind, err := syncrules.ValidateDocument(tt.in)
			require.ErrorIs(t, err, tt.wantErr)
			assert.Contains(t, err.Error(), tt.msg)
			assert.Equal(t, syncrules.DocNone, kind)
			assert.Equal(t, syncrules.NormalizeDocument(tt.in), norm, "the normalised form comes back for masking")
			if len(norm) > 3 {
				assert.NotContains(t, err.Error(), norm, "errors never repeat the document")
			}
		})
	}
}

func TestDocKindString(t *testing.T) {
	assert.Equal(t, "CPF", syncrules.DocCPF.String())
	assert.Equal(t, "CNPJ", syncrules.DocCNPJ.String())
	assert.Equal(t, "none", syncrules.DocNone.String())
}

func TestFormatDocument(t *testing.T) {
	tests := []struct{ in, want string }{
		{"52998224725", "529.982.247-25"},
		{"529.982.247-25", "529.982.247-25"},
		{"12ABC34501DE35", "12.ABC.345/01DE-35"},
		{"12abc34501de35", "12.ABC.345/01DE-35"},
		{"90614997000162", "90.614.997/0001-62"},
		{"123", "123"},
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, syncrules.FormatDocument(tt.in), tt.in)
	}
}

func FuzzNormalizeDocument(f *testing.F) {
	for _, s := range []string{
		"529.982.247-25", "12.ABC.345/01DE-35", "93.ZB0.VRY/V6KA-66", "", " ", "111.111.111-11",
		"12.ÁBC.345/01DE-35", "ñ", "\xff\xfe", "00000000E08G12", "529982247250", "ǅ", "ß",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := syncrules.NormalizeDocument(s)
		if syncrules.NormalizeDocument(n) != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, syncrules.NormalizeDocument(n))
		}
		for _, r := range n {
			if unicode.IsSpace(r) || unicode.IsPunct(r) {
				t.Fatalf("%q kept %q", n, r)
			}
		}
		norm, kind, err := syncrules.ValidateDocument(s)
		if norm != n {
			t.Fatalf("ValidateDocument normalised %q to %q, NormalizeDocument to %q", s, norm, n)
		}
		masked := syncrules.MaskDocument(s)
		if err != nil {
			if kind != syncrules.DocNone {
				t.Fatalf("error with kind %v", kind)
			}
			return
		}
		if kind == syncrules.DocNone {
			t.Fatalf("valid %q without a kind", s)
		}
		if syncrules.NormalizeDocument(syncrules.FormatDocument(n)) != n {
			t.Fatalf("format round trip lost %q", n)
		}
		if strings.Contains(masked, n) || strings.Contains(masked, syncrules.FormatDocument(n)) {
			t.Fatalf("mask %q leaks %q", masked, n)
		}
	})
}
