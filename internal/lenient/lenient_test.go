package lenient

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodesEveryShapeVendorsSend(t *testing.T) {
	var v struct {
		S1, S2, S3 String
		I1, I2, I3 Int
		I4         Int
		F1, F2, F3 Float
	}
	require.NoError(t, json.Unmarshal([]byte(`{"S1":"01310-200","S2":1310200,"S3":null,
		"I1":42,"I2":"42","I3":null,"I4":42.0,"F1":-23.56,"F2":"-23,56","F3":""}`), &v))
	assert.Equal(t, String("01310-200"), v.S1)
	assert.Equal(t, String("1310200"), v.S2)
	assert.Equal(t, String(""), v.S3)
	assert.Equal(t, Int(42), v.I1)
	assert.Equal(t, Int(42), v.I2)
	assert.Equal(t, Int(0), v.I3)
	assert.Equal(t, Int(42), v.I4)
	assert.Equal(t, Float(-23.56), v.F1)
	assert.Equal(t, Float(-23.56), v.F2)
	assert.Equal(t, Float(0), v.F3)
}

func TestRejectsWhatIsNotThatKindOfValue(t *testing.T) {
	var i Int
	assert.ErrorContains(t, json.Unmarshal([]byte(`"4.5"`), &i), "not an integer")
	assert.ErrorContains(t, json.Unmarshal([]byte(`"abc"`), &i), "not an integer")
	var f Float
	assert.ErrorContains(t, json.Unmarshal([]byte(`"abc"`), &f), "not a number")
	var s String
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"a":1}`), &s), "expected a string")
	assert.Error(t, json.Unmarshal([]byte(`"\x"`), &s))
}
