package experiments

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Configurations are plain structs. A field tagged `flag:"name"` is a
// setting users can change from the command line; `help:"..."` says what it
// does. Supported field types: int, uint64, float64, bool, string and
// slices of int, float64 and string (written comma-separated).
//
// Two names are shared by convention so that common flags mean the same in
// every experiment: "seeds" (the number of seeds per configuration) and
// "variant" (the activations to compare).

// Field describes one configurable setting.
type Field struct {
	Name  string // the flag name
	Help  string
	Type  string // "int", "float", "bool", "string", "ints", "floats", "strings"
	Value string // the current value, formatted as it would be typed
}

// Fields lists the configurable settings of cfg (a pointer to a
// configuration struct) in declaration order, with their current values.
func Fields(cfg any) []Field {
	v := reflect.ValueOf(cfg).Elem()
	t := v.Type()
	var out []Field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name := sf.Tag.Get("flag")
		if name == "" {
			continue
		}
		out = append(out, Field{Name: name, Help: sf.Tag.Get("help"), Type: typeName(sf.Type), Value: formatValue(v.Field(i))})
	}
	return out
}

// FieldValue returns the formatted value of the setting called name.
func FieldValue(cfg any, name string) (string, bool) {
	f, ok := fieldByFlag(cfg, name)
	if !ok {
		return "", false
	}
	return formatValue(f), true
}

// SetField parses value into the setting called name. Errors name the
// setting, the expected type and, for an unknown name, the valid ones.
func SetField(cfg any, name, value string) error {
	f, ok := fieldByFlag(cfg, name)
	if !ok {
		var names []string
		for _, fd := range Fields(cfg) {
			names = append(names, fd.Name)
		}
		return fmt.Errorf("unknown setting %q (valid: %s)", name, strings.Join(names, ", "))
	}
	if err := parseInto(f, value); err != nil {
		return fmt.Errorf("--%s=%q: %w", name, value, err)
	}
	return nil
}

func fieldByFlag(cfg any, name string) (reflect.Value, bool) {
	v := reflect.ValueOf(cfg).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("flag") == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Uint64:
		return "int"
	case reflect.Float64:
		return "float"
	case reflect.Bool:
		return "bool"
	case reflect.String:
		return "string"
	case reflect.Slice:
		switch t.Elem().Kind() {
		case reflect.Int:
			return "ints"
		case reflect.Float64:
			return "floats"
		case reflect.String:
			return "strings"
		}
	}
	panic(fmt.Sprintf("experiments: configuration field of unsupported type %s", t))
}

func formatValue(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Int:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.String:
		return v.String()
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = formatValue(v.Index(i))
		}
		return strings.Join(parts, ",")
	}
	panic(fmt.Sprintf("experiments: cannot format %s", v.Type()))
}

func parseInto(v reflect.Value, s string) error {
	s = strings.TrimSpace(s)
	switch v.Kind() {
	case reflect.Int:
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("not an integer")
		}
		v.SetInt(int64(n))
	case reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("not a non-negative integer")
		}
		v.SetUint(n)
	case reflect.Float64:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("not a number")
		}
		v.SetFloat(x)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("not true or false")
		}
		v.SetBool(b)
	case reflect.String:
		v.SetString(s)
	case reflect.Slice:
		if s == "" {
			return fmt.Errorf("empty list")
		}
		parts := strings.Split(s, ",")
		out := reflect.MakeSlice(v.Type(), len(parts), len(parts))
		for i, p := range parts {
			if strings.TrimSpace(p) == "" {
				return fmt.Errorf("empty item %d in the list", i+1)
			}
			if err := parseInto(out.Index(i), p); err != nil {
				return fmt.Errorf("item %d (%q): %w", i+1, strings.TrimSpace(p), err)
			}
		}
		v.Set(out)
	default:
		return fmt.Errorf("unsupported setting type %s", v.Type())
	}
	return nil
}
