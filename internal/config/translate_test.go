package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTranslateSettings(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "deepl")
	if err := os.WriteFile(keyFile, []byte("abc:fx\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{name: "default apertium", check: func(t *testing.T, c Config) {
			if c.TranslateProvider != "apertium" {
				t.Errorf("provider = %q", c.TranslateProvider)
			}
		}},
		{name: "deepl key file", env: map[string]string{"FOLIO_TRANSLATE_PROVIDER": "deepl", "FOLIO_DEEPL_KEY_FILE": keyFile},
			check: func(t *testing.T, c Config) {
				if c.DeepLKey != "abc:fx" {
					t.Errorf("key = %q", c.DeepLKey)
				}
			}},
		{name: "libretranslate", env: map[string]string{"FOLIO_TRANSLATE_PROVIDER": "libretranslate",
			"FOLIO_LIBRETRANSLATE_URL": "https://lt.example.org", "FOLIO_LIBRETRANSLATE_KEY": "k"},
			check: func(t *testing.T, c Config) {
				if c.LibreTranslateURL != "https://lt.example.org" || c.LibreTranslateKey != "k" {
					t.Errorf("config = %+v", c)
				}
			}},
		{name: "ErrDeepLWithoutKey", env: map[string]string{"FOLIO_TRANSLATE_PROVIDER": "deepl"}, wantErr: "deepl-key: required"},
		{name: "ErrLibreWithoutURL", env: map[string]string{"FOLIO_TRANSLATE_PROVIDER": "libretranslate"}, wantErr: "libretranslate-url"},
		{name: "ErrUnknown", env: map[string]string{"FOLIO_TRANSLATE_PROVIDER": "babel"}, wantErr: `translate-provider: "babel"`},
		{name: "ErrMissingKeyFile", env: map[string]string{"FOLIO_DEEPL_KEY_FILE": filepath.Join(dir, "none")}, wantErr: "FOLIO_DEEPL_KEY_FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			err := c.LoadEnv(func(k string) string { return tt.env[k] })
			if err == nil {
				err = c.Validate()
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}
