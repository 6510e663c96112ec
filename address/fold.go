package address

// Folding turns text into lower-case ASCII words so that "SÃO PAULO",
// "Sao Paulo" and "são  paulo" compare equal. It works on bytes, without
// allocating, because every Parse folds every part of the line.

// foldLatin1 maps the Latin-1 supplement (U+00C0..U+00FF, second byte of a
// two-byte UTF-8 sequence starting with 0xC3) to its unaccented lower-case
// letter, or 0 when the character is not a letter worth keeping.
var foldLatin1 = [64]byte{
	'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i', // À..Ï
	'd', 'n', 'o', 'o', 'o', 'o', 'o', 0, 'o', 'u', 'u', 'u', 'u', 'y', 0, 's', // Ð..ß
	'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i', // à..ï
	'd', 'n', 'o', 'o', 'o', 'o', 'o', 0, 'o', 'u', 'u', 'u', 'u', 'y', 0, 'y', // ð..ÿ
}

// foldRune reads one character of s at i and returns its folded ASCII byte
// (0 for a separator) and the number of bytes consumed.
func foldRune(s string, i int) (byte, int) {
	c := s[i]
	switch {
	case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return c, 1
	case c >= 'A' && c <= 'Z':
		return c + ('a' - 'A'), 1
	case c < 0x80:
		return 0, 1
	}
	if i+1 < len(s) {
		c2 := s[i+1]
		switch c {
		case 0xC3:
			if c2 >= 0x80 && c2 <= 0xBF {
				return foldLatin1[c2-0x80], 2
			}
		case 0xC2:
			switch c2 {
			case 0xBA, 0xB0: // º °, as in "nº" and "1º andar"
				return 'o', 2
			case 0xAA: // ª
				return 'a', 2
			}
		}
	}
	// Any other multi-byte character is a separator; skip its whole sequence.
	n := 1
	for i+n < len(s) && s[i+n]&0xC0 == 0x80 {
		n++
	}
	return 0, n
}

// appendWords appends s folded to lower-case ASCII words separated by single
// spaces ("Apto. 4-B" → "apto 4 b").
func appendWords(dst []byte, s string) []byte {
	space := false
	start := len(dst)
	for i := 0; i < len(s); {
		c, n := foldRune(s, i)
		i += n
		if c == 0 {
			space = true
			continue
		}
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
		dst = append(dst, c)
	}
	return dst
}

// appendKey appends s folded to letters and digits only: the lookup key for
// cities and states ("Alta Floresta D'Oeste" → "altaflorestadoeste").
func appendKey(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c, n := foldRune(s, i)
		i += n
		if c != 0 {
			dst = append(dst, c)
		}
	}
	return dst
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); {
		c, n := foldRune(s, i)
		i += n
		if c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isLetterASCII(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }
