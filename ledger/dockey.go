package ledger

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
)

// documentKey decides the document key from what the state's meta table
// holds (stored: the hex key or ""; check: the key check hash or "") and
// the key given with WithDocumentKey, for every store alike. It returns
// the key and the meta values to write ("" : leave as is).
func documentKey(given []byte, stored, check string) (key []byte, writeKey, writeCheck string, err error) {
	switch {
	case given != nil:
		key = given
	case stored != "":
		if key, err = hex.DecodeString(stored); err != nil {
			return nil, "", "", fmt.Errorf("ledger: stored document key is corrupt: %w", err)
		}
	case check != "":
		return nil, "", "", errors.New("ledger: this state's document key is kept outside it; open it with WithDocumentKey")
	default:
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, "", "", fmt.Errorf("ledger: generate document key: %w", err)
		}
		writeKey = hex.EncodeToString(key)
	}
	want := hmacHex(key, keyCheckMessage)
	if check == "" {
		return key, writeKey, want, nil
	}
	if !hmac.Equal([]byte(check), []byte(want)) {
		return nil, "", "", ErrDocumentKeyMismatch
	}
	return key, writeKey, "", nil
}
