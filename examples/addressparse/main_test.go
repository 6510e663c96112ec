package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CONTRACTS.md §2: one JSON object per input line, keys in contract order.
func TestWritesOneJSONLinePerInputLineInContractShape(t *testing.T) {
	in := "Av. Paulista, 1578, Bela Vista - São Paulo - SP\r\n???\n\nRua A & B, 1 - Centro, Campinas/SP, 13010000"
	var out, errOut bytes.Buffer
	code := run(nil, strings.NewReader(in), &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, `{"input":"Av. Paulista, 1578, Bela Vista - São Paulo - SP","ok":true,"pattern":"omie-1",`+
		`"street":"Av. Paulista","number":"1578","complement":"","district":"Bela Vista",`+
		`"city":"São Paulo","state":"SP","zip":"","country":""}`, lines[0])
	assert.Equal(t, `{"input":"???","ok":false,"error":"address not in an accepted pattern: no state (UF) at the end: \"???\""}`, lines[1])
	assert.True(t, strings.HasPrefix(lines[2], `{"input":"","ok":false,"error":"address not in an accepted pattern`), lines[2])
	var last map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[3]), &last))
	assert.Equal(t, "Rua A & B", last["street"])
	assert.Equal(t, "13010-000", last["zip"])
	assert.Equal(t, "geocoder", last["pattern"])
	assert.Empty(t, errOut.String())
}

func TestTargetFlagRestrictsTheCatalogue(t *testing.T) {
	line := "Rua das Flores - 123 - Apto 4 - Centro - SP - 13010-000\n"
	for target, wantOK := range map[string]bool{"any": true, "contaazul": true, "omie": false} {
		var out, errOut bytes.Buffer
		require.Equal(t, 0, run([]string{"-target", target}, strings.NewReader(line), &out, &errOut))
		var got struct {
			OK      bool   `json:"ok"`
			Pattern string `json:"pattern"`
			Error   string `json:"error"`
		}
		require.NoError(t, json.Unmarshal(out.Bytes(), &got))
		assert.Equal(t, wantOK, got.OK, target)
		if wantOK {
			assert.Equal(t, "contaazul-7", got.Pattern)
		} else {
			assert.Contains(t, got.Error, "contaazul-7")
		}
	}
}

func TestBadUsageExitsTwo(t *testing.T) {
	for _, args := range [][]string{{"-target", "bling"}, {"-nope"}, {"extra"}} {
		var out, errOut bytes.Buffer
		assert.Equal(t, 2, run(args, strings.NewReader("x\n"), &out, &errOut), args)
		assert.Empty(t, out.String())
		assert.NotEmpty(t, errOut.String())
	}
}

func TestEmptyInputWritesNothing(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 0, run(nil, strings.NewReader(""), &out, &errOut))
	assert.Empty(t, out.String())
}

func TestLongLinesAreRead(t *testing.T) {
	var out, errOut bytes.Buffer
	long := strings.Repeat("x", 200_000)
	assert.Equal(t, 0, run(nil, strings.NewReader(long+"\nRua A, 1, Centro, Campinas, SP\n"), &out, &errOut))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"ok":false`)
	assert.Contains(t, lines[1], `"pattern":"omie-2"`)
}

// CONTRACTS.md §2 for issue 19/13 lines: a Google town-level layout is a
// geocoder line, a complement keeps its semicolon, and a tab pasted inside
// a field is a space in the fields while "input" echoes the line as read.
func TestRealWorldLinesKeepTheContract(t *testing.T) {
	in := "R. Cel. Joaquim Inácio - Piracaia, SP, 12970-000, Brasil\n" +
		"Rua das Flores, 123, Apto 4; Bloco B, Centro, SP, 13010-000\n" +
		"Rua\tdas Flores, 123, Centro, Campinas, SP\n"
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run(nil, strings.NewReader(in), &out, &errOut), errOut.String())
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, `{"input":"R. Cel. Joaquim Inácio - Piracaia, SP, 12970-000, Brasil","ok":true,"pattern":"geocoder",`+
		`"street":"R. Cel. Joaquim Inácio","number":"","complement":"","district":"",`+
		`"city":"Piracaia","state":"SP","zip":"12970-000","country":"Brasil"}`, lines[0])
	assert.Contains(t, lines[1], `"pattern":"contaazul-1"`)
	assert.Contains(t, lines[1], `"complement":"Apto 4; Bloco B"`)
	assert.True(t, strings.HasPrefix(lines[2], `{"input":"Rua\tdas Flores, 123, Centro, Campinas, SP","ok":true,"pattern":"omie-2","street":"Rua das Flores",`), lines[2])
}
