package harness

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
// every experiment that has them: "seeds" (the number of seeds per
// configuration) and "variant" (the activations to compare). A third,
// "dataset" (DatasetSetting, of type kit.Dataset), is read by the harness
// itself: it names a data set other than MNIST in every title. Not every
// experiment has both, and where one does, its help says which part of the
// experiment the setting reaches.
//
// A list setting needs at least one item, unless its help promises that an
// empty list is meaningful by containing the words "empty list" (as in
// "depths trained on MNIST (empty list: skip)"): such a setting accepts an
// empty value, typed as --name= or --set name=.

// Field describes one configurable setting.
type Field struct {
	Name  string // the flag name
	Help  string
	Type  string // "int", "float", "bool", "string", "ints", "floats", "strings"
	Value string // the current value, formatted as it would be typed
	// EmptyOK marks a list setting that accepts an empty list (its help
	// promises one).
	EmptyOK bool
}

// emptyListPromise is the phrase in a list setting's help that makes an
// empty value valid for it.
const emptyListPromise = "empty list"

func acceptsEmpty(sf reflect.StructField) bool {
	return sf.Type.Kind() == reflect.Slice && strings.Contains(sf.Tag.Get("help"), emptyListPromise)
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
		out = append(out, Field{Name: name, Help: sf.Tag.Get("help"), Type: typeName(sf.Type), Value: formatValue(v.Field(i)),
			EmptyOK: acceptsEmpty(sf)})
	}
	return out
}

// FieldValue returns the formatted value of the setting called name.
func FieldValue(cfg any, name string) (string, bool) {
	f, _, ok := fieldByFlag(cfg, name)
	if !ok {
		return "", false
	}
	return formatValue(f), true
}

// SetField parses value into the setting called name. Errors name the
// setting, the expected type and, for an unknown name, the valid ones.
func SetField(cfg any, name, value string) error {
	f, sf, ok := fieldByFlag(cfg, name)
	if !ok {
		return unknownSetting(cfg, name)
	}
	if acceptsEmpty(sf) && strings.TrimSpace(value) == "" {
		f.Set(reflect.MakeSlice(f.Type(), 0, 0))
		return nil
	}
	if err := parseInto(f, value); err != nil {
		return fmt.Errorf("--%s=%q: %w", name, value, err)
	}
	return nil
}

func unknownSetting(cfg any, name string) error {
	var names []string
	for _, fd := range Fields(cfg) {
		names = append(names, fd.Name)
	}
	return fmt.Errorf("unknown setting %q (valid: %s)", name, strings.Join(names, ", "))
}

func fieldByFlag(cfg any, name string) (reflect.Value, reflect.StructField, bool) {
	v := reflect.ValueOf(cfg).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("flag") == name {
			return v.Field(i), t.Field(i), true
		}
	}
	return reflect.Value{}, reflect.StructField{}, false
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
			return fmt.Errorf("empty list: this setting needs at least one value")
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

// Setting is one configuration field and the values a user gave it: a list
// field takes them all as its list; a scalar field given several values
// makes one configuration per value (see Expand).
//
// No values at all is an empty list, which only a list setting whose help
// promises one accepts (Expand checks).
type Setting struct {
	Name   string
	Values []string
	// Source is how the user typed it ("--width=32", "--set width=16"),
	// for messages; empty means --set Name=Values.
	Source string
}

func (s Setting) source() string {
	if s.Source != "" {
		return s.Source
	}
	return "--set " + s.Name + "=" + strings.Join(s.Values, ",")
}

// ParseSetting reads "key=v1,v2,..." as typed after --set. "key=" gives the
// setting no values: an empty list.
func ParseSetting(s string) (Setting, error) {
	key, vals, ok := strings.Cut(s, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return Setting{}, fmt.Errorf("--set %q: want key=value or key=v1,v2,...", s)
	}
	src := "--set " + s
	if strings.TrimSpace(vals) == "" {
		return Setting{Name: key, Values: []string{}, Source: src}, nil
	}
	parts := strings.Split(vals, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		if parts[i] == "" {
			return Setting{}, fmt.Errorf("--set %q: empty item %d in the list", s, i+1)
		}
	}
	return Setting{Name: key, Values: parts, Source: src}, nil
}

// Configuration is one configuration of a sweep, with a label naming the
// scalar values that distinguish it from its siblings ("" when a sweep has
// only one configuration).
type Configuration struct {
	Label  string
	Config any
}

// Expand applies settings to the experiment's defaults (quick or full) and
// returns the configurations they span: the cartesian product of the values
// given to scalar fields. Errors name the setting, the expected type and the
// valid keys. A setting given twice (by a flag and --set, or twice with
// --set) is an error naming both, rather than one silently winning.
func Expand(exp Experiment, quick bool, profile string, settings []Setting) ([]Configuration, error) {
	if _, err := Defaults(exp, quick, profile); err != nil {
		return nil, err
	}
	defaults := func() any {
		cfg, _ := Defaults(exp, quick, profile)
		return cfg
	}
	type choice struct {
		name   string
		values []string
	}
	var fixed []Setting
	var multi []choice
	probe := defaults()
	given := map[string]Setting{}
	for _, s := range settings {
		f, sf, ok := fieldByFlag(probe, s.Name)
		if !ok {
			return nil, unknownSetting(probe, s.Name)
		}
		if first, twice := given[s.Name]; twice {
			return nil, fmt.Errorf("%s is given twice, by %s and by %s: give it once", s.Name, first.source(), s.source())
		}
		given[s.Name] = s
		if len(s.Values) == 0 {
			if !acceptsEmpty(sf) {
				return nil, fmt.Errorf("%s: no value after '=' (%s needs at least one value)", s.source(), s.Name)
			}
			fixed = append(fixed, Setting{Name: s.Name, Values: []string{""}})
			continue
		}
		if f.Kind() == reflect.Slice || len(s.Values) == 1 {
			fixed = append(fixed, Setting{Name: s.Name, Values: []string{strings.Join(s.Values, ",")}})
			continue
		}
		multi = append(multi, choice{s.Name, s.Values})
	}
	// Odometer over the scalar choices, first setting varying slowest.
	counters := make([]int, len(multi))
	var out []Configuration
	for {
		cfg := defaults()
		for _, s := range fixed {
			if err := SetField(cfg, s.Name, s.Values[0]); err != nil {
				return nil, err
			}
		}
		var label []string
		for i, m := range multi {
			v := m.values[counters[i]]
			if err := SetField(cfg, m.name, v); err != nil {
				return nil, err
			}
			label = append(label, m.name+"="+v)
		}
		out = append(out, Configuration{Label: strings.Join(label, ","), Config: cfg})
		i := len(multi) - 1
		for ; i >= 0; i-- {
			counters[i]++
			if counters[i] < len(multi[i].values) {
				break
			}
			counters[i] = 0
		}
		if i < 0 {
			return out, nil
		}
	}
}
