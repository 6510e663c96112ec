package demo

import (
	"fmt"
	"os"
)

// Documents in the demo are computed, check digits included.
func Example_demoDocuments() {
	fmt.Println(demoCPF(529_982_247), demoCNPJ("AB12CD340001"))
	fmt.Fprintln(os.Stdout, breakCheckDigits(demoCPF(529_982_247)))
	// Output:
	// 529.982.247-25 AB.12C.D34/0001-84
	// 529.982.247-26
}
