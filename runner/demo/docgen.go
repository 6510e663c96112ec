package demo

import "fmt"

// The demo's documents are made here, with correct check digits, so that
// every one of them means what the demo says it means: a valid CPF, a valid
// (possibly alphanumeric) CNPJ, or one with its check digits broken on
// purpose. None belongs to a real person or company as far as we know; they
// are derived from the demo's own running numbers.

// checkDigit is the modulo-11 digit over values with the given weights.
func checkDigit(values []int, weights []int) int {
	sum := 0
	for i, v := range values {
		sum += v * weights[i]
	}
	if r := sum % 11; r >= 2 {
		return 11 - r
	}
	return 0
}

// demoCPF returns the formatted CPF whose first nine digits are n
// (zero-padded), with its two check digits.
func demoCPF(n int) string {
	body := fmt.Sprintf("%09d", n%1_000_000_000)
	vals := make([]int, 0, 11)
	for _, r := range body {
		vals = append(vals, int(r-'0'))
	}
	vals = append(vals, checkDigit(vals, []int{10, 9, 8, 7, 6, 5, 4, 3, 2}))
	vals = append(vals, checkDigit(vals, []int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2}))
	d := vals
	return fmt.Sprintf("%d%d%d.%d%d%d.%d%d%d-%d%d", d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10])
}

// demoCNPJ returns the formatted CNPJ whose first twelve characters are
// body (digits or, since July 2026, upper-case letters, valued as their
// ASCII code minus 48), with its two check digits.
func demoCNPJ(body string) string {
	if len(body) != 12 {
		panic("demoCNPJ: body must have 12 characters")
	}
	vals := make([]int, 0, 14)
	for _, r := range body {
		vals = append(vals, int(r)-'0')
	}
	w1 := []int{5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
	d1 := checkDigit(vals, w1)
	vals = append(vals, d1)
	d2 := checkDigit(vals, append([]int{6}, w1...))
	return fmt.Sprintf("%s.%s.%s/%s-%d%d", body[0:2], body[2:5], body[5:8], body[8:12], d1, d2)
}

// breakCheckDigits changes the last digit of a formatted document, so it
// keeps its shape but fails validation (R-ELIG-3).
func breakCheckDigits(doc string) string {
	b := []byte(doc)
	last := len(b) - 1
	b[last] = '0' + (b[last]-'0'+1)%10
	return string(b)
}
